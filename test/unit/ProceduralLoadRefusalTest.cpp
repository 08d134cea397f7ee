//===- ProceduralLoadRefusalTest.cpp - Procedural projections refused -----===//
//
// Every refusal of the loader and of the expansion at instantiation: the
// status code, and a message that names the projection, the field and its
// value (the memory budget: the bytes).
//
//===----------------------------------------------------------------------===//
#include "CpuDriver.h"
#include "ProceduralLoadNets.h"

#include <gtest/gtest.h>

namespace snnc::pltest {
namespace {

using Kind = procedural::Distribution::Kind;
using R = procedural::Rule;

/// Poisson (100) -> LIF (100), all-to-all, normal weights: 10000 synapses,
/// bytesFor = 80406 with a constant delay.
Net small() {
  Net net;
  net.pops = {{NeuronKind::PoissonSource, 100, 100.0f, 0},
              {NeuronKind::LIF, 100, 0, 0}};
  Proj p;
  p.source = 0, p.target = 1;
  p.spec.rule = R::AllToAll;
  p.spec.weight = {Kind::Normal, 0.1, 0.01};
  net.projs = {p};
  return net;
}

void expectRefused(const Net &net, StatusCode code,
                   std::vector<std::string> parts) {
  auto program = load(net, false);
  ASSERT_FALSE(program.isOk());
  EXPECT_EQ(program.status().code(), code) << program.status().toString();
  parts.push_back("procedural.snnb: projection 0 ('proj0')");
  for (const std::string &part : parts)
    EXPECT_NE(program.status().message().find(part), std::string::npos)
        << "'" << part << "' not in: " << program.status().message();
}

TEST(ProceduralLoadRefusal, OlderSchemaVersion) {
  Net net = small();
  net.pops[0] = {NeuronKind::LIF, 100, 0, 0}; // no PoissonSource before v3
  net.pops.push_back({NeuronKind::LIF, 100, 0, 0});
  net.projs[0].target = 2;
  net.version = 2;
  expectRefused(net, StatusCode::kDataLoss,
                {"needs schema version 3", "version 2"});
}

TEST(ProceduralLoadRefusal, UnknownRuleAndDistributionKind) {
  Net net = small();
  net.projs[0].rawRule = 17;
  expectRefused(net, StatusCode::kDataLoss, {"unknown connection rule 17"});
  net = small();
  net.projs[0].rawWeightKind = 9;
  expectRefused(net, StatusCode::kDataLoss,
                {"unknown weight distribution kind 9"});
}

TEST(ProceduralLoadRefusal, NoWeightDistribution) {
  Net net = small();
  net.projs[0].noWeight = true;
  // The weight distribution is a required field: the verifier says so.
  auto program = load(net, false);
  ASSERT_FALSE(program.isOk());
  EXPECT_EQ(program.status().message(),
            "procedural.snnb: the artifact fails verification at "
            "Program.projections[0].connectivity<Procedural>.weight: required "
            "field is missing (its seal matches, so it was written so: not by "
            "snnc, or by a broken one)");
}

TEST(ProceduralLoadRefusal, SamePopulationAcrossTwoPopulations) {
  Net net = small();
  net.projs[0].spec.samePopulation = true;
  expectRefused(net, StatusCode::kDataLoss,
                {"same_population", "source 0 and target 1"});
}

TEST(ProceduralLoadRefusal, FixedMode) {
  Net net = small();
  net.pops[0] = {NeuronKind::LIF, 100, 0, 0};
  net.pops.push_back({NeuronKind::LIF, 100, 0, 0});
  net.projs[0].target = 2;
  net.mode = sb::NumericMode::Fixed;
  expectRefused(net, StatusCode::kUnimplemented,
                {"Procedural connectivity", "float mode"});
}

TEST(ProceduralLoadRefusal, ValidateMessagesNameTheProjection) {
  Net net = small();
  net.projs[0].spec.rule = R::FixedProbability;
  net.projs[0].spec.p = 1.5;
  expectRefused(net, StatusCode::kInvalidArgument,
                {"fixed-probability", "p = 1.5"});
  net = small();
  net.projs[0].spec.rule = R::FixedInDegree;
  net.projs[0].spec.n = 101;
  net.projs[0].spec.allowMultapses = false;
  expectRefused(net, StatusCode::kInvalidArgument, {"101"});
  net = small();
  net.projs[0].spec.delay = {Kind::Uniform, 2e-3, 1e-3};
  expectRefused(net, StatusCode::kInvalidArgument, {"delay"});
}

TEST(ProceduralLoadRefusal, DelayStepsPlusProceduralDelaysTooLong) {
  Net net = small();
  net.projs[0].spec.delay = {Kind::Constant, 0.1}; // 1000 steps of 1e-4 s
  net.projs[0].delaySteps = {65000};
  expectRefused(net, StatusCode::kInvalidArgument,
                {"delay_steps up to 65000", "up to 1000 steps", "65535"});
  net = small();
  net.projs[0].spec.delay = {Kind::Lognormal, -7.0, 0.5};
  net.projs[0].delaySteps = {1};
  expectRefused(net, StatusCode::kInvalidArgument, {"lognormal"});
  // Lognormal delays alone are fine: they are clamped at 65535 steps.
  net.projs[0].delaySteps.clear();
  EXPECT_TRUE(load(net, false).isOk());
}

TEST(ProceduralLoadRefusal, LoadTimeBudgetNamesTheBytes) {
  const Net net = small();
  // 80406 bytes of synapses plus 80406 while converted.
  LoadOptions tight;
  tight.expansionBudgetBytes = 160811;
  auto refused = load(net, false, tight);
  ASSERT_FALSE(refused.isOk());
  EXPECT_EQ(refused.status().code(), StatusCode::kInvalidArgument);
  const std::string &m = refused.status().message();
  for (const char *part : {"needs about 160812 bytes", "80406 for their",
                           "the memory budget is 160811 bytes",
                           "LoadOptions::expansionBudgetBytes"})
    EXPECT_NE(m.find(part), std::string::npos) << part << " not in: " << m;
  LoadOptions enough;
  enough.expansionBudgetBytes = 160812;
  EXPECT_TRUE(load(net, false, enough).isOk());
}

TEST(ProceduralLoadRefusal, HugeFixedProbabilityEstimateIsCapped) {
  // 2^31 x 2^31 pairs at p = 0.5: the expected count (2^61) is capped at
  // 2^33; bytesFor = 4 x (2^31 + 1) + 8 x 2^33 + 2 = 77309411334, twice.
  Net net = small();
  net.pops[0].size = net.pops[1].size = 1u << 31;
  net.projs[0].spec.rule = R::FixedProbability;
  net.projs[0].spec.p = 0.5;
  LoadOptions options;
  options.expansionBudgetBytes = uint64_t(1) << 36;
  auto program = load(net, false, options);
  ASSERT_FALSE(program.isOk());
  EXPECT_EQ(program.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(program.status().message().find("needs about 154618822668 bytes"),
            std::string::npos)
      << program.status().message();
}

TEST(ProceduralLoadRefusal, EngineBudgetCountsEveryThreadsRowOffsets) {
  const Net net = small();
  LoadOptions exact;
  exact.expansionBudgetBytes = 160812;
  auto program = load(net, false, exact);
  ASSERT_TRUE(program.isOk()) << program.status().toString();
  // One thread: the synapses and their rows fit exactly.
  EXPECT_TRUE(makeCpuDriver()->instantiate(**program, DeviceOptions{1}).isOk());
  // Two threads: one more slice of 101 row offsets (404 bytes).
  auto e = makeCpuDriver()->instantiate(**program, DeviceOptions{2});
  ASSERT_FALSE(e.isOk());
  EXPECT_EQ(e.status().code(), StatusCode::kInvalidArgument);
  const std::string &m = e.status().message();
  for (const char *part :
       {"cpu: procedural.snnb: projection 0 ('proj0')", "10000 synapses",
        "80406 bytes", "80810 more", "161216 bytes in all",
        "budget left is 160812 bytes"})
    EXPECT_NE(m.find(part), std::string::npos) << part << " not in: " << m;
}

TEST(ProceduralLoadRefusal, ExpansionBudgetLeftAfterEarlierProjections) {
  Net net = small();
  net.projs.push_back(net.projs[0]);
  net.projs[1].spec.seed = 5;
  // Load estimate: 2 x 80406 + 80406 = 241218; the engine needs, on one
  // thread, the first projection's rows (at most 80406) and then 160812.
  LoadOptions options;
  options.expansionBudgetBytes = 241218;
  auto program = load(net, false, options);
  ASSERT_TRUE(program.isOk()) << program.status().toString();
  auto e = makeCpuDriver()->instantiate(**program, DeviceOptions{1});
  ASSERT_TRUE(e.isOk()) << e.status().toString();
  options.expansionBudgetBytes = 200000;
  EXPECT_FALSE(load(net, false, options).isOk());
}

} // namespace
} // namespace snnc::pltest
