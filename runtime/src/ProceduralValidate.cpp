//===- ProceduralValidate.cpp - Checking a connection rule ----------------===//
//
// Every check runs before any draw or allocation, and every message names
// the rule, the parameter and its value, and says what would be accepted.
//
//===----------------------------------------------------------------------===//
#include "ProceduralInternal.h"

#include <cfloat>
#include <charconv>
#include <cmath>

namespace snnc::procedural {
namespace detail {

const char *ruleName(Rule rule) {
  switch (rule) {
  case Rule::AllToAll:
    return "all-to-all";
  case Rule::OneToOne:
    return "one-to-one";
  case Rule::FixedProbability:
    return "fixed-probability";
  case Rule::FixedInDegree:
    return "fixed-in-degree";
  case Rule::FixedTotalNumber:
    return "fixed-total-number";
  case Rule::FixedOutDegree:
    return "fixed-out-degree";
  }
  return "unknown-rule";
}

std::string num(double v) {
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, res.ptr);
}

Status checkBudget(const ConnectSpec &s, uint64_t synapses, uint64_t budget,
                   bool offsetsOnly) {
  std::string where = std::string("procedural connect (") + ruleName(s.rule) +
                      ", " + std::to_string(s.nPre) + " x " +
                      std::to_string(s.nPost) + ")";
  if (synapses > kMaxSynapses)
    return invalidArgument(where + ": " + std::to_string(synapses) +
                           " synapses exceed the 4294967295 that 32-bit CSR "
                           "offsets can index; split the projection");
  uint64_t bytes = bytesFor(synapses, s);
  if (bytes <= budget)
    return Status::ok();
  std::string need =
      offsetsOnly
          ? "the row offsets alone need " + std::to_string(bytes) + " bytes"
          : "the result needs " + std::to_string(bytes) + " bytes (" +
                std::to_string(synapses) + " synapses)";
  return invalidArgument(where + ": " + need + " but the memory budget is " +
                         std::to_string(budget) +
                         " bytes; raise the budget or make the rule sparser");
}

} // namespace detail

