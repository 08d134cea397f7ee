#!/usr/bin/python3
"""Runs snnc's network-bench and Brian2's C++ standalone mode on the same networks.

Usage:
  vs_brian2.py --network-bench PATH/network-bench --networks cuba,coba
               [--repeats 5] [--threads 1,2] [--out DIR] [--python /usr/bin/python3]
               [--duration S]

For each network NAME it
  1. writes the network directory OUT/NAME (net.snnb, network.json and its
     .npy arrays). With --snnc, a NAME that has a source file -- NAME.mlir
     in docs/examples/ or test/bench/networks/, or a path to a .mlir file --
     comes from the compiler: `snnc NAME.mlir -o OUT/NAME/net.snnb
     [--profile P]`, then `network-bench export OUT/NAME/net.snnb --out
     OUT/NAME [--duration S]`, which describes exactly the synapses and
     initial potentials the compiler produced. Every other NAME, and any
     NAME written as gen:NAME, is built by `network-bench generate NAME
     --out OUT/NAME [--duration S]` (the hand-written networks);
  2. runs `network-bench run OUT/NAME --threads T --repeats R` for each T,
     which writes OUT/NAME/snnc-tT/{result.json,spikes_index.npy,spikes_step.npy};
  3. runs brian2_run.py OUT/NAME --repeats R (one thread), which writes
     OUT/NAME/brian2/{result.json,spikes_index.npy,spikes_step.npy}.

It then compares the two engines: mean firing rate and the mean coefficient
of variation of inter-spike intervals (neurons with at least 3 spikes) must
each lie within 10% of Brian2's. It prints one row per (network, engine,
threads) -- loop time per simulated second (median, min, max), median
whole-process time, rate, CV, synaptic events per wall-clock second of the
loop, Brian2's median loop time over ours, and for multi-threaded rows our
1-thread median over this one -- and the build/load times separately. The
same goes to OUT/summary.json and OUT/summary.md.

Exit status: 0 when all statistics match, 1 when any check fails, 2 when a
step fails or a result is malformed.

The command lines of network-bench and snnc live in network_sources.py alone.
"""
import argparse
import json
import math
import os
import statistics
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True  # keep the source directory clean
from network_dir import Network, NetworkError, load_network  # noqa: E402
from network_sources import (StepError, bench_invocation, network_source,  # noqa: E402
                             snnc_invocation)
from spike_stats import firing_rate, isi_cv, relative_gap, synaptic_events  # noqa: E402

BRIAN2_RUN = os.path.join(HERE, "brian2_run.py")
DEFAULT_PYTHON = "/usr/bin/python3"
RATE_TOLERANCE = 0.10
CV_TOLERANCE = 0.10


# --------------------------------------------------------------------------
# Running the steps


def run_step(label: str, cmd: list[str]) -> None:
    """Runs a command, showing its output only when it fails."""
    print(f"[{label}] {' '.join(cmd)}", file=sys.stderr, flush=True)
    try:
        proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, check=False)
    except OSError as err:
        raise StepError(f"{label}: cannot run {cmd[0]} ({err.strerror})") from None
    if proc.returncode != 0:
        tail = proc.stdout.decode(errors="replace").rstrip().splitlines()[-20:]
        for line in tail:
            print(f"  | {line}", file=sys.stderr)
        raise StepError(f"{label}: {os.path.basename(cmd[0])} exited with {proc.returncode}")


def timed_step(label: str, cmd: list[str]) -> float:
    """Runs a command as run_step does; returns its wall-clock seconds."""
    start = time.perf_counter()
    run_step(label, cmd)
    return time.perf_counter() - start


@dataclass
class EngineResult:
    """One engine's runs of one network, as read back from its result directory."""
    engine: str  # "snnc" or "brian2"
    threads: int
    loop_s: list[float]
    process_s: list[float]
    setup_s: float  # snnc: median load_s; Brian2: code generation and compilation
    spikes_index: np.ndarray
    spikes_step: np.ndarray
    reported_events: int | None  # snnc's own count; None for Brian2
    method: str | None = None


def _key(doc: dict, key: str, path: str, types):
    if key not in doc:
        raise StepError(f"{path}: missing key '{key}'")
    value = doc[key]
    if isinstance(value, bool) or not isinstance(value, types):
        raise StepError(f"{path}: key '{key}' has the wrong type")
    return value


