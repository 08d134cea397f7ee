//===- DiscretizeReceptor.cpp - snn-discretize for receptor LIF neurons ---===//
//
// The per-step constants of a receptor LIF population, element by element,
// from the same continuous equations Brian2 and NEST integrate: the exact
// exponential integrator (profile `exact`) or forward Euler (`euler`).
// Conductance receptors make the equation nonlinear in v, so they have no
// exact integrator: they need `euler`, as Brian2 also chooses for them.
//
//===----------------------------------------------------------------------===//
#include "dialects/snn/IR/SNNDialect.h"
#include "dialects/snn/Transforms/Profiles.h"

#include "mlir/IR/Builders.h"

#include <cmath>

using namespace mlir;

namespace snnc::snn {
namespace {

// Element k of a float attribute or of a shaped dense parameter.
double at(Attribute a, int64_t k) {
  if (auto f = dyn_cast<FloatAttr>(a))
    return f.getValueAsDouble();
  auto d = cast<DenseFPElementsAttr>(a);
  if (d.isSplat())
    return d.getSplatValue<APFloat>().convertToDouble();
  return (*(d.value_begin<APFloat>() + k)).convertToDouble();
}

DenseFPElementsAttr f32(RankedTensorType shape, ArrayRef<float> v) {
  auto t = RankedTensorType::get(shape.getShape(),
                                 Float32Type::get(shape.getContext()));
  if (llvm::all_equal(v))
    return cast<DenseFPElementsAttr>(DenseElementsAttr::get(t, v.front()));
  return cast<DenseFPElementsAttr>(DenseElementsAttr::get(t, v));
}

struct AlphaCoefficients {
  double decay, gain, gainRise, rise;
};

// An alpha receptor's states over one step: the rise state y (which took
// the step's events) and the current g, tau dy/dt = -y,
// tau dg/dt = -g + e y, so g(s) = P(s) (g + (e/tau) y s) with
// P(s) = e^(-s/tau). The membrane, tau_m dv/dt = ... + r g, picks up
// (r/tau_m) e^(-dt/tau_m) times the integral of e^(s/tau_m) g(s) over the
// step: gain * g + gainRise * y. Euler takes one explicit step of each.
AlphaCoefficients alphaCoefficients(bool exact, double dt, double tm, double tk,
                                    double r) {
  const double e1 = std::exp(1.0);
  if (!exact)
    return {1.0 - dt / tk, r * dt / tm, 0.0, e1 * dt / tk};
  const double p = std::exp(-dt / tk), em = std::exp(-dt / tm);
  const double a = 1.0 / tm - 1.0 / tk;
  // A = int e^(a s) ds, B = int s e^(a s) ds over [0, dt]; their limits
  // when tau_k -> tau_m (a -> 0) are dt and dt^2 / 2.
  double A, B;
  if (std::abs(a * dt) < 1e-6) {
    A = dt * (1 + a * dt / 2);
    B = dt * dt * (0.5 + a * dt / 3);
  } else {
    const double ead = std::exp(a * dt);
    A = (ead - 1) / a;
    B = (ead * (a * dt - 1) + 1) / (a * a);
  }
  const double k = r / tm * em;
  return {p, k * A, k * (e1 / tk) * B, e1 / tk * dt * p};
}

} // namespace

LogicalResult rewriteReceptorLIF(ReceptorLIFOp op, const Profile &p,
                                 double dt) {
  // The other profiles name frameworks without such a neuron: their
  // conventions (reset timing, update order) say nothing about it.
  StringRef name = p.name;
  bool exact = name == "exact";
  if (!exact && name != "euler")
    return op.emitOpError()
           << "node '" << op.getName() << "': receptor_lif is discretized by "
           << "the 'exact' or 'euler' profile, not '" << p.name
           << "' (the framework of that profile has no such neuron)";
  RankedTensorType type = op.getType();
  int64_t n = type.getNumElements();
  std::vector<float> beta(n), leak(n), vinit(n), vth(n), vreset(n);
  for (int64_t k = 0; k < n; ++k) {
    double tm = at(op.getTauMem(), k), rest = at(op.getVRest(), k);
    double em = std::exp(-dt / tm);
    beta[k] = float(exact ? em : 1.0 - dt / tm);
    leak[k] = float(exact ? rest * (1.0 - em) : dt / tm * rest);
    vinit[k] = float(op.getVInit() ? at(*op.getVInit(), k) : rest);
    vth[k] = float(at(op.getVThreshold(), k));
    vreset[k] = float(at(op.getVReset(), k));
  }
  Builder b(op.getContext());
  SmallVector<Attribute> receptors;
  for (Attribute a : op.getReceptors()) {
    auto d = cast<DictionaryAttr>(a);
    StringRef kind = d.getAs<StringAttr>("type").getValue();
    bool conductance = kind == "conductance", delta = kind == "delta";
    bool injection = kind == "injection", alpha = kind == "alpha";
    if (conductance && exact)
      return op.emitOpError()
             << "node '" << op.getName() << "': conductance receptor '"
             << d.getAs<StringAttr>("name").getValue()
             << "' has no exact integrator (v multiplies g); compile with "
                "--profile euler";
    std::vector<float> decay(n), gain(n), reversal(n), gainRise(n), rise(n);
    for (int64_t k = 0; k < n; ++k) {
      if (delta) {
        // An event moves v by its weight at the start of the step, and the
        // moved v then decays with the membrane (Brian2's `on_pre: v += w`
        // before the next update): a gain of beta, under either
        // integrator, and nothing left for the next step.
        decay[k] = 0.0f;
        gain[k] = beta[k];
        continue;
      }
      double tm = at(op.getTauMem(), k), r = at(op.getR(), k);
      double em = std::exp(-dt / tm);
      if (injection) {
        // A current held over the step and gone after it: the exact
        // (zero-order hold) response r (1 - e^(-dt/tau_m)), or Euler's.
        decay[k] = 0.0f;
        gain[k] = float(exact ? r * (1.0 - em) : r * dt / tm);
        continue;
      }
      double tk = at(d.get("tau"), k);
      double ek = std::exp(-dt / tk);
      if (alpha) {
        AlphaCoefficients c = alphaCoefficients(exact, dt, tm, tk, r);
        decay[k] = float(c.decay);
        gain[k] = float(c.gain);
        gainRise[k] = float(c.gainRise);
        rise[k] = float(c.rise);
        continue;
      }
      decay[k] = float(exact ? ek : 1.0 - dt / tk);
      if (conductance) {
        gain[k] = float(dt / tm);
        reversal[k] = float(at(d.get("e_rev"), k));
      } else if (!exact) {
        gain[k] = float(r * dt / tm);
      } else if (std::abs(tk - tm) <= 1e-12 * tm) {
        // The limit of the expression below as tau_k -> tau_mem.
        gain[k] = float(r * dt / tm * em);
      } else {
        // v's response over one step to a unit g that decays meanwhile.
        gain[k] = float(r * tk / (tk - tm) * (ek - em));
      }
    }
    NamedAttrList out;
    out.append("name", d.get("name"));
    out.append("type", d.get("type"));
    out.append("decay", f32(type, decay));
    out.append("gain", f32(type, gain));
    if (conductance)
      out.append("reversal", f32(type, reversal));
    if (alpha) {
      out.append("gain_rise", f32(type, gainRise));
      out.append("rise", f32(type, rise));
    }
    receptors.push_back(out.getDictionary(op.getContext()));
  }
  double refr = op.getRefractory().convertToDouble() / dt;
  if (refr > 1e6)
    return op.emitOpError() << "node '" << op.getName() << "': refractory of "
                            << op.getRefractory().convertToDouble()
                            << " s is more than 10^6 steps of dt = " << dt;
  OpBuilder ob(op);
  auto repl = ob.create<DiscreteReceptorLIFOp>(
      op.getLoc(), type, op.getNameAttr(), op.getInputs(), f32(type, beta),
      f32(type, leak), f32(type, vth), f32(type, vreset), f32(type, vinit),
      op.getVInitDistAttr(), b.getI64IntegerAttr(std::llround(refr)),
      b.getArrayAttr(receptors));
  op.replaceAllUsesWith(repl.getResult());
  op.erase();
  return success();
}

} // namespace snnc::snn
