//===- ProceduralLoadNets.cpp - Artifacts with Procedural projections -----===//
#include "ProceduralLoadNets.h"

#include "CpuDriver.h"
#include "snnc/runtime/ArtifactSeal.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace snnc::pltest {
namespace {

using Kind = procedural::Distribution::Kind;

sb::DistributionKind kindOf(Kind k) {
  switch (k) {
  case Kind::Normal:
    return sb::DistributionKind::Normal;
  case Kind::Lognormal:
    return sb::DistributionKind::Lognormal;
  case Kind::Uniform:
    return sb::DistributionKind::Uniform;
  case Kind::Constant:
    break;
  }
  return sb::DistributionKind::Constant;
}

sb::ConnectRule ruleOf(procedural::Rule r) {
  using R = procedural::Rule;
  switch (r) {
  case R::AllToAll:
    return sb::ConnectRule::AllToAll;
  case R::OneToOne:
    return sb::ConnectRule::OneToOne;
  case R::FixedProbability:
    return sb::ConnectRule::FixedProbability;
  case R::FixedInDegree:
    return sb::ConnectRule::FixedInDegree;
  case R::FixedTotalNumber:
    return sb::ConnectRule::FixedTotalNumber;
  case R::FixedOutDegree:
    return sb::ConnectRule::FixedOutDegree;
  }
  return sb::ConnectRule::AllToAll;
}

flatbuffers::Offset<sb::Distribution>
distribution(flatbuffers::FlatBufferBuilder &b,
             const procedural::Distribution &d, uint8_t rawKind) {
  return sb::CreateDistribution(
      b, rawKind ? sb::DistributionKind(rawKind) : kindOf(d.kind), d.a, d.b,
      d.low, d.high);
}

template <typename T>
flatbuffers::Offset<flatbuffers::Vector<T>>
vec(flatbuffers::FlatBufferBuilder &b, const std::vector<T> &v) {
  return v.empty() ? 0 : b.CreateVector(v);
}

} // namespace

procedural::ConnectSpec specOf(const Net &net, const Proj &p) {
  procedural::ConnectSpec s = p.spec;
  s.nPre = net.pops[p.source].size;
  s.nPost = net.pops[p.target].size;
  s.dt = net.dt;
  return s;
}

std::vector<uint8_t> bytes(const Net &net, bool expanded) {
  flatbuffers::FlatBufferBuilder b;
  const bool fixed = net.mode == sb::NumericMode::Fixed;
  std::vector<flatbuffers::Offset<sb::Population>> pops;
  for (uint32_t i = 0; i < net.pops.size(); ++i) {
    const Pop &p = net.pops[i];
    const bool poisson = p.kind == NeuronKind::PoissonSource;
    std::vector<flatbuffers::Offset<sb::Receptor>> rs;
    for (uint32_t k = 0; k < p.receptors; ++k)
      rs.push_back(sb::CreateReceptor(
          b, b.CreateString("r" + std::to_string(k)), sb::ReceptorType::Current,
          b.CreateVector(std::vector<float>{k ? 0.8f : 0.9f}),
          b.CreateVector(std::vector<float>{0.1f})));
    const std::vector<int64_t> shape{p.size};
    const std::vector<float> beta{0.99f}, th{1.0f}, rate{p.rate};
    pops.push_back(sb::CreatePopulation(
        b, b.CreateString("p" + std::to_string(i)), p.kind,
        b.CreateVector(shape), p.size, 0, poisson ? 0 : b.CreateVector(beta), 0,
        0, 0, 0, 0, poisson ? 0 : b.CreateVector(th), 0, 0,
        fixed ? sb::CreateFixedNeuron(b) : 0,
        rs.empty() ? 0 : b.CreateVector(rs), 0,
        poisson ? b.CreateVector(rate) : 0, poisson ? 11 + i : 0));
  }
  std::vector<flatbuffers::Offset<sb::Projection>> projs;
  for (const Proj &p : net.projs) {
    const procedural::ConnectSpec spec = specOf(net, p);
    std::vector<uint32_t> delaySteps = p.delaySteps;
    flatbuffers::Offset<void> conn;
    sb::Connectivity type = sb::Connectivity::Procedural;
    if (!expanded) {
      conn = sb::CreateProcedural(
                 b, p.rawRule ? sb::ConnectRule(p.rawRule) : ruleOf(spec.rule),
                 spec.p, spec.n, spec.allowAutapses, spec.allowMultapses,
                 spec.samePopulation,
                 p.noWeight ? 0 : distribution(b, spec.weight, p.rawWeightKind),
                 p.noDelay ? 0 : distribution(b, spec.delay, 0), spec.seed)
                 .Union();
    } else {
      type = sb::Connectivity::Sparse;
      auto syn =
          procedural::expand(spec, 1, std::numeric_limits<uint64_t>::max());
      EXPECT_TRUE(syn.isOk()) << syn.status().toString();
      if (!syn.isOk())
        return {};
      std::vector<uint16_t> delays;
      if (spec.delay.kind == Kind::Constant) {
        // One delay for every synapse belongs in delay_steps.
        if (delaySteps.empty())
          delaySteps.push_back(0);
        for (uint32_t &d : delaySteps)
          d += syn->delaySteps.at(0);
      } else {
        delays = syn->delaySteps;
      }
      conn = sb::CreateSparse(b, b.CreateVector(syn->rowStart),
                              b.CreateVector(syn->targets),
                              b.CreateVector(syn->weights), vec(b, delays))
                 .Union();
    }
    projs.push_back(sb::CreateProjection(
        b, b.CreateString("proj" + std::to_string(projs.size())), p.source,
        p.target, type, conn, vec(b, delaySteps), p.recurrent,
        fixed ? sb::CreateFixedWeights(b) : 0, p.receptor));
  }
  auto disc = sb::CreateDiscretization(b, b.CreateString("test"), net.dt);
  auto root = sb::CreateProgram(
      b, net.version, b.CreateString("test"), b.CreateString("net"), net.mode,
      disc, b.CreateVector(pops), b.CreateVector(projs),
      b.CreateVector(std::vector<flatbuffers::Offset<sb::Port>>{}),
      b.CreateVector(std::vector<flatbuffers::Offset<sb::Port>>{}));
  sb::FinishProgramBuffer(b, root);
  return snnc::sealedCopy(b.GetBufferPointer(), b.GetSize());
}

