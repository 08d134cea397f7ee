//===- ConvertAnnOps.cpp - What each TOSA op becomes ----------------------===//
#include "compiler/ann/ConvertAnnBuilder.h"

#include "mlir/Dialect/Tosa/IR/TosaOps.h"

#include <limits>

using namespace mlir;

namespace snnc::ann::detail {

LogicalResult Builder::visit(Operation *op, Structure &s) {
  auto fail = [&](const Twine &why) { return convError(op) << why; };
  auto result = [&](ArrayRef<int64_t> annShape, bool nhwc) {
    // The snn value has the ANN's channel-first shape without the batch.
    SmallVector<int64_t> s(annShape.drop_front());
    if (nhwc && s.size() == 3)
      s = {s[2], s[0], s[1]};
    return s;
  };
  if (isa<tosa::ConstOp>(op))
    return success();
  if (auto t = dyn_cast<tosa::TransposeOp>(op)) {
    SmallVector<int64_t> p;
    FailureOr<Entry> e = get(op, t.getInput1());
    if (failed(e) || !constInts(t.getPerms(), p))
      return failure();
    bool toNhwc = p == SmallVector<int64_t>{0, 2, 3, 1};
    bool toNchw = p == SmallVector<int64_t>{0, 3, 1, 2};
    if ((!toNhwc && !toNchw) || e->nhwc == toNhwc)
      return fail("only the NCHW<->NHWC transposes around convolutions and "
                  "pools are supported");
    e->nhwc = toNhwc;
    map[t.getResult()] = *e;
    return success();
  }
  if (isa<tosa::Conv2DOp, tosa::FullyConnectedOp>(op)) {
    FailureOr<Entry> e = get(op, op->getOperand(0));
    if (failed(e) || failed(weightedInput(op, *e)))
      return failure();
    SmallVector<float> w, bias;
    if (!constFloats(op->getOperand(1), w) ||
        !constFloats(op->getOperand(2), bias))
      return fail("weight and bias must be constants");
    auto wt = cast<RankedTensorType>(op->getOperand(1).getType());
    auto out = cast<RankedTensorType>(op->getResult(0).getType());
    std::string name = unique(nodeName(op), "layer");
    Operation *made;
    if (auto c = dyn_cast<tosa::Conv2DOp>(op)) {
      auto pad = c.getPad();
      if (!e->nhwc)
        return fail("the convolution's input is not in NHWC layout");
      if (pad[0] != pad[1] || pad[2] != pad[3])
        return fail("asymmetric padding (top " + Twine(pad[0]) + ", bottom " +
                    Twine(pad[1]) + ", left " + Twine(pad[2]) + ", right " +
                    Twine(pad[3]) + ") has no snn.conv2d equivalent");
      // [O, kh, kw, I] -> [O, I, kh, kw]
      int64_t O = wt.getDimSize(0), KH = wt.getDimSize(1),
              KW = wt.getDimSize(2), I = wt.getDimSize(3);
      SmallVector<float> oihw(w.size());
      for (int64_t o = 0; o < O; ++o)
        for (int64_t y = 0; y < KH; ++y)
          for (int64_t x = 0; x < KW; ++x)
            for (int64_t i = 0; i < I; ++i)
              oihw[((o * I + i) * KH + y) * KW + x] =
                  w[((o * KH + y) * KW + x) * I + i];
      made = b.create<snn::Conv2dOp>(
          op->getLoc(), type(result(out.getShape(), true)),
          b.getStringAttr(name), ValueRange{e->v}, dense({O, I, KH, KW}, oihw),
          dense({O}, bias), b.getDenseI64ArrayAttr(c.getStride()),
          b.getDenseI64ArrayAttr({pad[0], pad[2]}),
          b.getDenseI64ArrayAttr(c.getDilation()), b.getI64IntegerAttr(1));
    } else {
      if (out.getRank() != 2)
        return fail("fully_connected must produce [1, N]");
      made = b.create<snn::AffineOp>(op->getLoc(), type({out.getDimSize(1)}),
                                     b.getStringAttr(name), ValueRange{e->v},
                                     dense(wt.getShape(), w),
                                     dense({out.getDimSize(1)}, bias));
    }
    map[op->getResult(0)] =
        Entry{made->getResult(0), e->nhwc, false, e->src, made};
    return success();
  }
  if (isa<tosa::AvgPool2dOp, tosa::MaxPool2dOp>(op)) {
    FailureOr<Entry> e = get(op, op->getOperand(0));
    if (failed(e))
      return failure();
    auto kernel = op->getAttrOfType<DenseI64ArrayAttr>("kernel");
    auto stride = op->getAttrOfType<DenseI64ArrayAttr>("stride");
    auto pad = op->getAttrOfType<DenseI64ArrayAttr>("pad").asArrayRef();
    if (!e->nhwc)
      return fail("the pool's input is not in NHWC layout");
    if (llvm::any_of(pad, [](int64_t p) { return p != 0; }))
      return fail("padded pools are not supported (TOSA excludes the "
                  "padding from the divisor, a spiking pool cannot)");
    auto out = cast<RankedTensorType>(op->getResult(0).getType());
    std::string name = unique(nodeName(op), "pool");
    if (isa<tosa::MaxPool2dOp>(op))
      s.warnings.push_back(
          "max pooling '" + name +
          "' is converted to average pooling of the spikes (rates are "
          "averaged, not maximized); expect some accuracy loss");
    auto made = b.create<snn::AvgPool2dOp>(
        op->getLoc(), type(result(out.getShape(), true)), b.getStringAttr(name),
        ValueRange{e->v}, kernel, stride, b.getDenseI64ArrayAttr({0, 0}));
    Entry r = *e;
    r.v = made.getResult();
    map[op->getResult(0)] = r;
    return success();
  }
  if (auto p = dyn_cast<tosa::PadOp>(op)) {
    FailureOr<Entry> e = get(op, p.getInput1());
    SmallVector<int64_t> pads;
    if (failed(e))
      return failure();
    if (!constInts(p.getPadding(), pads) ||
        llvm::any_of(pads, [](int64_t x) { return x != 0; }))
      return fail("only an all-zero tosa.pad (a no-op) is supported");
    map[p.getResult()] = *e;
    return success();
  }
  if (auto r = dyn_cast<tosa::ReshapeOp>(op)) {
    FailureOr<Entry> e = get(op, r.getInput1());
    if (failed(e))
      return failure();
    auto inT = cast<RankedTensorType>(r.getInput1().getType());
    auto outT = r.getOutput().getType();
    if (inT == outT) {
      map[r.getResult()] = *e;
      return success();
    }
    if (outT.getRank() != 2 || outT.getDimSize(0) != 1 || e->nhwc)
      return fail("only flattening a channel-first value to [1, N] is "
                  "supported");
    Entry f = *e;
    auto made = b.create<snn::FlattenOp>(
        op->getLoc(), type({outT.getDimSize(1)}),
        b.getStringAttr(unique(nodeName(op), "flatten")), ValueRange{e->v},
        b.getI64IntegerAttr(0), b.getI64IntegerAttr(-1));
    f.v = made.getResult();
    map[r.getResult()] = f;
    return success();
  }
  if (auto c = dyn_cast<tosa::ClampOp>(op)) {
    FailureOr<Entry> e = get(op, c.getInput());
    if (failed(e))
      return failure();
    double lo = c.getMinFp().convertToDouble();
    double hi = c.getMaxFp().convertToDouble();
    bool unbounded = hi >= double(std::numeric_limits<float>::max());
    if (lo != 0)
      return fail("only ReLU-style clamps (min 0) become spiking neurons; "
                  "this one has min " +
                  Twine(std::to_string(lo)));
    if (e->nonneg && unbounded) {
      map[c.getResult()] = *e; // ReLU of a non-negative value
      return success();
    }
    if (!e->pending)
      return fail("a ReLU needs a weighted layer (convolution or fully "
                  "connected) before it to become a spiking population");
    Operation *n = neuron(op, e->v, "if", s);
    Layer &l = s.layers.back();
    l.annValue = c.getResult();
    l.weighted.push_back(e->pending);
    l.src = e->src;
    if (!unbounded)
      l.note = "clip at " + std::to_string(hi) +
               " (lambda is limited to it; IF rates saturate at 1 per step)";
    map[c.getResult()] = Entry{n->getResult(0), e->nhwc, true,
                               int(s.layers.size()) - 1, nullptr};
    return success();
  }
  if (auto p = dyn_cast<tosa::PowOp>(op)) {
    FailureOr<Entry> e = get(op, p.getInput1());
    if (failed(e))
      return failure();
    if (!allEqual(p.getInput2(), 1.0f))
      return fail("tosa.pow is supported only with exponent 1 (LpPool with "
                  "p = 1)");
    map[p.getResult()] = *e;
    return success();
  }
  if (auto a = dyn_cast<tosa::AbsOp>(op)) {
    FailureOr<Entry> e = get(op, a.getInput1());
    if (failed(e))
      return failure();
    if (!e->nonneg)
      return fail("abs of a value not known to be non-negative (no ReLU "
                  "before it) cannot be converted");
    map[a.getResult()] = *e;
    return success();
  }
  if (isa<tosa::GreaterOp>(op))
    return success(); // read only by the Sign pattern below
  if (auto sel = dyn_cast<tosa::SelectOp>(op)) {
    // Sign(y) = select(y > 0, 1, select(0 > y, -1, 0)): on y >= 0 the
    // inner select never matters.
    auto g = sel.getPred().getDefiningOp<tosa::GreaterOp>();
    if (g && allEqual(g.getInput2(), 0.0f) && allEqual(sel.getOnTrue(), 1.0f))
      signOf[sel.getResult()] = g.getInput1();
    else if (!g || !allEqual(g.getInput1(), 0.0f))
      return fail("only the Sign pattern (select of comparisons with 0) is "
                  "supported");
    return success();
  }
  if (auto m = dyn_cast<tosa::MulOp>(op)) {
    Value x = m.getInput1(), y = m.getInput2();
    if (signOf.count(y))
      std::swap(x, y);
    if (auto it = signOf.find(x); it != signOf.end()) {
      FailureOr<Entry> sy = get(op, it->second), ey = get(op, y);
      if (failed(sy) || failed(ey))
        return failure();
      if (!sy->nonneg || sy->v != ey->v)
        return fail("Sign(y) * z is supported only as Sign(y) * |y| with y "
                    "known non-negative (a ReLU before it)");
      map[m.getResult()] = *ey;
      return success();
    }
    if (x.getDefiningOp<tosa::ConstOp>())
      std::swap(x, y);
    FailureOr<Entry> e = get(op, x);
    if (failed(e))
      return failure();
    if (succeeded(sumPool(*e, y))) {
      map[m.getResult()] = *e;
      return success();
    }
    if (failed(foldAffine(op, *e, y, /*multiply=*/true)))
      return failure();
    map[m.getResult()] = *e;
    return success();
  }
  if (auto a = dyn_cast<tosa::AddOp>(op)) {
    Value x = a.getInput1(), y = a.getInput2();
    if (x.getDefiningOp<tosa::ConstOp>())
      std::swap(x, y);
    FailureOr<Entry> e = get(op, x);
    if (failed(e) || failed(foldAffine(op, *e, y, /*multiply=*/false)))
      return failure();
    map[a.getResult()] = *e;
    return success();
  }
  if (auto r = dyn_cast<func::ReturnOp>(op)) {
    for (auto [i, v] : llvm::enumerate(r.getOperands())) {
      FailureOr<Entry> e = get(op, v);
      if (failed(e))
        return failure();
      auto n = func.getResultAttrOfType<StringAttr>(i, "snn.name");
      std::string port = n ? n.str() : "output" + std::to_string(i);
      Value out = e->v;
      bool isNeuron = out.getDefiningOp<snn::DiscreteNeuronOp>() != nullptr;
      if (e->pending) {
        // The last layer has no ReLU: it becomes the readout population.
        Operation *n2 =
            neuron(e->pending, out,
                   opt.readout == "count" ? "if" : "integrator", s, "readout");
        Layer &l = s.layers.back();
        l.annValue = v;
        l.weighted.push_back(e->pending);
        l.src = e->src;
        l.readout = true;
        out = n2->getResult(0);
      } else if (isNeuron) {
        // The ANN ends in a ReLU: that population is the readout.
        auto nop = out.getDefiningOp<snn::DiscreteNeuronOp>();
        for (Layer &l : s.layers)
          if (l.neuron == nop.getOperation()) {
            l.readout = true;
            if (opt.readout == "membrane") {
              l.kind = "integrator";
              nop.setKindAttr(b.getStringAttr("integrator"));
              nop.setVInitAttr(splat(nop.getType().getShape(), 0));
              nop.setVThresholdAttr(
                  splat(nop.getType().getShape(), integratorThreshold()));
              l.note = "the final ReLU is dropped: membrane readout of its "
                       "input";
            }
          }
      } else {
        return fail("the output '" + port +
                    "' is not made by a layer (nothing to read out)");
      }
      b.create<snn::OutputOp>(op->getLoc(), b.getStringAttr(port),
                              ValueRange{out}, TypeAttr::get(out.getType()));
    }
    return success();
  }
  return fail("unsupported op '" + op->getName().getStringRef() +
              "'; supported: tosa.fully_connected, conv2d, avg_pool2d, "
              "max_pool2d, clamp (ReLU), reshape (flatten), transpose, pad "
              "(zeros), mul/add (folded BatchNorm, sum-pool scale), and the "
              "LpPool(p = 1) spelling");
}

} // namespace snnc::ann::detail
