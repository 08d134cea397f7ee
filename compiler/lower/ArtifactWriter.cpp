//===- ArtifactWriter.cpp - NetworkPlan to a .snnb FlatBuffer
//---------------===//
//
// Float mode copies the plan. Fixed mode chooses, per population, the scale
// 2^frac_bits of its state from its threshold (so the threshold uses about
// an eighth of the state range), folds every gain into the weights and
// constants (v <- v + u in fixed mode, docs/fixed-point.md), and per
// projection one exponent so that the largest weight fills the mantissa.
//
//===----------------------------------------------------------------------===//
#include "compiler/lower/ArtifactWriter.h"

#include "snnc/runtime/ArtifactSeal.h"
#include "snnc/runtime/Program.h"
#include "snnc/schema/snnb_generated.h"

#include <algorithm>
#include <cmath>

namespace snnc {
namespace {

namespace fb = flatbuffers;

float at(const std::vector<float> &v, int64_t i) {
  return v.size() == 1 ? v[0] : v[i];
}

snnb::NeuronKind kindOf(PopKind k) {
  switch (k) {
  case PopKind::Source:
    return snnb::NeuronKind::Source;
  case PopKind::Relay:
    return snnb::NeuronKind::Relay;
  case PopKind::LIF:
    return snnb::NeuronKind::LIF;
  case PopKind::CubaLIF:
    return snnb::NeuronKind::CubaLIF;
  case PopKind::IF:
    return snnb::NeuronKind::IF;
  case PopKind::LI:
    return snnb::NeuronKind::LI;
  case PopKind::CubaLI:
    return snnb::NeuronKind::CubaLI;
  case PopKind::Integrator:
    return snnb::NeuronKind::Integrator;
  case PopKind::Threshold:
    return snnb::NeuronKind::Threshold;
  case PopKind::ReceptorLIF:
    return snnb::NeuronKind::ReceptorLIF;
  case PopKind::PoissonSource:
    return snnb::NeuronKind::PoissonSource;
  }
  return snnb::NeuronKind::Relay;
}

// Round half away from zero, as the runtime's toFixed does.
int64_t roundAway(double x) {
  return int64_t(x < 0 ? -std::floor(-x + 0.5) : std::floor(x + 0.5));
}

class Writer {
public:
  Writer(const NetworkPlan &plan, const ArtifactOptions &o,
         QuantizationReport &r, std::string &e)
      : plan(plan), opt(o), report(r), error(e) {}
  bool run(std::vector<uint8_t> &bytes);

private:
  bool chooseScales();
  bool checkFinite();
  /// Input units -> target state units, per target neuron.
  double effectiveGain(const PlanPopulation &t, int64_t i) const {
    if (t.kind == PopKind::Source || t.kind == PopKind::Relay ||
        t.kind == PopKind::Threshold)
      return std::ldexp(1.0, frac[&t - plan.populations.data()]);
    double g = at(t.gainMem, i);
    if (isCurrentBased(t.kind))
      g *= at(t.gainSyn, i);
    return g * std::ldexp(1.0, frac[&t - plan.populations.data()]);
  }
  fb::Offset<snnb::FixedNeuron> fixedNeuron(uint32_t p);
  fb::Offset<snnb::FixedWeights> fixedWeights(const PlanProjection &pr);
  int32_t toState(double v, uint32_t p, const std::string &what);

