//===- ProgramChecks.cpp - Poisson, per-synapse delay, procedural checks --===//
#include "ProgramChecks.h"

#include "PoissonSource.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <vector>

namespace snnc::check {
namespace {

std::string number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.9g", v);
  return buf;
}

template <typename T> bool present(const flatbuffers::Vector<T> *v) {
  return v && v->size() > 0;
}

template <typename V>
Status perNeuron(const V *v, uint32_t size, const std::string &where,
                 const char *field, const std::string &origin) {
  if (v && v->size() > 1 && v->size() != size)
    return corrupt(
        origin, where + ": '" + field + "' has " + std::to_string(v->size()) +
                    " values, expected 1 or " + std::to_string(size));
  return Status::ok();
}

} // namespace

Status corrupt(const std::string &origin, const std::string &what) {
  return dataLoss(origin + ": " + what + " (the artifact is corrupt or " +
                  "was written by an incompatible snnc)");
}

// ReceptorLIF's fields (schema version 2), and their absence elsewhere.
Status receptors(const snnb::Program &p, const snnb::Population &population,
                 const std::string &where, const std::string &origin) {
  const snnb::Population *pop = &population;
  auto fail = [&](const std::string &what) { return corrupt(origin, what); };
  auto str = [](const flatbuffers::String *s) {
    return s ? s->str() : std::string();
  };
  const bool receptorKind = pop->kind() == snnb::NeuronKind::ReceptorLIF;
  const auto *rs = pop->receptors();
  if (!receptorKind) {
    if ((rs && rs->size() > 0) || pop->refractory_steps() != 0)
      return fail(where + ": receptors and refractory_steps belong to "
                          "ReceptorLIF populations only");
    return Status::ok();
  }
  if (p.schema_version() < 2)
    return fail(where + ": ReceptorLIF needs schema version 2");
  if (p.mode() == snnb::NumericMode::Fixed)
    return Status(StatusCode::kUnimplemented,
                  origin + ": " + where +
                      " is a ReceptorLIF population, which has no "
                      "fixed-point form yet; compile it in float mode");
  const snnb::Discretization *d = p.discretization();
  if (d && d->reset_timing() != snnb::ResetTiming::SameStep)
    return Status(StatusCode::kUnimplemented,
                  origin + ": " + where +
                      " is a ReceptorLIF population, which resets in the "
                      "step of the spike; the network asks for " +
                      snnb::EnumNameResetTiming(d->reset_timing()) +
                      " reset timing");
  if (!rs || rs->size() < 1 || rs->size() > 8)
    return fail(where +
                ": a ReceptorLIF population needs 1 to 8 receptors, "
                "has " +
                std::to_string(rs ? rs->size() : 0));
  // The fields ReceptorLIF does not read must be absent, so that a file
  // cannot carry parameters that silently do nothing.
  auto absent = [](const flatbuffers::Vector<float> *v) {
    return !v || v->size() == 0;
  };
  if (!absent(pop->alpha()) || !absent(pop->gain_syn()) ||
      !absent(pop->gain_mem()) || !absent(pop->gain_direct()) ||
      !absent(pop->bias()) || !absent(pop->first_bias()))
    return fail(where + ": a ReceptorLIF population takes no alpha, gain_syn, "
                        "gain_mem, gain_direct, bias or first_bias (its inputs "
                        "go through receptors; constant drive goes in leak)");
  if (pop->refractory_steps() > (1u << 20))
    return fail(where + ": refractory_steps " +
                std::to_string(pop->refractory_steps()) + " exceeds 2^20");
  for (uint32_t k = 0; k < rs->size(); ++k) {
    const snnb::Receptor *r = rs->Get(k);
    std::string at = where + " receptor " + std::to_string(k) + " ('" +
                     str(r->name()) + "')";
    if (!r->name() || r->name()->size() == 0)
      return fail(where + " receptor " + std::to_string(k) + " has no name");
    if (r->type() > snnb::ReceptorType::MAX)
      return fail(at + ": unknown receptor type");
    const bool conductance = r->type() == snnb::ReceptorType::Conductance;
    if (!r->decay() || r->decay()->size() == 0 || !r->gain() ||
        r->gain()->size() == 0)
      return fail(at + ": needs decay and gain");
    if (conductance != (r->reversal() && r->reversal()->size() > 0))
      return fail(at + (conductance
                            ? ": a conductance receptor needs a reversal "
                              "potential"
                            : ": a current receptor takes no reversal "
                              "potential"));
    const bool alpha = r->type() == snnb::ReceptorType::Alpha;
    const bool hasRise = r->gain_rise() && r->gain_rise()->size() > 0 &&
                         r->rise() && r->rise()->size() > 0;
    if (alpha && p.schema_version() < 5)
      return fail(at +
                  ": alpha receptors need schema version 5, the file "
                  "has version " +
                  std::to_string(p.schema_version()));
    if (alpha != hasRise || (!alpha && (r->gain_rise() || r->rise())))
      return fail(at + (alpha ? ": an alpha receptor needs gain_rise and rise"
                              : ": gain_rise and rise belong to alpha "
                                "receptors only"));
    Status s;
    if (!(s = perNeuron(r->decay(), pop->size(), at, "decay", origin)) ||
        !(s = perNeuron(r->gain(), pop->size(), at, "gain", origin)) ||
        !(s = perNeuron(r->reversal(), pop->size(), at, "reversal", origin)) ||
        !(s = perNeuron(r->gain_rise(), pop->size(), at, "gain_rise",
                        origin)) ||
        !(s = perNeuron(r->rise(), pop->size(), at, "rise", origin)))
      return s;
  }
  return Status::ok();
}

