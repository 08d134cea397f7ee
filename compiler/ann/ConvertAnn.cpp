//===- ConvertAnn.cpp - func + TOSA to an snn.network ---------------------===//
//
// The walk's bookkeeping (ConvertAnnBuilder.h), the network container with
// its discretization, and the entry point. The per-op rules are in
// ConvertAnnOps.cpp, normalization in Normalize.cpp.
//
//===----------------------------------------------------------------------===//
#include "compiler/ann/ConvertAnnBuilder.h"

#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/Verifier.h"

using namespace mlir;

namespace snnc::ann::detail {

bool constFloats(Value v, SmallVectorImpl<float> &out) {
  auto c = v.getDefiningOp<tosa::ConstOp>();
  if (!c)
    return false;
  auto d = dyn_cast<DenseFPElementsAttr>(c.getValue());
  if (!d)
    return false;
  for (APFloat f : d.getValues<APFloat>())
    out.push_back(float(f.convertToDouble()));
  return true;
}

bool constInts(Value v, SmallVectorImpl<int64_t> &out) {
  auto c = v.getDefiningOp<tosa::ConstOp>();
  if (!c)
    return false;
  auto d = dyn_cast<DenseIntElementsAttr>(c.getValue());
  if (!d)
    return false;
  for (const APInt &i : d.getValues<APInt>())
    out.push_back(i.getSExtValue());
  return true;
}

bool allEqual(Value v, float x) {
  SmallVector<float> f;
  return constFloats(v, f) && llvm::all_of(f, [&](float y) { return y == x; });
}

std::string nodeName(Operation *op) {
  std::string out;
  op->getLoc()->walk([&](Location l) {
    if (auto n = dyn_cast<NameLoc>(l)) {
      out = n.getName().str();
      return WalkResult::interrupt();
    }
    return WalkResult::advance();
  });
  return out;
}

// Errors name the ONNX node: diagnostics on imported models print only
// the file, not the op.
InFlightDiagnostic convError(Operation *op) {
  InFlightDiagnostic d = op->emitError() << "ANN-to-SNN conversion: ";
  std::string n = nodeName(op);
  if (!n.empty())
    d << "node '" << n << "' ";
  d << "(" << op->getName() << "): ";
  return d;
}

std::string Builder::unique(std::string base, StringRef fallback) {
  if (base.empty())
    base = fallback.str();
  std::string name = base;
  for (int i = 1; used.contains(name); ++i)
    name = base + "_" + std::to_string(i);
  used.insert(name);
  return name;
}

FailureOr<Entry> Builder::get(Operation *op, Value v) {
  auto it = map.find(v);
  if (it != map.end())
    return it->second;
  InFlightDiagnostic d = convError(op)
                         << "reads a value the conversion cannot represent";
  if (Operation *def = v.getDefiningOp())
    d << " (made by '" << def->getName() << "')";
  return failure();
}

Operation *Builder::neuron(Operation *at, Value in, StringRef kind,
                           Structure &s, std::string name) {
  auto shape = cast<RankedTensorType>(in.getType()).getShape();
  name = unique(name.empty() ? nodeName(at) : name, kind);
  float vInit = opt.qcfs && kind == "if" ? 0.5f : 0.0f;
  auto op = b.create<snn::DiscreteNeuronOp>(
      at->getLoc(), type(shape), b.getStringAttr(name), ValueRange{in},
      b.getStringAttr(kind), splat(shape, 0), splat(shape, 1), splat(shape, 1),
      splat(shape, 1), splat(shape, 0), splat(shape, 0),
      splat(shape, kind == "integrator" ? integratorThreshold() : 1.0f),
      splat(shape, 0), splat(shape, vInit), /*reset=*/StringAttr(),
      /*delta=*/DictionaryAttr());
  Layer l;
  l.name = name;
  l.kind = kind.str();
  l.neuron = op;
  l.neurons = 1;
  for (int64_t d : shape)
    l.neurons *= d;
  s.layers.push_back(l);
  return op;
}

LogicalResult Builder::weightedInput(Operation *op, const Entry &in) {
  if (!in.pending)
    return success();
  return convError(op)
         << "this weighted layer reads the output of "
            "the weighted layer '"
         << in.pending->getAttrOfType<StringAttr>("name").getValue()
         << "' with no ReLU in between; every hidden layer needs a ReLU "
            "(tosa.clamp with min 0) to become a spiking population (fold "
            "consecutive linear layers in the ANN before exporting)";
}

// BatchNorm (and Gemm's separate bias) arrive as a per-channel multiply and
// add right after the weighted op; both fold into its weights and bias.
LogicalResult Builder::foldAffine(Operation *op, Entry &e, Value c,
                                  bool multiply) {
  Operation *w = e.pending;
  SmallVector<float> k;
  if (!w || w->getResult(0) != e.v || !constFloats(c, k))
    return convError(op) << "only a constant "
                            "per-channel multiply or add directly after a "
                            "weighted layer (a folded BatchNorm or bias) "
                            "is supported here";
  auto bias = w->getAttrOfType<DenseFPElementsAttr>("bias");
  auto weight = w->getAttrOfType<DenseFPElementsAttr>("weight");
  int64_t channels = bias.getNumElements();
  auto ct = cast<RankedTensorType>(c.getType());
  // The channel is dim 1 of the ANN value (NCHW or [1, N]).
  bool ok = !e.nhwc;
  for (int64_t i = 0; i < ct.getRank(); ++i)
    if (ct.getDimSize(i) != 1 && !(i == 1 && ct.getDimSize(i) == channels))
      ok = false;
  if (!ok)
    return convError(op) << "the constant must "
                            "hold one value or one per channel ("
                         << channels << ")";
  auto at = [&](int64_t ch) { return k.size() == 1 ? k[0] : k[ch]; };
  SmallVector<float> wv(weight.getValues<float>()), bv(bias.getValues<float>());
  int64_t per = int64_t(wv.size()) / channels;
  for (int64_t ch = 0; ch < channels; ++ch) {
    if (multiply) {
      for (int64_t i = 0; i < per; ++i)
        wv[ch * per + i] *= at(ch);
      bv[ch] *= at(ch);
    } else {
      bv[ch] += at(ch);
    }
  }
  w->setAttr("weight",
             DenseElementsAttr::get(weight.getType(), ArrayRef<float>(wv)));
  w->setAttr("bias",
             DenseElementsAttr::get(bias.getType(), ArrayRef<float>(bv)));
  return success();
}

// torch's "AveragePool then multiply by kh*kw" is a sum pool.
LogicalResult Builder::sumPool(Entry &e, Value c) {
  auto avg = e.v.getDefiningOp<snn::AvgPool2dOp>();
  SmallVector<float> k;
  if (!avg || !constFloats(c, k) || k.size() != 1)
    return failure();
  auto ks = avg.getKernelSize();
  if (k[0] != float(ks[0] * ks[1]))
    return failure();
  b.setInsertionPoint(avg);
  auto sum = b.create<snn::SumPool2dOp>(
      avg.getLoc(), avg.getType(), avg.getNameAttr(), avg.getInputs(),
      avg.getKernelSizeAttr(), avg.getStrideAttr(), avg.getPaddingAttr());
  b.setInsertionPointToEnd(sum->getBlock());
  avg.replaceAllUsesWith(sum.getResult());
  avg.erase();
  e.v = sum.getResult();
  return success();
}

LogicalResult Builder::run(Structure &s) {
  Layer in;
  in.name = "input";
  in.kind = "input";
  s.layers.push_back(in);
  if (func.getNumArguments() != 1)
    return func.emitError() << "ANN-to-SNN conversion supports one input, "
                               "the function has "
                            << func.getNumArguments();
  for (auto [i, arg] : llvm::enumerate(func.getArguments())) {
    auto t = dyn_cast<RankedTensorType>(arg.getType());
    if (!t || t.getRank() < 2 || t.getDimSize(0) != 1)
      return func.emitError()
             << "ANN-to-SNN conversion needs batch size 1; input " << i
             << " has type " << arg.getType()
             << " (export with a dynamic or unit batch dimension)";
    auto n = func.getArgAttrOfType<StringAttr>(i, "snn.name");
    std::string name = unique(n ? n.str() : "", "input");
    auto op = b.create<snn::InputOp>(
        func.getLoc(), type(t.getShape().drop_front()), b.getStringAttr(name));
    s.layers[0].name = name;
    s.layers[0].annValue = arg;
    s.layers[0].neurons = t.getNumElements();
    map[arg] = Entry{op.getResult(), false, false, 0, nullptr};
  }
  for (auto [i, t] : llvm::enumerate(func.getResultTypes()))
    if (auto n = func.getResultAttrOfType<StringAttr>(i, "snn.name"))
      used.insert(n.getValue());
  for (Operation &op : func.getBody().front())
    if (failed(visit(&op, s)))
      return failure();
  return success();
}

int64_t synapseCount(Operation *w) {
  auto wt = cast<DenseFPElementsAttr>(w->getAttr("weight")).getType();
  if (isa<snn::AffineOp>(w))
    return wt.getNumElements();
  auto out = cast<RankedTensorType>(w->getResult(0).getType());
  // Each output neuron sums I * kh * kw inputs.
  return out.getNumElements() / wt.getDimSize(0) * wt.getNumElements();
}

FailureOr<Structure> buildNetwork(ModuleOp module,
                                  const ConvertOptions &options) {
  Structure s;
  for (auto f : module.getOps<func::FuncOp>()) {
    if (s.func)
      return f.emitError() << "ANN-to-SNN conversion expects one function";
    s.func = f;
  }
  if (!s.func)
    return module.emitError()
           << "ANN-to-SNN conversion: the module has no func.func (convert "
              "an imported ONNX model)";
  OpBuilder mb(module.getBodyRegion());
  mb.setInsertionPointToEnd(module.getBody());
  OperationState st(s.func.getLoc(), snn::NetworkOp::getOperationName());
  st.addAttribute("sym_name", mb.getStringAttr(s.func.getSymName()));
  st.addRegion()->emplaceBlock();
  auto net = cast<snn::NetworkOp>(mb.create(st));
  Builder builder(s.func, net, options);
  if (failed(builder.run(s)))
    return failure();
  bool anyIf = llvm::any_of(
      s.layers, [](const Layer &l) { return l.kind == "if" && !l.readout; });
  if (!anyIf)
    s.warnings.push_back("the network has no hidden ReLU layer: it is a "
                         "single linear readout of the input");
  MLIRContext *ctx = module.getContext();
  NamedAttrList d;
  OpBuilder ab(ctx);
  d.append("profile", ab.getStringAttr("ann-conversion"));
  d.append("dt", ab.getF64FloatAttr(1.0));
  d.append("reset", ab.getStringAttr("subtract"));
  d.append("reset_timing", ab.getStringAttr("same_step"));
  d.append("comparison", ab.getStringAttr(">="));
  d.append("cuba_order", ab.getStringAttr("membrane_first"));
  d.append("projection_delay", ab.getI64IntegerAttr(0));
  net->setAttr("snn.discretization", d.getDictionary(ctx));
  return s;
}

} // namespace snnc::ann::detail

namespace snnc::ann {

LogicalResult convertAnn(ModuleOp module, const ConvertOptions &options,
                         const Array *calibration, ConvertReport *report) {
  module.getContext()->loadDialect<snn::SNNDialect>();
  if (options.norm != "max" && options.norm != "p99.9")
    return module.emitError()
           << "--norm must be 'max' or 'p99.9', not '" << options.norm << "'";
  if (options.readout != "membrane" && options.readout != "count")
    return module.emitError() << "--readout must be 'membrane' or 'count'";
  if (options.inputEncoding != "current" && options.inputEncoding != "rate")
    return module.emitError() << "--input-encoding must be 'current' or "
                                 "'rate'";
  FailureOr<detail::Structure> s = detail::buildNetwork(module, options);
  if (failed(s))
    return failure();
  ConvertReport local;
  ConvertReport &r = report ? *report : local;
  if (failed(detail::normalize(*s, options, calibration, r)))
    return failure();
  s->func.erase();
  return verify(module);
}

} // namespace snnc::ann
