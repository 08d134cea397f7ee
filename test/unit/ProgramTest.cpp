//===- ProgramTest.cpp - The artifact loader refuses bad files cleanly
//------===//
//
// Every truncation and many corruptions of a valid artifact must come back
// as an error Status naming the problem, never as a crash or an
// out-of-bounds read (this test also runs under ASan + UBSan).
//
//===----------------------------------------------------------------------===//
#include "snnc/runtime/Program.h"
#include "snnc/runtime/ArtifactSeal.h"
#include "snnc/schema/snnb_generated.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <limits>

using namespace snnc;

namespace {

struct Knobs {
  uint32_t version = kSnnbSchemaVersion;
  snnb::NumericMode mode = snnb::NumericMode::Float;
  uint32_t source = 0;
  size_t weights = 6;
  double dt = 1e-4;
  std::vector<int64_t> lifShape{3};
  float weight = 0.25f, beta = 0.9f;
  bool outputs = true; ///< false: leave the required outputs vector out
  bool seal = true;
  std::vector<float>
      firstBias; ///< Population.first_bias of lif (empty: absent)
  uint8_t stateFracBits = 0;
  bool multiSpike = false;
  snnb::ResetTiming timing = snnb::ResetTiming::SameStep;
  snnb::PopulationReset reset = snnb::PopulationReset::Network; ///< of lif
  snnb::PopulationReset inputReset = snnb::PopulationReset::Network;
  bool deltaForm = false;        ///< Discretization.delta_form
  bool lifDelta = false;         ///< lif gets Population.delta
  bool inputDelta = false;       ///< the Source input gets one (never valid)
  std::vector<float> kMem{0.1f}; ///< lif's delta.k_mem
};

// input (2 values) -> dense -> LIF (3 neurons), float mode unless k.mode.
std::vector<uint8_t> artifact(const Knobs &k = {}) {
  flatbuffers::FlatBufferBuilder b;
  std::vector<int64_t> inShape{2};
  std::vector<float> one{1.0f}, beta{k.beta}, th{0.5f};
  // Fixed mode: the input gets its (default) fixed parameters, so that the
  // checks reach the LIF population.
  auto inFixed = k.mode == snnb::NumericMode::Fixed
                     ? snnb::CreateFixedNeuronDirect(b)
                     : flatbuffers::Offset<snnb::FixedNeuron>();
  std::vector<float> zero{0.0f};
  auto delta = [&](bool present) {
    return present ? snnb::CreateDeltaFormDirect(b, &k.kMem, &zero, &one, &one,
                                                 &zero, &zero)
                   : flatbuffers::Offset<snnb::DeltaForm>();
  };
  auto in = snnb::CreatePopulationDirect(
      b, "input", snnb::NeuronKind::Source, &inShape, 2, nullptr, nullptr,
      nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr,
      inFixed, nullptr, 0, nullptr, 0, nullptr, k.inputReset,
      delta(k.inputDelta));
  auto lif = snnb::CreatePopulationDirect(
      b, "lif", snnb::NeuronKind::LIF, &k.lifShape, 3, nullptr, &beta, &one,
      &one, nullptr, nullptr, nullptr, &th, nullptr, nullptr, 0, nullptr, 0,
      nullptr, 0, k.firstBias.empty() ? nullptr : &k.firstBias, k.reset,
      delta(k.lifDelta));
  std::vector<flatbuffers::Offset<snnb::Population>> pops{in, lif};
  std::vector<float> w(k.weights, k.weight);
  auto dense = snnb::CreateDenseDirect(b, &w);
  std::vector<flatbuffers::Offset<snnb::Projection>> projs{
      snnb::CreateProjectionDirect(b, "fc", k.source, 1,
                                   snnb::Connectivity::Dense, dense.Union())};
  std::vector<flatbuffers::Offset<snnb::Port>> ins{
      snnb::CreatePortDirect(b, "input", 0, &inShape)};
  std::vector<flatbuffers::Offset<snnb::Port>> outs{
      snnb::CreatePortDirect(b, "out", 1, &k.lifShape)};
  auto disc = snnb::CreateDiscretizationDirect(
      b, "exact", k.dt, snnb::ResetMode::Subtract, k.timing,
      snnb::Comparison::Greater, snnb::CubaOrder::MembraneFirst,
      k.stateFracBits, k.multiSpike, false, false, k.deltaForm);
  auto root = snnb::CreateProgramDirect(b, k.version, "test", "net", k.mode,
                                        disc, &pops, &projs, &ins,
                                        k.outputs ? &outs : nullptr);
  snnb::FinishProgramBuffer(b, root);
  if (!k.seal)
    return {b.GetBufferPointer(), b.GetBufferPointer() + b.GetSize()};
  return snnc::sealedCopy(b.GetBufferPointer(), b.GetSize());
}

TEST(Program, LoadsAValidArtifact) {
  auto p = Program::fromBytes(artifact(), "net.snnb");
  ASSERT_TRUE(p.isOk()) << p.status().toString();
  ASSERT_EQ((*p)->inputs().size(), 1u);
  EXPECT_EQ((*p)->inputs()[0].name, "input");
  EXPECT_EQ((*p)->outputs()[0].size, 3);
  EXPECT_EQ((*p)->findPopulation("lif"), 1);
  EXPECT_EQ((*p)->findPopulation("nope"), -1);
  EXPECT_DOUBLE_EQ((*p)->dt(), 1e-4);
  EXPECT_EQ((*p)->profile(), "exact");
}

TEST(Program, EveryTruncationIsRefused) {
  std::vector<uint8_t> full = artifact();
  // The seal at the end goes first, so every cut is refused.
  for (size_t n = 0; n < full.size(); ++n) {
    auto p = Program::fromBytes({full.begin(), full.begin() + n}, "cut.snnb");
    ASSERT_FALSE(p.isOk()) << "accepted " << n << " of " << full.size()
                           << " bytes";
    EXPECT_NE(p.status().message().find("cut.snnb"), std::string::npos);
  }
}

TEST(Program, EveryFlippedByteIsRefused) {
  std::vector<uint8_t> full = artifact();
  for (size_t i = 0; i < full.size(); ++i)
    for (uint8_t flip :
         {0x01, 0x02, 0x04, 0x08, 0x10, 0x20, 0x40, 0x80, 0xFF}) {
      std::vector<uint8_t> bad = full;
      bad[i] ^= flip;
      auto p = Program::fromBytes(bad, "flip.snnb");
      ASSERT_FALSE(p.isOk()) << "byte " << i << " ^ " << int(flip);
      const std::string &m = p.status().message();
      // The file identifier, the seal's tag, or the checksum.
      EXPECT_TRUE(m.find("not a .snnb artifact") != std::string::npos ||
                  m.find("no integrity seal") != std::string::npos ||
                  m.find("checksum mismatch") != std::string::npos)
          << m;
    }
}

TEST(Program, DamageIsReportedAsSuch) {
  std::vector<uint8_t> bad = artifact();
  bad[40] ^= 0x10;
  uint32_t stored =
      uint32_t(bad[bad.size() - 8]) | uint32_t(bad[bad.size() - 7]) << 8 |
      uint32_t(bad[bad.size() - 6]) << 16 | uint32_t(bad[bad.size() - 5]) << 24;
  uint32_t computed = artifactCrc32(bad.data(), bad.size() - 8);
  char expect[200];
  std::snprintf(expect, sizeof expect,
                "d.snnb: checksum mismatch (stored 0x%08x, computed 0x%08x): "
                "the file was modified or damaged after snnc wrote it; "
                "recompile the network or copy the file again",
                stored, computed);
  auto p = Program::fromBytes(bad, "d.snnb");
  ASSERT_FALSE(p.isOk());
  EXPECT_EQ(p.status().code(), StatusCode::kDataLoss);
  EXPECT_EQ(p.status().message(), expect);

  Knobs k;
  k.seal = false;
  p = Program::fromBytes(artifact(k), "old.snnb");
  ASSERT_FALSE(p.isOk());
  EXPECT_EQ(p.status().message(),
            "old.snnb: no integrity seal at the end of the file: it is "
            "truncated, or was written by an snnc older than schema version "
            "4; recompile the network");
}

TEST(Program, VerifierFailuresNameTheField) {
  // A sealed file whose FlatBuffer is bad: the verifier's refusal says
  // which table and field.
  Knobs k;
  k.seal = false;
  std::vector<uint8_t> raw = artifact(k);
  const uint8_t weights[] = {6, 0, 0, 0, 0, 0, 0x80, 0x3e}; // [6 x 0.25f]
  auto at = std::search(raw.begin(), raw.end(), std::begin(weights),
                        std::end(weights));
  ASSERT_NE(at, raw.end());
  at[2] = 0x10; // 6 -> 1048582 elements
  auto p = Program::fromBytes(sealedCopy(raw.data(), raw.size()), "v.snnb");
  ASSERT_FALSE(p.isOk());
  EXPECT_EQ(p.status().message(),
            "v.snnb: the artifact fails verification at "
            "Program.projections[0].connectivity<Dense>.weights: vector "
            "extends past the end of the buffer (its seal matches, so it was "
            "written so: not by snnc, or by a broken one)");

  k = {};
  k.outputs = false;
  p = Program::fromBytes(artifact(k), "r.snnb");
  ASSERT_FALSE(p.isOk());
  EXPECT_EQ(p.status().message(),
            "r.snnb: the artifact fails verification at Program.outputs: "
            "required field is missing (its seal matches, so it was written "
            "so: not by snnc, or by a broken one)");
}

TEST(Program, NonFiniteValuesAreRefused) {
  Knobs k;
  k.weight = std::numeric_limits<float>::quiet_NaN();
  auto p = Program::fromBytes(artifact(k), "n.snnb");
  ASSERT_FALSE(p.isOk());
  EXPECT_EQ(p.status().message(),
            "n.snnb: projection 0 ('fc'): 'weights'[0] is nan; every weight "
            "and parameter must be finite (the artifact is corrupt or was "
            "written by an incompatible snnc)");
  k = {};
  k.beta = -std::numeric_limits<float>::infinity();
  p = Program::fromBytes(artifact(k), "n.snnb");
  ASSERT_FALSE(p.isOk());
  EXPECT_EQ(p.status().message(),
            "n.snnb: population 1 ('lif'): 'beta'[0] is -inf; every weight "
            "and parameter must be finite (the artifact is corrupt or was "
            "written by an incompatible snnc)");
}

TEST(Program, SemanticErrorsNameTheProblem) {
  Knobs k;
  k.source = 7;
  auto p = Program::fromBytes(artifact(k), "a.snnb");
  ASSERT_FALSE(p.isOk());
  EXPECT_EQ(p.status().code(), StatusCode::kDataLoss);
  EXPECT_NE(p.status().message().find("projection 0 ('fc'): source or target "
                                      "index out of range"),
            std::string::npos)
      << p.status().message();

  k = {};
  k.weights = 5;
  p = Program::fromBytes(artifact(k), "a.snnb");
  ASSERT_FALSE(p.isOk());
  EXPECT_NE(p.status().message().find("dense weights hold 5 values"),
            std::string::npos)
      << p.status().message();

  k = {};
  k.lifShape = {4};
  p = Program::fromBytes(artifact(k), "a.snnb");
  ASSERT_FALSE(p.isOk());
  EXPECT_NE(p.status().message().find("does not match shape [4]"),
            std::string::npos)
      << p.status().message();

  k = {};
  k.dt = 0;
  p = Program::fromBytes(artifact(k), "a.snnb");
  ASSERT_FALSE(p.isOk());
  EXPECT_NE(p.status().message().find("dt must be > 0"), std::string::npos);

  k = {};
  k.version = 99;
  p = Program::fromBytes(artifact(k), "a.snnb");
  ASSERT_FALSE(p.isOk());
  EXPECT_EQ(p.status().code(), StatusCode::kUnimplemented);
  EXPECT_NE(p.status().message().find("schema version 99"), std::string::npos);
}

// The artifact of `k` is refused with a message containing `what`.
void refused(const Knobs &k, const std::string &what) {
  auto p = Program::fromBytes(artifact(k), "a.snnb");
  ASSERT_FALSE(p.isOk()) << what;
  EXPECT_NE(p.status().message().find(what), std::string::npos)
      << p.status().message();
}

// Population.first_bias and Discretization.state_frac_bits (version 4).
TEST(Program, BiasTimingAndIntegerStateRulesAreChecked) {
  Knobs k;
  k.firstBias = {0.1f, 0.2f, 0.3f};
  k.stateFracBits = 12;
  EXPECT_TRUE(Program::fromBytes(artifact(k), "a.snnb").isOk());

  k = {};
  k.firstBias = {0.1f, 0.2f};
  refused(k, "population 1 ('lif'): 'first_bias' has 2 values, expected 1 "
             "or 3");
  k = {};
  k.firstBias = {0.1f};
  k.version = 3;
  refused(k, "'first_bias' needs schema version 4, the file has version 3");
  k = {};
  k.stateFracBits = 12;
  k.version = 3;
  refused(k, "'state_frac_bits' needs schema version 4");
  k = {};
  k.stateFracBits = 21;
  refused(k, "integer states take 1 to 20 fractional bits");
  k = {};
  k.stateFracBits = 12;
  k.timing = snnb::ResetTiming::Carry;
  refused(k, "state_frac_bits (lava-dl's integer states) needs reset_timing "
             "SameStep");
  k = {};
  k.firstBias = {0.1f};
  k.mode = snnb::NumericMode::Fixed;
  refused(k, "'first_bias' (the first-step bias rule) is float-mode only");
  k = {};
  k.multiSpike = true;
  EXPECT_TRUE(Program::fromBytes(artifact(k), "a.snnb").isOk());
  k.timing = snnb::ResetTiming::NextStep;
  refused(k, "discretization.multi_spike needs reset_timing SameStep");
  k = {};
  k.multiSpike = true;
  k.version = 3;
  refused(k, "field 'multi_spike' needs schema version 4");
  k = {};
  k.multiSpike = true;
  k.stateFracBits = 12;
  refused(k, "multi_spike and state_frac_bits exclude each other");
}

// Population.reset and the delta form (version 5).
TEST(Program, PerPopulationResetAndDeltaFormAreChecked) {
  Knobs k;
  k.reset = snnb::PopulationReset::ToReset;
  k.deltaForm = k.lifDelta = true;
  EXPECT_TRUE(Program::fromBytes(artifact(k), "a.snnb").isOk());

  k = {};
  k.reset = snnb::PopulationReset::Subtract;
  k.version = 4;
  refused(k, "population 1 ('lif'): field 'reset' needs schema version 5, "
             "the file has version 4");
  k = {};
  k.reset = snnb::PopulationReset(7);
  refused(k, "population 1 ('lif'): unknown reset rule 7");
  k = {};
  k.inputReset = snnb::PopulationReset::Subtract;
  refused(k, "population 0 ('input'): field 'reset' is a rule of LIF, "
             "CubaLIF and IF populations, not of Source");
  k = {};
  k.deltaForm = true;
  refused(k, "population 1 ('lif'): discretization.delta_form is set but the "
             "population has no field 'delta'");
  k = {};
  k.lifDelta = true;
  refused(k, "population 1 ('lif'): field 'delta' belongs to the LIF, LI, "
             "CubaLIF and CubaLI populations of a float program whose "
             "discretization sets delta_form");
  k = {};
  k.deltaForm = k.lifDelta = k.inputDelta = true;
  refused(k, "population 0 ('input'): field 'delta' belongs to");
  k = {};
  k.deltaForm = k.lifDelta = true;
  k.kMem = {0.1f, 0.2f};
  refused(k, "'delta.k_mem' has 2 values, expected 1 or 3");
  k.kMem = {std::nanf("")};
  refused(k, "'delta.k_mem'[0] is not finite");
  k = {};
  k.deltaForm = k.lifDelta = true;
  k.version = 4;
  refused(k, "field 'delta_form' needs schema version 5");
  k = {};
  k.deltaForm = k.lifDelta = true;
  k.multiSpike = true;
  refused(k, "delta_form excludes state_frac_bits, multi_spike");
  // A fixed program may carry the flag (its integer update ignores it) but
  // no delta arrays: this one passes the rule and is refused only for the
  // fixed-point parameters that this test artifact leaves out.
  k = {};
  k.deltaForm = true;
  k.mode = snnb::NumericMode::Fixed;
  refused(k, "population 1 ('lif'): fixed mode but no fixed-point parameters");
  k.lifDelta = true;
  refused(k, "field 'delta' belongs to");
}

TEST(Program, RefusesFilesThatAreNotArtifacts) {
  auto p = Program::fromBytes({'h', 'e', 'l', 'l', 'o', 0, 0, 0, 0, 0}, "x");
  ASSERT_FALSE(p.isOk());
  EXPECT_EQ(p.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(p.status().message().find("not a .snnb artifact"),
            std::string::npos);
  auto missing = Program::load("/nonexistent/dir/net.snnb");
  ASSERT_FALSE(missing.isOk());
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
}

} // namespace
