//===- ProgramChecks.cpp - PoissonSource and per-synapse delay checks -----===//
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

} // namespace snnc::check