namespace {
using detail::num;
using Kind = Distribution::Kind;

/// Checks one distribution; `what` is "weight" or "delay".
Status checkDistribution(const std::string &where, const char *what,
                         const Distribution &d, bool isDelay, double dt) {
  std::string at = where + ": " + what;
  auto finite = [&](const char *field, double v) -> Status {
    if (std::isfinite(v))
      return Status::ok();
    return invalidArgument(at + "." + field + " = " + num(v) +
                           " is not a finite number; give a finite value");
  };
  auto fitsSteps = [&](const char *field, double seconds) -> Status {
    if (std::round(seconds / dt) <= 65535)
      return Status::ok();
    return invalidArgument(at + "." + field + " = " + num(seconds) + " s is " +
                           num(std::round(seconds / dt)) +
                           " steps of dt = " + num(dt) +
                           " s, above the 65535-step maximum; shorten the "
                           "delay or use a larger dt");
  };
  auto nonNegative = [&](const char *field, double v) -> Status {
    if (v >= 0)
      return Status::ok();
    return invalidArgument(at + "." + field + " = " + num(v) +
                           " s is a negative delay; delays must be >= 0 s");
  };
  switch (d.kind) {
  case Kind::Constant:
    if (Status st = finite("a", d.a); !st)
      return st;
    if (!isDelay && std::fabs(d.a) > FLT_MAX)
      return invalidArgument(at + ".a = " + num(d.a) +
                             " does not fit a 32-bit float weight");
    if (isDelay) {
      if (Status st = nonNegative("a", d.a); !st)
        return st;
      return fitsSteps("a", d.a);
    }
    return Status::ok();
  case Kind::Uniform:
    if (Status st = finite("a", d.a); !st)
      return st;
    if (Status st = finite("b", d.b); !st)
      return st;
    if (d.a > d.b)
      return invalidArgument(at + ": uniform a = " + num(d.a) + " > b = " +
                             num(d.b) + "; give the bounds as [a, b), a <= b");
    if (!isDelay && (std::fabs(d.a) > FLT_MAX || std::fabs(d.b) > FLT_MAX))
      return invalidArgument(at + ": uniform bounds [" + num(d.a) + ", " +
                             num(d.b) + ") do not fit a 32-bit float weight");
    if (isDelay) {
      if (Status st = nonNegative("a", d.a); !st)
        return st;
      return fitsSteps("b", d.b);
    }
    return Status::ok();
  case Kind::Normal: {
    if (Status st = finite("a", d.a); !st)
      return st;
    if (Status st = finite("b", d.b); !st)
      return st;
    if (d.b < 0)
      return invalidArgument(at + ": normal std b = " + num(d.b) +
                             " is negative; give a standard deviation >= 0");
    if (std::isnan(d.low) || std::isnan(d.high))
      return invalidArgument(at + ": normal clip bounds [" + num(d.low) + ", " +
                             num(d.high) +
                             "] contain NaN; use +-infinity for no bound");
    if (d.low > d.high)
      return invalidArgument(at + ": normal low = " + num(d.low) +
                             " > high = " + num(d.high) +
                             "; give the clip window as low <= high");
    double mass;
    if (d.b == 0) {
      mass = d.a >= d.low && d.a <= d.high ? 1 : 0;
    } else {
      double zl = (d.low - d.a) / d.b, zh = (d.high - d.a) / d.b;
      mass = 0.5 * (std::erfc(-zh / std::sqrt(2.0)) -
                    std::erfc(-zl / std::sqrt(2.0)));
    }
    if (!(mass >= detail::kMinWindowMass))
      return invalidArgument(
          at + ": the clip window [" + num(d.low) + ", " + num(d.high) +
          "] keeps only " + num(mass) + " of normal(" + num(d.a) + ", " +
          num(d.b) +
          ")'s mass (at least 0.001 is needed for redraws to end); widen "
          "the window or move the mean into it");
    if (isDelay) {
      if (!(d.low >= 0))
        return invalidArgument(at + ": normal delays need low >= 0 s (got " +
                               num(d.low) +
                               "); clip the delay into [0, 65535 steps]");
      if (!std::isfinite(d.high))
        return invalidArgument(at + ": normal delays need a finite high (got " +
                               num(d.high) +
                               "); clip the delay to at most "
                               "65535 steps");
      return fitsSteps("high", d.high);
    }
    return Status::ok();
  }
  case Kind::Lognormal:
    if (Status st = finite("a", d.a); !st)
      return st;
    if (Status st = finite("b", d.b); !st)
      return st;
    if (d.b < 0)
      return invalidArgument(at + ": lognormal sigma b = " + num(d.b) +
                             " is negative; give sigma >= 0");
    return Status::ok();
  }
  return invalidArgument(at + ": unknown distribution kind " +
                         std::to_string(int(d.kind)));
}

/// Rule-specific checks, once sizes and dt are known good.
Status checkRule(const ConnectSpec &s, const std::string &where) {
  using detail::kMaxSynapses;
  const std::string tooMany = " synapses exceed the 4294967295 that 32-bit "
                              "CSR offsets can index; split the projection";
  uint64_t perRow = detail::targetsPerRow(s);
  switch (s.rule) {
  case Rule::AllToAll:
    if (uint64_t(s.nPre) * perRow > kMaxSynapses)
      return invalidArgument(
          where + ": " + std::to_string(uint64_t(s.nPre) * perRow) + tooMany);
    return Status::ok();
  case Rule::OneToOne:
    if (s.nPre != s.nPost)
      return invalidArgument(where + ": one-to-one needs nPre == nPost, got " +
                             std::to_string(s.nPre) + " and " +
                             std::to_string(s.nPost));
    if (detail::excludesAutapses(s))
      return invalidArgument(where + ": one-to-one within one population "
                                     "with allowAutapses = false connects "
                                     "nothing; allow autapses or use another "
                                     "rule");
    return Status::ok();
  case Rule::FixedProbability:
    if (!(s.p >= 0 && s.p <= 1))
      return invalidArgument(where + ": p = " + num(s.p) +
                             " is outside [0, 1]; give a probability");
    return Status::ok();
  case Rule::FixedInDegree:
  case Rule::FixedOutDegree: {
    // In-degree: each target draws n of its sources; out-degree: each
    // source draws n of its targets.
    bool in = s.rule == Rule::FixedInDegree;
    uint64_t partners = in ? detail::sourcesPerTarget(s) : perRow;
    uint64_t drawers = in ? s.nPost : s.nPre;
    const char *partner = in ? "source" : "target";
    const char *drawer = in ? "target" : "source";
    if (!s.allowMultapses && s.n > partners)
      return invalidArgument(where + ": n = " + std::to_string(s.n) +
                             " exceeds the " + std::to_string(partners) +
                             " distinct " + partner + "s a " + drawer +
                             " can have without multapses; lower n or set "
                             "allowMultapses");
    if (s.n > 0 && partners == 0)
      return invalidArgument(where + ": n = " + std::to_string(s.n) +
                             " but no " + partner +
                             " is allowed (one neuron, no autapses); allow "
                             "autapses or set n = 0");
    if (s.n > kMaxSynapses / drawers)
      return invalidArgument(where + ": n = " + std::to_string(s.n) + " " +
                             partner + "s for each of " +
                             std::to_string(drawers) + " " + drawer +
                             "s gives more than 4294967295 synapses, the most "
                             "32-bit CSR offsets can index; split the "
                             "projection");
    return Status::ok();
  }
  case Rule::FixedTotalNumber: {
    uint64_t pairs = uint64_t(s.nPre) * perRow;
    if (s.n > kMaxSynapses)
      return invalidArgument(where + ": n = " + std::to_string(s.n) + tooMany);
    if (!s.allowMultapses && s.n > pairs)
      return invalidArgument(
          where + ": n = " + std::to_string(s.n) + " exceeds the " +
          std::to_string(pairs) +
          " distinct pairs without multapses; lower n or set allowMultapses");
    if (s.n > 0 && pairs == 0)
      return invalidArgument(where + ": n = " + std::to_string(s.n) +
                             " but no pair is allowed (one neuron, no "
                             "autapses); allow autapses or set n = 0");
    return Status::ok();
  }
  }
  return invalidArgument(where + ": unknown rule " +
                         std::to_string(int(s.rule)));
}
} // namespace

