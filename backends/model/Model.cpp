//===- Model.cpp - Rearranging a verified artifact ------------------------===//
//
// Program::fromBytes has already checked every index and array length, so
// nothing here re-validates; it only copies, expands defaults and splits,
// and expands Procedural projections into the rows an explicit Sparse one
// with the same synapses would get (ModelRows.h).
//
//===----------------------------------------------------------------------===//
#include "Model.h"

#include "FixedPoint.h"
#include "ModelRows.h"
#include "PoissonSource.h"
#include "ProceduralRow.h"
#include "snnc/runtime/Procedural.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <type_traits>

namespace snnc::model {
namespace {

using snnb::NeuronKind;

/// Copies one parameter array: `n` values (expanding a shared one or the
/// default when the array is missing), or 1 when `shared`.
template <typename T, typename V>
std::vector<T> param(const V *v, uint32_t n, bool shared, T fallback) {
  if (!v || v->size() == 0)
    return std::vector<T>(shared ? 1 : n, fallback);
  if (v->size() == 1)
    return std::vector<T>(shared ? 1 : n, T(v->Get(0)));
  return std::vector<T>(v->begin(), v->end());
}

template <typename V> bool perNeuron(const V *v) { return v && v->size() > 1; }

FloatParams floatParams(const snnb::Population &p) {
  FloatParams f;
  const uint32_t n = p.size();
  f.shared = !(perNeuron(p.alpha()) || perNeuron(p.beta()) ||
               perNeuron(p.gain_syn()) || perNeuron(p.gain_mem()) ||
               perNeuron(p.gain_direct()) || perNeuron(p.leak()) ||
               perNeuron(p.bias()) || perNeuron(p.first_bias()) ||
               perNeuron(p.v_threshold()) || perNeuron(p.v_reset()));
  const snnb::DeltaForm *delta = p.delta();
  if (delta)
    f.shared =
        f.shared && !(perNeuron(delta->k_mem()) || perNeuron(delta->k_syn()) ||
                      perNeuron(delta->r()) || perNeuron(delta->w_in()) ||
                      perNeuron(delta->v_leak()) || perNeuron(delta->i_leak()));
  const bool s = f.shared;
  if (delta) {
    f.delta = true;
    f.kMem = param<float>(delta->k_mem(), n, s, 0.0f);
    f.kSyn = param<float>(delta->k_syn(), n, s, 0.0f);
    f.r = param<float>(delta->r(), n, s, 1.0f);
    f.wIn = param<float>(delta->w_in(), n, s, 1.0f);
    f.vLeak = param<float>(delta->v_leak(), n, s, 0.0f);
    f.iLeak = param<float>(delta->i_leak(), n, s, 0.0f);
  }
  f.alpha = param<float>(p.alpha(), n, s, 0.0f);
  f.beta = param<float>(p.beta(), n, s, 1.0f);
  f.gainSyn = param<float>(p.gain_syn(), n, s, 1.0f);
  f.gainMem = param<float>(p.gain_mem(), n, s, 1.0f);
  f.gainDirect = param<float>(p.gain_direct(), n, s, 0.0f);
  f.leak = param<float>(p.leak(), n, s, 0.0f);
  f.bias = param<float>(p.bias(), n, s, 0.0f);
  if (p.first_bias() && p.first_bias()->size())
    f.firstBias = param<float>(p.first_bias(), n, s, 0.0f);
  f.vThreshold = param<float>(p.v_threshold(), n, s, 1.0f);
  f.vReset = param<float>(p.v_reset(), n, s, 0.0f);
  f.vInit = param<float>(p.v_init(), n, false, 0.0f);
  return f;
}

FixedParams fixedParams(const snnb::Population &p) {
  FixedParams f;
  const snnb::FixedNeuron *fx = p.fixed();
  if (!fx) // float mode: never read
    return f;
  const uint32_t n = p.size();
  f.stateBits = fx->state_bits();
  f.fracBits = fx->frac_bits();
  f.shared = !(perNeuron(fx->decay_u()) || perNeuron(fx->decay_v()) ||
               perNeuron(fx->u_bias()) || perNeuron(fx->v_bias()) ||
               perNeuron(fx->v_threshold()) || perNeuron(fx->v_reset()));
  const bool s = f.shared;
  f.decayU = param<uint32_t>(fx->decay_u(), n, s, 0u);
  f.decayV = param<uint32_t>(fx->decay_v(), n, s, 0u);
  f.uBias = param<int32_t>(fx->u_bias(), n, s, 0);
  f.vBias = param<int32_t>(fx->v_bias(), n, s, 0);
  // A missing threshold means 1.0, as in float mode, in this scale.
  const int32_t one =
      int32_t(fixedpoint::toFixed(1.0f, f.fracBits, f.stateBits));
  f.vThreshold = param<int32_t>(fx->v_threshold(), n, s, one);
  f.vReset = param<int32_t>(fx->v_reset(), n, s, 0);
  f.vInit = param<int32_t>(fx->v_init(), n, false, 0);
  // The membrane can only ever hold state_bits values; clamping here keeps
  // the update loops free of that case.
  for (auto *v : {&f.vThreshold, &f.vReset, &f.vInit})
    for (int32_t &x : *v)
      x = int32_t(fixedpoint::saturate(x, f.stateBits));
  return f;
}

int64_t at(const flatbuffers::Vector<int64_t> *v, uint32_t i) {
  return v->Get(i);
}

Window convWindow(const snnb::Conv &c) {
  Window w;
  w.inC = at(c.in_shape(), 0), w.inH = at(c.in_shape(), 1);
  w.inW = at(c.in_shape(), 2);
  w.outC = at(c.out_shape(), 0), w.outH = at(c.out_shape(), 1);
  w.outW = at(c.out_shape(), 2);
  w.kh = at(c.kernel_shape(), 2), w.kw = at(c.kernel_shape(), 3);
  w.sh = at(c.stride(), 0), w.sw = at(c.stride(), 1);
  w.ph = at(c.padding(), 0), w.pw = at(c.padding(), 1);
  w.dh = at(c.dilation(), 0), w.dw = at(c.dilation(), 1);
  w.groups = c.groups();
  return w;
}

Window poolWindow(const snnb::Pool &p) {
  Window w;
  w.inC = at(p.in_shape(), 0), w.inH = at(p.in_shape(), 1);
  w.inW = at(p.in_shape(), 2);
  w.outC = at(p.out_shape(), 0), w.outH = at(p.out_shape(), 1);
  w.outW = at(p.out_shape(), 2);
  w.kh = at(p.kernel_size(), 0), w.kw = at(p.kernel_size(), 1);
  w.sh = at(p.stride(), 0), w.sw = at(p.stride(), 1);
  w.ph = at(p.padding(), 0), w.pw = at(p.padding(), 1);
  w.groups = w.inC; // each channel pools into itself
  return w;
}

/// Float weights, or fixed mantissas, of a weight array.
template <typename W>
std::vector<W> weights(const flatbuffers::Vector<float> *flt,
                       const snnb::Projection &pr) {
  if constexpr (std::is_same_v<W, float>) {
    return std::vector<W>(flt->begin(), flt->end());
  } else {
    auto *m = pr.fixed()->mantissas();
    return std::vector<W>(m->begin(), m->end());
  }
}

ReceptorModel receptorModel(const snnb::Receptor &r, uint32_t n) {
  ReceptorModel m;
  m.conductance = r.type() == snnb::ReceptorType::Conductance;
  m.alpha = r.type() == snnb::ReceptorType::Alpha;
  m.shared = !(perNeuron(r.decay()) || perNeuron(r.gain()) ||
               perNeuron(r.reversal()) || perNeuron(r.gain_rise()) ||
               perNeuron(r.rise()));
  m.decay = param<float>(r.decay(), n, m.shared, 1.0f);
  m.gain = param<float>(r.gain(), n, m.shared, 0.0f);
  m.reversal = param<float>(r.reversal(), n, m.shared, 0.0f);
  if (m.alpha) {
    m.gainRise = param<float>(r.gain_rise(), n, m.shared, 0.0f);
    m.rise = param<float>(r.rise(), n, m.shared, 0.0f);
  }
  return m;
}

/// One table per distinct lambda = rate * dt, shared by the neurons that
/// have it (PD14-like networks give one rate to a whole population).
PoissonModel poissonModel(const snnb::Population &p, double dt) {
  PoissonModel m;
  m.key = ref::philoxKey(p.seed());
  const auto *rates = p.rate();
  std::map<double, uint32_t> index;
  std::vector<uint32_t> of;
  for (float r : *rates) {
    const double lambda = ref::poissonLambda(r, dt);
    auto [it, inserted] = index.emplace(lambda, uint32_t(m.tables.size()));
    if (inserted) {
      ref::PoissonTable t = ref::poissonTable(lambda);
      m.tables.push_back({uint32_t(m.thresholds.size()),
                          uint32_t(t.thresholds.size()), t.first});
      m.thresholds.insert(m.thresholds.end(), t.thresholds.begin(),
                          t.thresholds.end());
    }
    of.push_back(it->second);
  }
  if (m.tables.size() > 1)
    m.tableOf = std::move(of);
  return m;
}

/// Leaves a regenerable Procedural projection unexpanded
/// (ProjectionModel::spec), with its delays folded as expandProcedural
/// folds them; random delays size the ring for their largest value.
void keepRule(procedural::ConnectSpec spec, ProjectionModel<float> &pj,
              uint32_t &longest) {
  if (spec.delay.kind == procedural::Distribution::Kind::Constant) {
    addConstantDelay(pj, procedural::delayToSteps(spec.delay.a, spec.dt),
                     longest);
  } else {
    const auto [lo, hi] = delayBounds(spec);
    const uint32_t baseLo =
        pj.delays.empty()
            ? pj.delay
            : *std::min_element(pj.delays.begin(), pj.delays.end());
    const uint32_t baseHi =
        pj.delays.empty()
            ? pj.delay
            : *std::max_element(pj.delays.begin(), pj.delays.end());
    pj.synapseDelays = true;
    pj.immediate = baseLo + lo == 0;
    longest = baseHi + hi;
  }
  pj.spec = std::move(spec);
}

} // namespace

std::vector<std::vector<Range>>
splitPopulations(const std::vector<uint32_t> &sizes, unsigned parts) {
  parts = std::max(parts, 1u);
  uint64_t total = 0;
  for (uint32_t n : sizes)
    total += n;
  std::vector<std::vector<Range>> out(sizes.size(), std::vector<Range>(parts));
  uint64_t start = 0; // of the population in the concatenation
  for (size_t p = 0; p < sizes.size(); ++p) {
    const uint64_t n = sizes[p];
    // Thread k's share of the concatenation begins at k * total / parts;
    // inside the population, that boundary moves to the nearest multiple
    // of 64 (the ends stay where they are).
    auto boundary = [&](unsigned k) -> uint32_t {
      if (k == 0)
        return 0;
      if (k == parts)
        return uint32_t(n);
      const uint64_t global = k * total / parts;
      const uint64_t local = global <= start ? 0 : global - start;
      return uint32_t(std::min(n, (local + 32) / 64 * 64));
    };
    for (unsigned k = 0; k < parts; ++k)
      out[p][k] = {boundary(k), boundary(k + 1)};
    start += n;
  }
  return out;
}

bool regenerable(const procedural::ConnectSpec &spec) {
  using procedural::Rule;
  using Kind = procedural::Distribution::Kind;
  const bool shortOutDegree = spec.rule == Rule::FixedOutDegree &&
                              spec.n <= ref::kMaxRegeneratedOutDegree;
  if (spec.rule != Rule::AllToAll && spec.rule != Rule::OneToOne &&
      spec.rule != Rule::FixedProbability && !shortOutDegree)
    return false;
  switch (spec.delay.kind) {
  case Kind::Constant:
  case Kind::Uniform:
    return true;
  case Kind::Normal:
    return std::isfinite(spec.delay.low) && std::isfinite(spec.delay.high);
  case Kind::Lognormal:
    return false;
  }
  return false;
}

std::pair<uint16_t, uint16_t> delayBounds(const procedural::ConnectSpec &spec) {
  using Kind = procedural::Distribution::Kind;
  const procedural::Distribution &d = spec.delay;
  // delayToSteps never decreases, so the ends of the values' range bound
  // the steps: Uniform draws in [a, b), a Normal keeps [low, high] (and
  // falls back to the mean clamped into it).
  double lo = d.a, hi = d.a;
  if (d.kind == Kind::Uniform) {
    lo = std::min(d.a, d.b);
    hi = std::max(d.a, d.b);
  } else if (d.kind == Kind::Normal) {
    lo = d.low;
    hi = d.high;
  }
  uint32_t top = procedural::delayToSteps(hi, spec.dt);
  // a + (b - a) * u may round up to b itself: one step of margin.
  if (d.kind == Kind::Uniform)
    top = std::min<uint32_t>(top + 1, 65535);
  return {procedural::delayToSteps(lo, spec.dt), uint16_t(top)};
}

template <typename W>
StatusOr<Model<W>> buildModel(const Program &prog, unsigned threads,
                              const char *backend, unsigned expandThreads,
                              const KeepProcedural &keepProcedural) {
  const snnb::Program &program = prog.fb();
  const unsigned workers = expandThreads ? expandThreads : threads;
  Model<W> m;
  m.fixed = program.mode() == snnb::NumericMode::Fixed;
  const snnb::Discretization &d = *program.discretization();
  m.rules.subtract = d.reset() == snnb::ResetMode::Subtract;
  m.rules.nextStep = d.reset_timing() == snnb::ResetTiming::NextStep;
  m.rules.carry =
      d.reset_timing() == snnb::ResetTiming::Carry && m.rules.subtract;
  m.rules.sameStep = !m.rules.nextStep && !m.rules.carry;
  m.rules.greaterEqual = d.comparison() == snnb::Comparison::GreaterEqual;
  m.rules.synapseFirst = d.cuba_order() == snnb::CubaOrder::SynapseFirst;
  m.rules.stateFracBits = d.state_frac_bits();
  m.rules.multiSpike = d.multi_spike();
  m.rules.synapseInputDecays = d.synapse_input_decays();
  m.rules.ifLowerClamp = d.if_lower_clamp();

  std::vector<uint32_t> sizes;
  for (const snnb::Population *p : *program.populations())
    sizes.push_back(p->size());
  const std::vector<std::vector<Range>> slices =
      splitPopulations(sizes, threads);
  for (const snnb::Population *p : *program.populations()) {
    PopulationModel pm;
    pm.kind = p->kind();
    pm.size = p->size();
    pm.spiking = pm.kind == NeuronKind::LIF || pm.kind == NeuronKind::CubaLIF ||
                 pm.kind == NeuronKind::IF ||
                 pm.kind == NeuronKind::Threshold ||
                 pm.kind == NeuronKind::ReceptorLIF ||
                 pm.kind == NeuronKind::PoissonSource;
    pm.counts = pm.kind == NeuronKind::PoissonSource;
    pm.multiSpike = m.rules.multiSpike &&
                    (pm.kind == NeuronKind::LIF || pm.kind == NeuronKind::IF ||
                     pm.kind == NeuronKind::CubaLIF);
    if (pm.counts)
      pm.poisson = poissonModel(*p, d.dt());
    pm.cuba = pm.kind == NeuronKind::CubaLIF || pm.kind == NeuronKind::CubaLI;
    if (pm.kind == NeuronKind::ReceptorLIF) {
      for (const snnb::Receptor *r : *p->receptors())
        pm.receptors.push_back(receptorModel(*r, pm.size));
      pm.channels = uint32_t(pm.receptors.size());
      pm.stateChannels = pm.channels;
      for (ReceptorModel &r : pm.receptors)
        if (r.alpha)
          r.riseSlot = pm.stateChannels++;
      pm.refractorySteps = p->refractory_steps();
    }
    pm.rules = m.rules;
    if (p->reset() != snnb::PopulationReset::Network) {
      pm.rules.subtract = p->reset() == snnb::PopulationReset::Subtract;
      pm.rules.carry =
          d.reset_timing() == snnb::ResetTiming::Carry && pm.rules.subtract;
      pm.rules.sameStep = !pm.rules.nextStep && !pm.rules.carry;
    }
    pm.slices = slices[m.populations.size()];
    if (m.fixed)
      pm.fix = fixedParams(*p);
    else
      pm.flt = floatParams(*p);
    m.populations.push_back(std::move(pm));
  }

  if (!program.projections())
    return m;
  // Bytes the rows of expanded Procedural projections hold so far.
  uint64_t resident = 0;
  for (uint32_t i = 0; i < program.projections()->size(); ++i) {
    const snnb::Projection &pr = *program.projections()->Get(i);
    ProjectionModel<W> pj;
    pj.source = pr.source();
    pj.target = pr.target();
    PopulationModel &src = m.populations[pj.source];
    PopulationModel &tgt = m.populations[pj.target];
    pj.sourceSize = src.size;
    pj.targetSize = tgt.size;
    pj.type = pr.connectivity_type();
    pj.receptor = pr.receptor();
    src.outgoing.push_back(i);

    const uint32_t extra = pr.recurrent() ? 1 : 0;
    uint32_t longest = 0;
    if (auto *dl = pr.delay_steps(); dl && dl->size() > 0) {
      const bool uniform = std::all_of(
          dl->begin(), dl->end(), [&](uint32_t x) { return x == dl->Get(0); });
      if (uniform) {
        pj.delay = dl->Get(0) + extra;
      } else {
        for (uint32_t x : *dl)
          pj.delays.push_back(x + extra);
      }
      longest = *std::max_element(dl->begin(), dl->end()) + extra;
    } else {
      pj.delay = longest = extra;
    }
    pj.immediate = pj.delays.empty() ? pj.delay == 0
                                     : *std::min_element(pj.delays.begin(),
                                                         pj.delays.end()) == 0;
    // Per-synapse delays decide both the ring depth and whether any event
    // arrives within its source's step.
    auto synapseDelays = [&](const uint32_t *rowStart, const uint16_t *d) {
      pj.synapseDelays = true;
      auto [fastest, slowest] =
          synapseDelayRange(src.size, rowStart, d, pj.delay, pj.delays);
      pj.immediate = fastest == 0;
      longest = slowest;
    };

    if (m.fixed) {
      pj.exponent = pr.fixed()->exponent();
      pj.sourceFracBits = src.fix.fracBits;
    }
    switch (pj.type) {
    case snnb::Connectivity::Dense:
      pj.dense = weights<W>(pr.connectivity_as_Dense()->weights(), pr);
      break;
    case snnb::Connectivity::Sparse: {
      const snnb::Sparse &sp = *pr.connectivity_as_Sparse();
      CsrView<W> v;
      v.sourceSize = src.size;
      v.rowStart = sp.row_start()->data();
      v.targets = sp.targets()->data();
      v.sharedWeight = sp.weights()->size() == 1;
      std::vector<W> mantissas; // fixed mode: widened from int16
      if constexpr (std::is_same_v<W, float>) {
        v.weights = sp.weights()->data();
      } else {
        mantissas = weights<W>(sp.weights(), pr);
        v.weights = mantissas.data();
      }
      if (sp.delays()) {
        v.delays = sp.delays()->data();
        synapseDelays(v.rowStart, v.delays);
      }
      pj.rows = splitRows(v, tgt.slices, workers);
      break;
    }
    case snnb::Connectivity::Procedural:
      if constexpr (std::is_same_v<W, float>) {
        if (keepProcedural) {
          procedural::ConnectSpec spec = prog.connectSpec(i);
          if (regenerable(spec) && keepProcedural(i, spec)) {
            keepRule(std::move(spec), pj, longest);
            break;
          }
        }
        if (Status s = expandProcedural(prog, i, tgt.slices, workers, resident,
                                        pj, longest, backend);
            !s)
          return s;
        resident += rowBytes(pj.rows);
      } else {
        return Status(StatusCode::kInternal,
                      std::string(backend) +
                          ": a fixed-mode Procedural projection passed the "
                          "loader");
      }
      break;
    case snnb::Connectivity::Conv:
      pj.window = convWindow(*pr.connectivity_as_Conv());
      pj.kernel = weights<W>(pr.connectivity_as_Conv()->kernel(), pr);
      break;
    case snnb::Connectivity::Pool:
      pj.window = poolWindow(*pr.connectivity_as_Pool());
      if constexpr (std::is_same_v<W, float>)
        pj.poolWeight = pr.connectivity_as_Pool()->scale();
      else
        pj.poolWeight = 1; // fixed pools add 2^exponent per unit of input
      break;
    default:
      break; // the verifier admits no other kind
    }
    // An immediate projection writes before its target reads this step's
    // slot, so a delay of d needs d + 1 slots. A deferred one writes after
    // every update of the step, when the target has consumed (and cleared)
    // this step's slot: d slots suffice, and a recurrent network with
    // one-step delays runs on a single slot, half the accumulator memory.
    tgt.ringSlots =
        std::max(tgt.ringSlots, pj.immediate ? longest + 1 : longest);
    m.projections.push_back(std::move(pj));
  }
  return m;
}

template StatusOr<Model<float>> buildModel<float>(const Program &, unsigned,
                                                  const char *, unsigned,
                                                  const KeepProcedural &);
template StatusOr<Model<int32_t>> buildModel<int32_t>(const Program &, unsigned,
                                                      const char *, unsigned,
                                                      const KeepProcedural &);

} // namespace snnc::model
