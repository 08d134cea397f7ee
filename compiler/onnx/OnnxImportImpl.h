//===- OnnxImportImpl.h - Internals of the ONNX importer --------*- C++ -*-===//
//
// Shared by the files of compiler/onnx: the importer state (values by ONNX
// name, constants, inferred shapes), node access and TOSA building helpers.
// Not a public header.
//
//===----------------------------------------------------------------------===//
#ifndef SNNC_COMPILER_ONNX_ONNXIMPORTIMPL_H
#define SNNC_COMPILER_ONNX_ONNXIMPORTIMPL_H

#include "compiler/onnx/OnnxImport.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Diagnostics.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringMap.h"

#include <onnx/onnx_pb.h>

#include <optional>
#include <string>
#include <vector>

namespace snnc::onnximport {

using mlir::ArrayRef;
using mlir::DenseElementsAttr;
using mlir::FailureOr;
using mlir::InFlightDiagnostic;
using mlir::Location;
using mlir::LogicalResult;
using mlir::MLIRContext;
using mlir::OpBuilder;
using mlir::RankedTensorType;
using mlir::StringRef;
using mlir::Type;
using mlir::Value;
using Shape = llvm::SmallVector<int64_t, 4>;

/// "[1, 2, 3]", for messages.
std::string formatShape(ArrayRef<int64_t> shape);

/// `text` on one line: ONNX's exception messages span several.
std::string oneLine(StringRef text);

/// ONNX element type -> MLIR type; null for types the importer does not
/// handle (strings, complex, ...).
Type elementType(MLIRContext *ctx, int32_t onnxType);

/// Decodes an initializer or a Constant's tensor. `what` names it in errors.
FailureOr<DenseElementsAttr>
tensorToAttr(const onnx::TensorProto &t, MLIRContext *ctx,
             llvm::function_ref<InFlightDiagnostic()> err);

/// Moves the axes of a constant: result axis k is input axis perm[k].
DenseElementsAttr permuteAttr(DenseElementsAttr a, ArrayRef<int64_t> perm);
/// The elements of a constant as doubles / int64 (any element type).
std::vector<double> attrToDoubles(DenseElementsAttr a);
std::vector<int64_t> attrToInts(DenseElementsAttr a);
/// A constant of `type` (float element type) holding `v`.
DenseElementsAttr doublesToAttr(RankedTensorType type, ArrayRef<double> v);

class Importer {
public:
  Importer(MLIRContext *ctx, std::string file);

  LogicalResult importGraph(const onnx::GraphProto &g, mlir::ModuleOp module);

  // --- The node being converted -------------------------------------------
  const onnx::NodeProto *node = nullptr;
  Location nodeLoc();
  /// An error at the node, prefixed with "node 'NAME' (OpType): ".
  InFlightDiagnostic error();
  std::string nodeName() const;

  size_t numInputs() const;
  /// Input i is present (ONNX marks skipped optional inputs with "").
  bool hasInput(unsigned i) const;
  /// Input i as an SSA value; constants are materialized as tosa.const.
  FailureOr<Value> input(unsigned i);
  /// Input i if it is a constant (initializer or Constant node).
  std::optional<DenseElementsAttr> constInput(unsigned i);
  /// Static ONNX shape of input i.
  FailureOr<Shape> inputShape(unsigned i);
  /// Static result type of output i from shape inference.
  FailureOr<RankedTensorType> outputType(unsigned i);
  void setOutput(unsigned i, Value v);
  void setConstOutput(unsigned i, DenseElementsAttr a);

  const onnx::AttributeProto *attr(StringRef name) const;
  int64_t attrInt(StringRef name, int64_t dflt) const;
  float attrFloat(StringRef name, float dflt) const;
  std::string attrString(StringRef name, StringRef dflt) const;
  Shape attrInts(StringRef name, ArrayRef<int64_t> dflt) const;

  // --- TOSA helpers (at the node's location) -------------------------------
  Value constant(DenseElementsAttr a);
  Value transpose(Value v, ArrayRef<int64_t> perm);
  Value reshape(Value v, ArrayRef<int64_t> shape);
  /// Prepends unit dimensions so that `v` has rank `rank` (TOSA broadcasts
  /// only between equal ranks).
  Value toRank(Value v, int64_t rank);
  Value splat(Type elemType, ArrayRef<int64_t> shape, double v);

  // --- Op converters (one per ONNX op type) --------------------------------
  LogicalResult convertGemm();
  LogicalResult convertMatMul();
  LogicalResult convertConv();
  LogicalResult convertBatchNorm();
  LogicalResult convertBinary();
  LogicalResult convertDiv();
  LogicalResult convertRelu();
  LogicalResult convertClip();
  LogicalResult convertAbs();
  LogicalResult convertPow();
  LogicalResult convertSqrt();
  LogicalResult convertSign();
  LogicalResult convertConstant();
  LogicalResult convertIdentity();
  LogicalResult convertPool();
  LogicalResult convertLpPool();
  LogicalResult convertPad();
  LogicalResult convertFlatten();
  LogicalResult convertReshape();

  /// ONNX 2-D `pads` (begin h, begin w, end h, end w) or auto_pad for the
  /// given kernel, as TOSA's (top, bottom, left, right).
  /// Range-checks a 2-D window's attributes (kernel_shape, strides,
  /// dilations, pads in TOSA order), then checks that the output spatial
  /// size ONNX inferred, `outHW`, follows from them and `inHW`. Fails with
  /// an error naming the node and the attribute.
  LogicalResult checkWindow(ArrayRef<int64_t> inHW, ArrayRef<int64_t> kernel,
                            ArrayRef<int64_t> strides,
                            ArrayRef<int64_t> dilations, ArrayRef<int64_t> pads,
                            ArrayRef<int64_t> outHW, bool ceilMode);
  FailureOr<Shape> spatialPads(ArrayRef<int64_t> inHW, ArrayRef<int64_t> kernel,
                               ArrayRef<int64_t> strides,
                               ArrayRef<int64_t> dilations);

  MLIRContext *ctx;
  std::string file;
  OpBuilder b;

private:
  llvm::StringMap<Value> values;
  llvm::StringMap<DenseElementsAttr> consts;
  llvm::StringMap<RankedTensorType> types; // inferred, static
  LogicalResult collectTypes(const onnx::GraphProto &g);
  LogicalResult convertNode(const onnx::NodeProto &n);
};

} // namespace snnc::onnximport

#endif // SNNC_COMPILER_ONNX_ONNXIMPORTIMPL_H