Status validate(const ConnectSpec &s) {
  std::string where =
      std::string("procedural connect (") + detail::ruleName(s.rule) + ")";
  if (s.nPre == 0)
    return invalidArgument(where + ": nPre = 0; the source population needs "
                                   "at least one neuron");
  if (s.nPost == 0)
    return invalidArgument(where + ": nPost = 0; the target population needs "
                                   "at least one neuron");
  if (s.samePopulation && s.nPre != s.nPost)
    return invalidArgument(
        where + ": samePopulation is set but nPre = " + std::to_string(s.nPre) +
        " != nPost = " + std::to_string(s.nPost) +
        "; one population has one size");
  if (!(std::isfinite(s.dt) && s.dt > 0))
    return invalidArgument(where + ": dt = " + num(s.dt) +
                           " s; the step must be a positive finite time");
  if (Status st = checkRule(s, where); !st)
    return st;
  if (Status st = checkDistribution(where, "weight", s.weight, false, s.dt);
      !st)
    return st;
  return checkDistribution(where, "delay", s.delay, true, s.dt);
}

uint64_t bytesFor(uint64_t synapses, const ConnectSpec &s) {
  uint64_t perWeight = s.weight.kind == Kind::Constant ? 0 : 4;
  uint64_t perDelay = s.delay.kind == Kind::Constant ? 0 : 2;
  return 4 * (uint64_t(s.nPre) + 1) + synapses * (4 + perWeight + perDelay) +
         (perWeight ? 0 : 4) + (perDelay ? 0 : 2);
}

StatusOr<uint64_t> synapseBound(const ConnectSpec &s) {
  if (Status st = validate(s); !st)
    return st;
  uint64_t perRow = detail::targetsPerRow(s);
  switch (s.rule) {
  case Rule::AllToAll:
    return uint64_t(s.nPre) * perRow;
  case Rule::OneToOne:
    return uint64_t(s.nPre);
  case Rule::FixedProbability:
    return s.p == 0 ? 0 : uint64_t(s.nPre) * perRow;
  case Rule::FixedInDegree:
    return s.n * s.nPost;
  case Rule::FixedTotalNumber:
    return s.n;
  case Rule::FixedOutDegree:
    return s.n * s.nPre;
  }
  return Status(StatusCode::kInternal, "synapseBound: unknown rule");
}

StatusOr<uint64_t> synapseCount(const ConnectSpec &s, unsigned threads) {
  StatusOr<uint64_t> bound = synapseBound(s);
  if (!bound || s.rule != Rule::FixedProbability)
    return bound;
  if (threads == 0)
    threads = std::max(1u, std::thread::hardware_concurrency());
  try {
    return detail::sumFixedProbability(s, std::min(threads, 256u));
  } catch (const std::exception &e) {
    return Status(StatusCode::kFailedPrecondition,
                  std::string("synapseCount: ") + e.what());
  }
}

} // namespace snnc::procedural
