"""Runs PyNN 0.10.1's system-test scenarios against pyNN.snnc.

The scenarios are read from the PyNN release in the shared data folder
(never copied into the project): run_scenarios.py PYNN_DIR [--only a,b]
[--skip a,b] [--list]. PYNN_DIR is the folder holding test/system.
A scenario passes, fails (exit status 1), or is excluded with the reason
below (docs/pynn.md keeps the same table). Exit status 77 (ctest's skip)
when the folder or one of PyNN, Neo or nose is missing, with the reason.
"""

import argparse
import os
import sys
import tempfile
import time
import traceback

SKIP = 77

# scenario -> why snnc cannot run it (docs/pynn.md, "Scenario results")
EXCLUDED = {
    "test_EIF_cond_alpha_isfa_ista": "EIF_cond_alpha_isfa_ista: no adaptive exponential neuron",
    "test_HH_cond_exp": "HH_cond_exp: no Hodgkin-Huxley neuron",
    "issue367": "EIF_cond_exp_isfa_ista: no adaptive exponential neuron",
    "test_SpikeSourceGamma": "SpikeSourceGamma: no gamma-process source",
    "test_SpikeSourcePoissonRefractory": "SpikeSourcePoissonRefractory: no dead-time Poisson source",
    "all_to_all_tsodyksmarkram": "TsodyksMarkramSynapse: snnc's synapses are static",
    "test_simple_stochastic_synapse": "SimpleStochasticSynapse: no stochastic synapses",
    "scenario3": "STDPMechanism: snnc's synapses are static (no plasticity)",
    "scenario4": "EIF_cond_exp_isfa_ista and TsodyksMarkramSynapse: neither exists in snnc",
    "scenario1a": "IF_cond_alpha: snnc's conductances are exponential (IF_cond_exp)",
    "test_record_vm_and_gsyn_from_assembly": "EIF_cond_exp_isfa_ista: no adaptive exponential neuron",
    "issue505": "TsodyksMarkramSynapse: snnc's synapses are static",
    "fixed_number_pre_with_replacement_heterogeneous_parameters":
        "TsodyksMarkramSynapse: snnc's synapses are static",
    "fixed_number_post_with_replacement_heterogeneous_parameters":
        "TsodyksMarkramSynapse: snnc's synapses are static",
    "test_set_synaptic_parameters_fully_connected": "TsodyksMarkramSynapse: snnc's synapses are static",
    "test_set_synaptic_parameters_partially_connected": "TsodyksMarkramSynapse: snnc's synapses are static",
    "test_set_synaptic_parameters_multiply_connected": "TsodyksMarkramSynapse: snnc's synapses are static",
    "issue652": "STDPMechanism: snnc's synapses are static (no plasticity)",
    "issue259": "spike times off the time grid: snnc runs on a fixed step, as Brian2 (also excluded there)",
}


def _setup_paths(pynn_dir):
    stub = tempfile.mkdtemp(prefix="pynn-testconfig-")
    with open(os.path.join(stub, "testconfig.py"), "w") as f:
        f.write("config = {}\n")
    sys.path.insert(0, stub)
    sys.path.insert(0, os.path.join(pynn_dir, "test", "system"))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pynn_dir")
    parser.add_argument("--only", default="")
    parser.add_argument("--skip", default="")
    parser.add_argument("--list", action="store_true")
    args = parser.parse_args()
    if not os.path.isdir(os.path.join(args.pynn_dir, "test", "system", "scenarios")):
        print(f"SKIP: no PyNN test suite at {args.pynn_dir} (the shared data folder "
              "holds it; see docs/pynn.md)")
        return SKIP
    try:
        import nose.tools  # noqa: F401  (the scenarios assert with it)
        import neo  # noqa: F401
        import pyNN  # noqa: F401
    except ImportError as err:
        print(f"SKIP: {err.name} is not installed (tools/setup.sh installs python3-pynn, "
              "python3-neo and python3-nose)")
        return SKIP
    import snnc_pynn_path  # noqa: F401  (makes pyNN.snnc importable from the build tree)
    import pyNN.snnc as sim
    _setup_paths(args.pynn_dir)
    from scenarios.registry import registry
    only = set(filter(None, args.only.split(",")))
    skip = set(filter(None, args.skip.split(",")))
    results = {"passed": [], "failed": [], "excluded": []}
    started = time.time()
    for scenario in registry:
        name = scenario.__name__
        if (only and name not in only) or name in skip:
            continue
        if args.list:
            print(name)
            continue
        if name in EXCLUDED:
            print(f"EXCLUDED {name}: {EXCLUDED[name]}")
            results["excluded"].append(name)
            continue
        t0 = time.time()
        try:
            scenario(sim)
        except Exception:
            print(f"FAILED {name} ({time.time() - t0:.1f} s)")
            traceback.print_exc(limit=6)
            results["failed"].append(name)
        else:
            print(f"passed {name} ({time.time() - t0:.1f} s)")
            results["passed"].append(name)
    print(f"{len(results['passed'])} passed, {len(results['failed'])} failed, "
          f"{len(results['excluded'])} excluded in {time.time() - started:.0f} s")
    return 1 if results["failed"] else 0


if __name__ == "__main__":
    sys.exit(main())
