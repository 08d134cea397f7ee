//===- TosaEvalLinear.cpp - Convolution, matrix products, pooling ---------===//
//
// Sums accumulate in double and are rounded to float once, so the result
// does not depend on the summation order to within float precision; that
// makes the evaluator a reference for faster implementations.
//
//===----------------------------------------------------------------------===//
#include "compiler/ann/TosaEvalImpl.h"

#include <algorithm>
#include <limits>

using namespace mlir;

namespace snnc::ann::detail {
namespace {

LogicalResult rankIs(Operation *op, const Array &a, size_t rank,
                     StringRef what) {
  if (a.shape.size() == rank)
    return success();
  op->emitError() << "evaluator: " << what << " of " << op->getName()
                  << " must have rank " << rank << ", not "
                  << shapeString(a.shape);
  return failure();
}

LogicalResult noQuantization(Operation *op, Attribute q) {
  if (!q)
    return success();
  op->emitError() << "evaluator: quantization_info on " << op->getName()
                  << " is not supported";
  return failure();
}

// The bias operand may hold one value per output channel or a single value
// for all of them.
LogicalResult biasFits(Operation *op, const Array &bias, int64_t channels) {
  if (bias.shape.size() == 1 &&
      (bias.shape[0] == channels || bias.shape[0] == 1))
    return success();
  op->emitError() << "evaluator: bias of shape " << shapeString(bias.shape)
                  << " for " << channels << " output channels";
  return failure();
}

float biasAt(const Array &bias, int64_t c) {
  return bias.data.size() == 1 ? bias.data[0] : bias.data[c];
}

struct Window {
  int64_t kh, kw, sy, sx, pt, pb, pl, pr, dy = 1, dx = 1;
};

// Output extent along one axis; an error (at the caller) when the window
// never fits.
int64_t outExtent(int64_t in, int64_t k, int64_t s, int64_t p0, int64_t p1,
                  int64_t d) {
  int64_t span = in + p0 + p1 - (k - 1) * d - 1;
  return span < 0 ? -1 : span / s + 1;
}

FailureOr<Window> window(Operation *op, ArrayRef<int64_t> kernel,
                         ArrayRef<int64_t> stride, ArrayRef<int64_t> pad,
                         ArrayRef<int64_t> dilation) {
  Window w{kernel[0], kernel[1], stride[0], stride[1],
           pad[0],    pad[1],    pad[2],    pad[3]};
  if (!dilation.empty()) {
    w.dy = dilation[0];
    w.dx = dilation[1];
  }
  if (w.kh < 1 || w.kw < 1 || w.sy < 1 || w.sx < 1 || w.dy < 1 || w.dx < 1 ||
      w.pt < 0 || w.pb < 0 || w.pl < 0 || w.pr < 0) {
    op->emitError() << "evaluator: kernel, stride and dilation must be "
                       "positive and pads non-negative";
    return failure();
  }
  return w;
}

// Shared by both pools: `reduce(n, y, x, c, oy, ox)` gives the value of one
// output element.
template <typename F>
FailureOr<Array> pool(Operation *op, const Array &in, const Window &w,
                      F reduce) {
  int64_t n = in.shape[0], h = in.shape[1], wd = in.shape[2], c = in.shape[3];
  int64_t oh = outExtent(h, w.kh, w.sy, w.pt, w.pb, 1);
  int64_t ow = outExtent(wd, w.kw, w.sx, w.pl, w.pr, 1);
  if (oh < 1 || ow < 1) {
    op->emitError() << "evaluator: the pooling window does not fit "
                    << shapeString(in.shape);
    return failure();
  }
  Array r{{n, oh, ow, c}, {}};
  r.data.reserve(n * oh * ow * c);
  for (int64_t b = 0; b < n; ++b)
    for (int64_t oy = 0; oy < oh; ++oy)
      for (int64_t ox = 0; ox < ow; ++ox)
        for (int64_t ch = 0; ch < c; ++ch)
          r.data.push_back(reduce(b, oy * w.sy - w.pt, ox * w.sx - w.pl, ch));
  return r;
}

} // namespace

FailureOr<Array> evalConv2D(tosa::Conv2DOp op, const Env &env) {
  if (failed(noQuantization(op, op.getQuantizationInfoAttr())))
    return failure();
  FailureOr<const Array *> x = getF32(op, op.getInput(), env);
  FailureOr<const Array *> wt = getF32(op, op.getWeight(), env);
  FailureOr<const Array *> bs = getF32(op, op.getBias(), env);
  if (failed(x) || failed(wt) || failed(bs) ||
      failed(rankIs(op, **x, 4, "the input")) ||
      failed(rankIs(op, **wt, 4, "the weight")))
    return failure();
  const Array &in = **x, &wgt = **wt, &bias = **bs;
  int64_t n = in.shape[0], h = in.shape[1], wd = in.shape[2], ic = in.shape[3];
  int64_t oc = wgt.shape[0];
  if (wgt.shape[3] != ic) {
    op.emitError() << "evaluator: weight " << shapeString(wgt.shape)
                   << " does not match the input's " << ic << " channels";
    return failure();
  }
  if (failed(biasFits(op, bias, oc)))
    return failure();
  FailureOr<Window> w = window(op, {wgt.shape[1], wgt.shape[2]}, op.getStride(),
                               op.getPad(), op.getDilation());
  if (failed(w))
    return failure();
  int64_t oh = outExtent(h, w->kh, w->sy, w->pt, w->pb, w->dy);
  int64_t ow = outExtent(wd, w->kw, w->sx, w->pl, w->pr, w->dx);
  if (oh < 1 || ow < 1) {
    op.emitError() << "evaluator: the kernel does not fit "
                   << shapeString(in.shape);
    return failure();
  }
  Array r{{n, oh, ow, oc}, {}};
  r.data.reserve(n * oh * ow * oc);
  for (int64_t b = 0; b < n; ++b)
    for (int64_t oy = 0; oy < oh; ++oy)
      for (int64_t ox = 0; ox < ow; ++ox)
        for (int64_t o = 0; o < oc; ++o) {
          double acc = biasAt(bias, o);
          for (int64_t ky = 0; ky < w->kh; ++ky) {
            int64_t y = oy * w->sy - w->pt + ky * w->dy;
            if (y < 0 || y >= h)
              continue;
            for (int64_t kx = 0; kx < w->kw; ++kx) {
              int64_t xx = ox * w->sx - w->pl + kx * w->dx;
              if (xx < 0 || xx >= wd)
                continue;
              const float *xp = &in.data[((b * h + y) * wd + xx) * ic];
              const float *wp = &wgt.data[((o * w->kh + ky) * w->kw + kx) * ic];
              for (int64_t i = 0; i < ic; ++i)
                acc += double(xp[i]) * double(wp[i]);
            }
          }
          r.data.push_back(float(acc));
        }
  return r;
}

FailureOr<Array> evalFullyConnected(tosa::FullyConnectedOp op, const Env &env) {
  if (failed(noQuantization(op, op.getQuantizationInfoAttr())))
    return failure();
  FailureOr<const Array *> x = getF32(op, op.getInput(), env);
  FailureOr<const Array *> wt = getF32(op, op.getWeight(), env);
  FailureOr<const Array *> bs = getF32(op, op.getBias(), env);
  if (failed(x) || failed(wt) || failed(bs) ||
      failed(rankIs(op, **x, 2, "the input")) ||
      failed(rankIs(op, **wt, 2, "the weight")))
    return failure();
  const Array &in = **x, &wgt = **wt, &bias = **bs;
  int64_t n = in.shape[0], ic = in.shape[1], oc = wgt.shape[0];
  if (wgt.shape[1] != ic) {
    op.emitError() << "evaluator: weight " << shapeString(wgt.shape)
                   << " does not match the input " << shapeString(in.shape);
    return failure();
  }
  if (failed(biasFits(op, bias, oc)))
    return failure();
  Array r{{n, oc}, {}};
  r.data.reserve(n * oc);
  for (int64_t b = 0; b < n; ++b)
    for (int64_t o = 0; o < oc; ++o) {
      double acc = biasAt(bias, o);
      for (int64_t i = 0; i < ic; ++i)
        acc += double(in.data[b * ic + i]) * double(wgt.data[o * ic + i]);
      r.data.push_back(float(acc));
    }
  return r;
}

FailureOr<Array> evalMatMul(tosa::MatMulOp op, const Env &env) {
  if (failed(noQuantization(op, op.getQuantizationInfoAttr())))
    return failure();
  FailureOr<const Array *> pa = getF32(op, op.getA(), env);
  FailureOr<const Array *> pb = getF32(op, op.getB(), env);
  if (failed(pa) || failed(pb) || failed(rankIs(op, **pa, 3, "a")) ||
      failed(rankIs(op, **pb, 3, "b")))
    return failure();
  const Array &a = **pa, &b = **pb;
  int64_t n = a.shape[0], h = a.shape[1], c = a.shape[2], w = b.shape[2];
  if (b.shape[0] != n || b.shape[1] != c) {
    op.emitError() << "evaluator: matmul of " << shapeString(a.shape) << " and "
                   << shapeString(b.shape);
    return failure();
  }
  Array r{{n, h, w}, {}};
  r.data.reserve(n * h * w);
  for (int64_t k = 0; k < n; ++k)
    for (int64_t i = 0; i < h; ++i)
      for (int64_t j = 0; j < w; ++j) {
        double acc = 0.0;
        for (int64_t l = 0; l < c; ++l)
          acc += double(a.data[(k * h + i) * c + l]) *
                 double(b.data[(k * c + l) * w + j]);
        r.data.push_back(float(acc));
      }
  return r;
}

FailureOr<Array> evalAvgPool2d(tosa::AvgPool2dOp op, const Env &env) {
  if (failed(noQuantization(op, op.getQuantizationInfoAttr())))
    return failure();
  if (!op.getAccType().isF32()) {
    op.emitError() << "evaluator: avg_pool2d acc_type " << op.getAccType()
                   << " is not supported (f32 only)";
    return failure();
  }
  FailureOr<const Array *> x = getF32(op, op.getInput(), env);
  if (failed(x) || failed(rankIs(op, **x, 4, "the input")))
    return failure();
  FailureOr<Window> w =
      window(op, op.getKernel(), op.getStride(), op.getPad(), {});
  if (failed(w))
    return failure();
  const Array &in = **x;
  int64_t h = in.shape[1], wd = in.shape[2], c = in.shape[3];
  // TOSA divides by the number of window positions inside the input: the
  // padding never counts.
  return pool(op, in, *w, [&](int64_t b, int64_t y0, int64_t x0, int64_t ch) {
    double acc = 0.0;
    int64_t count = 0;
    for (int64_t y = std::max<int64_t>(y0, 0); y < std::min(y0 + w->kh, h); ++y)
      for (int64_t xx = std::max<int64_t>(x0, 0); xx < std::min(x0 + w->kw, wd);
           ++xx) {
        acc += in.data[((b * h + y) * wd + xx) * c + ch];
        ++count;
      }
    return count ? float(acc / double(count)) : 0.0f;
  });
}

FailureOr<Array> evalMaxPool2d(tosa::MaxPool2dOp op, const Env &env) {
  FailureOr<const Array *> x = getF32(op, op.getInput(), env);
  if (failed(x) || failed(rankIs(op, **x, 4, "the input")))
    return failure();
  FailureOr<Window> w =
      window(op, op.getKernel(), op.getStride(), op.getPad(), {});
  if (failed(w))
    return failure();
  const Array &in = **x;
  int64_t h = in.shape[1], wd = in.shape[2], c = in.shape[3];
  return pool(op, in, *w, [&](int64_t b, int64_t y0, int64_t x0, int64_t ch) {
    float m = -std::numeric_limits<float>::infinity();
    for (int64_t y = std::max<int64_t>(y0, 0); y < std::min(y0 + w->kh, h); ++y)
      for (int64_t xx = std::max<int64_t>(x0, 0); xx < std::min(x0 + w->kw, wd);
           ++xx)
        m = std::max(m, in.data[((b * h + y) * wd + xx) * c + ch]);
    return m;
  });
}

} // namespace snnc::ann::detail
