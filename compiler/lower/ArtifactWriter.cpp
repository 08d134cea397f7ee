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
#include "compiler/lower/ArtifactMapping.h"

#include "snnc/runtime/ArtifactSeal.h"
#include "snnc/runtime/Program.h"
#include "snnc/schema/snnb_generated.h"

#include <algorithm>
#include <cmath>

namespace snnc {
namespace {

namespace fb = flatbuffers;

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

class Writer {
public:
  Writer(const NetworkPlan &plan, const ArtifactOptions &o,
         QuantizationReport &r, std::string &e)
      : plan(plan), opt(o), report(r), error(e) {}
  bool run(std::vector<uint8_t> &bytes);

private:
  fb::Offset<snnb::FixedNeuron> fixedNeuron(const PlanPopulation &pop);
  fb::Offset<snnb::FixedWeights> fixedWeights(const PlanProjection &pr);

  const NetworkPlan &plan;
  const ArtifactOptions &opt;
  QuantizationReport &report;
  std::string &error;
  fb::FlatBufferBuilder b{1 << 16};
};

fb::Offset<snnb::FixedNeuron> Writer::fixedNeuron(const PlanPopulation &pop) {
  const PlanFixedNeuron &f = *pop.fixed;
  // A Poisson source has no state: its events are counts.
  if (pop.kind == PopKind::PoissonSource)
    return snnb::CreateFixedNeuronDirect(b, uint8_t(f.stateBits), 0);
  return snnb::CreateFixedNeuronDirect(
      b, uint8_t(f.stateBits), uint8_t(f.fracBits), &f.decayU, &f.decayV,
      &f.uBias, &f.vBias, &f.vThreshold, &f.vReset, &f.vInit);
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

fb::Offset<snnb::FixedWeights> Writer::fixedWeights(const PlanProjection &pr) {
  const PlanFixedWeights &f = *pr.fixed;
  return snnb::CreateFixedWeightsDirect(
      b, uint8_t(f.weightBits), uint8_t(f.exponent),
      pr.kind == PlanProjection::Pool ? nullptr : &f.mantissas);
}

} // namespace

// NaN or +-inf in a weight or parameter (an overflowing conversion, a
// corrupt source model) would make the network compute garbage silently;
// the loader refuses such files too.
bool planIsFinite(const NetworkPlan &plan, std::string &error) {
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
        {"rate", &p.rate},
        {"delta k_mem", &p.deltaKMem},
        {"delta k_syn", &p.deltaKSyn},
        {"delta r", &p.deltaR},
        {"delta w_in", &p.deltaWIn},
        {"delta v_leak", &p.deltaVLeak},
        {"delta i_leak", &p.deltaILeak}};
    for (auto [name, v] : fields)
      if (bad(owner, name, *v))
        return false;
    for (const PlanReceptor &r : p.receptors)
      if (bad(owner, "receptor '" + r.name + "' decay", r.decay) ||
          bad(owner, "receptor '" + r.name + "' gain", r.gain) ||
          bad(owner, "receptor '" + r.name + "' reversal", r.reversal) ||
          bad(owner, "receptor '" + r.name + "' gain_rise", r.gainRise) ||
          bad(owner, "receptor '" + r.name + "' rise", r.rise))
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

namespace {

bool Writer::run(std::vector<uint8_t> &bytes) {
  if (!planIsFinite(plan, error))
    return false;
  if (opt.fixed) {
    for (const PlanPopulation &pop : plan.populations)
      if (!pop.fixed) {
        error = "population '" + pop.name +
                "' is not quantized (run nmc-quantize before writing a "
                "fixed-mode artifact)";
        return false;
      }
    for (const PlanProjection &pr : plan.projections)
      if (!pr.fixed) {
        error = "projection '" + pr.name +
                "' is not quantized (run nmc-quantize before writing a "
                "fixed-mode artifact)";
        return false;
      }
  }
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
    auto fixed = opt.fixed ? fixedNeuron(pop) : 0;
    std::vector<fb::Offset<snnb::Receptor>> receptors;
    for (const PlanReceptor &r : pop.receptors)
      receptors.push_back(snnb::CreateReceptorDirect(
          b, r.name.c_str(),
          r.conductance ? snnb::ReceptorType::Conductance
          : r.alpha     ? snnb::ReceptorType::Alpha
                        : snnb::ReceptorType::Current,
          &r.decay, &r.gain, r.conductance ? &r.reversal : nullptr,
          r.alpha ? &r.gainRise : nullptr, r.alpha ? &r.rise : nullptr));
    // Fields a kind does not read stay absent (the loader refuses them).
    auto present = [](const std::vector<float> &v) {
      return v.empty() ? nullptr : &v;
    };
    bool receptorKind = pop.kind == PopKind::ReceptorLIF;
    fb::Offset<snnb::DeltaForm> delta = 0;
    if (!pop.deltaKMem.empty())
      delta = snnb::CreateDeltaFormDirect(b, &pop.deltaKMem, &pop.deltaKSyn,
                                          &pop.deltaR, &pop.deltaWIn,
                                          &pop.deltaVLeak, &pop.deltaILeak);
    const snnb::PopulationReset reset =
        !pop.resetSubtract   ? snnb::PopulationReset::Network
        : *pop.resetSubtract ? snnb::PopulationReset::Subtract
                             : snnb::PopulationReset::ToReset;
    pops.push_back(snnb::CreatePopulationDirect(
        b, pop.name.c_str(), kindOf(pop.kind), &pop.shape, uint32_t(pop.size),
        present(pop.alpha), present(pop.beta), present(pop.gainSyn),
        present(pop.gainMem), present(pop.gainDirect), present(pop.leak),
        present(pop.bias), present(pop.vThreshold), present(pop.vReset),
        present(pop.vInit), fixed, receptorKind ? &receptors : nullptr,
        pop.refractorySteps, present(pop.rate), pop.seed,
        present(pop.firstBias), reset, delta));
  }
  std::vector<fb::Offset<snnb::Projection>> projs;
  for (const PlanProjection &pr : plan.projections) {
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
                     : snnb::CubaOrder::MembraneFirst,
      uint8_t(d.stateFracBits), d.multiSpike, d.synapseInputDecays,
      d.ifLowerClamp, d.deltaForm);
  fb::Offset<snnb::Mapping> mapping = 0;
  if (plan.mapping &&
      !writeMappingTable(b, plan, *plan.mapping, mapping, error))
    return false;
  auto root = snnb::CreateProgramDirect(
      b, kSnnbSchemaVersion, opt.producer.c_str(), plan.network.c_str(),
      opt.fixed ? snnb::NumericMode::Fixed : snnb::NumericMode::Float, disc,
      &pops, &projs, &ins, &outs, mapping);
  snnb::FinishProgramBuffer(b, root);
  bytes.assign(b.GetBufferPointer(), b.GetBufferPointer() + b.GetSize());
  sealArtifact(bytes);
  return true;
}

} // namespace

QuantizationReport quantizationReport(const NetworkPlan &plan) {
  QuantizationReport r;
  if (!plan.quantization)
    return r;
  r.clipped = plan.quantization->clippedParameters;
  for (const PlanProjection &pr : plan.projections)
    if (pr.fixed) {
      r.weights += pr.fixed->weights;
      r.roundedToZero += pr.fixed->roundedToZero;
      r.clipped += pr.fixed->clipped;
    }
  r.notes = plan.quantization->notes;
  return r;
}

bool writeArtifact(const NetworkPlan &plan, const ArtifactOptions &options,
                   std::vector<uint8_t> &bytes, QuantizationReport &report,
                   std::string &error) {
  report = quantizationReport(plan);
  return Writer(plan, options, report, error).run(bytes);
}

} // namespace snnc
