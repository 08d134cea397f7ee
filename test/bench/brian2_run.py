#!/usr/bin/python3
"""Runs a network directory with Brian2's C++ standalone mode and times it.

Usage: brian2_run.py DIR [--repeats R] [--threads N] [--workdir W]

DIR holds network.json and the .npy arrays it names (the format written by
`network-bench generate` and `network-bench export`; see load_network below). All populations share one
leaky integrate-and-fire model and become consecutive slices of a single
NeuronGroup; every projection becomes a Synapses object on those slices, and a
SpikeMonitor records the whole group (its cost is part of the timed loop).

The standalone project is generated and compiled once (timed as compile_s),
then the compiled binary is run R times as a plain subprocess: process_s is
the wall time of the whole process, loop_s is the simulation loop time that
the binary itself reports in results/last_run_info.txt. The spikes of the last
run are read back from the binary's result files.

Writes DIR/brian2/result.json
  {"compile_s", "method", "loop_s": [...], "process_s": [...], "threads",
   "spikes", ...}
and DIR/brian2/spikes_index.npy (global neuron index, int32) and
DIR/brian2/spikes_step.npy (time step, int32), sorted by step, then index.
The build directory defaults to DIR/brian2/build.

Exit status: 0 on success, 2 when the network directory is malformed (a
one-line message names the file and key), 1 when Brian2's build or run fails.

Needs Brian2 and numpy; Debian's python3-brian provides them for
/usr/bin/python3. The network directory's loader is network_dir.py.
"""
import argparse
import json
import logging
import os
import re
import statistics
import subprocess
import sys
import time
import warnings
from dataclasses import dataclass

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.dont_write_bytecode = True  # keep the source directory clean
from network_dir import Network, NetworkError, load_network  # noqa: E402,F401

RESULT_SUBDIR = "brian2"


# --------------------------------------------------------------------------
# Brian2 model


def _import_brian2():
    """Imports Brian2, hiding the FutureWarnings that some of its dependencies emit."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        import brian2
    return brian2


def model_equations(net: Network) -> tuple[str, dict]:
    """The model's equations and the namespace of its constants (Brian2 units)."""
    b2 = _import_brian2()
    second, volt = b2.second, b2.volt

    ns = {"tau_m": net.tau_m * second, "v_rest": net.v_rest * volt,
          "v_threshold": net.v_threshold * volt, "v_reset": net.v_reset * volt}
    inputs = []
    lines = []
    for rec in net.receptors:
        g = f"g_{rec.name}"
        ns[f"tau_{rec.name}"] = rec.tau * second
        if rec.type == "current":
            inputs.append(g)
            lines.append(f"d{g}/dt = -{g}/tau_{rec.name} : volt")
        else:
            ns[f"E_{rec.name}"] = rec.reversal * volt
            inputs.append(f"{g}*(E_{rec.name} - v)")
            lines.append(f"d{g}/dt = -{g}/tau_{rec.name} : 1")
    drive = " + ".join(inputs) + " - (v - v_rest)" if inputs else "-(v - v_rest)"
    flag = " (unless refractory)" if net.refractory > 0 else ""
    return "\n".join([f"dv/dt = ({drive})/tau_m : volt{flag}"] + lines), ns


class _MethodCatcher(logging.Handler):
    """Picks the integration method Brian2 chooses for a group from its log."""

    def __init__(self, group_name: str):
        super().__init__(level=logging.DEBUG)
        self.pattern = re.compile(rf"group '{re.escape(group_name)}', using method '(\w+)'")
        self.method = None

    def emit(self, record):
        m = self.pattern.search(record.getMessage())
        if m:
            self.method = m.group(1)


@dataclass
class Built:
    device: object
    monitor: object
    build_dir: str
    method: str
    setup_s: float
    compile_s: float