def _times(doc: dict, key: str, path: str) -> list[float]:
    values = _key(doc, key, path, list)
    if not values or not all(isinstance(v, (int, float)) and not isinstance(v, bool)
                             for v in values):
        raise StepError(f"{path}: key '{key}' must be a non-empty list of numbers")
    return [float(v) for v in values]


def read_result(result_dir: str, engine: str, net: Network) -> EngineResult:
    """Reads result.json and the spike arrays an engine wrote."""
    path = os.path.join(result_dir, "result.json")
    try:
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
    except (OSError, ValueError) as err:
        raise StepError(f"{path}: cannot read ({err})") from None
    if not isinstance(doc, dict):
        raise StepError(f"{path}: not a JSON object")
    spikes = []
    for name in ("spikes_index.npy", "spikes_step.npy"):
        npy = os.path.join(result_dir, name)
        try:
            arr = np.load(npy, allow_pickle=False)
        except (OSError, ValueError) as err:
            raise StepError(f"{npy}: cannot read ({err})") from None
        if arr.ndim != 1 or arr.dtype.kind not in "iu":
            raise StepError(f"{npy}: expected a 1-D integer array, got {arr.dtype} {arr.shape}")
        spikes.append(arr.astype(np.int64))
    index, step = spikes
    if len(index) != len(step):
        raise StepError(f"{result_dir}: {len(index)} spike indices but {len(step)} steps")
    if len(index) and (index.min() < 0 or index.max() >= net.size):
        raise StepError(f"{result_dir}/spikes_index.npy: index out of range for "
                        f"{net.size} neurons")
    count = _key(doc, "spikes", path, int)
    if count != len(index):
        print(f"warning: {path}: 'spikes' is {count} but the arrays hold {len(index)}",
              file=sys.stderr)
    if engine == "snnc":
        load = _key(doc, "load_s", path, (int, float, list))  # one per repeat, or one
        setup = statistics.median(_times(doc, "load_s", path)) if isinstance(load, list) \
            else float(load)
        reported = int(_key(doc, "synaptic_events", path, int))
        method = None
    else:
        setup = float(_key(doc, "compile_s", path, (int, float)))
        reported = None
        method = str(doc.get("method", "unknown"))
    return EngineResult(engine, int(_key(doc, "threads", path, int)), _times(doc, "loop_s", path),
                        _times(doc, "process_s", path), setup, index, step, reported, method)


# --------------------------------------------------------------------------
# Comparison


@dataclass
class Row:
    network: str
    engine: str
    threads: int
    loop_per_sim_s_median: float
    loop_per_sim_s_min: float
    loop_per_sim_s_max: float
    loop_s: list[float]
    process_s_median: float
    process_s: list[float]
    spikes: int
    rate_hz: float
    cv_isi: float
    cv_neurons: int
    synaptic_events: int
    synaptic_events_per_s: float
    speedup_vs_brian2: float | None = None
    speedup_vs_1_thread: float | None = None
    method: str | None = None


@dataclass
class Check:
    network: str
    threads: int
    quantity: str  # "rate" or "cv"
    ours: float
    brian2: float
    gap: float
    tolerance: float
    ok: bool = field(init=False)

    def __post_init__(self):
        self.ok = self.gap <= self.tolerance

    def brief(self) -> str:
        unit = " Hz" if self.quantity == "rate" else ""
        name = "rate" if self.quantity == "rate" else "CV"
        threads = f"{self.threads} thread{'s' if self.threads > 1 else ''}"
        return f"{name} {self.ours:.3g} vs {self.brian2:.3g}{unit} at {threads}"

    def describe(self) -> str:
        unit = " Hz" if self.quantity == "rate" else ""
        gap = "n/a" if math.isinf(self.gap) else f"{100 * self.gap:.1f}%"
        return (f"{self.quantity} {self.ours:.3g} vs {self.brian2:.3g}{unit}, threads "
                f"{self.threads}, off by {gap} (limit {100 * self.tolerance:.0f}%)")


