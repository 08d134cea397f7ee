"""pyNN.snnc side by side with pyNN.brian2 on the same PyNN scripts.

compare.py [--networks ei,poisson,ei_lists] [--sizes 1000] [--simulators snnc,brian2]
           [--check] [--out DIR]

Runs networks.py once per simulator, network and size, each in a fresh
process (so the whole-script time includes imports, building, compiling or
code generation, the run and reading the data back), prints a table and
writes it with the raw JSON lines to DIR. With --check, the mean rate must
agree within RATE_TOL (relative) and the mean ISI CV within CV_TOL
(absolute) between the two simulators, else the exit status is 1; 77
(ctest's skip) when pyNN.brian2 cannot be imported.
"""

import argparse
import json
import os
import subprocess
import sys

# Bounds on |snnc - Brian2| / Brian2 of the mean rate, per network. ei and
# poisson draw their synapses and Poisson spikes with each simulator's own
# generators, so the two run different realizations: at 1,000 cells the ei
# rate spans 13.4-16.5 Hz over five Brian2 seeds and 13.7-18.4 Hz over six
# snnc seeds (docs/pynn.md), hence 30 %. ei_lists gives both the same
# synapses and input spikes, so its bound is tight: 5 %.
RATE_TOL = {"ei": 0.30, "poisson": 0.10, "ei_lists": 0.05}
CV_TOL = 0.10
HERE = os.path.dirname(os.path.abspath(__file__))


def run(simulator, network, n, extra):
    cmd = [sys.executable, os.path.join(HERE, "networks.py"), simulator, network, str(n), *extra]
    out = subprocess.run(cmd, capture_output=True, text=True)
    if out.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--networks", default="ei,poisson,ei_lists")
    parser.add_argument("--sizes", default="1000")
    parser.add_argument("--simulators", default="snnc,brian2")
    parser.add_argument("--time", default="1000")
    parser.add_argument("--check", action="store_true")
    parser.add_argument("--out", default=None)
    args = parser.parse_args()
    simulators = args.simulators.split(",")
    if "brian2" in simulators:
        try:
            import pyNN.brian2  # noqa: F401
        except ImportError as err:
            print(f"SKIP: pyNN.brian2 cannot be imported ({err}); Debian: python3-brian")
            return 77
    rows, failures = [], []
    for network in args.networks.split(","):
        for n in (int(s) for s in args.sizes.split(",")):
            results = {s: run(s, network, n, ["--time", args.time]) for s in simulators}
            rows.extend(results.values())
            for r in results.values():
                print(f"{network:8s} {n:7d} {r['simulator']:7s} rate {r['rate_hz']:7.2f} Hz  "
                      f"CV {r['isi_cv']:5.2f}  build {r['build_s']:8.2f} s  "
                      f"run {r['run_s']:8.2f} s  script {r['script_s']:8.2f} s", flush=True)
            if args.check and {"snnc", "brian2"} <= set(results):
                a, b = results["snnc"], results["brian2"]
                rate = abs(a["rate_hz"] - b["rate_hz"]) / b["rate_hz"]
                cv = abs(a["isi_cv"] - b["isi_cv"])
                tol = RATE_TOL[network]
                verdict = "ok" if rate <= tol and cv <= CV_TOL else "DIFFERENT"
                print(f"{network} {n}: rates differ by {100 * rate:.1f} % (bound "
                      f"{100 * tol:.0f} %), ISI CVs by {cv:.3f} (bound {CV_TOL}): {verdict}")
                if verdict != "ok":
                    failures.append(f"{network} {n}")
                print(f"{network} {n}: whole script {b['script_s'] / a['script_s']:.1f}x "
                      "faster on snnc")
    if args.out:
        os.makedirs(args.out, exist_ok=True)
        with open(os.path.join(args.out, "results.jsonl"), "w") as f:
            f.writelines(json.dumps(r) + "\n" for r in rows)
    if failures:
        print("statistics differ beyond the bounds for: " + ", ".join(failures))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
