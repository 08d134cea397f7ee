//===- snnc.cpp - The snnc compiler driver
//-----------------------------------===//
//
// snnc MODEL.nir|MODEL.onnx|MODEL.mlir -o OUT.snnb [--dt S] [--profile P]
//      [--reset R] [--mode float|fixed] [--emit snnb|mlir|nmc|nir]
//      [--report [text|json]] [--target NAME|FILE.json]
//      ...
// snnc MODEL.onnx -o OUT.snnb --convert [--calibration FILE.npy]
//      [--norm max|p99.9] [--readout membrane|count] [--timesteps T] ...
// A thin main: the work happens in the compiler libraries.
//
//===----------------------------------------------------------------------===//
#include "compiler/analysis/NetworkSummary.h"
#include "compiler/ann/ConvertAnn.h"
#include "compiler/import/NirImport.h"
#include "compiler/lower/NmcConvert.h"
#include "compiler/lower/NmcQuantize.h"
#include "compiler/lower/Pipeline.h"
#include "compiler/onnx/OnnxImport.h"
#include "dialects/nmc/IR/NMCDialect.h"
#include "dialects/snn/IR/SNNDialect.h"
#include "mapping/NmcMapping.h"
#include "snnc/runtime/Npy.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/AsmState.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/raw_ostream.h"

#include <CLI/CLI.hpp>

using namespace mlir;