def make_row(net: Network, res: EngineResult) -> Row:
    loops = [t / net.duration for t in res.loop_s]
    cv, cv_neurons = isi_cv(res.spikes_index, res.spikes_step, net.size)
    events = res.reported_events if res.reported_events is not None else \
        synaptic_events(res.spikes_index, net)
    loop_median = statistics.median(res.loop_s)
    return Row(network=net.name, engine=res.engine, threads=res.threads,
               loop_per_sim_s_median=statistics.median(loops), loop_per_sim_s_min=min(loops),
               loop_per_sim_s_max=max(loops), loop_s=res.loop_s,
               process_s_median=statistics.median(res.process_s), process_s=res.process_s,
               spikes=len(res.spikes_index), rate_hz=firing_rate(res.spikes_index, net),
               cv_isi=cv, cv_neurons=cv_neurons, synaptic_events=events,
               synaptic_events_per_s=events / loop_median if loop_median > 0 else math.inf,
               method=res.method)


def compare(net: Network, brian2: EngineResult, ours: list[EngineResult]):
    """Rows (Brian2's first) and statistical checks for one network."""
    ref = make_row(net, brian2)
    rows = [ref]
    checks = []
    one_thread = None
    for res in ours:
        row = make_row(net, res)
        computed = synaptic_events(res.spikes_index, net)
        if computed != row.synaptic_events:
            print(f"warning: {net.name} threads {res.threads}: network-bench reports "
                  f"{row.synaptic_events} synaptic events, its spikes give {computed}",
                  file=sys.stderr)
        row.speedup_vs_brian2 = _ratio(ref.loop_per_sim_s_median, row.loop_per_sim_s_median)
        if res.threads == 1:
            one_thread = row
        rows.append(row)
        checks.append(Check(net.name, res.threads, "rate", row.rate_hz, ref.rate_hz,
                            relative_gap(row.rate_hz, ref.rate_hz), RATE_TOLERANCE))
        checks.append(Check(net.name, res.threads, "cv", row.cv_isi, ref.cv_isi,
                            relative_gap(row.cv_isi, ref.cv_isi), CV_TOLERANCE))
    if one_thread is not None:
        for row in rows[1:]:
            if row.threads > 1:
                row.speedup_vs_1_thread = _ratio(one_thread.loop_per_sim_s_median,
                                                 row.loop_per_sim_s_median)
    return rows, checks


def _ratio(a: float, b: float) -> float | None:
    return a / b if b > 0 else None


# --------------------------------------------------------------------------
# Output


COLUMNS = ["network", "engine", "threads", "loop s/sim s (min-max)", "process s",
           "rate Hz", "CV ISI", "syn events/s", "vs Brian2", "vs 1 thread"]


def _fmt(x: float | None, spec: str) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "-"
    return format(x, spec)


def row_cells(row: Row) -> list[str]:
    engine = row.engine if row.method is None else f"{row.engine} ({row.method})"
    return [row.network, engine, str(row.threads),
            f"{row.loop_per_sim_s_median:.4f} ({row.loop_per_sim_s_min:.4f}-"
            f"{row.loop_per_sim_s_max:.4f})",
            f"{row.process_s_median:.3f}", f"{row.rate_hz:.2f}", _fmt(row.cv_isi, ".3f"),
            f"{row.synaptic_events_per_s:.3g}",
            _fmt(row.speedup_vs_brian2, ".2f") + ("x" if row.speedup_vs_brian2 else ""),
            _fmt(row.speedup_vs_1_thread, ".2f") + ("x" if row.speedup_vs_1_thread else "")]


