//===- ArtifactExport.cpp - A compiled network as a peer's description ----===//
#include "ArtifactExport.h"

#include "snnc/runtime/Procedural.h"
#include "snnc/schema/snnb_generated.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>

namespace snnc::bench {
namespace {

namespace sb = snnc::snnb;
using FloatVec = flatbuffers::Vector<float>;

std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.9g", v);
  return buf;
}

/// Collects the one value every neuron of every population shares for each
/// parameter; the first disagreement is the error.
class Uniform {
public:
  explicit Uniform(std::string *error) : error_(error) {}

  /// `v` (one value, one per neuron, or absent = `fallback`) of population
  /// `pop` must equal what earlier populations gave for `what`.
  bool take(const std::string &what, const std::string &pop, const FloatVec *v,
            double fallback, double &slot, bool &seen) {
    const size_t n = v ? v->size() : 0;
    for (size_t i = 0; i < std::max<size_t>(n, 1); ++i) {
      const double x = n ? double(v->Get(uint32_t(i))) : fallback;
      if (!seen) {
        slot = x, seen = true;
      } else if (x != slot) {
        *error_ = "population '" + pop + "': " + what + " of neuron " +
                  std::to_string(i) + " is " + num(x) + ", not " + num(slot) +
                  " as elsewhere; the peer's description holds one neuron " +
                  "model for all neurons (compile a homogeneous network)";
        return false;
      }
    }
    return true;
  }

private:
  std::string *error_;
};

struct Params {
  double beta = 0, leak = 0, vth = 0, vreset = 0, refr = 0, gainMem = 0;
  bool seen[6] = {};
  std::vector<double> decay, gain, reversal;
  std::vector<std::array<bool, 3>> seenR;
};

/// Continuous time constant from a per-step decay under `exact`/`euler`.
double tauOf(double decay, double dt, bool exact) {
  return exact ? -dt / std::log(decay) : dt / (1.0 - decay);
}

/// The per-step gain of a receptor with r = 1 (the compiler's formula,
/// dialects/snn/Transforms/DiscretizeReceptor.cpp, docs/benchmarks.md).
double unitGain(bool conductance, bool exact, double dt, double tm, double tk) {
  if (conductance || !exact)
    return dt / tm;
  const double em = std::exp(-dt / tm), ek = std::exp(-dt / tk);
  if (std::abs(tk - tm) <= 1e-12 * tm)
    return dt / tm * em;
  return tk / (tk - tm) * (ek - em);
}

procedural::Distribution distributionOf(const sb::Distribution *d) {
  procedural::Distribution out;
  if (!d)
    return out;
  out.kind = procedural::Distribution::Kind(int(d->kind()));
  out.a = d->a(), out.b = d->b(), out.low = d->low(), out.high = d->high();
  return out;
}

/// The CSR synapses of a Sparse projection, or of a Procedural one expanded
/// by the runtime's generator (the engine's expansion at load uses the
/// same). Returns "" or what is wrong.
std::string synapsesOf(const sb::Projection &pj, const sb::Program &fb,
                       double dt, procedural::Synapses &out) {
  if (const sb::Sparse *sp = pj.connectivity_as_Sparse()) {
    out.rowStart.assign(sp->row_start()->begin(), sp->row_start()->end());
    out.targets.assign(sp->targets()->begin(), sp->targets()->end());
    out.weights.assign(sp->weights()->begin(), sp->weights()->end());
    if (sp->delays())
      out.delaySteps.assign(sp->delays()->begin(), sp->delays()->end());
    return "";
  }
  const sb::Procedural *pr = pj.connectivity_as_Procedural();
  if (!pr)
    return std::string("is ") +
           sb::EnumNameConnectivity(pj.connectivity_type()) +
           "; the description holds synapse lists (Sparse or Procedural)";
  // The schema's enums list the rules and kinds in the library's order.
  procedural::ConnectSpec spec;
  spec.rule = procedural::Rule(int(pr->rule()));
  spec.p = pr->p();
  spec.n = pr->n();
  spec.allowAutapses = pr->allow_autapses();
  spec.allowMultapses = pr->allow_multapses();
  spec.samePopulation = pr->same_population();
  spec.nPre = fb.populations()->Get(pj.source())->size();
  spec.nPost = fb.populations()->Get(pj.target())->size();
  spec.weight = distributionOf(pr->weight());
  spec.delay = distributionOf(pr->delay());
  spec.dt = dt;
  spec.seed = pr->seed();
  auto syn = procedural::expand(spec, 0, uint64_t(8) << 30);
  if (!syn.isOk())
    return syn.status().toString();
  out = std::move(*syn);
  return "";
}

} // namespace

