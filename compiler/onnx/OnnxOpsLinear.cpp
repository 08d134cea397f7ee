//===- OnnxOpsLinear.cpp - Gemm, MatMul, Conv, BatchNormalization ---------===//
//
// Constant weights are re-laid out at import time (TOSA's fully_connected
// wants [out, in], conv2d [O, kh, kw, I]) so that the later ANN-to-SNN
// conversion finds plain constants, not transposes of them.
//
//===----------------------------------------------------------------------===//
#include "compiler/onnx/OnnxImportImpl.h"

#include "mlir/Dialect/Tosa/IR/TosaOps.h"

#include <cmath>

using namespace mlir;

namespace snnc::onnximport {

namespace {

// [rows, cols] -> [1, rows, cols] -> tosa.matmul -> [rows, n].
Value matmul2d(Importer &imp, Value a, Value bm, RankedTensorType outType) {
  auto at = cast<RankedTensorType>(a.getType());
  auto bt = cast<RankedTensorType>(bm.getType());
  Value a3 = imp.reshape(a, {1, at.getDimSize(0), at.getDimSize(1)});
  Value b3 = imp.reshape(bm, {1, bt.getDimSize(0), bt.getDimSize(1)});
  auto t3 = RankedTensorType::get({1, at.getDimSize(0), bt.getDimSize(1)},
                                  outType.getElementType());
  Value r = imp.b.create<tosa::MatMulOp>(imp.nodeLoc(), t3, a3, b3);
  return imp.reshape(r, outType.getShape());
}

DenseElementsAttr scaled(DenseElementsAttr a, double s) {
  if (s == 1.0)
    return a;
  std::vector<double> v = attrToDoubles(a);
  for (double &d : v)
    d *= s;
  return doublesToAttr(cast<RankedTensorType>(a.getType()), v);
}

} // namespace

LogicalResult Importer::convertGemm() {
  FailureOr<RankedTensorType> type = outputType(0);
  FailureOr<Value> a = input(0);
  if (failed(type) || failed(a))
    return failure();
  double alpha = attrFloat("alpha", 1.0f), beta = attrFloat("beta", 1.0f);
  bool transA = attrInt("transA", 0), transB = attrInt("transB", 0);
  if (transA)
    *a = transpose(*a, {1, 0});
  int64_t n = type->getDimSize(1);
  Type elem = type->getElementType();
  Value r;
  std::optional<DenseElementsAttr> c = constInput(2);
  bool cIsBias = !hasInput(2) || (c && (c->getNumElements() == 1 ||
                                        (c->getNumElements() == n &&
                                         c->getType().getShape().back() == n)));
  if (std::optional<DenseElementsAttr> bc = constInput(1)) {
    // fully_connected computes x * W^T + bias with W as [N, K].
    DenseElementsAttr w = transB ? *bc : permuteAttr(*bc, {1, 0});
    auto biasType = RankedTensorType::get({n}, elem);
    DenseElementsAttr bias = doublesToAttr(biasType, ArrayRef<double>(0.0));
    if (hasInput(2) && cIsBias) {
      std::vector<double> v = attrToDoubles(*c);
      bias = doublesToAttr(biasType,
                           v.size() == 1 ? std::vector<double>(n, v[0]) : v);
      bias = scaled(bias, beta);
    }
    r = b.create<tosa::FullyConnectedOp>(
        nodeLoc(), *type, *a, constant(scaled(w, alpha)), constant(bias));
  } else {
    FailureOr<Value> bm = input(1);
    if (failed(bm))
      return failure();
    if (transB)
      *bm = transpose(*bm, {1, 0});
    r = matmul2d(*this, *a, *bm, *type);
    if (alpha != 1.0)
      r = b.create<tosa::MulOp>(nodeLoc(), *type, r, splat(elem, {1, 1}, alpha),
                                b.getI8IntegerAttr(0));
    cIsBias = false;
  }
  if (hasInput(2) && !(c && cIsBias && constInput(1))) {
    Value cv;
    if (c) {
      Shape cs(2 - c->getType().getRank(), 1);
      cs.append(c->getType().getShape().begin(), c->getType().getShape().end());
      cv = constant(scaled(c->reshape(RankedTensorType::get(cs, elem)), beta));
    } else {
      FailureOr<Value> cr = input(2);
      if (failed(cr))
        return failure();
      cv = toRank(*cr, 2);
      if (beta != 1.0)
        cv = b.create<tosa::MulOp>(nodeLoc(), cv.getType(), cv,
                                   splat(elem, {1, 1}, beta),
                                   b.getI8IntegerAttr(0));
    }
    r = b.create<tosa::AddOp>(nodeLoc(), *type, r, cv);
  }
  setOutput(0, r);
  return success();
}

LogicalResult Importer::convertMatMul() {
  FailureOr<RankedTensorType> type = outputType(0);
  FailureOr<Shape> as = inputShape(0), bs = inputShape(1);
  if (failed(type) || failed(as) || failed(bs))
    return failure();
  FailureOr<Value> a = input(0);
  if (failed(a))
    return failure();
  Type elem = type->getElementType();
  std::optional<DenseElementsAttr> bc = constInput(1);
  if (bc && bs->size() == 2 && as->size() >= 2) {
    // x @ B with constant B is a fully_connected with W = B^T and no bias;
    // leading dimensions of x fold into its rows.
    int64_t k = (*bs)[0], n = (*bs)[1];
    Value x = reshape(*a, {type->getNumElements() / n, k});
    auto flatType =
        RankedTensorType::get({type->getNumElements() / n, n}, elem);
    Value r = b.create<tosa::FullyConnectedOp>(
        nodeLoc(), flatType, x, constant(permuteAttr(*bc, {1, 0})),
        splat(elem, {n}, 0.0));
    setOutput(0, reshape(r, type->getShape()));
    return success();
  }
  FailureOr<Value> bm = input(1);
  if (failed(bm))
    return failure();
  if (as->size() == 2 && bs->size() == 2) {
    setOutput(0, matmul2d(*this, *a, *bm, *type));
    return success();
  }
  if (as->size() == 3 && bs->size() == 3 && (*as)[0] == (*bs)[0]) {
    setOutput(0, b.create<tosa::MatMulOp>(nodeLoc(), *type, *a, *bm));
    return success();
  }
  error() << "MatMul of shapes " << formatShape(*as) << " and "
          << formatShape(*bs) << " is not supported";
  return failure();
}

// Far beyond any real network, small enough that every window computation
// (here, in TOSA and in the calibration evaluator) stays inside int64.
constexpr int64_t kMaxWindow = 1 << 16, kMaxSpatial = 1 << 24;

LogicalResult Importer::checkWindow(ArrayRef<int64_t> inHW,
                                    ArrayRef<int64_t> kernel,
                                    ArrayRef<int64_t> strides,
                                    ArrayRef<int64_t> dilations,
                                    ArrayRef<int64_t> pads,
                                    ArrayRef<int64_t> outHW, bool ceilMode) {
  auto range = [&](const char *name, ArrayRef<int64_t> v, size_t n,
                   int64_t lo) -> LogicalResult {
    if (v.size() != n) {
      error() << "expects " << n << " values in '" << name << "', got "
              << v.size();
      return failure();
    }
    for (int64_t x : v)
      if (x < lo || x > kMaxWindow) {
        error() << "attribute '" << name << "' value " << x
                << " is out of range (" << lo << " to " << kMaxWindow << ")";
        return failure();
      }
    return success();
  };
  if (failed(range("kernel_shape", kernel, 2, 1)) ||
      failed(range("strides", strides, 2, 1)) ||
      failed(range("dilations", dilations, 2, 1)) ||
      failed(range("pads", pads, 4, 0)))
    return failure();
  if (outHW.empty()) // ranges only
    return success();
  for (int k = 0; k < 2; ++k) {
    if (inHW[k] < 1 || inHW[k] > kMaxSpatial || outHW[k] < 1 ||
        outHW[k] > kMaxSpatial) {
      error() << "spatial size " << inHW[k] << " -> " << outHW[k]
              << " is out of range (1 to " << kMaxSpatial << ")";
      return failure();
    }
    int64_t span = dilations[k] * (kernel[k] - 1) + 1;
    int64_t padded = inHW[k] + pads[2 * k] + pads[2 * k + 1];
    if (padded < span) {
      error() << "the window (" << span << " pixels with dilation) is larger "
              << "than the padded input (" << padded << ")";
      return failure();
    }
    int64_t out =
        (padded - span + (ceilMode ? strides[k] - 1 : 0)) / strides[k] + 1;
    if (out != outHW[k]) {
      error() << "the output's spatial size " << outHW[k] << " (dimension "
              << k + 2 << ") does not follow from the input's " << inHW[k]
              << " and the window attributes, which give " << out
              << "; the model's shapes are inconsistent";
      return failure();
    }
  }
  return success();
}

FailureOr<Shape> Importer::spatialPads(ArrayRef<int64_t> inHW,
                                       ArrayRef<int64_t> kernel,
                                       ArrayRef<int64_t> strides,
                                       ArrayRef<int64_t> dilations) {
  std::string autoPad = attrString("auto_pad", "NOTSET");
  if (autoPad == "NOTSET") {
    Shape p = attrInts("pads", {0, 0, 0, 0});
    if (p.size() != 4) {
      error() << "expects 4 pads, got " << p.size();
      return failure();
    }
    return Shape{p[0], p[2], p[1], p[3]};
  }
  if (autoPad == "VALID")
    return Shape{0, 0, 0, 0};
  if (autoPad != "SAME_UPPER" && autoPad != "SAME_LOWER") {
    error() << "unknown auto_pad '" << autoPad << "'";
    return failure();
  }
  Shape r;
  for (int k = 0; k < 2; ++k) {
    int64_t out = (inHW[k] + strides[k] - 1) / strides[k];
    int64_t total =
        std::max<int64_t>(0, (out - 1) * strides[k] +
                                 (kernel[k] - 1) * dilations[k] + 1 - inHW[k]);
    int64_t small = total / 2, big = total - small;
    // SAME_UPPER puts the odd pixel at the end, SAME_LOWER at the start.
    r.push_back(autoPad == "SAME_UPPER" ? small : big);
    r.push_back(autoPad == "SAME_UPPER" ? big : small);
  }
  return r;
}

LogicalResult Importer::convertConv() {
  FailureOr<RankedTensorType> type = outputType(0);
  FailureOr<Shape> xs = inputShape(0);
  if (failed(type) || failed(xs))
    return failure();
  if (xs->size() != 4) {
    error() << "only 2-D convolution (NCHW input) is supported; the input "
               "has shape "
            << formatShape(*xs);
    return failure();
  }
  std::optional<DenseElementsAttr> w = constInput(1);
  if (!w) {
    error() << "the weight must be a constant (initializer)";
    return failure();
  }
  std::optional<DenseElementsAttr> bias = constInput(2);
  if (hasInput(2) && !bias) {
    error() << "the bias must be a constant (initializer)";
    return failure();
  }
  FailureOr<Value> x = input(0);
  if (failed(x))
    return failure();
  ArrayRef<int64_t> ws = w->getType().getShape();
  if (ws.size() != 4 || type->getShape().size() != 4) {
    error() << "the weight has shape " << formatShape(Shape(ws))
            << " and the output " << formatShape(Shape(type->getShape()))
            << "; 2-D convolution needs both of rank 4";
    return failure();
  }
  int64_t groups = attrInt("group", 1);
  int64_t outC = ws[0], inCg = ws[1];
  Shape kernel{ws[2], ws[3]};
  Shape strides = attrInts("strides", {1, 1});
  Shape dilations = attrInts("dilations", {1, 1});
  // Ranges first: spatialPads computes with them.
  if (failed(
          checkWindow({}, kernel, strides, dilations, {0, 0, 0, 0}, {}, false)))
    return failure();
  FailureOr<Shape> pads =
      spatialPads({(*xs)[2], (*xs)[3]}, kernel, strides, dilations);
  if (failed(pads) ||
      failed(checkWindow({(*xs)[2], (*xs)[3]}, kernel, strides, dilations,
                         *pads, {type->getShape()[2], type->getShape()[3]},
                         false)))
    return failure();
  if (groups < 1 || (*xs)[1] != inCg * groups || outC % groups) {
    error() << "group " << groups << " does not fit input channels " << (*xs)[1]
            << " and weight " << formatShape(ws);
    return failure();
  }
  Type elem = type->getElementType();
  ArrayRef<int64_t> os = type->getShape(); // N, O, Ho, Wo
  // ONNX is NCHW, TOSA NHWC: transpose in, convolve, transpose back.
  Value xh = transpose(*x, {0, 2, 3, 1});
  DenseElementsAttr wh = permuteAttr(*w, {0, 2, 3, 1}); // O, kh, kw, I
  std::vector<double> bv =
      bias ? attrToDoubles(*bias) : std::vector<double>(outC, 0.0);
  int64_t outCg = outC / groups;
  std::vector<double> wv = attrToDoubles(wh);
  int64_t perOut = wv.size() / outC;
  SmallVector<Value> parts;
  // Grouped convolution: one conv2d per group over a channel slice.
  for (int64_t g = 0; g < groups; ++g) {
    Value xg = xh;
    if (groups > 1)
      xg = b.create<tosa::SliceOp>(
          nodeLoc(),
          RankedTensorType::get({(*xs)[0], (*xs)[2], (*xs)[3], inCg}, elem), xh,
          b.getDenseI64ArrayAttr({0, 0, 0, g * inCg}),
          b.getDenseI64ArrayAttr({(*xs)[0], (*xs)[2], (*xs)[3], inCg}));
    DenseElementsAttr wg = wh;
    if (groups > 1)
      wg = doublesToAttr(
          RankedTensorType::get({outCg, kernel[0], kernel[1], inCg}, elem),
          ArrayRef<double>(wv).slice(g * outCg * perOut, outCg * perOut));
    DenseElementsAttr bg =
        doublesToAttr(RankedTensorType::get({outCg}, elem),
                      ArrayRef<double>(bv).slice(g * outCg, outCg));
    auto partType = RankedTensorType::get({os[0], os[2], os[3], outCg}, elem);
    parts.push_back(b.create<tosa::Conv2DOp>(
        nodeLoc(), partType, xg, constant(wg), constant(bg),
        b.getDenseI64ArrayAttr(*pads), b.getDenseI64ArrayAttr(strides),
        b.getDenseI64ArrayAttr(dilations)));
  }
  Value yh = parts.front();
  if (groups > 1)
    yh = b.create<tosa::ConcatOp>(
        nodeLoc(), RankedTensorType::get({os[0], os[2], os[3], outC}, elem),
        parts, b.getI32IntegerAttr(3));
  setOutput(0, transpose(yh, {0, 3, 1, 2}));
  return success();
}

LogicalResult Importer::convertBatchNorm() {
  FailureOr<RankedTensorType> type = outputType(0);
  FailureOr<Value> x = input(0);
  if (failed(type) || failed(x))
    return failure();
  if (attrInt("training_mode", 0) || node->output_size() > 1) {
    error() << "only inference-mode BatchNormalization (one output) is "
               "supported";
    return failure();
  }
  std::optional<DenseElementsAttr> p[4];
  static const char *names[] = {"scale", "B", "input_mean", "input_var"};
  for (unsigned i = 0; i < 4; ++i) {
    p[i] = constInput(i + 1);
    if (!p[i]) {
      error() << "'" << names[i] << "' must be a constant";
      return failure();
    }
  }
  double eps = attrFloat("epsilon", 1e-5f);
  std::vector<double> s = attrToDoubles(*p[0]), t = attrToDoubles(*p[1]),
                      mean = attrToDoubles(*p[2]), var = attrToDoubles(*p[3]);
  int64_t c = type->getRank() > 1 ? type->getDimSize(1) : 1;
  for (std::vector<double> *v : {&s, &t, &mean, &var})
    if (int64_t(v->size()) != c) {
      error() << "parameters must have " << c << " values (one per channel)";
      return failure();
    }
  // y = (x - mean) / sqrt(var + eps) * scale + B = x * s' + t'.
  for (int64_t k = 0; k < c; ++k) {
    s[k] /= std::sqrt(var[k] + eps);
    t[k] -= mean[k] * s[k];
  }
  Shape ps(type->getRank(), 1);
  if (type->getRank() > 1)
    ps[1] = c;
  auto pt = RankedTensorType::get(ps, type->getElementType());
  Value m = b.create<tosa::MulOp>(nodeLoc(), *type, *x,
                                  constant(doublesToAttr(pt, s)),
                                  b.getI8IntegerAttr(0));
  setOutput(0, b.create<tosa::AddOp>(nodeLoc(), *type, m,
                                     constant(doublesToAttr(pt, t))));
  return success();
}

} // namespace snnc::onnximport