namespace {

struct Options {
  std::string input;
  std::string output = "-";
  std::string emit; // default: from the output's extension
  std::string mode = "float";
  std::string expand = "auto";
  uint64_t memoryBudgetMiB = 8192;
  bool report = false;
  std::string reportFormat; // "" (none), "text" or "json"
  std::string target;       // --target: preset or file; empty: unmapped
  bool locations = false;
  bool discretizeRequested = false; // --dt, --profile or --reset given
  snnc::NirImportOptions nir;
  snnc::CompileOptions compile;
  bool convert = false;
  bool convertOptionGiven = false; // any ANN-conversion option
  std::string calibration;
  snnc::ann::ConvertOptions ann;
};

// Diagnostics from NIR files point at a node, not at a line: print
// "FILE: error: message" (the message names the node).
void printDiagnostic(Diagnostic &d) {
  std::string where;
  d.getLocation()->walk([&](Location l) {
    if (auto f = dyn_cast<FileLineColLoc>(l)) {
      where = f.getFilename().str();
      if (f.getLine() > 0)
        where += ":" + std::to_string(f.getLine()) + ":" +
                 std::to_string(f.getColumn());
      return WalkResult::interrupt();
    }
    return WalkResult::advance();
  });
  const char *sev = d.getSeverity() == DiagnosticSeverity::Error     ? "error"
                    : d.getSeverity() == DiagnosticSeverity::Warning ? "warning"
                    : d.getSeverity() == DiagnosticSeverity::Remark  ? "remark"
                                                                     : "note";
  llvm::errs() << (where.empty() ? "snnc" : where) << ": " << sev << ": "
               << d.str() << "\n";
  for (Diagnostic &n : d.getNotes())
    printDiagnostic(n);
}

OwningOpRef<ModuleOp> load(const Options &o, MLIRContext &ctx,
                           llvm::SourceMgr &sm) {
  StringRef ext = llvm::sys::path::extension(o.input);
  if (ext == ".mlir") {
    return parseSourceFile<ModuleOp>(o.input, sm, ParserConfig(&ctx));
  }
  if (ext == ".nir" || ext == ".h5" || ext == ".hdf5")
    return snnc::importNirFile(o.input, &ctx, o.nir);
  if (ext == ".onnx")
    return snnc::importOnnxFile(o.input, &ctx);
  emitError(FileLineColLoc::get(&ctx, o.input, 0, 0))
      << "unknown input format '" << ext
      << "': expected a NIR file (.nir), an ONNX model (.onnx) or snn dialect "
         "IR (.mlir)";
  return nullptr;
}

int printModule(ModuleOp module, const Options &o);

int run(const Options &o) {
  MLIRContext ctx;
  // The conversion reports errors at whole functions; dumping one as
  // "see current operation" buries the message.
  ctx.printOpOnDiagnostic(false);
  ctx.loadDialect<snnc::snn::SNNDialect, snnc::nmc::NMCDialect,
                  func::FuncDialect, tosa::TosaDialect>();
  llvm::SourceMgr sm;
  // .mlir input gets MLIR's caret diagnostics; NIR input the compact form.
  std::optional<SourceMgrDiagnosticHandler> textHandler;
  std::optional<ScopedDiagnosticHandler> nirHandler;
  if (llvm::sys::path::extension(o.input) == ".mlir")
    textHandler.emplace(sm, &ctx);
  else
    nirHandler.emplace(&ctx, [](Diagnostic &d) {
      printDiagnostic(d);
      return success();
    });

  if (!llvm::sys::fs::exists(o.input)) {
    llvm::errs() << o.input << ": error: no such file\n";
    return 1;
  }
  OwningOpRef<ModuleOp> module = load(o, ctx, sm);
  if (!module || failed(verify(*module)))
    return 1;
  bool isAnn = !module->getOps<func::FuncOp>().empty();
  if (o.convertOptionGiven && !o.convert) {
    llvm::errs() << "snnc: error: --calibration, --norm, --readout, "
                    "--timesteps, --input-encoding and --qcfs need --convert\n";
    return 1;
  }
  if (o.convert) {
    if (!isAnn) {
      llvm::errs() << o.input
                   << ": error: --convert needs an ANN (an ONNX model, or "
                      "func + TOSA IR as snnc MODEL.onnx prints it)\n";
      return 1;
    }
    if (o.discretizeRequested) {
      llvm::errs() << "snnc: error: --dt, --profile and --reset do not apply "
                      "to --convert (a converted network is already "
                      "discrete: one step per time step, reset by "
                      "subtraction)\n";
      return 1;
    }
    std::optional<snnc::ann::Array> calib;
    if (!o.calibration.empty()) {
      auto t = snnc::readNpy(o.calibration);
      if (!t.isOk()) {
        llvm::errs() << o.calibration << ": error: " << t.status().message()
                     << "\n";
        return 1;
      }
      calib.emplace();
      calib->shape = t.value().shape;
      calib->data = t.value().data;
    }
    snnc::ann::ConvertReport rep;
    if (failed(snnc::ann::convertAnn(*module, o.ann, calib ? &*calib : nullptr,
                                     &rep)))
      return 1;
    if (o.report)
      snnc::ann::printReport(rep, llvm::errs());
    else
      for (const std::string &w : rep.warnings)
        llvm::errs() << o.input << ": warning: " << w << "\n";
  } else if (isAnn && (o.emit == "snnb" || o.emit == "nir")) {
    llvm::errs() << o.input
                 << ": error: ONNX models are ANNs; convert them to a "
                    "spiking network with --convert (see "
                    "docs/ann-conversion.md)\n";
    return 1;
  }

  const bool json = o.reportFormat == "json";
  if (o.report && !json)
    for (const snnc::NetworkSummary &s : snnc::summarize(*module))
      snnc::printSummary(s, llvm::errs());

  if (o.emit == "snnb" || o.emit == "nmc") {
    if (o.emit == "snnb" && o.output == "-") {
      llvm::errs() << "snnc: error: the artifact is a binary file; name it "
                      "with -o FILE.snnb\n";
      return 1;
    }
    snnc::CompileOptions c = o.compile;
    c.artifact.fixed = o.mode == "fixed";
    using E = snnc::LowerOptions::Expand;
    // Fixed mode quantizes explicit synapses, so auto expands everything.
    c.lower.expand = o.expand == "compile" ? E::Compile
                     : o.expand == "load"  ? E::Load
                     : c.artifact.fixed    ? E::Compile
                                           : E::Auto;
    c.lower.memoryBudgetBytes = o.memoryBudgetMiB << 20;
    // JSON goes to stdout unless the IR does.
    llvm::raw_ostream &jsonOut = o.output == "-" ? llvm::errs() : llvm::outs();
    if (!o.target.empty()) {
      auto t = snnc::target::loadTarget(o.target);
      if (!t) {
        llvm::errs() << "snnc: error: --target: "
                     << llvm::toString(t.takeError()) << "\n";
        return 1;
      }
      // Fixed mode quantizes into the target's formats, before mapping, so
      // that the design-rule check sees the weights' width.
      c.quantize = snnc::quantizeOptionsFor(*t);
      if (failed(snnc::lowerToNmc(*module, c)))
        return 1;
      snnc::nmc::ProgramOp program = snnc::findProgram(*module);
      std::vector<snnc::mapping::Violation> violations;
      snnc::mapping::MapGraph graph;
      snnc::mapping::Mapping mapping;
      snnc::mapping::StageSeconds seconds;
      if (failed(snnc::mapping::mapProgram(program, *t, violations, &graph,
                                           &mapping, &seconds)))
        return 1;
      if (o.report) {
        double dt = 1e-4;
        if (auto a = program.getDiscretization().getAs<FloatAttr>("dt"))
          dt = a.getValueAsDouble();
        snnc::mapping::printReport(graph, *t, mapping, violations, dt, json,
                                   json ? jsonOut : llvm::errs(), &seconds);
      }
      if (!violations.empty()) {
        // One line each (the report, when asked for, has them too).
        if (!o.report || json)
          for (const snnc::mapping::Violation &v : violations)
            llvm::errs() << o.input << ": error: design rule: " << v.message()
                         << "\n";
        llvm::errs() << "snnc: error: '" << program.getNetwork()
                     << "' does not fit target '" << t->name
                     << "': " << violations.size()
                     << " design-rule violation(s); nothing written\n";
        return 1;
      }
    }
    if (o.emit == "nmc") {
      if (failed(snnc::lowerToNmc(*module, c)))
        return 1;
      return printModule(*module, o);
    }
    std::vector<uint8_t> bytes;
    if (failed(snnc::compileToArtifact(
            *module, c, bytes, o.report && !json ? &llvm::errs() : nullptr,
            o.report && json && o.target.empty() ? &jsonOut : nullptr)))
      return 1;
    std::string err;
    if (!snnc::writeFileAtomically(o.output, bytes, err)) {
      llvm::errs() << "snnc: error: " << err << "\n";
      return 1;
    }
    return 0;
  }
  if (o.emit == "nir") {
    if (o.output == "-") {
      llvm::errs() << "snnc: error: --emit=nir writes a binary file; name it "
                      "with -o FILE.nir\n";
      return 1;
    }
    return failed(snnc::exportNirFile(*module, o.output)) ? 1 : 0;
  }
  // IR: continuous as imported, or discretized when asked for.
  if (o.discretizeRequested && failed(snnc::discretize(*module, o.compile)))
    return 1;
  return printModule(*module, o);
}

int printModule(ModuleOp module, const Options &o) {
  std::string err;
  auto out = openOutputFile(o.output, &err);
  if (!out) {
    llvm::errs() << o.output << ": error: " << err << "\n";
    return 1;
  }
  OpPrintingFlags flags;
  if (o.locations)
    flags.enableDebugInfo(/*enable=*/true, /*prettyForm=*/false)
        .useLocalScope();
  module->print(out->os(), flags);
  out->os() << "\n";
  out->keep();
  return 0;
}

} // namespace

int main(int argc, char **argv) {
  Options o;
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
  app.add_option("--report", o.reportFormat,
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
  o.report = !o.reportFormat.empty();
  if (o.emit.empty()) {
    llvm::StringRef ext = llvm::sys::path::extension(o.output);
    o.emit = ext == ".snnb" ? "snnb" : ext == ".nir" ? "nir" : "mlir";
  }
  return run(o);
}
