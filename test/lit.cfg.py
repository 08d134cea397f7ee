import os
import lit.formats
from lit.llvm import llvm_config

config.name = "snnc"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir", ".test"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = config.snnc_test_exec_root
config.excludes = ["CMakeLists.txt", "lit.cfg.py", "lit.site.cfg.py", "unit", "tools", "bench",
                   "Inputs"]
llvm_config.use_default_substitutions()
llvm_config.with_environment("PATH", config.llvm_tools_dir, append_path=True)
llvm_config.add_tool_substitutions(
    ["snn-opt", "snnc", "snn-run", "nir-fixture", "onnx-fixture", "npy-fixture",
     "embed_runtime"],
    [config.snnc_tools_dir])
# The benchmark networks' generator (test/bench), for the ReceptorLIF tests.
llvm_config.add_tool_substitutions(
    ["network-bench"], [os.path.join(config.snnc_test_exec_root, "bench")])
config.substitutions.append(("%nir_corpus", os.path.join(config.snnc_external_data, "nir")))
if os.path.isdir(os.path.join(config.snnc_external_data, "nir")):
    config.available_features.add("nir-corpus")
config.substitutions.append(("%onnx_corpus", os.path.join(config.snnc_external_data, "onnx")))
if os.path.isdir(os.path.join(config.snnc_external_data, "onnx")):
    config.available_features.add("onnx-corpus")
# Sanitizer builds: LLVM's dylib is not instrumented and leaks by design.
config.environment["ASAN_OPTIONS"] = "detect_leaks=0"
# NIR layout checks use Debian's python3-h5py (installed by tools/setup.sh).
import subprocess
if subprocess.call(["/usr/bin/python3", "-c", "import h5py"],
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) == 0:
    config.available_features.add("h5py")
    config.substitutions.append(("%{python_h5py}", "/usr/bin/python3"))
# A machine with an NVIDIA GPU (the cuda backend then runs instead of
# refusing).
try:
    if b"GPU" in subprocess.run(["nvidia-smi", "-L"], capture_output=True,
                                timeout=20).stdout:
        config.available_features.add("gpu-device")
except (OSError, subprocess.SubprocessError):
    pass
# Checks that read .npy files use Debian's python3 with python3-numpy (in
# tools/setup.sh), whatever python3 runs lit itself.
config.substitutions.append(("%snnc_python", "/usr/bin/python3"))