Status poissonSource(const snnb::Program &p, const snnb::Population &pop,
                     const std::string &where, const std::string &origin,
                     uint64_t &tableEntries) {
  const bool poisson = pop.kind() == snnb::NeuronKind::PoissonSource;
  const bool hasRate = present(pop.rate()), hasSeed = pop.seed() != 0;
  if (p.schema_version() < 3) {
    if (poisson)
      return corrupt(origin, where +
                                 ": kind PoissonSource needs schema "
                                 "version 3, the file has version " +
                                 std::to_string(p.schema_version()));
    if (hasRate || hasSeed)
      return corrupt(origin, where + ": field '" + (hasRate ? "rate" : "seed") +
                                 "' needs schema version 3, the file has "
                                 "version " +
                                 std::to_string(p.schema_version()));
    return Status::ok();
  }
  if (!poisson) {
    if (hasRate || hasSeed)
      return corrupt(origin, where + ": field '" + (hasRate ? "rate" : "seed") +
                                 "' belongs to PoissonSource populations "
                                 "only, this one is " +
                                 snnb::EnumNameNeuronKind(pop.kind()));
    return Status::ok();
  }
  // Parameters a PoissonSource does not read must be absent, so that a
  // file cannot carry values that silently do nothing.
  if (present(pop.alpha()) || present(pop.beta()) || present(pop.gain_syn()) ||
      present(pop.gain_mem()) || present(pop.gain_direct()) ||
      present(pop.leak()) || present(pop.bias()) || present(pop.first_bias()) ||
      present(pop.v_threshold()) || present(pop.v_reset()) ||
      present(pop.v_init()))
    return corrupt(origin, where + ": a PoissonSource takes only 'rate' and "
                                   "'seed' (no membrane or synapse "
                                   "parameters)");
  if (const snnb::FixedNeuron *f = pop.fixed()) {
    if (f->frac_bits() != 0 || present(f->decay_u()) || present(f->decay_v()) ||
        present(f->u_bias()) || present(f->v_bias()) ||
        present(f->v_threshold()) || present(f->v_reset()) ||
        present(f->v_init()))
      return corrupt(origin, where + ": a PoissonSource's fixed-point "
                                     "parameters must be empty with "
                                     "frac_bits 0 (its output is an "
                                     "integer count)");
  }
  const auto *rate = pop.rate();
  if (!present(rate) || (rate->size() != 1 && rate->size() != pop.size()))
    return corrupt(origin, where + ": field 'rate' has " +
                               std::to_string(rate ? rate->size() : 0) +
                               " values, expected 1 or " +
                               std::to_string(pop.size()));
  const double dt = p.discretization()->dt();
  std::vector<double> lambdas;
  lambdas.reserve(rate->size());
  for (uint32_t i = 0; i < rate->size(); ++i) {
    const float r = rate->Get(i);
    const std::string at =
        where + ": 'rate' of neuron " + std::to_string(i) + " is ";
    if (!std::isfinite(r) || r < 0)
      return corrupt(origin, at + number(r) +
                                 " Hz; rates are finite and "
                                 ">= 0");
    const double lambda = ref::poissonLambda(r, dt);
    if (lambda > ref::kPoissonMaxLambda)
      return invalidArgument(
          origin + ": " + at + number(r) + " Hz, a mean of " + number(lambda) +
          " events per step of " + number(dt) + " s, above the limit of " +
          number(ref::kPoissonMaxLambda) +
          "; lower the rate or dt, or drive the target with a current");
    lambdas.push_back(lambda);
  }
  std::sort(lambdas.begin(), lambdas.end());
  lambdas.erase(std::unique(lambdas.begin(), lambdas.end()), lambdas.end());
  for (double lambda : lambdas) {
    tableEntries += ref::poissonTable(lambda).thresholds.size();
    if (tableEntries > kMaxPoissonTableEntries)
      return invalidArgument(
          origin + ": " + where + ": the per-neuron rates need more than " +
          std::to_string(kMaxPoissonTableEntries) +
          " CDF thresholds in all (one table per distinct rate); use fewer "
          "distinct rates");
  }
  return Status::ok();
}

