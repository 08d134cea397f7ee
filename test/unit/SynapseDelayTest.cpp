//===- SynapseDelayTest.cpp - Per-synapse delays of sparse projections ----===//
//
// Each synapse's arrival step checked exactly (float and fixed, spiking and
// graded sources, with the projection's delay_steps and the recurrent step),
// recurrent loops, ReceptorLIF targets, thread counts, and the artifact
// checks.
//
//===----------------------------------------------------------------------===//
#include "PoissonDelayNets.h"

#include <gtest/gtest.h>

namespace snnc::pdtest {
namespace {

// Synapses of the hand-built network: source neuron, target, own delay.
struct Syn {
  uint32_t pre, post;
  uint16_t delay;
};
const Syn kSyns[] = {{0, 0, 0}, {0, 1, 3}, {0, 2, 7}, {1, 3, 0},
                     {1, 4, 1}, {2, 5, 2}, {2, 6, 2}, {2, 0, 4}};
constexpr uint32_t kTargets = 7;
const uint32_t kDelaySteps[3] = {0, 2, 5};
const int kEmit[3] = {0, 1, 3}; // the step at which each source neuron fires

/// Source (3) -> Threshold (3, identity) -> probe 2 (Relay, spiking path);
/// Source -> probe 3 (Relay, graded path). Both sparse projections carry
/// kSyns with weights (q + 1) / 4 (fixed: mantissa q + 1, exponent 1).
Net arrivalNet(sb::NumericMode mode, bool recurrent) {
  const bool fixed = mode == sb::NumericMode::Fixed;
  Net net;
  net.mode = mode;
  Pop src;
  src.kind = NeuronKind::Source;
  src.size = 3;
  net.add(src);
  Pop th;
  th.kind = NeuronKind::Threshold;
  th.size = 3;
  th.th = {0.5f};
  th.fThreshold = {0};
  net.add(th);
  Pop probe;
  probe.size = kTargets;
  net.add(probe);
  net.add(probe);
  Proj id;
  id.source = 0, id.target = 1;
  id.dense = {1, 0, 0, 0, 1, 0, 0, 0, 1};
  if (fixed)
    id.mantissas = {1, 0, 0, 0, 1, 0, 0, 0, 1};
  net.projs.push_back(id);
  std::vector<uint32_t> pre, post;
  std::vector<float> w;
  std::vector<uint16_t> d;
  std::vector<int16_t> m;
  for (uint32_t q = 0; q < std::size(kSyns); ++q) {
    pre.push_back(kSyns[q].pre), post.push_back(kSyns[q].post);
    d.push_back(kSyns[q].delay);
    w.push_back(float(q + 1) * 0.25f);
    m.push_back(int16_t(q + 1));
  }
  for (uint32_t from : {1u, 0u}) {
    Proj s = sparse(from, from == 1 ? 2 : 3, 3, pre, post, w);
    s.delays = d;
    s.delaySteps.assign(kDelaySteps, kDelaySteps + 3);
    s.recurrent = recurrent;
    s.exponent = 1;
    if (fixed)
      s.mantissas = m;
    net.projs.push_back(s);
  }
  return net;
}

TEST(SynapseDelay, EverySynapseArrivesAtItsStep) {
  for (auto mode : {sb::NumericMode::Float, sb::NumericMode::Fixed})
    for (bool recurrent : {false, true}) {
      const bool fixed = mode == sb::NumericMode::Fixed;
      SCOPED_TRACE(std::string(fixed ? "fixed" : "float") +
                   (recurrent ? " recurrent" : ""));
      Net net = arrivalNet(mode, recurrent);
      const int steps = 20;
      // Built from the definition: source j's event of step kEmit[j]
      // reaches synapse q's target at kEmit[j] + delay_steps[j] +
      // delays[q] (+ 1 when recurrent).
      std::vector<std::vector<float>> want(steps,
                                           std::vector<float>(kTargets, 0));
      for (uint32_t q = 0; q < std::size(kSyns); ++q) {
        const Syn &s = kSyns[q];
        const int at = kEmit[s.pre] + int(kDelaySteps[s.pre]) + s.delay +
                       (recurrent ? 1 : 0);
        want[at][s.post] += fixed ? float((q + 1) << 1) : (q + 1) * 0.25f;
      }
      auto e = engine(net);
      ASSERT_TRUE(e);
      std::vector<float> probe(kTargets), graded(kTargets);
      for (int t = 0; t < steps; ++t) {
        float in[3] = {0, 0, 0};
        for (int j = 0; j < 3; ++j)
          in[j] = kEmit[j] == t ? 1.0f : 0.0f;
        e->setSource(0, in);
        e->step();
        e->readState(2, probe.data());
        e->readState(3, graded.data());
        EXPECT_EQ(probe, want[t]) << "spiking source, step " << t;
        EXPECT_EQ(graded, want[t]) << "graded source, step " << t;
      }
    }
}

TEST(SynapseDelay, RecurrentLoopTakesEachSynapsesDelay) {
  for (auto mode : {sb::NumericMode::Float, sb::NumericMode::Fixed}) {
    const bool fixed = mode == sb::NumericMode::Fixed;
    Net net;
    net.mode = mode;
    Pop src;
    src.kind = NeuronKind::Source;
    src.size = 1;
    net.add(src);
    Pop th;
    th.kind = NeuronKind::Threshold;
    th.size = 3;
    th.th = {0.5f};
    th.fThreshold = {0};
    net.add(th);
    Proj in;
    in.source = 0, in.target = 1;
    in.dense = {1, 0, 0};
    if (fixed)
      in.mantissas = {1, 0, 0};
    net.projs.push_back(in);
    // 0 -> 1 after 3 more steps, 1 -> 2 after none, 2 -> 0 after 5.
    Proj loop = sparse(1, 1, 3, {0, 1, 2}, {1, 2, 0}, {1.0f});
    loop.delays = {3, 0, 5};
    loop.recurrent = true;
    if (fixed)
      loop.mantissas = {1};
    net.projs.push_back(loop);
    auto e = engine(net);
    ASSERT_TRUE(e);
    std::vector<std::vector<int>> fired(3);
    for (int t = 0; t < 30; ++t) {
      float x = t == 0 ? 1.0f : 0.0f;
      e->setSource(0, &x);
      e->step();
      for (int k = 0; k < 3; ++k)
        if (e->spikes(1)[k])
          fired[k].push_back(t);
    }
    // One lap: 1 + 3, then 1 + 0, then 1 + 5 steps (recurrent edges add 1).
    EXPECT_EQ(fired[0], (std::vector<int>{0, 11, 22}));
    EXPECT_EQ(fired[1], (std::vector<int>{4, 15, 26}));
    EXPECT_EQ(fired[2], (std::vector<int>{5, 16, 27}));
  }
}

/// Spikes and states of population 1 of `net` over `steps` steps.
struct Trace {
  std::vector<std::vector<uint8_t>> spikes;
  std::vector<std::vector<float>> states;
  bool operator==(const Trace &) const = default;
};
Trace simulate(const Net &net, int steps, int threads) {
  Trace r;
  auto e = engine(net, threads);
  if (!e)
    return r;
  const uint32_t n = net.pops[1].size;
  for (int t = 0; t < steps; ++t) {
    e->step();
    r.spikes.emplace_back(e->spikes(1), e->spikes(1) + n);
    r.states.emplace_back(n);
    e->readState(1, r.states.back().data());
  }
  return r;
}

TEST(SynapseDelay, BitIdenticalForOneTwoThreeThreads) {
  for (auto mode : {sb::NumericMode::Float, sb::NumericMode::Fixed}) {
    Net net = randomNet(mode, 3000, 20, 5);
    Trace one = simulate(net, 120, 1);
    int64_t spikes = 0;
    for (const auto &s : one.spikes)
      for (uint8_t x : s)
        spikes += x;
    EXPECT_GT(spikes, 500); // the network is active
    EXPECT_TRUE(simulate(net, 120, 2) == one);
    EXPECT_TRUE(simulate(net, 120, 3) == one);
  }
}

/// Poisson input into a ReceptorLIF population (receptor 1) and recurrent
/// connections (receptor 0); every synapse of row j has delay D(j), given
/// either per synapse or as the projection's per-source delay_steps.
Net receptorNet(bool perSynapse) {
  Net net;
  net.add(poisson(100, 300.0f, 17));
  Pop lif;
  lif.kind = NeuronKind::ReceptorLIF;
  lif.size = 200;
  lif.beta = {0.9f};
  lif.th = {1.0f};
  lif.leak = {0.05f};
  lif.receptors = {{{0.7f}, {0.2f}}, {{0.8f}, {0.1f}}};
  net.add(lif);
  auto rows = [&](uint32_t from, uint32_t sources, uint32_t seed,
                  uint8_t receptor, bool recurrent) {
    std::vector<uint32_t> pre, post;
    std::vector<float> w;
    std::vector<uint16_t> d;
    std::vector<uint32_t> steps;
    for (uint32_t j = 0; j < sources; ++j) {
      const uint16_t dj = uint16_t((j * 7 + seed) % 13);
      steps.push_back(dj);
      for (uint32_t k = 0; k < 10; ++k) {
        pre.push_back(j);
        post.push_back((j * 31 + k * 17 + seed) % 200);
        w.push_back(recurrent && j < 40 ? -0.5f : 0.75f);
        d.push_back(dj);
      }
    }
    Proj p = sparse(from, 1, sources, pre, post, w);
    p.receptor = receptor;
    p.recurrent = recurrent;
    if (perSynapse)
      p.delays = d;
    else
      p.delaySteps = steps;
    return p;
  };
  net.projs = {rows(0, 100, 3, 1, false), rows(1, 200, 5, 0, true)};
  return net;
}

TEST(SynapseDelay, ReceptorTargetsMatchPerSourceDelays) {
  Trace perSource = simulate(receptorNet(false), 200, 1);
  Trace perSynapse = simulate(receptorNet(true), 200, 1);
  int64_t spikes = 0;
  for (const auto &s : perSource.spikes)
    for (uint8_t x : s)
      spikes += x;
  EXPECT_GT(spikes, 100);
  EXPECT_TRUE(perSynapse == perSource);
  EXPECT_TRUE(simulate(receptorNet(true), 200, 3) == perSource);
}

std::string refusal(const Net &net) {
  auto p = load(net);
  EXPECT_FALSE(p.isOk());
  return p.isOk() ? std::string() : p.status().message();
}

TEST(SynapseDelayArtifact, LengthMismatchIsRefused) {
  Net net = arrivalNet(sb::NumericMode::Float, false);
  net.projs[1].delays.pop_back();
  const std::string m = refusal(net);
  EXPECT_NE(m.find("projection 1 ('proj1'): field 'delays' of Sparse has 7 "
                   "values, expected one per target (8)"),
            std::string::npos)
      << m;
}

TEST(SynapseDelayArtifact, TooLongDelayIsRefused) {
  Net net = arrivalNet(sb::NumericMode::Float, false);
  net.projs[2].delaySteps = {65000, 0, 0};
  net.projs[2].delays[1] = 536;
  const std::string m = refusal(net);
  EXPECT_NE(m.find("projection 2 ('proj2'): synapse 1 (source neuron 0) has "
                   "delay_steps 65000 + delays 536 = 65536 steps, above the "
                   "limit of 65535"),
            std::string::npos)
      << m;
  net.projs[2].delays[1] = 535; // exactly the limit
  EXPECT_TRUE(load(net).isOk());
}

TEST(SynapseDelayArtifact, DelaysInAVersionTwoFileAreRefused) {
  Net net = arrivalNet(sb::NumericMode::Float, false);
  net.version = 2;
  const std::string m = refusal(net);
  EXPECT_NE(m.find("field 'delays' of Sparse needs schema version 3, the "
                   "file has version 2"),
            std::string::npos)
      << m;
  for (Proj &p : net.projs)
    p.delays.clear();
  EXPECT_TRUE(load(net).isOk());
}

} // namespace
} // namespace snnc::pdtest
