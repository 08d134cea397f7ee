//===- OnnxFuzz.cpp - Fuzz target: the ONNX importer and the evaluator ----===//
//
// A model that imports is evaluated once on zeros by the calibration
// evaluator (compiler/ann/TosaEval), which trusts the importer's shapes.
//
//===----------------------------------------------------------------------===//
#include "FuzzSupport.h"
#include "compiler/ann/TosaEval.h"
#include "compiler/onnx/OnnxImport.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  snnc::fuzz::TempFile file(data, size, ".onnx");
  if (!file.ok())
    return 0;
  mlir::MLIRContext ctx(mlir::MLIRContext::Threading::DISABLED);
  std::string error;
  mlir::ScopedDiagnosticHandler h(&ctx, [&](mlir::Diagnostic &d) {
    if (d.getSeverity() == mlir::DiagnosticSeverity::Error && error.empty())
      error = d.str() + " @ " + [&] {
        std::string s;
        llvm::raw_string_ostream os(s);
        d.getLocation().print(os);
        return os.str();
      }();
    return mlir::success();
  });
  auto module = snnc::importOnnxFile(file.path(), &ctx);
  if (!module) {
    snnc::fuzz::requireNamed(error, file.path());
    return 0;
  }
  auto funcs = module->getOps<mlir::func::FuncOp>();
  if (funcs.empty())
    return 0;
  mlir::func::FuncOp func = *funcs.begin();
  std::vector<snnc::ann::Array> inputs;
  int64_t total = 0;
  for (mlir::Type t : func.getArgumentTypes()) {
    auto rt = llvm::dyn_cast<mlir::RankedTensorType>(t);
    if (!rt || !rt.hasStaticShape())
      return 0;
    snnc::ann::Array a;
    a.shape.assign(rt.getShape().begin(), rt.getShape().end());
    total += rt.getNumElements();
    if (total > (1 << 16))
      return 0; // keep each input fast
    a.data.assign(size_t(rt.getNumElements()), 0.0f);
    inputs.push_back(std::move(a));
  }
  // The evaluator is exact, not fast: a model with large tensors (up to the
  // importer's 2^28 values each) is valid but would take seconds per input.
  int64_t work = 0;
  func.walk([&](mlir::Operation *op) {
    for (mlir::Type t : op->getResultTypes())
      if (auto rt = llvm::dyn_cast<mlir::RankedTensorType>(t))
        if (rt.hasStaticShape())
          work += rt.getNumElements();
  });
  if (work > (int64_t(1) << 20))
    return 0;
  std::vector<snnc::ann::Array> outputs;
  (void)snnc::ann::evaluate(func, inputs, outputs);
  return 0;
}
