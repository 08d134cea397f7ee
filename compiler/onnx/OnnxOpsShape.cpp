//===- OnnxOpsShape.cpp - Pooling, Pad, Flatten, Reshape ------------------===//
//
// TOSA pools are NHWC and their average excludes padding from the divisor;
// ONNX pools are NCHW and may count padding (count_include_pad). Both
// differences are spelled out as explicit transposes and tosa.pad.
//
//===----------------------------------------------------------------------===//
#include "compiler/onnx/OnnxImportImpl.h"

#include "mlir/Dialect/Tosa/IR/TosaOps.h"

#include <cmath>

using namespace mlir;

namespace snnc::onnximport {

namespace {

// Zero (or `value`) padding of an NHWC tensor by TOSA (t, b, l, r) pads.
Value padNhwc(Importer &imp, Value x, ArrayRef<int64_t> pads) {
  auto t = cast<RankedTensorType>(x.getType());
  Shape shape(t.getShape());
  shape[1] += pads[0] + pads[1];
  shape[2] += pads[2] + pads[3];
  SmallVector<int64_t> p{0, 0, pads[0], pads[1], pads[2], pads[3], 0, 0};
  auto pt = RankedTensorType::get({4, 2}, imp.b.getI64Type());
  Value pc = imp.constant(DenseElementsAttr::get(pt, ArrayRef<int64_t>(p)));
  return imp.b.create<tosa::PadOp>(
      imp.nodeLoc(), RankedTensorType::get(shape, t.getElementType()), x, pc);
}

bool anyNonZero(ArrayRef<int64_t> v) {
  return llvm::any_of(v, [](int64_t x) { return x != 0; });
}

struct PoolParams {
  Shape in;      // NCHW
  Shape outNhwc; // N, Ho, Wo, C
  Shape kernel, strides, pads;
};

FailureOr<PoolParams> poolParams(Importer &imp, RankedTensorType outType) {
  FailureOr<Shape> xs = imp.inputShape(0);
  if (failed(xs))
    return failure();
  PoolParams p;
  p.in = *xs;
  if (p.in.size() != 4) {
    imp.error() << "only 2-D pooling (NCHW input) is supported; the input "
                   "has shape "
                << formatShape(p.in);
    return failure();
  }
  p.kernel = imp.attrInts("kernel_shape", {});
  if (p.kernel.size() != 2) {
    imp.error() << "expects a 2-D kernel_shape";
    return failure();
  }
  p.strides = imp.attrInts("strides", {1, 1});
  if (anyNonZero(imp.attrInts("dilations", {0, 0})) &&
      imp.attrInts("dilations", {1, 1}) != Shape{1, 1}) {
    imp.error() << "dilated pooling is not supported";
    return failure();
  }
  if (failed(imp.checkWindow({}, p.kernel, p.strides, {1, 1}, {0, 0, 0, 0}, {},
                             false)))
    return failure();
  FailureOr<Shape> pads =
      imp.spatialPads({p.in[2], p.in[3]}, p.kernel, p.strides, {1, 1});
  if (failed(pads))
    return failure();
  p.pads = *pads;
  ArrayRef<int64_t> os = outType.getShape();
  if (os.size() != 4) {
    imp.error() << "the output has shape " << formatShape(Shape(os))
                << "; 2-D pooling gives an NCHW output";
    return failure();
  }
  if (failed(imp.checkWindow({p.in[2], p.in[3]}, p.kernel, p.strides, {1, 1},
                             p.pads, {os[2], os[3]},
                             imp.attrInt("ceil_mode", 0) != 0)))
    return failure();
  p.outNhwc = {os[0], os[2], os[3], os[1]};
  // ceil_mode only matters when it changes the output size; TOSA has none.
  if (imp.attrInt("ceil_mode", 0)) {
    for (int k = 0; k < 2; ++k) {
      int64_t padded = p.in[2 + k] + p.pads[2 * k] + p.pads[2 * k + 1];
      if ((padded - p.kernel[k]) / p.strides[k] + 1 != os[2 + k]) {
        imp.error() << "ceil_mode = 1 with a partial last window is not "
                       "supported";
        return failure();
      }
    }
  }
  return p;
}

} // namespace

LogicalResult Importer::convertPool() {
  FailureOr<RankedTensorType> type = outputType(0);
  if (failed(type))
    return failure();
  if (node->output_size() > 1) {
    error() << "the Indices output is not supported";
    return failure();
  }
  FailureOr<PoolParams> p = poolParams(*this, *type);
  FailureOr<Value> x = input(0);
  if (failed(p) || failed(x))
    return failure();
  Type elem = type->getElementType();
  auto outType = RankedTensorType::get(p->outNhwc, elem);
  Value xh = transpose(*x, {0, 2, 3, 1});
  Value y;
  if (node->op_type() == "MaxPool") {
    y = b.create<tosa::MaxPool2dOp>(
        nodeLoc(), outType, xh, b.getDenseI64ArrayAttr(p->kernel),
        b.getDenseI64ArrayAttr(p->strides), b.getDenseI64ArrayAttr(p->pads));
  } else {
    Shape pads = p->pads;
    // TOSA's average never counts padding: pad explicitly when ONNX does.
    if (attrInt("count_include_pad", 0) && anyNonZero(pads)) {
      xh = padNhwc(*this, xh, pads);
      pads = {0, 0, 0, 0};
    }
    y = b.create<tosa::AvgPool2dOp>(
        nodeLoc(), outType, xh, b.getDenseI64ArrayAttr(p->kernel),
        b.getDenseI64ArrayAttr(p->strides), b.getDenseI64ArrayAttr(pads),
        TypeAttr::get(elem));
  }
  setOutput(0, transpose(y, {0, 3, 1, 2}));
  return success();
}

LogicalResult Importer::convertLpPool() {
  FailureOr<RankedTensorType> type = outputType(0);
  if (failed(type))
    return failure();
  FailureOr<PoolParams> p = poolParams(*this, *type);
  FailureOr<Value> x = input(0);
  if (failed(p) || failed(x))
    return failure();
  double pw = double(attrInt("p", 2));
  Type elem = type->getElementType();
  Value xh = transpose(*x, {0, 2, 3, 1});
  auto inType = cast<RankedTensorType>(xh.getType());
  // (sum |x|^p)^(1/p) = (avg(|x|^p) * kh * kw)^(1/p), padding counted as 0.
  Value v = b.create<tosa::AbsOp>(nodeLoc(), inType, xh);
  if (pw != 1.0)
    v = b.create<tosa::PowOp>(nodeLoc(), inType, v,
                              splat(elem, {1, 1, 1, 1}, pw));
  Shape pads = p->pads;
  if (anyNonZero(pads)) {
    v = padNhwc(*this, v, pads);
    pads = {0, 0, 0, 0};
  }
  auto outType = RankedTensorType::get(p->outNhwc, elem);
  v = b.create<tosa::AvgPool2dOp>(
      nodeLoc(), outType, v, b.getDenseI64ArrayAttr(p->kernel),
      b.getDenseI64ArrayAttr(p->strides), b.getDenseI64ArrayAttr(pads),
      TypeAttr::get(elem));
  v = b.create<tosa::MulOp>(
      nodeLoc(), outType, v,
      splat(elem, {1, 1, 1, 1}, double(p->kernel[0] * p->kernel[1])),
      b.getI8IntegerAttr(0));
  if (pw != 1.0)
    v = b.create<tosa::PowOp>(nodeLoc(), outType, v,
                              splat(elem, {1, 1, 1, 1}, 1.0 / pw));
  setOutput(0, transpose(v, {0, 3, 1, 2}));
  return success();
}

LogicalResult Importer::convertPad() {
  FailureOr<RankedTensorType> type = outputType(0);
  FailureOr<Shape> xs = inputShape(0);
  if (failed(type) || failed(xs))
    return failure();
  std::string mode = attrString("mode", "constant");
  if (mode != "constant") {
    error() << "only mode 'constant' is supported, not '" << mode << "'";
    return failure();
  }
  if (hasInput(3)) {
    error() << "the 'axes' input is not supported";
    return failure();
  }
  // Opset < 11: pads/value attributes; later: inputs.
  Shape pads = attrInts("pads", {});
  double value = attrFloat("value", 0.0f);
  if (hasInput(1)) {
    std::optional<DenseElementsAttr> c = constInput(1);
    if (!c) {
      error() << "the pads must be a constant";
      return failure();
    }
    std::vector<int64_t> v = attrToInts(*c);
    pads.assign(v.begin(), v.end());
  }
  if (hasInput(2)) {
    std::optional<DenseElementsAttr> c = constInput(2);
    if (!c || c->getNumElements() != 1) {
      error() << "the constant_value must be a constant scalar";
      return failure();
    }
    value = attrToDoubles(*c)[0];
  }
  int64_t rank = xs->size();
  if (int64_t(pads.size()) != 2 * rank) {
    error() << "expects " << 2 * rank << " pads for rank " << rank << ", got "
            << pads.size();
    return failure();
  }
  if (llvm::any_of(pads, [](int64_t x) { return x < 0; })) {
    error() << "negative pads (cropping) are not supported";
    return failure();
  }
  // ONNX lists all begins, then all ends; TOSA pairs them per dimension.
  SmallVector<int64_t> tp;
  for (int64_t k = 0; k < rank; ++k) {
    tp.push_back(pads[k]);
    tp.push_back(pads[k + rank]);
  }
  FailureOr<Value> x = input(0);
  if (failed(x))
    return failure();
  auto pt = RankedTensorType::get({rank, 2}, b.getI64Type());
  Value pc = constant(DenseElementsAttr::get(pt, ArrayRef<int64_t>(tp)));
  Value y;
  if (value == 0.0) {
    y = b.create<tosa::PadOp>(nodeLoc(), *type, *x, pc);
  } else {
    auto st = RankedTensorType::get({}, type->getElementType());
    y = b.create<tosa::PadOp>(nodeLoc(), *type, *x, pc,
                              constant(doublesToAttr(st, {value})));
  }
  setOutput(0, y);
  return success();
}

LogicalResult Importer::convertFlatten() {
  FailureOr<RankedTensorType> type = outputType(0);
  FailureOr<Value> x = input(0);
  if (failed(type) || failed(x))
    return failure();
  setOutput(0, reshape(*x, type->getShape()));
  return success();
}

LogicalResult Importer::convertReshape() {
  FailureOr<RankedTensorType> type = outputType(0);
  FailureOr<Shape> xs = inputShape(0);
  if (failed(type) || failed(xs))
    return failure();
  std::optional<DenseElementsAttr> c = constInput(1);
  if (!c) {
    error() << "the target shape must be a constant";
    return failure();
  }
  // Resolve 0 (copy, unless allowzero) and -1 (infer) as a cross-check of
  // ONNX's inference.
  std::vector<int64_t> shape = attrToInts(*c);
  bool allowZero = attrInt("allowzero", 0);
  int64_t known = 1, inferAt = -1;
  int64_t total = 1;
  for (int64_t d : *xs)
    total *= d;
  for (size_t k = 0; k < shape.size(); ++k) {
    if (shape[k] == 0 && !allowZero && k < xs->size())
      shape[k] = (*xs)[k];
    if (shape[k] == -1)
      inferAt = k;
    else
      known *= shape[k];
  }
  if (inferAt >= 0 && known > 0)
    shape[inferAt] = total / known;
  if (ArrayRef<int64_t>(shape) != type->getShape()) {
    error() << "target shape resolves to " << formatShape(shape)
            << ", but shape inference gives " << formatShape(type->getShape());
    return failure();
  }
  FailureOr<Value> x = input(0);
  if (failed(x))
    return failure();
  setOutput(0, reshape(*x, shape));
  return success();
}

} // namespace snnc::onnximport