  const NetworkPlan &plan;
  const ArtifactOptions &opt;
  QuantizationReport &report;
  std::string &error;
  fb::FlatBufferBuilder b{1 << 16};
  std::vector<int> frac;
};

bool Writer::chooseScales() {
  frac.assign(plan.populations.size(), 0);
  int64_t limit = (int64_t(1) << (opt.stateBits - 1)) - 1;
  for (size_t p = 0; p < plan.populations.size(); ++p) {
    const PlanPopulation &pop = plan.populations[p];
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
    int q = int(std::floor(std::log2(double(limit) / (8.0 * m))));
    frac[p] = std::clamp(q, 0, 30);
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

int32_t Writer::toState(double v, uint32_t p, const std::string &what) {
  int64_t lim = (int64_t(1) << (opt.stateBits - 1)) - 1;
  int64_t q = roundAway(std::ldexp(v, frac[p]));
  if (q > lim || q < -lim - 1) {
    ++report.clipped;
    report.notes.push_back("population '" + plan.populations[p].name +
                           "': " + what + " clipped to the state range");
    q = std::clamp<int64_t>(q, -lim - 1, lim);
  }
  return int32_t(q);
}

std::vector<uint16_t> decays(const std::vector<float> &f) {
  std::vector<uint16_t> d;
  for (float x : f)
    d.push_back(
        uint16_t(std::clamp<int64_t>(roundAway((1.0 - x) * 4096.0), 0, 4096)));
  return d;
}

fb::Offset<snnb::FixedNeuron> Writer::fixedNeuron(uint32_t p) {
  const PlanPopulation &pop = plan.populations[p];
  // A Poisson source has no state: its events are counts.
  if (pop.kind == PopKind::PoissonSource)
    return snnb::CreateFixedNeuronDirect(b, uint8_t(opt.stateBits), 0);
  std::vector<int32_t> ub, vb, th, rs, vi;
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
      ub.push_back(toState(bias * gs * gm, p, "bias"));
      vb.push_back(toState(leak, p, "leak"));
    } else {
      ub.push_back(0);
      vb.push_back(toState(plain ? bias : leak + gm * bias, p, "bias"));
    }
  }
  for (float x : pop.vThreshold)
    th.push_back(toState(x, p, "v_threshold"));
  for (float x : pop.vReset)
    rs.push_back(toState(x, p, "v_reset"));
  for (float x : pop.vInit)
    vi.push_back(toState(x, p, "v_init"));
  std::vector<uint16_t> du = decays(pop.alpha), dv = decays(pop.beta);
  return snnb::CreateFixedNeuronDirect(b, uint8_t(opt.stateBits),
                                       uint8_t(frac[p]), &du, &dv, &ub, &vb,
                                       &th, &rs, &vi);
}

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

snnb::DistributionKind distKind(procedural::Distribution::Kind k) {
  using K = procedural::Distribution::Kind;
  switch (k) {
  case K::Constant:
    return snnb::DistributionKind::Constant;
  case K::Normal:
    return snnb::DistributionKind::Normal;
  case K::Lognormal:
    return snnb::DistributionKind::Lognormal;
  case K::Uniform:
    return snnb::DistributionKind::Uniform;
  }
  return snnb::DistributionKind::Constant;
}

snnb::ConnectRule ruleOf(procedural::Rule r) {
  using R = procedural::Rule;
  switch (r) {
  case R::AllToAll:
    return snnb::ConnectRule::AllToAll;
  case R::OneToOne:
    return snnb::ConnectRule::OneToOne;
  case R::FixedProbability:
    return snnb::ConnectRule::FixedProbability;
  case R::FixedInDegree:
    return snnb::ConnectRule::FixedInDegree;
  case R::FixedTotalNumber:
    return snnb::ConnectRule::FixedTotalNumber;
  case R::FixedOutDegree:
    return snnb::ConnectRule::FixedOutDegree;
  }
  return snnb::ConnectRule::AllToAll;
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

fb::Offset<snnb::FixedWeights> Writer::fixedWeights(const PlanProjection &pr) {
  const PlanPopulation &t = plan.populations[pr.target];
  int64_t lim = (int64_t(1) << (opt.weightBits - 1)) - 1;
  if (pr.kind == PlanProjection::Pool) {
    double c = pr.poolScale * effectiveGain(t, 0);
    int e = int(std::lround(std::log2(c)));
    return snnb::CreateFixedWeightsDirect(b, uint8_t(opt.weightBits),
                                          uint8_t(e), nullptr);
  }
  int64_t nOut = t.size;
  std::vector<double> c(pr.weights.size());
  double maxAbs = 0;
  for (size_t k = 0; k < c.size(); ++k) {
    c[k] = pr.weights[k] * effectiveGain(t, targetOf(pr, int64_t(k), nOut));
    maxAbs = std::max(maxAbs, std::fabs(c[k]));
  }
  int e = maxAbs > 0 ? int(std::ceil(std::log2(maxAbs / double(lim)))) : 0;
  e = std::clamp(e, 0, 24);
  std::vector<int16_t> m(c.size());
  for (size_t k = 0; k < c.size(); ++k) {
    int64_t q = roundAway(std::ldexp(c[k], -e));
    if (q > lim || q < -lim - 1) {
      ++report.clipped;
      q = std::clamp<int64_t>(q, -lim - 1, lim);
    }
    if (q == 0 && pr.weights[k] != 0.0f)
      ++report.roundedToZero;
    m[k] = int16_t(q);
  }
  report.weights += int64_t(c.size());
  return snnb::CreateFixedWeightsDirect(b, uint8_t(opt.weightBits), uint8_t(e),
                                        &m);
}

// NaN or +-inf in a weight or parameter (an overflowing conversion, a
// corrupt source model) would make the network compute garbage silently;
// the loader refuses such files too.
bool Writer::checkFinite() {
  auto bad = [&](const std::string &owner, const std::string &field,
                 const std::vector<float> &v) {
    for (size_t k = 0; k < v.size(); ++k)
      if (!std::isfinite(v[k])) {
        error = owner + ": " + field + "[" + std::to_string(k) + "] is " +
                (std::isnan(v[k]) ? "nan"
                 : v[k] > 0       ? "inf"
                                  : "-inf") +
                "; every weight and parameter must be finite (check the "
                "source model)";
        return true;
      }
    return false;
  };
  for (const PlanPopulation &p : plan.populations) {
    std::string owner = "population '" + p.name + "'";
    const std::pair<const char *, const std::vector<float> *> fields[] = {
        {"alpha", &p.alpha},
        {"beta", &p.beta},
        {"gain_syn", &p.gainSyn},
        {"gain_mem", &p.gainMem},
        {"gain_direct", &p.gainDirect},
        {"leak", &p.leak},
        {"bias", &p.bias},
        {"v_threshold", &p.vThreshold},
        {"v_reset", &p.vReset},
        {"v_init", &p.vInit},
        {"rate", &p.rate}};
    for (auto [name, v] : fields)
      if (bad(owner, name, *v))
        return false;
    for (const PlanReceptor &r : p.receptors)
      if (bad(owner, "receptor '" + r.name + "' decay", r.decay) ||
          bad(owner, "receptor '" + r.name + "' gain", r.gain) ||
          bad(owner, "receptor '" + r.name + "' reversal", r.reversal))
        return false;
  }
  for (const PlanProjection &pr : plan.projections) {
    std::string owner = "projection '" + pr.name + "'";
    if (bad(owner, "weights", pr.weights) ||
        bad(owner, "pool scale", {pr.poolScale}))
      return false;
  }
  return true;
}

bool Writer::run(std::vector<uint8_t> &bytes) {
  if (!checkFinite())
    return false;
  if (opt.fixed && !chooseScales())
    return false;
  // A FlatBuffer addresses at most 2 GiB: refuse before building one.
  double need = 0;
  for (const PlanProjection &pr : plan.projections)
    need += 4.0 * double(pr.rowStart.size() + pr.targets.size() +
                         pr.weights.size()) +
            2.0 * double(pr.synapseDelays.size()) +
            (opt.fixed ? 2.0 * double(pr.weights.size()) : 0.0);
  if (need > 2.0e9) {
    error = "the artifact would need about " +
            std::to_string(int64_t(need / (1 << 20))) +
            " MiB of synapse data, more than the 2 GiB a .snnb file can "
            "hold; make the network smaller";
    return false;
  }
  std::vector<fb::Offset<snnb::Population>> pops;
  for (uint32_t p = 0; p < plan.populations.size(); ++p) {
    const PlanPopulation &pop = plan.populations[p];
    auto fixed = opt.fixed ? fixedNeuron(p) : 0;
    std::vector<fb::Offset<snnb::Receptor>> receptors;
    for (const PlanReceptor &r : pop.receptors)
      receptors.push_back(snnb::CreateReceptorDirect(
          b, r.name.c_str(),
          r.conductance ? snnb::ReceptorType::Conductance
                        : snnb::ReceptorType::Current,
          &r.decay, &r.gain, r.conductance ? &r.reversal : nullptr));
    // Fields a kind does not read stay absent (the loader refuses them).
    auto present = [](const std::vector<float> &v) {
      return v.empty() ? nullptr : &v;
    };
    bool receptorKind = pop.kind == PopKind::ReceptorLIF;
    pops.push_back(snnb::CreatePopulationDirect(
        b, pop.name.c_str(), kindOf(pop.kind), &pop.shape, uint32_t(pop.size),
        present(pop.alpha), present(pop.beta), present(pop.gainSyn),
        present(pop.gainMem), present(pop.gainDirect), present(pop.leak),
        present(pop.bias), present(pop.vThreshold), present(pop.vReset),
        present(pop.vInit), fixed, receptorKind ? &receptors : nullptr,
        pop.refractorySteps, present(pop.rate), pop.seed));
  }
  std::vector<fb::Offset<snnb::Projection>> projs;
  for (const PlanProjection &orig : plan.projections) {
    // Most projections are written as they are (no copy of large rows).
    const PlanProjection *prp = &orig;
    PlanProjection pooled;
    const PlanPopulation &t = plan.populations[orig.target];
    // A fixed-mode pool adds 1 << exponent per spike: exact only for a
    // spiking source and a power-of-two weight; otherwise explicit rows.
    if (opt.fixed && orig.kind == PlanProjection::Pool) {
      double c = orig.poolScale * effectiveGain(t, 0);
      bool uniform = t.gainMem.size() == 1 && t.gainSyn.size() == 1;
      if (!uniform || !isSpiking(plan.populations[orig.source].kind) || c < 1 ||
          std::exp2(std::round(std::log2(c))) != c) {
        pooled = poolAsSparse(orig);
        prp = &pooled;
      }
    }
    const PlanProjection &pr = *prp;
    if (opt.fixed && pr.kind == PlanProjection::Procedural) {
      error = "projection '" + pr.name +
              "': fixed mode needs explicit synapses to quantize; compile "
              "with --expand-connectivity=compile";
      return false;
    }
    if (opt.fixed && pr.kind == PlanProjection::Conv &&
        !uniformPerChannel(t, pr)) {
      error = "projection '" + pr.name + "' into '" + t.name +
              "': fixed mode needs the target's gains to be uniform within "
              "each output channel";
      return false;
    }
    fb::Offset<void> conn;
    snnb::Connectivity type = snnb::Connectivity::NONE;
    switch (pr.kind) {
    case PlanProjection::Dense:
      type = snnb::Connectivity::Dense;
      conn = snnb::CreateDenseDirect(b, &pr.weights).Union();
      break;
    case PlanProjection::Sparse:
      type = snnb::Connectivity::Sparse;
      conn = snnb::CreateSparseDirect(
                 b, &pr.rowStart, &pr.targets, &pr.weights,
                 pr.synapseDelays.empty() ? nullptr : &pr.synapseDelays)
                 .Union();
      break;
    case PlanProjection::Conv:
      type = snnb::Connectivity::Conv;
      conn = snnb::CreateConvDirect(b, &pr.inShape, &pr.outShape, &pr.weights,
                                    &pr.kernelShape, &pr.stride, &pr.padding,
                                    &pr.dilation, pr.groups)
                 .Union();
      break;
    case PlanProjection::Procedural: {
      type = snnb::Connectivity::Procedural;
      const procedural::ConnectSpec &r = pr.rule;
      auto dist = [&](const procedural::Distribution &d) {
        return snnb::CreateDistribution(b, distKind(d.kind), d.a, d.b, d.low,
                                        d.high);
      };
      auto w = dist(r.weight), dl = dist(r.delay);
      conn = snnb::CreateProcedural(b, ruleOf(r.rule), r.p, r.n,
                                    r.allowAutapses, r.allowMultapses,
                                    r.samePopulation, w, dl, r.seed)
                 .Union();
      break;
    }
    case PlanProjection::Pool:
      type = snnb::Connectivity::Pool;
      conn =
          snnb::CreatePoolDirect(b, &pr.inShape, &pr.outShape, &pr.kernelShape,
                                 &pr.stride, &pr.padding, pr.poolScale)
              .Union();
      break;
    }
    auto fixed = opt.fixed ? fixedWeights(pr) : 0;
    projs.push_back(snnb::CreateProjectionDirect(
        b, pr.name.c_str(), pr.source, pr.target, type, conn, &pr.delaySteps,
        pr.recurrent, fixed, pr.receptor));
  }
  auto ports = [&](const std::vector<PlanPort> &v) {
    std::vector<fb::Offset<snnb::Port>> out;
    for (const PlanPort &p : v)
      out.push_back(
          snnb::CreatePortDirect(b, p.name.c_str(), p.population, &p.shape));
    return out;
  };
  auto ins = ports(plan.inputs), outs = ports(plan.outputs);
  const Discretization &d = plan.discretization;
  auto disc = snnb::CreateDiscretizationDirect(
      b, d.profile.c_str(), d.dt,
      d.resetSubtract ? snnb::ResetMode::Subtract : snnb::ResetMode::ToReset,
      d.resetCarry      ? snnb::ResetTiming::Carry
      : d.resetNextStep ? snnb::ResetTiming::NextStep
                        : snnb::ResetTiming::SameStep,
      d.greaterEqual ? snnb::Comparison::GreaterEqual
                     : snnb::Comparison::Greater,
      d.synapseFirst ? snnb::CubaOrder::SynapseFirst
                     : snnb::CubaOrder::MembraneFirst);
  auto root = snnb::CreateProgramDirect(
      b, kSnnbSchemaVersion, opt.producer.c_str(), plan.network.c_str(),
      opt.fixed ? snnb::NumericMode::Fixed : snnb::NumericMode::Float, disc,
      &pops, &projs, &ins, &outs);
  snnb::FinishProgramBuffer(b, root);
  bytes.assign(b.GetBufferPointer(), b.GetBufferPointer() + b.GetSize());
  sealArtifact(bytes);
  return true;
}

} // namespace

bool writeArtifact(const NetworkPlan &plan, const ArtifactOptions &options,
                   std::vector<uint8_t> &bytes, QuantizationReport &report,
                   std::string &error) {
  return Writer(plan, options, report, error).run(bytes);
}

} // namespace snnc
