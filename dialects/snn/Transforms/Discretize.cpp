//===- Discretize.cpp - snn-discretize
//--------------------------------------===//
//
// Replaces continuous neuron ops by snn.discrete_neuron for one dt and
// profile, element by element (parameters may differ per neuron), and
// records the rules the engines must follow on the network.
//
//===----------------------------------------------------------------------===//
#include "dialects/snn/Transforms/Passes.h"

#include "dialects/snn/IR/SNNDialect.h"
#include "dialects/snn/Transforms/Profiles.h"

#include "mlir/IR/Builders.h"
#include "llvm/ADT/TypeSwitch.h"

#include <cmath>

namespace snnc::snn {
#define GEN_PASS_DEF_SNNDISCRETIZE
#include "dialects/snn/Transforms/Passes.h.inc"
} // namespace snnc::snn

using namespace mlir;
using namespace snnc::snn;

namespace {

// Value k of a parameter (splats have one).
double elem(DenseFPElementsAttr a, int64_t k) {
  if (a.isSplat())
    return a.getSplatValue<APFloat>().convertToDouble();
  return (*(a.value_begin<APFloat>() + k)).convertToDouble();
}

DenseFPElementsAttr f32Attr(RankedTensorType shape, ArrayRef<float> v) {
  auto t = RankedTensorType::get(shape.getShape(),
                                 Float32Type::get(shape.getContext()));
  if (llvm::all_equal(v))
    return cast<DenseFPElementsAttr>(DenseElementsAttr::get(t, v.front()));
  return cast<DenseFPElementsAttr>(DenseElementsAttr::get(t, v));
}

DenseFPElementsAttr copyF32(RankedTensorType shape, DenseFPElementsAttr a) {
  std::vector<float> v(shape.getNumElements());
  for (size_t k = 0; k < v.size(); ++k)
    v[k] = float(elem(a, int64_t(k)));
  return f32Attr(shape, v);
}

struct Continuous {
  StringRef kind;
  DenseFPElementsAttr tauMem, tauSyn, r, vLeak, wIn, vThreshold, vReset;
};

std::optional<Continuous> describe(Operation *op) {
  return TypeSwitch<Operation *, std::optional<Continuous>>(op)
      .Case([](LIFOp o) {
        return Continuous{
            "lif",        o.getTau(), nullptr,           o.getR(),
            o.getVLeak(), nullptr,    o.getVThreshold(), o.getVReset()};
      })
      .Case([](CubaLIFOp o) {
        return Continuous{"cuba_lif",        o.getTauMem(), o.getTauSyn(),
                          o.getR(),          o.getVLeak(),  o.getWIn(),
                          o.getVThreshold(), o.getVReset()};
      })
      .Case([](IFOp o) {
        return Continuous{"if",    nullptr, nullptr,           o.getR(),
                          nullptr, nullptr, o.getVThreshold(), o.getVReset()};
      })
      .Case([](LIOp o) {
        return Continuous{"li",         o.getTau(), nullptr, o.getR(),
                          o.getVLeak(), nullptr,    nullptr, nullptr};
      })
      .Case([](CubaLIOp o) {
        return Continuous{"cuba_li",    o.getTauMem(), o.getTauSyn(), o.getR(),
                          o.getVLeak(), o.getWIn(),    nullptr,       nullptr};
      })
      .Case([](IntegratorOp o) {
        return Continuous{"integrator", nullptr, nullptr, o.getR(),
                          nullptr,      nullptr, nullptr, nullptr};
      })
      .Default([](Operation *) { return std::nullopt; });
}

struct DiscretizePass
    : public snnc::snn::impl::SNNDiscretizeBase<DiscretizePass> {
  using SNNDiscretizeBase::SNNDiscretizeBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    const Profile *p = findProfile(profile);
    if (!p) {
      module.emitError() << "unknown discretization profile '" << profile
                         << "'; known profiles: " << profileNames();
      return signalPassFailure();
    }
    if (!(dt > 0) || !std::isfinite(dt)) {
      module.emitError() << "dt must be a positive number of seconds, got "
                         << dt;
      return signalPassFailure();
    }
    if (!reset.empty() && reset != "zero" && reset != "subtract") {
      module.emitError() << "reset must be 'zero' or 'subtract', got '" << reset
                         << "'";
      return signalPassFailure();
    }
    subtract = reset.empty() ? p->subtractReset : reset == "subtract";
    // A kind whose default reset differs from the network's keeps its own
    // unless --reset names one for all.
    ifSubtracts = reset.empty() && p->ifSubtracts && !subtract;
    bool anySubtracts = subtract;
    if (ifSubtracts)
      module.walk([&](IFOp) { anySubtracts = true; });
    WalkResult r = module.walk([&](NetworkOp net) {
      if (net->hasAttr("snn.discretization")) {
        net.emitError() << "network @" << net.getSymName()
                        << " is already discretized";
        return WalkResult::interrupt();
      }
      Builder b(net.getContext());
      NamedAttrList d;
      d.append("profile", b.getStringAttr(p->name));
      d.append("dt", b.getF64FloatAttr(dt));
      d.append("reset", b.getStringAttr(subtract ? "subtract" : "zero"));
      d.append("reset_timing",
               b.getStringAttr(anySubtracts && p->carrySubtract ? "carry"
                                                                : "same_step"));
      d.append("comparison", b.getStringAttr(p->greaterEqual ? ">=" : ">"));
      d.append("cuba_order",
               b.getStringAttr(p->synapseFirst ? "synapse_first"
                                               : "membrane_first"));
      d.append("projection_delay", b.getI64IntegerAttr(p->projectionDelay));
      auto start = [&](Profile::BiasStart s) {
        return b.getStringAttr(s == Profile::Step0   ? "step0"
                               : s == Profile::Step1 ? "step1"
                                                     : "never");
      };
      // Absent: from step 0.
      if (p->feedForwardBias != Profile::Step0)
        d.append("bias_start", start(p->feedForwardBias));
      if (p->recurrentBias != Profile::Step0)
        d.append("recurrent_bias_start", start(p->recurrentBias));
      if (p->stateFracBits)
        d.append("state_frac_bits", b.getI64IntegerAttr(p->stateFracBits));
      if (p->multiSpike)
        d.append("multi_spike", b.getBoolAttr(true));
      if (p->synapseInputDecays)
        d.append("synapse_input_decays", b.getBoolAttr(true));
      if (p->ifLowerClamp)
        d.append("if_lower_clamp", b.getBoolAttr(true));
      if (p->delta != Profile::NoDelta)
        d.append("delta_form", b.getBoolAttr(true));
      net->setAttr("snn.discretization", d.getDictionary(net.getContext()));
      return WalkResult::advance();
    });
    if (r.wasInterrupted())
      return signalPassFailure();

    SmallVector<Operation *> neurons;
    SmallVector<ReceptorLIFOp> receptorNeurons;
    module.walk([&](Operation *op) {
      if (describe(op))
        neurons.push_back(op);
      if (auto r = dyn_cast<ReceptorLIFOp>(op))
        receptorNeurons.push_back(r);
    });
    for (Operation *op : neurons)
      rewrite(op, *p);
    for (ReceptorLIFOp op : receptorNeurons)
      if (failed(rewriteReceptorLIF(op, *p, dt)))
        return signalPassFailure();
  }

