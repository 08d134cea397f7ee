//===- OnnxOpsElementwise.cpp - Elementwise ONNX ops as TOSA --------------===//
//
// TOSA broadcasts only between operands of equal rank, so ONNX's numpy-style
// rank extension becomes explicit: constants are re-shaped at import time,
// runtime values get a tosa.reshape.
//
//===----------------------------------------------------------------------===//
#include "compiler/onnx/OnnxImportImpl.h"

#include "mlir/Dialect/Tosa/IR/TosaOps.h"

#include <cmath>
#include <limits>

using namespace mlir;

namespace snnc::onnximport {

namespace {

Shape withRank(ArrayRef<int64_t> shape, int64_t rank) {
  Shape r(rank - int64_t(shape.size()), 1);
  r.append(shape.begin(), shape.end());
  return r;
}

// Input i, raised to `rank` for broadcasting.
FailureOr<Value> operandAtRank(Importer &imp, unsigned i, int64_t rank) {
  if (std::optional<DenseElementsAttr> c = imp.constInput(i)) {
    auto type = RankedTensorType::get(withRank(c->getType().getShape(), rank),
                                      c->getElementType());
    return imp.constant(c->reshape(type));
  }
  FailureOr<Value> v = imp.input(i);
  if (failed(v))
    return failure();
  return imp.toRank(*v, rank);
}

// A constant holding `v` shaped [1, ..., 1] of `rank` (broadcasts to all).
Value scalarConst(Importer &imp, Type elem, int64_t rank, double v) {
  return imp.splat(elem, Shape(rank, 1), v);
}

FailureOr<DenseElementsAttr> constScalar(Importer &imp, unsigned i,
                                         StringRef what) {
  std::optional<DenseElementsAttr> c = imp.constInput(i);
  if (!c) {
    imp.error() << what << " must be a constant";
    return failure();
  }
  if (c->getNumElements() != 1) {
    imp.error() << what << " must be a scalar, not of shape "
                << formatShape(c->getType().getShape());
    return failure();
  }
  return *c;
}

int64_t saturatingInt(double d) {
  if (d <= double(std::numeric_limits<int64_t>::min()))
    return std::numeric_limits<int64_t>::min();
  if (d >= double(std::numeric_limits<int64_t>::max()))
    return std::numeric_limits<int64_t>::max();
  return int64_t(d);
}

Value clamp(Importer &imp, RankedTensorType type, Value x, float lo, float hi) {
  OpBuilder &b = imp.b;
  return b.create<tosa::ClampOp>(imp.nodeLoc(), type, x,
                                 b.getI64IntegerAttr(saturatingInt(lo)),
                                 b.getI64IntegerAttr(saturatingInt(hi)),
                                 b.getF32FloatAttr(lo), b.getF32FloatAttr(hi));
}

} // namespace

LogicalResult Importer::convertBinary() {
  FailureOr<RankedTensorType> type = outputType(0);
  if (failed(type))
    return failure();
  int64_t rank = type->getRank();
  FailureOr<Value> lhs = operandAtRank(*this, 0, rank);
  FailureOr<Value> rhs = operandAtRank(*this, 1, rank);
  if (failed(lhs) || failed(rhs))
    return failure();
  Location loc = nodeLoc();
  Value r;
  if (node->op_type() == "Add")
    r = b.create<tosa::AddOp>(loc, *type, *lhs, *rhs);
  else if (node->op_type() == "Sub")
    r = b.create<tosa::SubOp>(loc, *type, *lhs, *rhs);
  else
    r = b.create<tosa::MulOp>(loc, *type, *lhs, *rhs, b.getI8IntegerAttr(0));
  setOutput(0, r);
  return success();
}

LogicalResult Importer::convertDiv() {
  FailureOr<RankedTensorType> type = outputType(0);
  if (failed(type))
    return failure();
  if (!isa<FloatType>(type->getElementType())) {
    error() << "only floating-point division is supported";
    return failure();
  }
  int64_t rank = type->getRank();
  FailureOr<Value> lhs = operandAtRank(*this, 0, rank);
  if (failed(lhs))
    return failure();
  Value recip;
  // TOSA has no float division: x / c is x * (1/c), exact enough for the
  // constant scales torch exports; a runtime divisor uses tosa.reciprocal.
  if (std::optional<DenseElementsAttr> c = constInput(1)) {
    std::vector<double> v = attrToDoubles(*c);
    for (double &d : v)
      d = 1.0 / d;
    auto ct = RankedTensorType::get(withRank(c->getType().getShape(), rank),
                                    c->getElementType());
    recip = constant(doublesToAttr(ct, v));
  } else {
    FailureOr<Value> rhs = operandAtRank(*this, 1, rank);
    if (failed(rhs))
      return failure();
    recip = b.create<tosa::ReciprocalOp>(nodeLoc(), rhs->getType(), *rhs);
  }
  setOutput(0, b.create<tosa::MulOp>(nodeLoc(), *type, *lhs, recip,
                                     b.getI8IntegerAttr(0)));
  return success();
}

LogicalResult Importer::convertRelu() {
  FailureOr<RankedTensorType> type = outputType(0);
  FailureOr<Value> x = input(0);
  if (failed(type) || failed(x))
    return failure();
  setOutput(0,
            clamp(*this, *type, *x, 0.0f, std::numeric_limits<float>::max()));
  return success();
}

LogicalResult Importer::convertClip() {
  FailureOr<RankedTensorType> type = outputType(0);
  FailureOr<Value> x = input(0);
  if (failed(type) || failed(x))
    return failure();
  // Opset < 11 has min/max attributes, later opsets optional inputs.
  float lo = attrFloat("min", std::numeric_limits<float>::lowest());
  float hi = attrFloat("max", std::numeric_limits<float>::max());
  if (hasInput(1)) {
    FailureOr<DenseElementsAttr> c = constScalar(*this, 1, "Clip's min");
    if (failed(c))
      return failure();
    lo = float(attrToDoubles(*c)[0]);
  }
  if (hasInput(2)) {
    FailureOr<DenseElementsAttr> c = constScalar(*this, 2, "Clip's max");
    if (failed(c))
      return failure();
    hi = float(attrToDoubles(*c)[0]);
  }
  setOutput(0, clamp(*this, *type, *x, lo, hi));
  return success();
}

LogicalResult Importer::convertAbs() {
  FailureOr<RankedTensorType> type = outputType(0);
  FailureOr<Value> x = input(0);
  if (failed(type) || failed(x))
    return failure();
  setOutput(0, b.create<tosa::AbsOp>(nodeLoc(), *type, *x));
  return success();
}

LogicalResult Importer::convertPow() {
  FailureOr<RankedTensorType> type = outputType(0);
  if (failed(type))
    return failure();
  FailureOr<Value> x = operandAtRank(*this, 0, type->getRank());
  FailureOr<Value> e = operandAtRank(*this, 1, type->getRank());
  if (failed(x) || failed(e))
    return failure();
  if (cast<RankedTensorType>(e->getType()).getElementType() !=
      type->getElementType()) {
    error() << "the exponent's element type must match the base's";
    return failure();
  }
  setOutput(0, b.create<tosa::PowOp>(nodeLoc(), *type, *x, *e));
  return success();
}

LogicalResult Importer::convertSqrt() {
  FailureOr<RankedTensorType> type = outputType(0);
  FailureOr<Value> x = input(0);
  if (failed(type) || failed(x))
    return failure();
  // TOSA has no sqrt; pow(x, 0.5) agrees for x >= 0.
  Value half = scalarConst(*this, type->getElementType(), type->getRank(), 0.5);
  setOutput(0, b.create<tosa::PowOp>(nodeLoc(), *type, *x, half));
  return success();
}

LogicalResult Importer::convertSign() {
  FailureOr<RankedTensorType> type = outputType(0);
  FailureOr<Value> x = input(0);
  if (failed(type) || failed(x))
    return failure();
  // TOSA has no sign: select(x > 0, 1, select(0 > x, -1, 0)).
  Type elem = type->getElementType();
  int64_t rank = type->getRank();
  Location loc = nodeLoc();
  Value zero = scalarConst(*this, elem, rank, 0.0);
  Value one = scalarConst(*this, elem, rank, 1.0);
  Value minusOne = scalarConst(*this, elem, rank, -1.0);
  auto boolType = RankedTensorType::get(type->getShape(), b.getI1Type());
  Value pos = b.create<tosa::GreaterOp>(loc, boolType, *x, zero);
  Value neg = b.create<tosa::GreaterOp>(loc, boolType, zero, *x);
  Value negOrZero = b.create<tosa::SelectOp>(loc, *type, neg, minusOne, zero);
  setOutput(0, b.create<tosa::SelectOp>(loc, *type, pos, one, negOrZero));
  return success();
}

LogicalResult Importer::convertConstant() {
  const onnx::AttributeProto *a = nullptr;
  for (const onnx::AttributeProto &cand : node->attribute())
    a = &cand;
  if (node->attribute_size() != 1) {
    error() << "expects exactly one value attribute";
    return failure();
  }
  Builder bb(ctx);
  std::string name = a->name();
  if (name == "value") {
    FailureOr<DenseElementsAttr> v =
        tensorToAttr(a->t(), ctx, [&] { return error(); });
    if (failed(v))
      return failure();
    setConstOutput(0, *v);
  } else if (name == "value_float" || name == "value_floats") {
    std::vector<float> v(a->floats().begin(), a->floats().end());
    Shape shape{int64_t(v.size())};
    if (name == "value_float") {
      v = {a->f()};
      shape = {};
    }
    setConstOutput(
        0, DenseElementsAttr::get(RankedTensorType::get(shape, bb.getF32Type()),
                                  ArrayRef<float>(v)));
  } else if (name == "value_int" || name == "value_ints") {
    std::vector<int64_t> v(a->ints().begin(), a->ints().end());
    Shape shape{int64_t(v.size())};
    if (name == "value_int") {
      v = {a->i()};
      shape = {};
    }
    setConstOutput(
        0, DenseElementsAttr::get(RankedTensorType::get(shape, bb.getI64Type()),
                                  ArrayRef<int64_t>(v)));
  } else {
    error() << "unsupported value attribute '" << name << "'";
    return failure();
  }
  return success();
}

LogicalResult Importer::convertIdentity() {
  if (std::optional<DenseElementsAttr> c = constInput(0)) {
    setConstOutput(0, *c);
    return success();
  }
  FailureOr<Value> x = input(0);
  if (failed(x))
    return failure();
  setOutput(0, *x);
  return success();
}

} // namespace snnc::onnximport
