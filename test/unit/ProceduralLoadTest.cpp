//===- ProceduralLoadTest.cpp - Procedural projections expanded at load ---===//
//
// An artifact that carries connection rules must run exactly as the same
// network with the synapses expanded by procedural::expand and written as
// Sparse: the same spikes at the same steps and the same final membranes,
// bit for bit, on 1, 2 and 3 threads, for every rule and distribution kind,
// per-synapse and constant delays, receptors and recurrent edges.
//
//===----------------------------------------------------------------------===//
#include "ProceduralLoadNets.h"

#include <gtest/gtest.h>

#include <cstring>

namespace snnc::pltest {
namespace {

constexpr int kSteps = 300;

uint64_t spikesOf(const Trace &t, uint32_t population) {
  uint64_t n = 0;
  for (uint64_t s : t.spikes)
    n += ((s >> 32) & 0xff) == population;
  return n;
}

bool sameBits(const std::vector<std::vector<float>> &a,
              const std::vector<std::vector<float>> &b) {
  if (a.size() != b.size())
    return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (a[i].size() != b[i].size() ||
        std::memcmp(a[i].data(), b[i].data(), a[i].size() * sizeof(float)))
      return false;
  return true;
}

void expectSameRun(const Net &net, const char *what) {
  auto procedural = load(net, false);
  auto sparse = load(net, true);
  ASSERT_TRUE(procedural.isOk()) << procedural.status().toString();
  ASSERT_TRUE(sparse.isOk()) << sparse.status().toString();
  const Trace reference = run(**sparse, 1, kSteps);
  for (int threads : {1, 2, 3}) {
    SCOPED_TRACE(std::string(what) + ", " + std::to_string(threads) +
                 " threads");
    const Trace p = run(**procedural, threads, kSteps);
    const Trace s = run(**sparse, threads, kSteps);
    EXPECT_EQ(p.spikes, s.spikes);
    EXPECT_TRUE(sameBits(p.state, s.state));
    EXPECT_EQ(p.spikes, reference.spikes);
    EXPECT_TRUE(sameBits(p.state, reference.state));
  }
  // The comparison means something only if every population is active.
  for (uint32_t pop = 0; pop < net.pops.size(); ++pop)
    EXPECT_GT(spikesOf(reference, pop), 100u) << what << ": population " << pop;
}

TEST(ProceduralLoad, MixedNetworkMatchesItsSparseExpansion) {
  for (uint64_t seed : {1u, 2u})
    expectSameRun(mixedNet(seed), ("seed " + std::to_string(seed)).c_str());
}

TEST(ProceduralLoad, EachRuleAloneMatchesItsSparseExpansion) {
  // Every projection of the mixed network but the Poisson drive, one at a
  // time, so that a difference names the rule.
  const Net full = mixedNet(3);
  for (size_t k = 2; k < full.projs.size(); ++k) {
    Net net = full;
    net.projs = {full.projs[0], full.projs[1], full.projs[k]};
    expectSameRun(net, ("projection " + std::to_string(k)).c_str());
  }
}

TEST(ProceduralLoad, MultapsesAndWithoutMultapsesAndAutapses) {
  using R = procedural::Rule;
  using Kind = procedural::Distribution::Kind;
  Net net = mixedNet(4);
  // In-degree with multapses (pairs drawn twice appear twice), out-degree
  // and total number without, probability within one population.
  net.projs[1].spec.allowMultapses = true;
  net.projs[1].spec.n = 60;
  net.projs[2].spec.allowMultapses = false;
  net.projs[3].spec.allowMultapses = true;
  Proj self;
  self.source = self.target = 1;
  self.recurrent = true;
  self.spec.rule = R::FixedProbability;
  self.spec.p = 0.05;
  self.spec.samePopulation = true;
  self.spec.allowAutapses = false;
  self.spec.weight = {Kind::Uniform, -0.05, 0.02};
  self.spec.delay = {Kind::Lognormal, -7.0, 0.5};
  self.spec.seed = 99;
  net.projs.push_back(self);
  expectSameRun(net, "flags");
}

TEST(ProceduralLoad, EstimateCountsSynapsesAndTheLargestTwice) {
  // 100 x 100 all-to-all, per-synapse weights, constant delay: bytesFor =
  // 4 x 101 + 4 x 10000 + 4 x 10000 + 2 = 80406, held twice while converted.
  Net net;
  net.pops = {{NeuronKind::PoissonSource, 100, 100.0f, 0},
              {NeuronKind::LIF, 100, 0, 0}};
  Proj p;
  p.source = 0, p.target = 1;
  p.spec.rule = procedural::Rule::AllToAll;
  p.spec.weight = {procedural::Distribution::Kind::Normal, 0.1, 0.01};
  net.projs = {p};
  auto program = load(net, false);
  ASSERT_TRUE(program.isOk()) << program.status().toString();
  EXPECT_EQ((*program)->expansionEstimateBytes(), 2u * 80406u);
  EXPECT_EQ((*program)->expansionBudgetBytes(), defaultExpansionBudget());
  auto sparse = load(net, true);
  ASSERT_TRUE(sparse.isOk());
  EXPECT_EQ((*sparse)->expansionEstimateBytes(), 0u);
  // The spec the loader reads back is the one written.
  const procedural::ConnectSpec s = (*program)->connectSpec(0);
  EXPECT_EQ(s.nPre, 100u);
  EXPECT_EQ(s.nPost, 100u);
  EXPECT_EQ(s.weight.kind, procedural::Distribution::Kind::Normal);
  EXPECT_EQ(s.weight.a, 0.1);
  EXPECT_EQ(s.delay.kind, procedural::Distribution::Kind::Constant);
  EXPECT_EQ(s.dt, net.dt);
}

TEST(ProceduralLoad, FixedProbabilityEstimateUsesTheExpectedCount) {
  // 100 neurons onto themselves without autapses, p = 0.1: 0.1 x 100 x 99
  // = 990 expected synapses; bytesFor = 4 x 101 + 4 x 990 + 4 x 990 + 2.
  Net net;
  net.pops = {{NeuronKind::PoissonSource, 100, 100.0f, 0},
              {NeuronKind::LIF, 100, 0, 0}};
  Proj p;
  p.source = p.target = 1;
  p.recurrent = true;
  p.spec.rule = procedural::Rule::FixedProbability;
  p.spec.p = 0.1;
  p.spec.samePopulation = true;
  p.spec.allowAutapses = false;
  p.spec.weight = {procedural::Distribution::Kind::Uniform, 0.0, 0.1};
  net.projs = {p};
  auto program = load(net, false);
  ASSERT_TRUE(program.isOk()) << program.status().toString();
  EXPECT_EQ((*program)->expansionEstimateBytes(), 2u * 8326u);
}

} // namespace
} // namespace snnc::pltest
