//===- snnc.cpp - The snnc compiler driver
//-----------------------------------===//
//
// snnc MODEL.nir|MODEL.onnx|MODEL.mlir -o OUT.snnb [--dt S] [--profile P]
//      [--reset R] [--mode float|fixed] [--emit snnb|mlir|nmc|nir]
//      [--report [text|json]] [--target NAME|FILE.json]
//      ...
// snnc MODEL.onnx -o OUT.snnb --convert [--calibration FILE.npy]
//      [--norm max|p99.9] [--readout membrane|count] [--timesteps T] ...
// A thin main: the options go to snnc::driver::compile (compiler/driver),
// which the Python bindings call too; this file writes what it returns.
//
//===----------------------------------------------------------------------===//
#include "compiler/driver/Driver.h"

#include "mlir/Support/FileUtilities.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/raw_ostream.h"

#include <CLI/CLI.hpp>

namespace {

// Where the driver's result goes: the artifact and NIR files are written by
// name (through a temporary file), IR to -o or stdout.
int write(const snnc::driver::Options &o, const snnc::driver::Result &r) {
  std::string err;
  if (o.emit == "snnb") {
    if (!snnc::writeFileAtomically(o.output, r.artifact, err)) {
      llvm::errs() << "snnc: error: " << err << "\n";
      return 1;
    }
    return 0;
  }
  if (o.emit == "nir")
    return 0; // the driver exported it
  auto out = mlir::openOutputFile(o.output, &err);
  if (!out) {
    llvm::errs() << o.output << ": error: " << err << "\n";
    return 1;
  }
  out->os() << r.ir;
  out->keep();
  return 0;
}

} // namespace

int main(int argc, char **argv) {
  snnc::driver::Options o;
  o.output = "-";
  o.emit.clear();
  std::string reportFormat;
  CLI::App app{"snnc: compile spiking networks (NIR, snn dialect IR)"};
  app.add_option("model", o.input, "MODEL.nir, MODEL.onnx or MODEL.mlir")
      ->required();
  app.add_option("-o,--output", o.output, "output file ('-' = stdout)");
  app.add_option("--emit", o.emit,
                 "what to write: snnb (compiled artifact), mlir (snn dialect "
                 "IR), nmc (the nmc dialect program the artifact is written "
                 "from) or nir; default: from -o's extension, else mlir")
      ->check(CLI::IsMember({"mlir", "nmc", "nir", "snnb"}));
  auto *dt = app.add_option("--dt", o.compile.dt,
                            "time step in seconds (default 1e-4)");
  auto *profile = app.add_option(
      "--profile", o.compile.profile,
      "discretization profile: exact (default), euler, snntorch, norse, "
      "sinabs, rockpool, lava, spinnaker2, lava-dl, spyx");
  auto *reset = app.add_option("--reset", o.compile.reset,
                               "override the profile's reset rule")
                    ->check(CLI::IsMember({"zero", "subtract"}));
  app.add_option("--mode", o.mode, "numeric mode of the artifact")
      ->check(CLI::IsMember({"float", "fixed"}));
  app.add_option(
         "--expand-connectivity", o.expand,
         "where snn.connect rules become synapses: compile (in the "
         "artifact), load (the runtime expands the rule), or auto "
         "(compile up to 2^20 synapses per projection, the rest at load)")
      ->check(CLI::IsMember({"auto", "compile", "load"}));
  app.add_option("--memory-budget", o.memoryBudgetMiB,
                 "MiB the compile-time expansion of one projection may use "
                 "(default 8192); a larger one is refused, naming its size");
  app.add_option("--report", reportFormat,
                 "print what was compiled (nodes, neurons, weights, cycles; "
                 "with --target the mapping: per-core utilization, routing "
                 "entries, estimated operations and energy per step) to "
                 "stderr; --report json writes it as JSON to stdout")
      ->expected(0, 1)
      ->default_str("text")
      ->check(CLI::IsMember({"text", "json"}));
  app.add_option("--target", o.target,
                 "map onto a target: a preset (loihi-like, spinnaker-like, "
                 "snncore) or a description file (docs/targets.md); a "
                 "network that breaks its limits is refused with every "
                 "violation listed");
  app.add_flag("--locations", o.locations,
               "print each op's location (NIR file and node path)");
  app.add_flag("--nir-repair-edges", o.nir.repairDanglingEdges,
               "rebind edges that name a missing node to the one unreached "
               "node whose name extends it (reported)");
  app.add_flag("--nir-transpose-weights", o.nir.transposeWeights,
               "the file stores Affine/Linear weights as (in, out): "
               "transpose them all");
  app.add_option("--network-name", o.nir.networkName,
                 "symbol name of the imported network (default: file stem)");
  app.add_flag("--convert", o.convert,
               "convert an ANN (ONNX) to a spiking network: IF neurons, "
               "reset by subtraction, data-based normalization");
  std::vector<CLI::Option *> annOpts;
  annOpts.push_back(app.add_option(
      "--calibration", o.calibration,
      "samples [N, ...input shape] (.npy) that calibrate the layer scales"));
  annOpts.push_back(
      app.add_option("--norm", o.ann.norm,
                     "layer scale: max or p99.9 (default) of the non-zero "
                     "activations")
          ->check(CLI::IsMember({"max", "p99.9"})));
  annOpts.push_back(app.add_option("--timesteps", o.ann.timesteps,
                                   "time steps the report's synaptic-"
                                   "operation estimate assumes (default 32)")
                        ->check(CLI::PositiveNumber));
  annOpts.push_back(
      app.add_option("--readout", o.ann.readout,
                     "output layer: membrane (default; integrator, read its "
                     "state at the last step) or count (IF spike counts)")
          ->check(CLI::IsMember({"membrane", "count"})));
  annOpts.push_back(
      app.add_option("--input-encoding", o.ann.inputEncoding,
                     "current (default: values as input currents every step) "
                     "or rate (recorded in the report; encode inputs with "
                     "snn-run --encode)")
          ->check(CLI::IsMember({"current", "rate"})));
  annOpts.push_back(
      app.add_flag("--qcfs", o.ann.qcfs,
                   "start IF membranes at half the threshold (QCFS-style)"));
  CLI11_PARSE(app, argc, argv);
  for (CLI::Option *a : annOpts)
    o.convertOptionGiven |= a->count() > 0;
  o.discretizeRequested = dt->count() || profile->count() || reset->count();
  o.report = !reportFormat.empty();
  if (o.emit.empty()) {
    llvm::StringRef ext = llvm::sys::path::extension(o.output);
    o.emit = ext == ".snnb" ? "snnb" : ext == ".nir" ? "nir" : "mlir";
  }
  o.jsonReport = reportFormat == "json";
  snnc::driver::Result result;
  // JSON goes to stdout unless the IR does.
  llvm::raw_ostream &json = o.output == "-" ? llvm::errs() : llvm::outs();
  if (failed(snnc::driver::compile(o, result, llvm::errs(), json)))
    return 1;
  return write(o, result);
}
