//===- ArtifactWriterTest.cpp - The artifact writer's own refusals --------===//
//
// The snn ops already refuse non-finite parameters when they verify; the
// writer checks again, since a plan can also come from code (and a value can
// overflow float32 on the way), and seals what it writes.
//
//===----------------------------------------------------------------------===//
#include "compiler/lower/ArtifactWriter.h"
#include "compiler/lower/NetworkPlan.h"
#include "snnc/runtime/Program.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

using namespace snnc;

namespace {

// input (2) -> dense -> LIF (2), float mode.
NetworkPlan plan() {
  NetworkPlan p;
  p.network = "net";
  PlanPopulation in;
  in.name = "input";
  in.kind = PopKind::Source;
  in.shape = {2};
  in.size = 2;
  PlanPopulation lif;
  lif.name = "lif";
  lif.kind = PopKind::LIF;
  lif.shape = {2};
  lif.size = 2;
  lif.beta = {0.9f};
  p.populations = {in, lif};
  PlanProjection fc;
  fc.name = "fc";
  fc.source = 0;
  fc.target = 1;
  fc.weights = {0.5f, -0.25f, 1.0f, 0.0f};
  p.projections = {fc};
  p.inputs = {{"input", 0, {2}}};
  p.outputs = {{"lif", 1, {2}}};
  return p;
}

std::string refusal(const NetworkPlan &p) {
  std::vector<uint8_t> bytes;
  QuantizationReport q;
  std::string error;
  EXPECT_FALSE(writeArtifact(p, {}, bytes, q, error));
  return error;
}

TEST(ArtifactWriter, WritesASealedArtifactTheLoaderAccepts) {
  std::vector<uint8_t> bytes;
  QuantizationReport q;
  std::string error;
  ASSERT_TRUE(writeArtifact(plan(), {}, bytes, q, error)) << error;
  ASSERT_GT(bytes.size(), 8u);
  EXPECT_EQ(std::string(bytes.end() - 4, bytes.end()), "SNBS");
  auto program = Program::fromBytes(bytes, "w.snnb");
  EXPECT_TRUE(program.isOk()) << program.status().toString();
}

TEST(ArtifactWriter, RefusesNonFiniteValues) {
  NetworkPlan p = plan();
  p.projections[0].weights[2] = std::numeric_limits<float>::quiet_NaN();
  EXPECT_EQ(refusal(p), "projection 'fc': weights[2] is nan; every weight and "
                        "parameter must be finite (check the source model)");
  p = plan();
  p.populations[1].beta = {std::numeric_limits<float>::infinity()};
  EXPECT_EQ(refusal(p), "population 'lif': beta[0] is inf; every weight and "
                        "parameter must be finite (check the source model)");
  p = plan();
  p.populations[1].vThreshold = {1.0f, -std::numeric_limits<float>::infinity()};
  EXPECT_EQ(refusal(p),
            "population 'lif': v_threshold[1] is -inf; every weight and "
            "parameter must be finite (check the source model)");
}

} // namespace