Status sparseDelays(const snnb::Program &p, const snnb::Projection &pr,
                    const snnb::Sparse &sp, const std::string &where,
                    const std::string &origin) {
  const auto *d = sp.delays();
  if (!d)
    return Status::ok();
  if (p.schema_version() < 3)
    return corrupt(origin, where +
                               ": field 'delays' of Sparse needs schema "
                               "version 3, the file has version " +
                               std::to_string(p.schema_version()));
  const uint32_t targets = sp.targets()->size();
  if (d->size() != targets)
    return corrupt(origin, where + ": field 'delays' of Sparse has " +
                               std::to_string(d->size()) +
                               " values, expected one per target (" +
                               std::to_string(targets) + ")");
  const auto *rows = sp.row_start();
  const auto *steps = pr.delay_steps();
  for (uint32_t j = 0; j + 1 < rows->size(); ++j) {
    const uint32_t base = !steps || steps->size() == 0
                              ? 0
                              : steps->Get(steps->size() > 1 ? j : 0);
    for (uint32_t e = rows->Get(j); e < rows->Get(j + 1); ++e)
      if (base + d->Get(e) > kMaxDelaySteps)
        return corrupt(origin, where + ": synapse " + std::to_string(e) +
                                   " (source neuron " + std::to_string(j) +
                                   ") has delay_steps " + std::to_string(base) +
                                   " + delays " + std::to_string(d->Get(e)) +
                                   " = " + std::to_string(base + d->Get(e)) +
                                   " steps, above the limit of " +
                                   std::to_string(kMaxDelaySteps));
  }
  return Status::ok();
}

namespace {

procedural::Distribution distribution(const snnb::Distribution *d) {
  procedural::Distribution out;
  if (!d) // an absent delay: every synapse delivers after delay_steps
    return out;
  using K = procedural::Distribution::Kind;
  switch (d->kind()) {
  case snnb::DistributionKind::Normal:
    out.kind = K::Normal;
    break;
  case snnb::DistributionKind::Lognormal:
    out.kind = K::Lognormal;
    break;
  case snnb::DistributionKind::Uniform:
    out.kind = K::Uniform;
    break;
  default:
    out.kind = K::Constant;
    break;
  }
  out.a = d->a(), out.b = d->b(), out.low = d->low(), out.high = d->high();
  return out;
}

procedural::Rule rule(snnb::ConnectRule r) {
  using R = procedural::Rule;
  switch (r) {
  case snnb::ConnectRule::OneToOne:
    return R::OneToOne;
  case snnb::ConnectRule::FixedProbability:
    return R::FixedProbability;
  case snnb::ConnectRule::FixedInDegree:
    return R::FixedInDegree;
  case snnb::ConnectRule::FixedTotalNumber:
    return R::FixedTotalNumber;
  case snnb::ConnectRule::FixedOutDegree:
    return R::FixedOutDegree;
  default:
    return R::AllToAll;
  }
}

/// The most steps a delay drawn from `d` can round to (validate has
/// bounded Constant, Uniform and Normal delays; a lognormal one is only
/// clamped, at 65535).
uint32_t longestDelay(const procedural::Distribution &d, double dt) {
  using K = procedural::Distribution::Kind;
  switch (d.kind) {
  case K::Constant:
    return procedural::delayToSteps(d.a, dt);
  case K::Uniform:
    return procedural::delayToSteps(d.b, dt);
  case K::Normal:
    return procedural::delayToSteps(d.high, dt);
  case K::Lognormal:
    break;
  }
  return 65535;
}

/// Synapses the spec is expected to give: exact for every rule but fixed
/// probability, whose mean is taken (the engine enforces the exact count).
uint64_t expectedSynapses(const procedural::ConnectSpec &s) {
  if (s.rule != procedural::Rule::FixedProbability) {
    StatusOr<uint64_t> n = procedural::synapseBound(s);
    return n.isOk() ? *n : 0;
  }
  const bool excl = s.samePopulation && !s.allowAutapses;
  const double pairs = double(s.nPre) * double(s.nPost - (excl ? 1 : 0));
  // Capped above what 32-bit CSR offsets index (the engine refuses that
  // anyway), so that the conversion and bytesFor cannot overflow.
  return uint64_t(std::min(std::ceil(s.p * pairs), 0x1p33));
}

} // namespace

