//===- ConvertAnnBuilder.h - The func-to-network walk -----------*- C++ -*-===//
//
// One walk over the func in program order. Each TOSA value maps to an snn
// value plus what the conversion must know about it: whether it is in the
// importer's NHWC layout (between the transposes around conv and pools),
// whether it is provably non-negative (so abs/sign/ReLU on it are
// identities), and which weighted op has fed it since the last population.
// Patterns (constants, the comparisons of a Sign) map to nothing and are
// only accepted where the op that reads them is understood.
//
//===----------------------------------------------------------------------===//
#ifndef SNNC_COMPILER_ANN_CONVERTANNBUILDER_H
#define SNNC_COMPILER_ANN_CONVERTANNBUILDER_H

#include "compiler/ann/ConvertAnnImpl.h"
#include "dialects/snn/IR/SNNDialect.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/StringSet.h"

namespace snnc::ann::detail {

using namespace mlir;

struct Entry {
  Value v; ///< the snn value (CHW, no batch)
  bool nhwc = false;
  bool nonneg = false;
  int src = 0;
  Operation *pending = nullptr; ///< weighted op since the last population
};

bool constFloats(mlir::Value v, llvm::SmallVectorImpl<float> &out);
bool constInts(mlir::Value v, llvm::SmallVectorImpl<int64_t> &out);
/// Whether `v` is a constant with every element equal to `x`.
bool allEqual(mlir::Value v, float x);
/// The ONNX node name of an imported op (its NameLoc), or "".
std::string nodeName(mlir::Operation *op);
/// An error at `op` that names its ONNX node: diagnostics on imported
/// models print only the file, not the op.
mlir::InFlightDiagnostic convError(mlir::Operation *op);

class Builder {
public:
  Builder(func::FuncOp func, snn::NetworkOp net, const ConvertOptions &o)
      : func(func), b(&net.getBody().front(), net.getBody().front().end()),
        opt(o) {}
  LogicalResult run(Structure &s);

private:
  LogicalResult visit(Operation *op, Structure &s);
  FailureOr<Entry> get(Operation *op, Value v);
  std::string unique(std::string base, StringRef fallback);
  RankedTensorType type(ArrayRef<int64_t> shape) {
    return RankedTensorType::get(shape, b.getF32Type());
  }
  DenseFPElementsAttr dense(ArrayRef<int64_t> shape, ArrayRef<float> v) {
    return cast<DenseFPElementsAttr>(DenseElementsAttr::get(type(shape), v));
  }
  DenseFPElementsAttr splat(ArrayRef<int64_t> shape, float v) {
    return cast<DenseFPElementsAttr>(DenseElementsAttr::get(type(shape), v));
  }
  /// An integrator never fires; its threshold only sets the fixed-point
  /// range (8x the threshold), which must hold about T steps of input.
  float integratorThreshold() const {
    return float(std::max<int64_t>(1, opt.timesteps));
  }
  Operation *neuron(Operation *at, Value in, StringRef kind, Structure &s,
                    std::string name = "");
  LogicalResult weightedInput(Operation *op, const Entry &in);
  LogicalResult foldAffine(Operation *op, Entry &e, Value c, bool multiply);
  LogicalResult sumPool(Entry &e, Value c);

  func::FuncOp func;
  OpBuilder b;
  const ConvertOptions &opt;
  llvm::DenseMap<Value, Entry> map;
  llvm::DenseMap<Value, Value> signOf; ///< select(y > 0, 1, ...) -> y
  llvm::StringSet<> used;
};

} // namespace snnc::ann::detail

#endif // SNNC_COMPILER_ANN_CONVERTANNBUILDER_H
