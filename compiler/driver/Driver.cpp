//===- Driver.cpp - Reading the model and the front of the pipeline -------===//
//
// Input (file or text), diagnostics in the CLI's two styles, and the ANN
// conversion; Emit.cpp takes the module from there to the requested output.
//
//===----------------------------------------------------------------------===//
#include "compiler/driver/DriverImpl.h"

#include "compiler/analysis/NetworkSummary.h"
#include "compiler/onnx/OnnxImport.h"
#include "dialects/nmc/IR/NMCDialect.h"
#include "dialects/snn/IR/SNNDialect.h"
#include "snnc/runtime/Npy.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Parser/Parser.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"

#include <optional>

using namespace mlir;

namespace snnc::driver {
namespace {

// Diagnostics from NIR files point at a node, not at a line: print
// "FILE: error: message" (the message names the node).
void printDiagnostic(Diagnostic &d, llvm::raw_ostream &os) {
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
  os << (where.empty() ? "snnc" : where) << ": " << sev << ": " << d.str()
     << "\n";
  for (Diagnostic &n : d.getNotes())
    printDiagnostic(n, os);
}

bool isIrInput(const Options &o) {
  return o.text || llvm::sys::path::extension(o.input) == ".mlir";
}

OwningOpRef<ModuleOp> load(const Options &o, MLIRContext &ctx,
                           llvm::SourceMgr &sm) {
  if (o.text) {
    // Named like a file, so that messages read "NAME:LINE:COL".
    sm.AddNewSourceBuffer(
        llvm::MemoryBuffer::getMemBufferCopy(*o.text, o.input), llvm::SMLoc());
    return parseSourceFile<ModuleOp>(sm, ParserConfig(&ctx));
  }
  StringRef ext = llvm::sys::path::extension(o.input);
  if (ext == ".mlir")
    return parseSourceFile<ModuleOp>(o.input, sm, ParserConfig(&ctx));
  if (ext == ".nir" || ext == ".h5" || ext == ".hdf5")
    return importNirFile(o.input, &ctx, o.nir);
  if (ext == ".onnx")
    return importOnnxFile(o.input, &ctx);
  emitError(FileLineColLoc::get(&ctx, o.input, 0, 0))
      << "unknown input format '" << ext
      << "': expected a NIR file (.nir), an ONNX model (.onnx) or snn dialect "
         "IR (.mlir)";
  return nullptr;
}

// --convert: the ANN in `module` becomes a spiking network.
LogicalResult convert(const Options &o, ModuleOp module, bool isAnn,
                      llvm::raw_ostream &diag) {
  if (!isAnn) {
    diag << o.input
         << ": error: --convert needs an ANN (an ONNX model, or func + TOSA "
            "IR as snnc MODEL.onnx prints it)\n";
    return failure();
  }
  if (o.discretizeRequested) {
    diag << "snnc: error: --dt, --profile and --reset do not apply to "
            "--convert (a converted network is already discrete: one step "
            "per time step, reset by subtraction)\n";
    return failure();
  }
  std::optional<ann::Array> calib;
  if (!o.calibration.empty()) {
    auto t = readNpy(o.calibration);
    if (!t.isOk()) {
      diag << o.calibration << ": error: " << t.status().message() << "\n";
      return failure();
    }
    calib.emplace();
    calib->shape = t.value().shape;
    calib->data = t.value().data;
  }
  ann::ConvertReport rep;
  if (failed(ann::convertAnn(module, o.ann, calib ? &*calib : nullptr, &rep)))
    return failure();
  if (o.report)
    ann::printReport(rep, diag);
  else
    for (const std::string &w : rep.warnings)
      diag << o.input << ": warning: " << w << "\n";
  return success();
}

} // namespace

LogicalResult compile(const Options &o, Result &result, llvm::raw_ostream &diag,
                      llvm::raw_ostream &json) {
  MLIRContext ctx;
  // The conversion reports errors at whole functions; dumping one as
  // "see current operation" buries the message.
  ctx.printOpOnDiagnostic(false);
  ctx.loadDialect<snn::SNNDialect, nmc::NMCDialect, func::FuncDialect,
                  tosa::TosaDialect>();
  llvm::SourceMgr sm;
  // IR gets MLIR's caret diagnostics; NIR and ONNX input the compact form.
  std::optional<SourceMgrDiagnosticHandler> textHandler;
  std::optional<ScopedDiagnosticHandler> nirHandler;
  if (isIrInput(o))
    textHandler.emplace(sm, &ctx, diag);
  else
    nirHandler.emplace(&ctx, [&diag](Diagnostic &d) {
      printDiagnostic(d, diag);
      return success();
    });

  if (!o.text && !llvm::sys::fs::exists(o.input)) {
    diag << o.input << ": error: no such file\n";
    return failure();
  }
  OwningOpRef<ModuleOp> module = load(o, ctx, sm);
  if (!module || failed(verify(*module)))
    return failure();
  bool isAnn = !module->getOps<func::FuncOp>().empty();
  if (o.convertOptionGiven && !o.convert) {
    diag << "snnc: error: --calibration, --norm, --readout, --timesteps, "
            "--input-encoding and --qcfs need --convert\n";
    return failure();
  }
  if (o.convert) {
    if (failed(convert(o, *module, isAnn, diag)))
      return failure();
  } else if (isAnn && (o.emit == "snnb" || o.emit == "nir")) {
    diag << o.input
         << ": error: ONNX models are ANNs; convert them to a spiking network "
            "with --convert (see docs/ann-conversion.md)\n";
    return failure();
  }
  if (o.report && !o.jsonReport)
    for (const NetworkSummary &s : summarize(*module))
      printSummary(s, diag);
  return emit(o, *module, result, diag, json);
}

} // namespace snnc::driver
