"""Runs the PyNN 0.10.1 unit tests that take the simulator as a parameter
(`def test_x(self, sim=sim)`) with sim = pyNN.snnc.

run_unittests.py PYNN_DIR [--verbose]. The tests were written against
pyNN.mock; KNOWN lists those that test mock's own behaviour, or what snnc
does not have, with the reason (docs/pynn.md). Exit status 1 when another
test fails, 77 (ctest's skip) when the folder or PyNN is missing.
"""

import argparse
import importlib
import inspect
import os
import sys
import tempfile
import traceback
import unittest

SKIP = 77
MODULES = ["test_population", "test_populationview", "test_assembly", "test_projection",
           "test_simulation_control", "test_connectors_serial"]


def _tests(module):
    for _, cls in inspect.getmembers(module, inspect.isclass):
        if cls.__module__ != module.__name__:
            continue
        for name, fn in inspect.getmembers(cls, inspect.isfunction):
            if name.startswith("test") and "sim" in inspect.signature(fn).parameters:
                yield cls, name


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pynn_dir")
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args()
    root = os.path.join(args.pynn_dir, "test")
    if not os.path.isdir(os.path.join(root, "unittests")):
        print(f"SKIP: no PyNN test suite at {args.pynn_dir}")
        return SKIP
    try:
        import pyNN  # noqa: F401
    except ImportError:
        print("SKIP: python3-pynn is not installed (tools/setup.sh installs it)")
        return SKIP
    import snnc_pynn_path  # noqa: F401
    import pyNN.snnc as sim
    from known_failures import KNOWN
    sys.path.insert(0, root)
    from pyNN.snnc import ModelNotSupportedError
    results = {"passed": 0, "known": 0, "no model": 0, "skipped": 0, "failed": []}
    for module_name in MODULES:
        module = importlib.import_module(f"unittests.{module_name}")
        for cls, name in _tests(module):
            test = cls(name)
            key = f"{module_name}.{cls.__name__}.{name}"
            try:
                if "sim" in inspect.signature(test.setUp).parameters:
                    test.setUp(sim=sim)
                else:
                    test.setUp()
                getattr(test, name)(sim=sim)
            except unittest.SkipTest as err:
                results["skipped"] += 1
                print(f"skipped {key}: {err}")
            except ModelNotSupportedError as err:
                # the test needs a model snnc does not have: the refusal is the answer
                results["no model"] += 1
                if args.verbose:
                    print(f"no model: {key}: {err}")
            except Exception:
                if key in KNOWN or f"{module_name}.{cls.__name__}" in KNOWN:
                    results["known"] += 1
                    continue
                results["failed"].append(key)
                print(f"FAILED {key}")
                if args.verbose:
                    traceback.print_exc(limit=4)
            else:
                results["passed"] += 1
                if key in KNOWN:
                    print(f"note: {key} passes now; remove it from known_failures.py")
    print(f"{results['passed']} passed, {results['no model']} need a model snnc does not "
          f"have, {results['skipped']} skipped, {results['known']} known failures, "
          f"{len(results['failed'])} failed")
    return 1 if results["failed"] else 0


if __name__ == "__main__":
    sys.exit(main())
