//===- ReceptorLifArtifactTest.cpp - Schema version 2 checks --------------===//
//
// What the loader refuses in ReceptorLIF artifacts, with which message;
// corrupt bytes; and version 1 files under a version 2 runtime.
//
//===----------------------------------------------------------------------===//
#include "ReceptorLifNets.h"
#include "snnc/runtime/ArtifactSeal.h"

#include "CpuDriver.h"

#include <gtest/gtest.h>

namespace {

using namespace snnc::receptortest;

// --- The artifact checks ---------------------------------------------------

void expectRefused(const Net &net, snnc::StatusCode code,
                   const std::string &text) {
  auto program = load(net);
  ASSERT_FALSE(program.isOk()) << "accepted; expected: " << text;
  EXPECT_EQ(program.status().code(), code) << program.status().toString();
  EXPECT_NE(program.status().message().find(text), std::string::npos)
      << program.status().toString();
}

TEST(ReceptorLifArtifact, RefusesWhatItCannotRun) {
  const Net good = singleNeuron(excInhNeuron(), 1.0f);
  ASSERT_TRUE(load(good).isOk());
  auto dataLoss = snnc::StatusCode::kDataLoss;
  {
    Net n = good;
    n.pops[2].receptors.clear();
    n.projs.clear();
    expectRefused(n, dataLoss, "needs 1 to 8 receptors, has 0");
  }
  {
    Net n = good;
    n.projs[1].receptor = 2;
    expectRefused(n, dataLoss, "receptor 2 does not exist; the target has 2");
  }
  {
    Net n = good;
    n.pops[2].receptors[1].reversal.clear();
    expectRefused(n, dataLoss,
                  "receptor 1 ('inh'): a conductance receptor "
                  "needs a reversal potential");
  }
  {
    Net n = good;
    n.pops[2].receptors[0].reversal = {1.0f};
    expectRefused(n, dataLoss, "a current receptor takes no reversal");
  }
  {
    Net n = good;
    n.pops[2].receptors[0].decay = {0.5f, 0.5f};
    expectRefused(n, dataLoss, "'decay' has 2 values, expected 1 or 1");
  }
  {
    Net n = good;
    n.pops[2].alpha = {0.5f};
    expectRefused(n, dataLoss, "takes no alpha");
  }
  {
    Net n = good;
    n.pops[2].kind = sb::NeuronKind::LIF;
    expectRefused(n, dataLoss, "belong to ReceptorLIF populations only");
  }
  {
    Net n = good;
    n.version = 1;
    expectRefused(n, dataLoss, "ReceptorLIF needs schema version 2");
  }
  {
    Net n = good;
    n.version = snnc::kSnnbSchemaVersion + 1;
    expectRefused(n, snnc::StatusCode::kUnimplemented, "reads versions 1 to");
  }
  {
    Net n = good;
    n.mode = sb::NumericMode::Fixed;
    expectRefused(n, snnc::StatusCode::kUnimplemented,
                  "population 2 ('cell') is a ReceptorLIF population, which "
                  "has no fixed-point form yet");
  }
  {
    Net n = good;
    n.timing = sb::ResetTiming::NextStep;
    expectRefused(n, snnc::StatusCode::kUnimplemented,
                  "the network asks for NextStep reset timing");
  }
  {
    Net n = good;
    n.projs[0].weights = {1.0f, 2.0f};
    n.projs[0].targets = {0};
    expectRefused(n, dataLoss, "sparse offsets, targets and weights disagree");
  }
}

// Alpha receptors (schema version 5): the rise state's two arrays, exactly
// on alpha receptors.
TEST(ReceptorLifArtifact, AlphaReceptorsNeedTheirRiseArrays) {
  Net good = singleNeuron(excInhNeuron(), 1.0f);
  Rec &exc = good.pops[2].receptors[0];
  exc.alpha = true;
  exc.gainRise = {0.01f};
  exc.rise = {0.2f};
  ASSERT_TRUE(load(good).isOk()) << load(good).status().toString();
  auto dataLoss = snnc::StatusCode::kDataLoss;
  {
    Net n = good;
    n.pops[2].receptors[0].rise.clear();
    expectRefused(n, dataLoss,
                  "receptor 0 ('exc'): an alpha receptor needs gain_rise and "
                  "rise");
  }
  {
    Net n = good;
    n.pops[2].receptors[0].alpha = false;
    expectRefused(n, dataLoss, "gain_rise and rise belong to alpha receptors");
  }
  {
    Net n = good;
    n.pops[2].receptors[0].gainRise = {0.01f, 0.02f};
    expectRefused(n, dataLoss, "'gain_rise' has 2 values, expected 1 or 1");
  }
  {
    Net n = good;
    n.version = 4;
    expectRefused(n, dataLoss,
                  "alpha receptors need schema version 5, the file has "
                  "version 4");
  }
}

TEST(ReceptorLifArtifact, CorruptBytesAreRefusedOrRunSafely) {
  // Every byte of a small ReceptorLIF artifact flipped and the file sealed
  // again (a flip alone fails the seal, program-tests): the loader refuses
  // the file or, when it still verifies, the engine runs it (under the
  // sanitizers in CI) without reading or writing out of bounds.
  Net net = randomNetwork(70, true, false, false, 8);
  std::vector<uint8_t> full = bytes(net);
  full.resize(full.size() - snnc::kArtifactSealBytes);
  auto driver = snnc::makeCpuDriver();
  int refused = 0, ran = 0;
  std::vector<float> drive(50, 1.0f);
  for (size_t i = 0; i < full.size(); i += 3)
    for (uint8_t flip : {0x01, 0x10, 0x80, 0xFF}) {
      std::vector<uint8_t> bad = full;
      bad[i] ^= flip;
      snnc::sealArtifact(bad);
      auto p = snnc::Program::fromBytes(bad, "flip.snnb");
      if (!p.isOk()) {
        ++refused;
        EXPECT_NE(p.status().message().find("flip.snnb"), std::string::npos);
        continue;
      }
      auto e = driver->instantiate(**p, snnc::DeviceOptions{2});
      if (!e.isOk())
        continue; // e.g. a size grown beyond memory: a Status, not a crash
      for (uint32_t pop = 0; pop < (*p)->fb().populations()->size(); ++pop)
        if ((*p)->fb().populations()->Get(pop)->kind() ==
                sb::NeuronKind::Source &&
            (*p)->fb().populations()->Get(pop)->size() == drive.size())
          (*e)->setSource(pop, drive.data());
      (*e)->run(5, nullptr);
      ++ran;
    }
  EXPECT_GT(refused, 0);
  EXPECT_GT(ran, 0);
}

TEST(ReceptorLifArtifact, VersionOneFilesStillLoad) {
  Net n = singleNeuron(excInhNeuron(), 1.0f);
  for (Pop &p : n.pops)
    if (p.kind == sb::NeuronKind::ReceptorLIF) {
      p.kind = sb::NeuronKind::LIF;
      p.receptors.clear();
      p.refractory = 0;
    }
  for (Proj &p : n.projs)
    p.receptor = 0;
  n.version = 1;
  EXPECT_TRUE(load(n).isOk());
}

} // namespace
