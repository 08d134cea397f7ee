//===- Quantize.cpp - Fixed-point formats for a network plan --------------===//
//
// See Quantize.h. The arithmetic the formats feed is runtime/reference/
// FixedPoint.h; docs/fixed-point.md has the table.
//
//===----------------------------------------------------------------------===//
#include "compiler/lower/Quantize.h"
#include "compiler/lower/ArtifactWriter.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace snnc {

int64_t roundAway(double x) {
  return int64_t(x < 0 ? -std::floor(-x + 0.5) : std::floor(x + 0.5));
}

namespace {

float at(const std::vector<float> &v, int64_t i) {
  return v.size() == 1 ? v[0] : v[i];
}

std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

/// How many examples of zeroed or clipped weights a projection's note lists.
constexpr int kExamples = 5;

// A pool as explicit sparse rows (fixed mode, when its weight is not a
// power of two in the target's units).
PlanProjection poolAsSparse(const PlanProjection &pr) {
  PlanProjection out = pr;
  out.kind = PlanProjection::Sparse;
  int64_t C = pr.inShape[0], H = pr.inShape[1], W = pr.inShape[2];
  int64_t OH = pr.outShape[1], OW = pr.outShape[2];
  std::vector<std::vector<uint32_t>> rows(C * H * W);
  for (int64_t c = 0; c < C; ++c)
    for (int64_t oy = 0; oy < OH; ++oy)
      for (int64_t ox = 0; ox < OW; ++ox)
        for (int64_t ky = 0; ky < pr.kernelShape[0]; ++ky)
          for (int64_t kx = 0; kx < pr.kernelShape[1]; ++kx) {
            int64_t iy = oy * pr.stride[0] - pr.padding[0] + ky;
            int64_t ix = ox * pr.stride[1] - pr.padding[1] + kx;
            if (iy < 0 || iy >= H || ix < 0 || ix >= W)
              continue;
            rows[(c * H + iy) * W + ix].push_back(
                uint32_t((c * OH + oy) * OW + ox));
          }
  out.rowStart = {0};
  out.targets.clear();
  for (auto &r : rows) {
    out.targets.insert(out.targets.end(), r.begin(), r.end());
    out.rowStart.push_back(uint32_t(out.targets.size()));
  }
  out.weights.assign(out.targets.size(), pr.poolScale);
  return out;
}

// Target neuron of weight k of a projection (for per-neuron gains).
int64_t targetOf(const PlanProjection &pr, int64_t k, int64_t nOut) {
  switch (pr.kind) {
  case PlanProjection::Dense:
    return k % nOut;
  case PlanProjection::Sparse:
    return pr.targets[k];
  case PlanProjection::Conv: {
    // Kernel element -> output channel; gains are uniform per channel.
    int64_t perChannel =
        pr.kernelShape[1] * pr.kernelShape[2] * pr.kernelShape[3];
    int64_t spatial = pr.outShape[1] * pr.outShape[2];
    return (k / perChannel) * spatial;
  }
  case PlanProjection::Pool:
  case PlanProjection::Procedural:
    return 0;
  }
  return 0;
}

bool uniformPerChannel(const PlanPopulation &t, const PlanProjection &pr) {
  if (t.gainMem.size() == 1 && t.gainSyn.size() == 1)
    return true;
  int64_t spatial = pr.outShape[1] * pr.outShape[2];
  for (int64_t i = 0; i < t.size; ++i)
    if (at(t.gainMem, i) != at(t.gainMem, i - i % spatial) ||
        at(t.gainSyn, i) != at(t.gainSyn, i - i % spatial))
      return false;
  return true;
}

class Quantizer {
public:
  Quantizer(NetworkPlan &plan, const QuantizeOptions &o, std::string &e)
      : plan(plan), opt(o), error(e) {}
  bool run();

private:
  bool chooseScales();
  /// Input units -> target state units, per target neuron.
  double effectiveGain(uint32_t target, int64_t i) const {
    const PlanPopulation &t = plan.populations[target];
    const double scale = std::ldexp(1.0, frac[target]);
    if (t.kind == PopKind::Source || t.kind == PopKind::Relay ||
        t.kind == PopKind::Threshold)
      return scale;
    double g = at(t.gainMem, i);
    if (isCurrentBased(t.kind))
      g *= at(t.gainSyn, i);
    return g * scale;
  }
  int32_t toState(double v, uint32_t p, const std::string &what);
  std::vector<uint16_t> decays(const std::vector<float> &f, uint32_t p,
                               const char *what);
  void neuron(uint32_t p);
  bool projection(PlanProjection &pr);
  void weights(PlanProjection &pr);