procedural::ConnectSpec connectSpec(const snnb::Program &p,
                                    const snnb::Projection &pr) {
  const snnb::Procedural &c = *pr.connectivity_as_Procedural();
  procedural::ConnectSpec s;
  s.rule = rule(c.rule());
  s.p = c.p();
  s.n = c.n();
  s.allowAutapses = c.allow_autapses();
  s.allowMultapses = c.allow_multapses();
  s.samePopulation = c.same_population();
  s.nPre = p.populations()->Get(pr.source())->size();
  s.nPost = p.populations()->Get(pr.target())->size();
  s.weight = distribution(c.weight());
  s.delay = distribution(c.delay());
  s.dt = p.discretization()->dt();
  s.seed = c.seed();
  return s;
}

Status proceduralProjection(const snnb::Program &p, const snnb::Projection &pr,
                            const std::string &where, const std::string &origin,
                            uint64_t &bytes, uint64_t &largest) {
  const snnb::Procedural &c = *pr.connectivity_as_Procedural();
  if (p.schema_version() < 3)
    return corrupt(origin, where +
                               ": Procedural connectivity needs schema "
                               "version 3, the file has version " +
                               std::to_string(p.schema_version()));
  if (c.rule() > snnb::ConnectRule::MAX)
    return corrupt(origin, where + ": unknown connection rule " +
                               std::to_string(int(c.rule())));
  if (!c.weight())
    return corrupt(origin, where + ": Procedural connectivity without a "
                                   "weight distribution");
  for (const auto &[name, d] :
       {std::pair{"weight", c.weight()}, std::pair{"delay", c.delay()}})
    if (d && d->kind() > snnb::DistributionKind::MAX)
      return corrupt(origin, where + ": unknown " + name +
                                 " distribution kind " +
                                 std::to_string(int(d->kind())));
  if (c.same_population() && pr.source() != pr.target())
    return corrupt(origin, where + ": same_population is set but source " +
                               std::to_string(pr.source()) + " and target " +
                               std::to_string(pr.target()) +
                               " are different populations");
  if (p.mode() == snnb::NumericMode::Fixed)
    return Status(StatusCode::kUnimplemented,
                  origin + ": " + where +
                      " has Procedural connectivity, which the runtime "
                      "expands in float mode only (no fixed-point weights "
                      "are derived at load yet); compile it in float mode, "
                      "or expand the projection in the compiler (Sparse)");
  const procedural::ConnectSpec spec = connectSpec(p, pr);
  if (Status s = procedural::validate(spec); !s)
    return Status(s.code(), origin + ": " + where + ": " + s.message());
  const uint32_t reach = longestDelay(spec.delay, spec.dt);
  uint32_t base = 0;
  if (const auto *steps = pr.delay_steps())
    for (uint32_t v : *steps)
      base = std::max(base, v);
  if (uint64_t(base) + reach > kMaxDelaySteps)
    return invalidArgument(
        origin + ": " + where + ": delay_steps up to " + std::to_string(base) +
        " plus procedural delays of up to " + std::to_string(reach) +
        " steps exceed the limit of " + std::to_string(kMaxDelaySteps) +
        " steps" +
        (spec.delay.kind == procedural::Distribution::Kind::Lognormal
             ? " (a lognormal delay is unbounded, clamped at 65535 steps; "
               "use a clipped normal or uniform delay, or delay_steps 0)"
             : "; shorten the delays"));
  const uint64_t need = procedural::bytesFor(expectedSynapses(spec), spec);
  bytes += need;
  largest = std::max(largest, need);
  return Status::ok();
}

} // namespace snnc::check