std::optional<NetworkSpec>
networkFromArtifact(const Program &program, double duration, std::string *error,
                    std::vector<std::string> *notes) {
  const sb::Program &fb = program.fb();
  const std::string origin = program.origin();
  auto fail = [&](std::string message) {
    *error = origin + ": " + std::move(message);
    return std::nullopt;
  };
  if (fb.mode() != sb::NumericMode::Float)
    return fail("is a fixed-mode artifact; export a float-mode one (the peer "
                "integrates in floating point)");
  const sb::Discretization *disc = fb.discretization();
  const std::string profile = program.profile();
  if (profile != "exact" && profile != "euler")
    return fail("profile '" + profile + "' has no continuous counterpart the " +
                "peer integrates; compile with --profile exact or euler");
  if (disc && disc->reset() != sb::ResetMode::ToReset)
    return fail("resets by subtraction; the peer's model sets v = v_reset "
                "(compile without --reset subtract)");
  if (disc && disc->reset_timing() != sb::ResetTiming::SameStep)
    return fail(std::string("applies its reset with timing '") +
                sb::EnumNameResetTiming(disc->reset_timing()) +
                "'; the peer's model resets in the step of the spike");
  if (disc && disc->comparison() != sb::Comparison::Greater)
    return fail("spikes when v >= threshold; the peer's model spikes when "
                "v > threshold");
  const bool exact = profile == "exact";
  const double dt = program.dt();

  NetworkSpec net;
  net.name = fb.network() ? fb.network()->str() : "network";
  net.dt = dt;
  net.duration = duration;
  net.neuron.method = profile;
  Uniform same(error);
  Params p;
  const auto *pops = fb.populations();
  if (!pops || pops->size() == 0)
    return fail("holds no populations");
  sb::NeuronKind kind = pops->Get(0)->kind();
  for (const sb::Population *pop : *pops) {
    const std::string name = pop->name() ? pop->name()->str() : "?";
    if (pop->kind() != sb::NeuronKind::LIF &&
        pop->kind() != sb::NeuronKind::ReceptorLIF)
      return fail("population '" + name + "' is a " +
                  sb::EnumNameNeuronKind(pop->kind()) +
                  "; the description holds LIF or ReceptorLIF neurons");
    if (pop->kind() != kind)
      return fail("population '" + name + "' is a " +
                  sb::EnumNameNeuronKind(pop->kind()) + ", population '" +
                  pops->Get(0)->name()->str() + "' a " +
                  sb::EnumNameNeuronKind(kind) + "; all must be one kind");
    if (pop->bias())
      for (float b : *pop->bias())
        if (b != 0)
          return fail("population '" + name + "' has a bias of " + num(b) +
                      "; the description has none");
    if (!same.take("beta", name, pop->beta(), 1.0, p.beta, p.seen[0]) ||
        !same.take("leak", name, pop->leak(), 0.0, p.leak, p.seen[1]) ||
        !same.take("v_threshold", name, pop->v_threshold(), 0.0, p.vth,
                   p.seen[2]) ||
        !same.take("v_reset", name, pop->v_reset(), 0.0, p.vreset, p.seen[3]))
      return fail(*error);
    double refr = pop->refractory_steps();
    if (p.seen[4] && refr != p.refr)
      return fail("population '" + name + "': refractory_steps " + num(refr) +
                  ", not " + num(p.refr) + " as elsewhere");
    p.refr = refr, p.seen[4] = true;
    if (kind == sb::NeuronKind::LIF &&
        !same.take("gain_mem", name, pop->gain_mem(), 1.0, p.gainMem,
                   p.seen[5]))
      return fail(*error);
    const auto *rs = pop->receptors();
    const size_t nr = rs ? rs->size() : 0;
    if (pop == pops->Get(0)) {
      p.decay.resize(nr), p.gain.resize(nr), p.reversal.resize(nr);
      p.seenR.assign(nr, {false, false, false});
      for (size_t k = 0; k < nr; ++k) {
        const sb::Receptor *r = rs->Get(uint32_t(k));
        ReceptorSpec spec;
        spec.name = r->name() ? r->name()->str() : "r" + std::to_string(k);
        spec.conductance = r->type() == sb::ReceptorType::Conductance;
        net.neuron.receptors.push_back(spec);
      }
    } else if (nr != net.neuron.receptors.size()) {
      return fail("population '" + name + "' has " + std::to_string(nr) +
                  " receptors, the first population " +
                  std::to_string(net.neuron.receptors.size()));
    }
    for (size_t k = 0; k < nr; ++k) {
      const sb::Receptor *r = rs->Get(uint32_t(k));
      if (r->type() == sb::ReceptorType::Alpha)
        return fail("population '" + name + "': receptor " + std::to_string(k) +
                    " is an alpha receptor, which this export does not "
                    "write");
      const ReceptorSpec &spec = net.neuron.receptors[k];
      const std::string rn = "receptor '" + spec.name + "' ";
      if ((r->name() ? r->name()->str() : spec.name) != spec.name ||
          (r->type() == sb::ReceptorType::Conductance) != spec.conductance)
        return fail("population '" + name + "': receptor " + std::to_string(k) +
                    " differs in name or type from the " +
                    "first population's '" + spec.name + "'");
      if (!same.take(rn + "decay", name, r->decay(), 1.0, p.decay[k],
                     p.seenR[k][0]) ||
          !same.take(rn + "gain", name, r->gain(), 0.0, p.gain[k],
                     p.seenR[k][1]) ||
          !same.take(rn + "reversal", name, r->reversal(), 0.0, p.reversal[k],
                     p.seenR[k][2]))
        return fail(*error);
    }
    PopulationSpec ps;
    ps.name = name;
    ps.size = pop->size();
    const FloatVec *vi = pop->v_init();
    for (uint32_t i = 0; i < ps.size; ++i)
      ps.vInit.push_back(!vi || vi->size() == 0 ? 0.0
                         : vi->size() == 1      ? double(vi->Get(0))
                                                : double(vi->Get(i)));
    net.populations.push_back(std::move(ps));
  }
  if (!(p.beta > 0 && p.beta < 1))
    return fail("membrane decay beta = " + num(p.beta) +
                " is not in (0, 1); no time constant gives it");
  NeuronSpec &n = net.neuron;
  n.tauM = tauOf(p.beta, dt, exact);
  n.vRest = p.leak / (1.0 - p.beta);
  n.vThreshold = p.vth;
  n.vReset = p.vreset;
  n.refractory = p.refr * dt;
  // What one unit of a projection's weight becomes in the peer's units:
  // the artifact's gains fold r in; the peer's model has r = 1.
  std::vector<double> scale;
  for (size_t k = 0; k < n.receptors.size(); ++k) {
    ReceptorSpec &r = n.receptors[k];
    if (!(p.decay[k] > 0 && p.decay[k] < 1))
      return fail("receptor '" + r.name + "': decay " + num(p.decay[k]) +
                  " is not in (0, 1)");
    r.tau = tauOf(p.decay[k], dt, exact);
    r.reversal = p.reversal[k];
    scale.push_back(p.gain[k] /
                    unitGain(r.conductance, exact, dt, n.tauM, r.tau));
  }
  // A delta synapse of the peer adds its weight before v decays, so the
  // artifact's input gain g_mem is beta times the peer's weight.
  const double deltaScale = p.gainMem / p.beta;

  for (const sb::Projection *pj : *fb.projections()) {
    const std::string name = pj->name() ? pj->name()->str() : "?";
    procedural::Synapses syn;
    if (std::string e = synapsesOf(*pj, fb, dt, syn); !e.empty())
      return fail("projection '" + name + "': " + e);
    ProjectionSpec ps;
    ps.name = name;
    ps.source = pj->source();
    ps.target = pj->target();
    ps.receptor = n.receptors.empty() ? -1 : int(pj->receptor());
    const double s = ps.receptor < 0 ? deltaScale : scale[size_t(ps.receptor)];
    const std::vector<uint32_t> &rows = syn.rowStart;
    const std::vector<float> &w = syn.weights;
    const std::vector<uint16_t> &dsyn = syn.delaySteps;
    const auto *dsrc = pj->delay_steps();
    const uint32_t nPre = pops->Get(ps.source)->size();
    bool equal = true, shifted = false;
    int64_t minDelay = INT64_MAX, maxDelay = INT64_MIN;
    for (uint32_t i = 0; i < nPre; ++i)
      for (uint32_t e = rows[i]; e < rows[i + 1]; ++e) {
        ps.pre.push_back(int32_t(i));
        ps.post.push_back(int32_t(syn.targets[e]));
        const double we = s * (w.size() == 1 ? w[0] : w[e]);
        ps.weights.push_back(we);
        equal &= we == ps.weights.front();
        // Our engine: received at t + delay_steps + delays (+1 recurrent);
        // the peer: at its update after t + D steps, i.e. t + D + 1.
        const int64_t fromSource =
            dsrc && dsrc->size() ? dsrc->Get(dsrc->size() == 1 ? 0 : i) : 0;
        const int64_t own = dsyn.empty() ? 0 : dsyn[dsyn.size() == 1 ? 0 : e];
        int64_t d = fromSource + own + (pj->recurrent() ? 0 : -1);
        if (d < 0)
          d = 0, shifted = true;
        minDelay = std::min(minDelay, d), maxDelay = std::max(maxDelay, d);
        ps.delays.push_back(int32_t(d));
      }
    if (!ps.weights.empty())
      ps.weight = ps.weights.front();
    if (equal)
      ps.weights.clear();
    if (ps.delays.empty() || minDelay == maxDelay) {
      ps.delay = ps.delays.empty() ? 0 : uint32_t(minDelay);
      ps.delays.clear();
    }
    if (shifted)
      notes->push_back(
          "projection '" + name + "' (" + net.populations[ps.source].name +
          " -> " + net.populations[ps.target].name +
          ") reaches its target in the step its source spiked (not "
          "recurrent, no delay); the peer delivers one step later, its "
          "shortest delay");
    net.projections.push_back(std::move(ps));
  }
  return net;
}

} // namespace snnc::bench