def build(net: Network, build_dir: str, threads: int) -> Built:
    """Generates and compiles the standalone project for the network."""
    b2 = _import_brian2()

    b2.set_device("cpp_standalone", build_on_run=False)
    b2.prefs.logging.file_log = False
    if threads > 1:
        b2.prefs.devices.cpp_standalone.openmp_threads = threads
    b2.defaultclock.dt = net.dt * b2.second

    t0 = time.perf_counter()
    eqs, ns = model_equations(net)
    group = b2.NeuronGroup(net.size, eqs, threshold="v > v_threshold", reset="v = v_reset",
                           refractory=net.refractory * b2.second if net.refractory > 0 else False,
                           namespace=ns, name="neurons")
    group.v = np.concatenate([p.v_init for p in net.populations]) * b2.volt
    slices = {p.name: group[p.offset:p.offset + p.size] for p in net.populations}
    synapses = []
    for k, proj in enumerate(net.projections):
        if proj.receptor is None:
            target_var, unit = "v", b2.volt
        else:
            target_var = f"g_{proj.receptor.name}"
            unit = b2.volt if proj.receptor.type == "current" else 1
        # A delay of 0 delivers after this step's thresholds: the target's
        # next update sees it, as our recurrent projections do.
        delay = proj.delay_steps * net.dt * b2.second
        if proj.weights is None:
            syn = b2.Synapses(slices[proj.source.name], slices[proj.target.name],
                              on_pre=f"{target_var} += w", namespace={"w": proj.weight * unit},
                              delay=delay, name=f"projection{k}")
        else:
            syn = b2.Synapses(slices[proj.source.name], slices[proj.target.name],
                              model="w : volt" if unit is b2.volt else "w : 1",
                              on_pre=f"{target_var} += w", delay=delay, name=f"projection{k}")
        if len(proj.pre):
            syn.connect(i=proj.pre, j=proj.post)
            if proj.weights is not None:
                syn.w = proj.weights * unit
            if proj.delays is not None:
                syn.delay = proj.delays * net.dt * b2.second
        synapses.append(syn)
    monitor = b2.SpikeMonitor(group, name="spikes")
    network = b2.Network(group, *synapses, monitor)
    setup_s = time.perf_counter() - t0

    catcher = _MethodCatcher(group.name)
    brian_logger = logging.getLogger("brian2")
    brian_logger.addHandler(catcher)
    t0 = time.perf_counter()
    try:
        network.run(net.duration * b2.second)
        b2.device.build(directory=build_dir, compile=True, run=False, clean=True,
                        with_output=False)
    finally:
        brian_logger.removeHandler(catcher)
    compile_s = time.perf_counter() - t0
    return Built(b2.device, monitor, build_dir, catcher.method or "unknown", setup_s, compile_s)


def run_binary(built: Built) -> tuple[float, float]:
    """Runs the compiled binary once; returns (process_s, loop_s)."""
    b2 = _import_brian2()

    env = dict(os.environ)
    env.update(b2.prefs["devices.cpp_standalone.run_environment_variables"])
    env.update(getattr(built.device, "run_environment_variables", {}))
    cmd = b2.prefs.devices.cpp_standalone.run_cmd_unix
    cmd = [cmd] if isinstance(cmd, str) else list(cmd)
    info = os.path.join(built.build_dir, "results", "last_run_info.txt")
    if os.path.exists(info):
        os.remove(info)
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, cwd=built.build_dir, env=env, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, check=False)
    process_s = time.perf_counter() - t0
    if proc.returncode != 0:
        tail = proc.stdout.decode(errors="replace").strip().splitlines()[-5:]
        raise RuntimeError(f"{' '.join(cmd)} in {built.build_dir} exited with "
                           f"{proc.returncode}: {' | '.join(tail)}")
    try:
        with open(info, encoding="utf-8") as f:
            run_time, completed = (float(x) for x in f.read().split())
    except (OSError, ValueError) as err:
        raise RuntimeError(f"{info}: cannot read the loop time ({err})") from None
    if completed < 1.0:
        raise RuntimeError(f"{info}: run completed only {completed:.3f} of the duration")
    return process_s, run_time