  void rewrite(Operation *op, const Profile &p);

  bool subtract = false;    ///< the network's reset rule
  bool ifSubtracts = false; ///< IF populations subtract (Profile::ifSubtracts)
};

} // namespace

void DiscretizePass::rewrite(Operation *op, const Profile &p) {
  Continuous c = *describe(op);
  auto type = cast<RankedTensorType>(op->getResult(0).getType());
  int64_t n = type.getNumElements();
  std::vector<float> alpha(n), beta(n), gs(n), gm(n), gd(n), leak(n);
  // The delta form's parameters (Profile::delta, leaky kinds).
  bool delta = false;
  std::vector<float> kMem(n), kSyn(n), r(n), wIn(n), vLeak(n), iLeak(n);
  for (int64_t k = 0; k < n; ++k) {
    ContinuousNeuron cn;
    if (c.tauMem)
      cn.tauMem = elem(c.tauMem, k);
    if (c.tauSyn)
      cn.tauSyn = elem(c.tauSyn, k);
    if (c.r)
      cn.r = elem(c.r, k);
    if (c.vLeak)
      cn.vLeak = elem(c.vLeak, k);
    if (c.wIn)
      cn.wIn = elem(c.wIn, k);
    // Coefficients in double, rounded to f32 once.
    DiscreteNeuron d = discretize(p, c.kind, dt, cn);
    alpha[k] = float(d.alpha);
    beta[k] = float(d.beta);
    gs[k] = float(d.gainSyn);
    gm[k] = float(d.gainMem);
    gd[k] = float(d.gainDirect);
    leak[k] = float(d.leak);
    delta = d.delta;
    kMem[k] = float(d.kMem);
    kSyn[k] = float(d.kSyn);
    r[k] = float(d.r);
    wIn[k] = float(d.wIn);
    vLeak[k] = float(d.vLeak);
    iLeak[k] = float(d.iLeak);
  }
  OpBuilder b(op);
  std::vector<float> zeros(n, 0.0f), inf(n, INFINITY);
  OperationState st(op->getLoc(), DiscreteNeuronOp::getOperationName());
  st.addOperands(op->getOperands());
  st.addTypes(type);
  st.addAttribute("name", op->getAttr("name"));
  st.addAttribute("kind", b.getStringAttr(c.kind));
  st.addAttribute("alpha", f32Attr(type, alpha));
  st.addAttribute("beta", f32Attr(type, beta));
  st.addAttribute("gain_syn", f32Attr(type, gs));
  st.addAttribute("gain_mem", f32Attr(type, gm));
  st.addAttribute("gain_direct", f32Attr(type, gd));
  st.addAttribute("leak", f32Attr(type, leak));
  // Non-spiking kinds never compare; keep a neutral finite threshold.
  st.addAttribute("v_threshold", c.vThreshold ? copyF32(type, c.vThreshold)
                                              : f32Attr(type, {1.0f}));
  st.addAttribute("v_reset",
                  c.vReset ? copyF32(type, c.vReset) : f32Attr(type, {0.0f}));
  st.addAttribute("v_init", f32Attr(type, zeros));
  if (c.kind == StringRef("if") && ifSubtracts)
    st.addAttribute("reset", b.getStringAttr("subtract"));
  if (delta)
    st.addAttribute(
        "delta",
        b.getDictionaryAttr({b.getNamedAttr("k_mem", f32Attr(type, kMem)),
                             b.getNamedAttr("k_syn", f32Attr(type, kSyn)),
                             b.getNamedAttr("r", f32Attr(type, r)),
                             b.getNamedAttr("w_in", f32Attr(type, wIn)),
                             b.getNamedAttr("v_leak", f32Attr(type, vLeak)),
                             b.getNamedAttr("i_leak", f32Attr(type, iLeak))}));
  Operation *repl = b.create(st);
  op->replaceAllUsesWith(repl);
  op->erase();
}
