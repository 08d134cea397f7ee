//===- snnc.cpp - The snnc compiler driver
//-----------------------------------===//
//
// snnc MODEL.nir|MODEL.onnx|MODEL.mlir -o OUT.snnb [--dt S] [--profile P]
//      [--reset R] [--mode float|fixed] [--emit snnb|mlir|nir] [--report] ...
// A thin main: the work happens in the compiler libraries.
//
//===----------------------------------------------------------------------===//
#include "compiler/analysis/NetworkSummary.h"
#include "compiler/import/NirImport.h"
#include "compiler/lower/Pipeline.h"
#include "compiler/onnx/OnnxImport.h"
#include "dialects/snn/IR/SNNDialect.h"

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
  bool report = false;
  bool locations = false;
  bool discretizeRequested = false; // --dt, --profile or --reset given
  snnc::NirImportOptions nir;
  snnc::CompileOptions compile;
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

int run(const Options &o) {
  MLIRContext ctx;
  ctx.loadDialect<snnc::snn::SNNDialect>();
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
  // An imported ANN is func + TOSA IR; only printing it makes sense until
  // the ANN-to-SNN conversion exists.
  if (llvm::sys::path::extension(o.input) == ".onnx" &&
      (o.emit == "snnb" || o.emit == "nir")) {
    llvm::errs() << o.input
                 << ": error: ONNX models are ANNs; converting them to a "
                    "spiking network (--convert) is not available yet\n";
    return 1;
  }

  if (o.report)
    for (const snnc::NetworkSummary &s : snnc::summarize(*module))
      snnc::printSummary(s, llvm::errs());

  if (o.emit == "snnb") {
    if (o.output == "-") {
      llvm::errs() << "snnc: error: the artifact is a binary file; name it "
                      "with -o FILE.snnb\n";
      return 1;
    }
    snnc::CompileOptions c = o.compile;
    c.artifact.fixed = o.mode == "fixed";
    std::vector<uint8_t> bytes;
    if (failed(snnc::compileToArtifact(*module, c, bytes,
                                       o.report ? &llvm::errs() : nullptr)))
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
                 "IR) or nir; default: from -o's extension, else mlir")
      ->check(CLI::IsMember({"mlir", "nir", "snnb"}));
  auto *dt = app.add_option("--dt", o.compile.dt,
                            "time step in seconds (default 1e-4)");
  auto *profile = app.add_option(
      "--profile", o.compile.profile,
      "discretization profile: exact (default), euler, snntorch, norse, "
      "sinabs, rockpool, lava, spinnaker2");
  auto *reset = app.add_option("--reset", o.compile.reset,
                               "override the profile's reset rule")
                    ->check(CLI::IsMember({"zero", "subtract"}));
  app.add_option("--mode", o.mode, "numeric mode of the artifact")
      ->check(CLI::IsMember({"float", "fixed"}));
  app.add_flag("--report", o.report,
               "print what was compiled (nodes, neurons, weights, cycles) "
               "to stderr");
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
  CLI11_PARSE(app, argc, argv);
  o.discretizeRequested = dt->count() || profile->count() || reset->count();
  if (o.emit.empty()) {
    llvm::StringRef ext = llvm::sys::path::extension(o.output);
    o.emit = ext == ".snnb" ? "snnb" : ext == ".nir" ? "nir" : "mlir";
  }
  return run(o);
}