def read_spikes(built: Built, dt: float) -> tuple[np.ndarray, np.ndarray]:
    """The last run's spikes as (global index, step), int32, sorted by step then index."""

    def load(name):
        var = built.monitor.variables[name]
        path = os.path.join(built.build_dir, built.device.get_array_filename(var))
        return np.fromfile(path, dtype=var.dtype)

    index = load("i").astype(np.int32)
    times = load("t")
    if len(index) != len(times):
        raise RuntimeError(f"spike monitor files disagree: {len(index)} indices, "
                           f"{len(times)} times")
    step = np.rint(times / dt).astype(np.int32)
    order = np.lexsort((index, step))
    return index[order], step[order]


# --------------------------------------------------------------------------


def parse_args(argv):
    ap = argparse.ArgumentParser(
        description="Build a network directory as a Brian2 C++ standalone project, run the "
                    "binary several times and record timings and spikes under DIR/brian2/.")
    ap.add_argument("dir", metavar="DIR", help="network directory holding network.json")
    ap.add_argument("--repeats", type=int, default=5, metavar="R",
                    help="runs of the compiled binary (default 5)")
    ap.add_argument("--threads", type=int, default=1, metavar="N",
                    help="OpenMP threads; 1 (default) builds without OpenMP")
    ap.add_argument("--workdir", metavar="W",
                    help="build directory for the standalone project (default DIR/brian2/build)")
    args = ap.parse_args(argv)
    if args.repeats < 1:
        ap.error("--repeats must be >= 1")
    if args.threads < 1:
        ap.error("--threads must be >= 1")
    return args


def main(argv=None) -> int:
    args = parse_args(argv)
    try:
        net = load_network(args.dir)
    except NetworkError as err:
        print(f"brian2_run: {err}", file=sys.stderr)
        return 2

    out_dir = os.path.join(args.dir, RESULT_SUBDIR)
    build_dir = os.path.abspath(args.workdir or os.path.join(out_dir, "build"))
    os.makedirs(out_dir, exist_ok=True)
    try:
        built = build(net, build_dir, args.threads)
        process_s, loop_s = [], []
        for _ in range(args.repeats):
            p, l = run_binary(built)
            process_s.append(p)
            loop_s.append(l)
        index, step = read_spikes(built, net.dt)
    except Exception as err:  # Brian2 raises many kinds; report one line
        print(f"brian2_run: {net.name}: {type(err).__name__}: {err}", file=sys.stderr)
        return 1

    b2 = _import_brian2()
    result = {
        "network": net.name,
        "neurons": net.size,
        "synapses": int(sum(len(p.pre) for p in net.projections)),
        "dt": net.dt,
        "duration": net.duration,
        "method": built.method,
        "setup_s": built.setup_s,
        "compile_s": built.compile_s,
        "loop_s": loop_s,
        "process_s": process_s,
        "threads": args.threads,
        "spikes": int(len(index)),
        "brian2_version": b2.__version__,
        "build_dir": build_dir,
    }
    with open(os.path.join(out_dir, "result.json"), "w", encoding="utf-8") as f:
        json.dump(result, f, indent=2)
        f.write("\n")
    np.save(os.path.join(out_dir, "spikes_index.npy"), index)
    np.save(os.path.join(out_dir, "spikes_step.npy"), step)
    rate = len(index) / net.size / net.duration
    print(f"brian2_run: {net.name}: {net.size} neurons, method {built.method}, "
          f"compile {built.compile_s:.2f} s, loop median {statistics.median(loop_s):.4f} s "
          f"(min {min(loop_s):.4f}, max {max(loop_s):.4f}; {args.repeats} runs), "
          f"process median {statistics.median(process_s):.4f} s, "
          f"{len(index)} spikes ({rate:.2f} Hz)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
