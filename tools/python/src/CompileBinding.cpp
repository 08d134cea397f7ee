//===- CompileBinding.cpp - _snnc.compile over the compiler driver --------===//
//
// The raw call: options in the CLI's vocabulary, the outcome as a tuple
// (ok, artifact bytes, printed IR, diagnostics, JSON report). snnc.compile
// (snnc/_compile.py) checks the options, handles paths, text and NIRGraph
// objects, and raises snnc.CompileError with the diagnostics.
//
//===----------------------------------------------------------------------===//
#include "Bindings.h"

#include "compiler/driver/Driver.h"

#include <pybind11/stl.h>

#include <optional>

namespace snnc::python {
namespace {

py::tuple compile(const std::string &input, std::optional<std::string> text,
                  const std::string &emit, const std::string &output,
                  const py::dict &kw) {
  driver::Options o;
  o.input = input;
  o.text = std::move(text);
  o.emit = emit;
  o.output = output;
  // Each key is one CLI option (snnc --help), already checked in Python.
  for (auto [k, v] : kw) {
    const std::string key = py::cast<std::string>(k);
    if (key == "dt")
      o.compile.dt = v.cast<double>();
    else if (key == "profile")
      o.compile.profile = v.cast<std::string>();
    else if (key == "reset")
      o.compile.reset = v.cast<std::string>();
    else if (key == "mode")
      o.mode = v.cast<std::string>();
    else if (key == "expand_connectivity")
      o.expand = v.cast<std::string>();
    else if (key == "memory_budget_mib")
      o.memoryBudgetMiB = v.cast<uint64_t>();
    else if (key == "report") {
      o.report = true;
      o.jsonReport = v.cast<std::string>() == "json";
    } else if (key == "target")
      o.target = v.cast<std::string>();
    else if (key == "locations")
      o.locations = v.cast<bool>();
    else if (key == "nir_repair_edges")
      o.nir.repairDanglingEdges = v.cast<bool>();
    else if (key == "nir_transpose_weights")
      o.nir.transposeWeights = v.cast<bool>();
    else if (key == "network_name")
      o.nir.networkName = v.cast<std::string>();
    else if (key == "convert")
      o.convert = v.cast<bool>();
    else if (key == "calibration")
      o.calibration = v.cast<std::string>();
    else if (key == "norm")
      o.ann.norm = v.cast<std::string>();
    else if (key == "readout")
      o.ann.readout = v.cast<std::string>();
    else if (key == "timesteps")
      o.ann.timesteps = v.cast<int64_t>();
    else if (key == "input_encoding")
      o.ann.inputEncoding = v.cast<std::string>();
    else if (key == "qcfs")
      o.ann.qcfs = v.cast<bool>();
    else
      throw py::value_error("_snnc.compile: unknown option '" + key + "'");
    if (key == "dt" || key == "profile" || key == "reset")
      o.discretizeRequested = true;
    if (key == "calibration" || key == "norm" || key == "readout" ||
        key == "timesteps" || key == "input_encoding" || key == "qcfs")
      o.convertOptionGiven = true;
  }
  driver::Result result;
  std::string diag, json;
  bool ok;
  {
    // Compiling touches no Python object: other threads may run meanwhile.
    py::gil_scoped_release release;
    llvm::raw_string_ostream diagOs(diag), jsonOs(json);
    ok = succeeded(driver::compile(o, result, diagOs, jsonOs));
  }
  py::bytes artifact(reinterpret_cast<const char *>(result.artifact.data()),
                     result.artifact.size());
  return py::make_tuple(ok, artifact, result.ir, diag, json);
}

} // namespace

void bindCompiler(py::module_ &m) {
  m.def("compile", &compile, py::arg("input"), py::arg("text"), py::arg("emit"),
        py::arg("output"), py::arg("options"),
        "Runs the snnc driver. Returns (ok, artifact, ir, diagnostics, "
        "json_report). Use snnc.compile, which checks the options.");
}

} // namespace snnc::python