snnc::StatusOr<std::shared_ptr<const snnc::Program>>
load(const Net &net, bool expanded, snnc::LoadOptions options) {
  return snnc::Program::fromBytes(bytes(net, expanded),
                                  expanded ? "sparse.snnb" : "procedural.snnb",
                                  options);
}

Trace run(const snnc::Program &program, int threads, int steps) {
  Trace t;
  auto e =
      snnc::makeCpuDriver()->instantiate(program, snnc::DeviceOptions{threads});
  EXPECT_TRUE(e.isOk()) << e.status().toString();
  if (!e.isOk())
    return t;
  const auto *pops = program.fb().populations();
  std::vector<uint32_t> idx;
  for (int s = 0; s < steps; ++s) {
    (*e)->step();
    for (uint32_t p = 0; p < pops->size(); ++p) {
      idx.resize(pops->Get(p)->size());
      const uint32_t n = (*e)->spikeIndices(p, idx.data());
      for (uint32_t k = 0; k < n; ++k)
        t.spikes.push_back(uint64_t(s) << 40 | uint64_t(p) << 32 | idx[k]);
    }
  }
  for (uint32_t p = 0; p < pops->size(); ++p) {
    if (pops->Get(p)->kind() == NeuronKind::PoissonSource)
      continue;
    t.state.emplace_back(pops->Get(p)->size());
    (*e)->readState(p, t.state.back().data());
  }
  return t;
}

Net mixedNet(uint64_t seed) {
  using R = procedural::Rule;
  Net net;
  net.pops = {{NeuronKind::PoissonSource, 400, 300.0f, 0},
              {NeuronKind::LIF, 300, 0, 0},
              {NeuronKind::ReceptorLIF, 250, 0, 2}};
  auto proj = [&](uint32_t from, uint32_t to, R rule) {
    Proj p;
    p.source = from, p.target = to;
    p.spec.rule = rule;
    p.spec.seed = seed * 1000 + net.projs.size();
    p.recurrent = from >= to;
    return p;
  };
  // Per-synapse clipped-normal delays of 0 to 30 steps.
  Proj p0 = proj(0, 1, R::FixedProbability);
  p0.spec.p = 0.1;
  p0.spec.weight = {Kind::Normal, 0.15, 0.05, 0.0, 0.5};
  p0.spec.delay = {Kind::Normal, 1.5e-3, 0.5e-3, 0.0, 3e-3};
  net.projs.push_back(p0);
  // A Constant delay (5 steps) on top of delay_steps, receptor 1.
  Proj p1 = proj(0, 2, R::FixedInDegree);
  p1.spec.n = 20;
  p1.spec.allowMultapses = false;
  p1.spec.weight = {Kind::Uniform, 0.2, 0.6};
  p1.spec.delay = {Kind::Constant, 5e-4};
  p1.delaySteps = {2};
  p1.receptor = 1;
  net.projs.push_back(p1);
  // Uniform per-synapse delays from 0 steps (delivered within the step).
  Proj p2 = proj(1, 2, R::FixedTotalNumber);
  p2.spec.n = 5000;
  p2.spec.weight = {Kind::Lognormal, std::log(0.3), 0.3};
  p2.spec.delay = {Kind::Uniform, 0.0, 2e-3};
  net.projs.push_back(p2);
  // Recurrent, a Constant delay added to per-source delay_steps.
  Proj p3 = proj(2, 1, R::FixedOutDegree);
  p3.spec.n = 10;
  p3.spec.allowMultapses = false;
  p3.spec.weight = {Kind::Constant, -0.2};
  p3.spec.delay = {Kind::Constant, 1e-3};
  for (uint32_t j = 0; j < 250; ++j)
    p3.delaySteps.push_back(j % 4);
  net.projs.push_back(p3);
  // One population onto itself without autapses; no delay distribution.
  Proj p4 = proj(1, 1, R::AllToAll);
  p4.spec.samePopulation = true;
  p4.spec.allowAutapses = false;
  p4.spec.weight = {Kind::Normal, 0.0, 0.002};
  p4.noDelay = true;
  net.projs.push_back(p4);
  Proj p5 = proj(2, 2, R::OneToOne);
  p5.spec.samePopulation = true;
  p5.spec.weight = {Kind::Constant, 0.05};
  p5.spec.delay = {Kind::Uniform, 1e-4, 5e-4};
  net.projs.push_back(p5);
  return net;
}

} // namespace snnc::pltest