  NetworkPlan &plan;
  const QuantizeOptions &opt;
  std::string &error;
  std::vector<int> frac;
  PlanQuantization q;
};

bool Quantizer::chooseScales() {
  frac.assign(plan.populations.size(), 0);
  int64_t limit = (int64_t(1) << (opt.stateBits - 1)) - 1;
  if (plan.discretization.stateFracBits) {
    error = "profile '" + plan.discretization.profile +
            "': its integer-state rule (lava-dl's states of 2^-" +
            std::to_string(plan.discretization.stateFracBits) +
            ") has no fixed-point form; compile with --mode float";
    return false;
  }
  const Discretization &d = plan.discretization;
  if (d.multiSpike || d.synapseInputDecays || d.ifLowerClamp) {
    error = "profile '" + d.profile + "': its " +
            (d.multiSpike ? "multi-spike rule (several events per neuron and "
                            "step)"
             : d.synapseInputDecays ? "rule I = alpha * (I + x)"
                                    : "IF lower clamp (v >= -threshold)") +
            " has no fixed-point form; compile with --mode float";
    return false;
  }
  for (size_t p = 0; p < plan.populations.size(); ++p) {
    const PlanPopulation &pop = plan.populations[p];
    if (!pop.firstBias.empty()) {
      error = "population '" + pop.name + "': profile '" +
              plan.discretization.profile +
              "' delays its bias to step 1 (the first-step bias rule), "
              "which has no fixed-point form; compile with --mode float";
      return false;
    }
    if (pop.kind == PopKind::ReceptorLIF) {
      error = "population '" + pop.name +
              "': receptor LIF neurons have no fixed-point form yet; compile "
              "with --mode float";
      return false;
    }
    if (pop.kind == PopKind::Source) {
      frac[p] = opt.sourceFracBits;
      continue;
    }
    double m = 0;
    for (const auto *v : {&pop.vThreshold, &pop.vReset, &pop.vInit})
      for (float x : *v)
        m = std::max(m, double(std::fabs(x)));
    if (m == 0)
      m = 1;
    // The threshold takes about 1/8 of the range: headroom for inputs.
    int s = int(std::floor(std::log2(double(limit) / (8.0 * m))));
    frac[p] = std::clamp(s, 0, 30);
    for (float beta : pop.beta)
      if (beta > 1.0f || beta < 0.0f) {
        error = "population '" + pop.name +
                "': decay factor beta = " + std::to_string(beta) +
                " is outside [0, 1] and cannot be represented in fixed mode "
                "(negative time constants?); compile with --mode float";
        return false;
      }
    for (float g : pop.gainDirect)
      if (g != 0.0f) {
        error = "population '" + pop.name +
                "': the exact profile's direct "
                "input term of current-based neurons has no fixed-point form; "
                "use --mode float or another profile";
        return false;
      }
    for (float alpha : pop.alpha)
      if (alpha > 1.0f || alpha < 0.0f) {
        error = "population '" + pop.name +
                "': decay factor alpha = " + std::to_string(alpha) +
                " is outside [0, 1] in fixed mode";
        return false;
      }
  }
  return true;
}

int32_t Quantizer::toState(double v, uint32_t p, const std::string &what) {
  int64_t lim = (int64_t(1) << (opt.stateBits - 1)) - 1;
  int64_t s = roundAway(std::ldexp(v, frac[p]));
  if (s > lim || s < -lim - 1) {
    ++q.clippedParameters;
    q.notes.push_back("population '" + plan.populations[p].name + "': " + what +
                      " clipped to the state range");
    s = std::clamp<int64_t>(s, -lim - 1, lim);
  }
  return int32_t(s);
}

std::vector<uint16_t> Quantizer::decays(const std::vector<float> &f, uint32_t p,
                                        const char *what) {
  std::vector<uint16_t> d;
  double worst = 1.0; // ratio of the time constants, farthest from 1
  float worstValue = 1.0f;
  for (float x : f) {
    const int64_t k =
        std::clamp<int64_t>(roundAway((1.0 - x) * 4096.0), 0, 4096);
    d.push_back(uint16_t(k));
    // The time constant scales with 1 / (1 - decay) for small steps.
    const double want = 1.0 - double(x), got = double(k) / 4096.0;
    if (want > 0 && got > 0) {
      const double ratio = want / got;
      if (std::fabs(std::log(ratio)) > std::fabs(std::log(worst)))
        worst = ratio, worstValue = x;
    }
  }
  if (std::fabs(worst - 1.0) > 0.01)
    q.notes.push_back("population '" + plan.populations[p].name + "': " + what +
                      " " + num(worstValue) + " becomes 1 - " +
                      std::to_string(roundAway((1.0 - worstValue) * 4096.0)) +
                      "/4096 in 12 bits: its time constant x" + num(worst) +
                      " (a rest or drive near threshold may move across it)");
  return d;
}

void Quantizer::neuron(uint32_t p) {
  PlanPopulation &pop = plan.populations[p];
  PlanFixedNeuron f;
  f.stateBits = opt.stateBits;
  // A Poisson source has no state: its events are counts.
  if (pop.kind == PopKind::PoissonSource) {
    pop.fixed = std::move(f);
    return;
  }
  f.fracBits = frac[p];
  bool cuba = isCurrentBased(pop.kind);
  bool plain = pop.kind == PopKind::Relay || pop.kind == PopKind::Threshold ||
               pop.kind == PopKind::Source;
  int64_t n = std::max({pop.bias.size(), pop.leak.size(), pop.gainMem.size(),
                        pop.gainSyn.size()}) > 1
                  ? pop.size
                  : 1;
  // Biases enter where the input does: u for current-based neurons (scaled
  // by both gains, since v <- v + u), v otherwise; leaks always enter v.
  for (int64_t i = 0; i < n; ++i) {
    double gm = at(pop.gainMem, i), gs = at(pop.gainSyn, i);
    double bias = at(pop.bias, i), leak = at(pop.leak, i);
    if (cuba) {
      f.uBias.push_back(toState(bias * gs * gm, p, "bias"));
      f.vBias.push_back(toState(leak, p, "leak"));
    } else {
      f.uBias.push_back(0);
      f.vBias.push_back(toState(plain ? bias : leak + gm * bias, p, "bias"));
    }
  }
  for (float x : pop.vThreshold)
    f.vThreshold.push_back(toState(x, p, "v_threshold"));
  for (float x : pop.vReset)
    f.vReset.push_back(toState(x, p, "v_reset"));
  for (float x : pop.vInit)
    f.vInit.push_back(toState(x, p, "v_init"));
  f.decayU = decays(pop.alpha, p, "alpha");
  f.decayV = decays(pop.beta, p, "beta");
  pop.fixed = std::move(f);
}

bool Quantizer::projection(PlanProjection &pr) {
  const PlanPopulation &t = plan.populations[pr.target];
  // A fixed-mode pool adds 1 << exponent per spike: exact only for a
  // spiking source and a power-of-two weight; otherwise explicit rows.
  if (pr.kind == PlanProjection::Pool) {
    double c = pr.poolScale * effectiveGain(pr.target, 0);
    bool uniform = t.gainMem.size() == 1 && t.gainSyn.size() == 1;
    if (!uniform || !isSpiking(plan.populations[pr.source].kind) || c < 1 ||
        std::exp2(std::round(std::log2(c))) != c)
      pr = poolAsSparse(pr);
  }
  if (pr.kind == PlanProjection::Procedural) {
    error = "projection '" + pr.name +
            "': fixed mode needs explicit synapses to quantize; compile "
            "with --expand-connectivity=compile";
    return false;
  }
  if (pr.kind == PlanProjection::Conv && !uniformPerChannel(t, pr)) {
    error = "projection '" + pr.name + "' into '" + t.name +
            "': fixed mode needs the target's gains to be uniform within "
            "each output channel";
    return false;
  }
  weights(pr);
  return true;
}

void Quantizer::weights(PlanProjection &pr) {
  const PlanPopulation &t = plan.populations[pr.target];
  PlanFixedWeights f;
  f.weightBits = opt.weightBits;
  int64_t lim = (int64_t(1) << (opt.weightBits - 1)) - 1;
  if (pr.kind == PlanProjection::Pool) {
    double c = pr.poolScale * effectiveGain(pr.target, 0);
    f.exponent = int(std::lround(std::log2(c)));
    pr.fixed = std::move(f);
    return;
  }
  int64_t nOut = t.size;
  std::vector<double> c(pr.weights.size());
  double maxAbs = 0;
  for (size_t k = 0; k < c.size(); ++k) {
    c[k] = pr.weights[k] *
           effectiveGain(pr.target, targetOf(pr, int64_t(k), nOut));
    maxAbs = std::max(maxAbs, std::fabs(c[k]));
  }
  int e = maxAbs > 0 ? int(std::ceil(std::log2(maxAbs / double(lim)))) : 0;
  e = std::clamp(e, 0, 24);
  f.exponent = e;
  f.mantissas.resize(c.size());
  std::string zeroed, clipped;
  for (size_t k = 0; k < c.size(); ++k) {
    int64_t m = roundAway(std::ldexp(c[k], -e));
    if (m > lim || m < -lim - 1) {
      if (f.clipped++ < kExamples)
        clipped += (clipped.empty() ? "" : ", ") + std::to_string(k) + " (" +
                   num(pr.weights[k]) + ")";
      m = std::clamp<int64_t>(m, -lim - 1, lim);
    }
    if (m == 0 && pr.weights[k] != 0.0f && f.roundedToZero++ < kExamples)
      zeroed += (zeroed.empty() ? "" : ", ") + std::to_string(k) + " (" +
                num(pr.weights[k]) + ")";
    f.mantissas[k] = int16_t(m);
  }
  f.weights = int64_t(c.size());
  auto more = [](int64_t n) {
    return n > kExamples ? ", and " + std::to_string(n - kExamples) + " more"
                         : std::string();
  };
  if (f.roundedToZero)
    q.notes.push_back(
        "projection '" + pr.name + "': " + std::to_string(f.roundedToZero) +
        " of " + std::to_string(f.weights) +
        " weights round to zero at exponent " + std::to_string(e) +
        ": weights " + zeroed + more(f.roundedToZero));
  if (f.clipped)
    q.notes.push_back("projection '" + pr.name +
                      "': " + std::to_string(f.clipped) + " of " +
                      std::to_string(f.weights) + " weights clipped to " +
                      std::to_string(opt.weightBits) + " bits: weights " +
                      clipped + more(f.clipped));
  pr.fixed = std::move(f);
}

bool Quantizer::run() {
  if (opt.weightBits < 2 || opt.weightBits > 16 || opt.stateBits < 8 ||
      opt.stateBits > 32) {
    error = "target '" + opt.target + "': " + std::to_string(opt.weightBits) +
            "-bit weights and " + std::to_string(opt.stateBits) +
            "-bit state have no fixed-point form (weights 2..16 bits, state "
            "8..32)";
    return false;
  }
  if (!planIsFinite(plan, error))
    return false;
  if (opt.decayBits < 12) {
    error = "target '" + opt.target + "' has " + std::to_string(opt.decayBits) +
            "-bit decays; the fixed-point form needs 12 (docs/fixed-point.md)";
    return false;
  }
  if (!chooseScales())
    return false;
  q.target = opt.target;
  q.weightBits = opt.weightBits;
  q.stateBits = opt.stateBits;
  q.sourceFracBits = opt.sourceFracBits;
  for (uint32_t p = 0; p < plan.populations.size(); ++p)
    neuron(p);
  for (PlanProjection &pr : plan.projections)
    if (!projection(pr))
      return false;
  // The delta form only orders float32 roundings; fixed point has one
  // integer update (docs/fixed-point.md), made from the decay form above.
  plan.discretization.deltaForm = false;
  for (PlanPopulation &pop : plan.populations)
    for (auto *v : {&pop.deltaKMem, &pop.deltaKSyn, &pop.deltaR, &pop.deltaWIn,
                    &pop.deltaVLeak, &pop.deltaILeak})
      v->clear();
  plan.quantization = std::move(q);
  return true;
}

} // namespace

bool quantizePlan(NetworkPlan &plan, const QuantizeOptions &options,
                  std::string &error) {
  return Quantizer(plan, options, error).run();
}

} // namespace snnc