def text_table(rows: list[Row]) -> str:
    cells = [COLUMNS] + [row_cells(r) for r in rows]
    widths = [max(len(c[k]) for c in cells) for k in range(len(COLUMNS))]
    lines = []
    for n, line in enumerate(cells):
        lines.append("  ".join(c.ljust(w) if k < 2 else c.rjust(w)
                               for k, (c, w) in enumerate(zip(line, widths))).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def markdown(rows: list[Row], setup_lines: list[str], verdict: str, failed: list[Check]) -> str:
    out = ["# snnc vs Brian2 (C++ standalone)", "",
           "Loop times are per simulated second; 'vs Brian2' is Brian2's median loop time "
           "over ours, 'vs 1 thread' our 1-thread median over this row's.", "",
           "| " + " | ".join(COLUMNS) + " |",
           "|" + "|".join("---" if k < 2 else "---:" for k in range(len(COLUMNS))) + "|"]
    out += ["| " + " | ".join(row_cells(r)) + " |" for r in rows]
    out += ["", "## Build and load times", ""] + [f"- {line}" for line in setup_lines]
    out += ["", "## Statistics", ""]
    out += [f"- MISMATCH {c.network}: {c.describe()}" for c in failed] or \
        [f"- rate and CV of ISI within {100 * RATE_TOLERANCE:.0f}% / "
         f"{100 * CV_TOLERANCE:.0f}% of Brian2's on every row"]
    out += ["", verdict, ""]
    return "\n".join(out)


def _json_safe(x):
    if isinstance(x, float) and not math.isfinite(x):
        return None
    if isinstance(x, dict):
        return {k: _json_safe(v) for k, v in x.items()}
    if isinstance(x, list):
        return [_json_safe(v) for v in x]
    return x


# --------------------------------------------------------------------------


def parse_args(argv):
    ap = argparse.ArgumentParser(
        description="Run snnc's network-bench and Brian2's C++ standalone mode side by side, "
                    "compare spike statistics and timings.")
    ap.add_argument("--network-bench", required=True, metavar="PATH",
                    help="the network-bench executable")
    ap.add_argument("--networks", default="cuba,coba", metavar="LIST",
                    help="comma-separated networks (default cuba,coba): with --snnc, a name "
                         "with a .mlir source (docs/examples, test/bench/networks) or a .mlir "
                         "path is compiled; other names, and gen:NAME, are generated by "
                         "network-bench")
    ap.add_argument("--snnc", metavar="PATH",
                    help="the snnc compiler; without it every network is generated by "
                         "network-bench (the hand-written ones)")
    ap.add_argument("--repeats", type=int, default=5, metavar="R",
                    help="timed runs per engine and thread count (default 5)")
    ap.add_argument("--threads", default="1,2", metavar="LIST",
                    help="comma-separated thread counts for snnc (default 1,2); "
                         "Brian2 runs on one thread")
    ap.add_argument("--out", default="vs-brian2", metavar="DIR",
                    help="output directory (default ./vs-brian2)")
    ap.add_argument("--python", default=DEFAULT_PYTHON, metavar="EXE",
                    help=f"Python with Brian2 for brian2_run.py (default {DEFAULT_PYTHON})")
    ap.add_argument("--duration", type=float, metavar="S",
                    help="simulated seconds (default: network-bench's choice)")
    ap.add_argument("--skip-without-brian2", action="store_true",
                    help="exit 77 (a skipped test) with the reason when Brian2 is missing")
    args = ap.parse_args(argv)
    args.networks = [n for n in args.networks.split(",") if n]
    try:
        args.threads = sorted({int(t) for t in args.threads.split(",") if t})
    except ValueError:
        ap.error("--threads takes comma-separated integers")
    if not args.networks:
        ap.error("--networks is empty")
    if not args.threads or min(args.threads) < 1:
        ap.error("--threads takes positive integers")
    if args.repeats < 1:
        ap.error("--repeats must be >= 1")
    if args.duration is not None and args.duration <= 0:
        ap.error("--duration must be > 0")
    return args


def bench_one(args, name: str):
    """Writes and runs one network on both engines; returns (net, rows, checks, setup)."""
    label, mlir = network_source(name, args.snnc)
    net_dir = os.path.join(args.out, label.replace(":", "_"))
    if mlir is None:
        cmd, _ = bench_invocation(args.network_bench, "generate", net_dir,
                                  name=name.removeprefix("gen:"), duration=args.duration)
        run_step(f"{label} generate", cmd)
    else:
        os.makedirs(net_dir, exist_ok=True)
        run_step(f"{label} snnc", snnc_invocation(args.snnc, mlir, label, net_dir))
        cmd, _ = bench_invocation(args.network_bench, "export", net_dir,
                                  duration=args.duration)
        run_step(f"{label} export", cmd)
    name = label
    try:
        net = load_network(net_dir)
    except NetworkError as err:
        raise StepError(str(err)) from None
    net.name = label  # gen:cuba and the compiled cuba side by side
    ours = []
    for threads in args.threads:
        # Whole processes first, timed from outside as Brian2's binary is
        # (each writes the result directory; the timed run below rewrites it).
        cmd, _ = bench_invocation(args.network_bench, "run", net_dir,
                                  threads=threads, repeats=1)
        process = [timed_step(f"{name} snnc t{threads} process", cmd)
                   for _ in range(args.repeats)]
        cmd, result_dir = bench_invocation(args.network_bench, "run", net_dir,
                                           threads=threads, repeats=args.repeats)
        run_step(f"{name} snnc t{threads}", cmd)
        result = read_result(result_dir, "snnc", net)
        result.process_s = process
        ours.append(result)
    run_step(f"{name} brian2", [args.python, BRIAN2_RUN, net_dir, "--repeats",
                                str(args.repeats), "--threads", "1"])
    brian2 = read_result(os.path.join(net_dir, "brian2"), "brian2", net)
    rows, checks = compare(net, brian2, ours)
    loads = ", ".join(f"{r.setup_s:.4f} s ({r.threads} thread{'s' if r.threads > 1 else ''})"
                      for r in ours)
    setup = (f"{name}: Brian2 code generation + compile {brian2.setup_s:.2f} s "
             f"(method {brian2.method}); snnc load {loads}")
    return net, rows, checks, setup


def brian2_missing(python: str) -> str | None:
    """Why `python` cannot run Brian2, or None when it can."""
    try:
        proc = subprocess.run([python, "-c", "import brian2"], stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, check=False)
    except OSError as err:
        return f"cannot run {python} ({err.strerror})"
    if proc.returncode != 0:
        lines = proc.stderr.decode(errors="replace").strip().splitlines()
        return f"{python} cannot import brian2 ({lines[-1] if lines else 'no message'}); " \
               "install Debian's python3-brian"
    return None


def main(argv=None) -> int:
    args = parse_args(argv)
    if args.skip_without_brian2:
        why = brian2_missing(args.python)
        if why:
            print(f"vs-brian2: skipped: {why}")
            return 77
    os.makedirs(args.out, exist_ok=True)
    nets, rows, checks, setup = [], [], [], []
    try:
        for name in args.networks:
            net, r, c, s = bench_one(args, name)
            nets.append(net)
            rows += r
            checks += c
            setup.append(s)
    except StepError as err:
        print(f"vs-brian2: {err}", file=sys.stderr)
        return 2

    failed = [c for c in checks if not c.ok]
    head = (f"vs-brian2: {len(nets)} network{'s' if len(nets) != 1 else ''}, "
            f"{len(rows)} runs, ")
    if failed:
        worst: dict[tuple[str, str], Check] = {}
        for c in failed:
            key = (c.network, c.quantity)
            if key not in worst or c.gap > worst[key].gap:
                worst[key] = c
        by_net: dict[str, list[str]] = {}
        for (network, _), c in worst.items():
            by_net.setdefault(network, []).append(c.brief())
        verdict = head + "MISMATCH in " + "; ".join(f"{n} ({', '.join(d)})"
                                                      for n, d in by_net.items())
    else:
        verdict = head + "statistics match"

    print()
    print(text_table(rows))
    print()
    for line in setup:
        print(f"compile time  {line}")
    for c in failed:
        print(f"MISMATCH {c.network}: {c.describe()}")

    summary = {
        "networks": [{"name": n.name, "neurons": n.size, "dt": n.dt, "duration": n.duration,
                      "synapses": int(sum(len(p.pre) for p in n.projections))} for n in nets],
        "rows": [asdict(r) for r in rows],
        "compile": setup,
        "checks": [asdict(c) for c in checks],
        "tolerance": {"rate": RATE_TOLERANCE, "cv": CV_TOLERANCE},
        "ok": not failed,
        "verdict": verdict,
    }
    with open(os.path.join(args.out, "summary.json"), "w", encoding="utf-8") as f:
        json.dump(_json_safe(summary), f, indent=2)
        f.write("\n")
    with open(os.path.join(args.out, "summary.md"), "w", encoding="utf-8") as f:
        f.write(markdown(rows, setup, verdict, failed))
    print(verdict)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
