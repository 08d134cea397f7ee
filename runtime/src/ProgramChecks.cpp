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

} // namespace

Status corrupt(const std::string &origin, const std::string &what) {
  return dataLoss(origin + ": " + what + " (the artifact is corrupt or " +
                  "was written by an incompatible snnc)");
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
      present(pop.leak()) || present(pop.bias()) ||
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
  return uint64_t(std::ceil(s.p * pairs));
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
