//===- CudaConformanceTest.cpp - The CUDA backend against the CPU engine --===//
//
// Every network runs on both backends from the same Program: in fixed mode
// every spike of every step and every state value must be identical; in
// float mode (atomics add synaptic input in no fixed order) states must
// agree within kFloatTolerance while the spike trains agree, and the spike
// totals within 1 % + 2 spikes over the whole run. Two passes per network:
// step() with fresh inputs each step (live readers), then reset() and one
// run() with held inputs and an observer (the batched recording path).
//
// Networks: one LIF and one CubaLIF under every combination of reset mode,
// reset timing, comparison and Cuba order (the rules the discretization
// profiles select); random networks with every kind, connectivity and delay
// (both modes); Poisson sources with per-synapse delays (both modes);
// ReceptorLIF networks (current and conductance); Procedural projections
// (expanded, and kept as rules regenerated on the device); and every .snnb
// artifact in the directories given as arguments (the
// braille and benchmark networks, compiled by snnc).
//
// Without a usable CUDA device the program prints why and exits 77, which
// ctest reports as skipped (label gpu).
//
//===----------------------------------------------------------------------===//
#include "CpuEngine.h"
#include "CpuEngineNets.h"
#include "CudaEngine.h"
#include "PoissonDelayNets.h"
#include "ProceduralLoadNets.h"
#include "ReceptorLifNets.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <random>

namespace {

using namespace snnc;
namespace sb = snnc::snnb;
using sb::NeuronKind;

/// |cuda - cpu| <= tol * (1 + |cpu|), for float states.
constexpr float kFloatTolerance = 1e-4f;

std::vector<std::string> gArtifactDirs;

struct Pair {
  std::unique_ptr<Engine> cpu, gpu;
};

Pair engines(const Program &program, const cuda::CudaOptions &options) {
  Pair p;
  DeviceOptions one;
  one.threads = 1;
  auto c = cpu::makeCpuEngine(program, one);
  EXPECT_TRUE(c.isOk()) << c.status().message();
  auto g = cuda::makeCudaEngine(program, {}, options);
  EXPECT_TRUE(g.isOk()) << g.status().message();
  if (c.isOk())
    p.cpu = std::move(c).value();
  if (g.isOk())
    p.gpu = std::move(g).value();
  return p;
}

/// Every spiking population's spike list per step.
class Collector final : public StepObserver {
public:
  Collector(Engine &e, const Program &p) : engine_(e) {
    for (const sb::Population *pop : *p.fb().populations())
      sizes_.push_back(pop->size());
  }
  void afterStep(int64_t) override {
    std::vector<std::vector<uint32_t>> row(sizes_.size());
    for (uint32_t p = 0; p < sizes_.size(); ++p) {
      row[p].resize(sizes_[p]);
      row[p].resize(engine_.spikeIndices(p, row[p].data()));
    }
    steps.push_back(std::move(row));
  }
  std::vector<std::vector<std::vector<uint32_t>>> steps;

private:
  Engine &engine_;
  std::vector<uint32_t> sizes_;
};

struct Mismatch {
  int64_t spikeDiffs = 0, cpuSpikes = 0, gpuSpikes = 0;
  float worstState = 0; ///< while the spike trains agree
  int firstSpikeDiff = -1;
};

void expectAgreement(const Mismatch &m, bool fixed, const std::string &what) {
  if (fixed) {
    EXPECT_EQ(m.spikeDiffs, 0)
        << what << ": first differing step " << m.firstSpikeDiff;
    EXPECT_EQ(m.worstState, 0.0f) << what;
  } else {
    EXPECT_LE(m.worstState, kFloatTolerance) << what;
    EXPECT_LE(std::abs(m.cpuSpikes - m.gpuSpikes), m.cpuSpikes / 100 + 2)
        << what << ": cpu " << m.cpuSpikes << " spikes, cuda " << m.gpuSpikes;
  }
}

/// Pass 1: step by step with random source values, comparing spikes and
/// every population's state after every step (up to `stateSteps`).
Mismatch stepped(const Program &program, Pair &e, int steps, int stateSteps,
                 uint32_t seed) {
  Mismatch m;
  const auto &pops = *program.fb().populations();
  std::mt19937 rng(seed);
  std::vector<uint32_t> a, b;
  std::vector<float> sa, sb_;
  bool diverged = false;
  for (int t = 0; t < steps; ++t) {
    for (uint32_t p = 0; p < pops.size(); ++p)
      if (pops.Get(p)->kind() == sb::NeuronKind::Source) {
        const std::vector<float> in =
            cputest::randomInput(rng, pops.Get(p)->size());
        e.cpu->setSource(p, in.data());
        e.gpu->setSource(p, in.data());
      }
    e.cpu->step();
    e.gpu->step();
    for (uint32_t p = 0; p < pops.size(); ++p) {
      const uint32_t n = pops.Get(p)->size();
      a.resize(n);
      b.resize(n);
      a.resize(e.cpu->spikeIndices(p, a.data()));
      b.resize(e.gpu->spikeIndices(p, b.data()));
      m.cpuSpikes += a.size();
      m.gpuSpikes += b.size();
      if (a != b) {
        ++m.spikeDiffs;
        if (m.firstSpikeDiff < 0)
          m.firstSpikeDiff = t;
        diverged = true;
      }
      if (t >= stateSteps || diverged)
        continue;
      sa.resize(n);
      sb_.resize(n);
      e.cpu->readState(p, sa.data());
      e.gpu->readState(p, sb_.data());
      auto worst = [&] {
        for (uint32_t i = 0; i < n; ++i) {
          const float d = std::abs(sa[i] - sb_[i]) / (1.0f + std::abs(sa[i]));
          if (!(d <= m.worstState)) // NaN counts as a mismatch too
            m.worstState = std::isnan(d) ? INFINITY : d;
        }
      };
      worst();
      // Every receptor's state too (Engine::readReceptorState).
      const auto *receptors = pops.Get(p)->receptors();
      if (pops.Get(p)->kind() == sb::NeuronKind::ReceptorLIF && receptors) {
        std::vector<uint32_t> all(n);
        for (uint32_t i = 0; i < n; ++i)
          all[i] = i;
        for (uint32_t c = 0; c < receptors->size(); ++c) {
          EXPECT_TRUE(e.cpu->readReceptorState(p, c, all, sa.data()));
          EXPECT_TRUE(e.gpu->readReceptorState(p, c, all, sb_.data()));
          worst();
        }
      }
    }
  }
  return m;
}

/// Pass 2: one run() with held (zero) inputs, through the observers.
Mismatch observed(const Program &program, Pair &e, int steps) {
  e.cpu->reset();
  e.gpu->reset();
  Collector ca(*e.cpu, program), cb(*e.gpu, program);
  e.cpu->run(steps, &ca);
  e.gpu->run(steps, &cb);
  Mismatch m;
  EXPECT_EQ(ca.steps.size(), cb.steps.size());
  for (size_t t = 0; t < std::min(ca.steps.size(), cb.steps.size()); ++t)
    for (size_t p = 0; p < ca.steps[t].size(); ++p) {
      m.cpuSpikes += ca.steps[t][p].size();
      m.gpuSpikes += cb.steps[t][p].size();
      if (ca.steps[t][p] != cb.steps[t][p]) {
        ++m.spikeDiffs;
        if (m.firstSpikeDiff < 0)
          m.firstSpikeDiff = int(t);
      }
    }
  return m;
}

void compare(const Program &program, int steps, const std::string &what,
             int stateSteps = 1 << 30, const cuda::CudaOptions &options = {}) {
  Pair e = engines(program, options);
  ASSERT_TRUE(e.cpu && e.gpu) << what;
  const bool fixed = program.fb().mode() == sb::NumericMode::Fixed;
  const Mismatch a = stepped(program, e, steps, stateSteps, 1234);
  expectAgreement(a, fixed, what + " (stepped)");
  const Mismatch b = observed(program, e, steps);
  expectAgreement(b, fixed, what + " (run with observer)");
  if (fixed) {
    EXPECT_EQ(e.cpu->stats().spikes, e.gpu->stats().spikes) << what;
    EXPECT_EQ(e.cpu->stats().synapticEvents, e.gpu->stats().synapticEvents)
        << what;
  }
  std::printf("  %-44s %8lld spikes (cpu %lld), %lld differing lists\n",
              what.c_str(), (long long)b.gpuSpikes, (long long)b.cpuSpikes,
              (long long)(a.spikeDiffs + b.spikeDiffs));
}

TEST(CudaConformance, SingleNeuronUnderEveryRule) {
  for (sb::NumericMode mode : {sb::NumericMode::Float, sb::NumericMode::Fixed})
    for (sb::ResetMode reset :
         {sb::ResetMode::ToReset, sb::ResetMode::Subtract})
      for (sb::ResetTiming timing :
           {sb::ResetTiming::SameStep, sb::ResetTiming::NextStep,
            sb::ResetTiming::Carry})
        for (sb::Comparison cmp :
             {sb::Comparison::Greater, sb::Comparison::GreaterEqual})
          for (sb::CubaOrder order :
               {sb::CubaOrder::MembraneFirst, sb::CubaOrder::SynapseFirst})
            for (NeuronKind kind : {NeuronKind::LIF, NeuronKind::CubaLIF}) {
              cputest::NetDef net;
              net.mode = mode;
              net.reset = reset;
              net.timing = timing;
              net.comparison = cmp;
              net.order = order;
              cputest::PopDef in = cputest::pop(NeuronKind::Source, 1);
              cputest::PopDef p = cputest::pop(kind, 1, {0.9f}, {1.0f});
              p.alpha = {0.8f};
              p.gainSyn = {0.5f};
              if (mode == sb::NumericMode::Fixed) {
                in.fracBits = p.fracBits = 12;
                p.decayU = {800};
                p.decayV = {400};
                p.fThreshold = {4096};
                p.vBias = {100};
              }
              const uint32_t a = net.add(in), b = net.add(p);
              cputest::ProjDef d = cputest::dense(a, b, {0.7f});
              d.mantissas = {90};
              d.exponent = 4;
              net.connect(d);
              auto program = cputest::build(net);
              compare(*program, 200,
                      std::string(sb::EnumNameNeuronKind(kind)) + " " +
                          sb::EnumNameNumericMode(mode) + " " +
                          sb::EnumNameResetMode(reset) + " " +
                          sb::EnumNameResetTiming(timing) + " " +
                          sb::EnumNameComparison(cmp) + " " +
                          sb::EnumNameCubaOrder(order));
            }
}

TEST(CudaConformance, RandomNetworksEveryKindAndConnectivity) {
  for (sb::NumericMode mode : {sb::NumericMode::Fixed, sb::NumericMode::Float})
    for (uint32_t seed = 1; seed <= 6; ++seed) {
      auto program =
          cputest::build(cputest::randomNet(mode, 1 + seed % 3, seed));
      compare(*program, 120,
              std::string("random ") + sb::EnumNameNumericMode(mode) +
                  " seed " + std::to_string(seed));
    }
}

TEST(CudaConformance, PoissonSourcesAndSynapseDelays) {
  for (sb::NumericMode mode : {sb::NumericMode::Fixed, sb::NumericMode::Float})
    for (uint32_t seed = 1; seed <= 3; ++seed) {
      auto program = pdtest::load(pdtest::randomNet(mode, 500, 12, seed));
      ASSERT_TRUE(program.isOk()) << program.status().message();
      compare(**program, 300,
              std::string("poisson+delays ") + sb::EnumNameNumericMode(mode) +
                  " seed " + std::to_string(seed));
    }
}

TEST(CudaConformance, ReceptorLif) {
  for (bool conductance : {false, true})
    for (bool perNeuron : {false, true}) {
      auto program = receptortest::load(receptortest::randomNetwork(
          400, conductance, perNeuron, perNeuron, 5));
      ASSERT_TRUE(program.isOk()) << program.status().message();
      compare(**program, 300,
              std::string("receptor_lif") + (conductance ? " cond" : " curr") +
                  (perNeuron ? " per-neuron" : " shared"));
    }
}

// Alpha receptors: the rise state and the current (receptor states
// compared after every step by stepped()).
TEST(CudaConformance, AlphaReceptors) {
  for (bool perNeuron : {false, true}) {
    receptortest::Net net =
        receptortest::randomNetwork(400, false, perNeuron, false, 9);
    for (receptortest::Pop &pop : net.pops)
      for (receptortest::Rec &r : pop.receptors) {
        r.alpha = true;
        r.gainRise = {0.02f};
        r.rise = {0.25f};
      }
    auto program = receptortest::load(net);
    ASSERT_TRUE(program.isOk()) << program.status().message();
    compare(**program, 300,
            std::string("alpha receptors") +
                (perNeuron ? " per-neuron" : " shared"));
  }
}

TEST(CudaConformance, ProceduralProjections) {
  for (bool expanded : {false, true}) {
    auto program = pltest::load(pltest::mixedNet(3), expanded);
    ASSERT_TRUE(program.isOk()) << program.status().message();
    compare(**program, 300,
            std::string("procedural ") + (expanded ? "expanded" : "on load"));
  }
}

// AllToAll, OneToOne, FixedProbability and FixedOutDegree projections
// kept as rules and
// regenerated row by row in the propagate kernel (CudaOptions Device),
// against the CPU engine running the same rules expanded on the host:
// the same synapses, so the same tolerance as any float network. The
// other rules of mixedNet stay expanded. Delays drawn per synapse pick
// their ring slot on the device as the expanded rows do.
TEST(CudaConformance, ProceduralRegeneratedOnTheDevice) {
  cuda::CudaOptions device;
  device.procedural = cuda::ProceduralPlacement::Device;
  for (uint64_t seed : {3u, 11u}) {
    auto program = pltest::load(pltest::mixedNet(seed), false);
    ASSERT_TRUE(program.isOk()) << program.status().message();
    {
      // The rules really are regenerated: four of mixedNet's six
      // projections (cuda-plan checks which).
      auto g = cuda::makeCudaEngine(**program, {}, device);
      ASSERT_TRUE(g.isOk()) << g.status().message();
      uint32_t kept = 0;
      for (const cuda::ProjectionPlan &p : cuda::projectionPlans(**g))
        kept += p.procedural;
      EXPECT_EQ(kept, 4u);
    }
    compare(**program, 300,
            "procedural on the device, seed " + std::to_string(seed), 1 << 30,
            device);
    // Also with every kernel waited for (CudaOptions::syncEachLaunch).
    cuda::CudaOptions synced = device;
    synced.syncEachLaunch = true;
    compare(**program, 40,
            "procedural on the device, synced, seed " + std::to_string(seed),
            1 << 30, synced);
  }
  // A larger FixedProbability projection with a lane per row and an
  // AllToAll whose rows are split among a warp's lanes, fed by Poisson
  // sources: every weight distribution over the two.
  pltest::Net net;
  net.pops = {{NeuronKind::PoissonSource, 2000, 40.0f, 0},
              {NeuronKind::LIF, 3000, 0, 0}};
  using Kind = procedural::Distribution::Kind;
  pltest::Proj fp;
  fp.source = 0, fp.target = 1;
  fp.spec.rule = procedural::Rule::FixedProbability;
  fp.spec.p = 0.02;
  fp.spec.seed = 99;
  fp.spec.weight = {Kind::Lognormal, std::log(0.05), 0.5};
  fp.spec.delay = {Kind::Uniform, 0.0, 1e-3};
  net.projs.push_back(fp);
  pltest::Proj all;
  all.source = 1, all.target = 1;
  all.recurrent = true;
  all.spec.rule = procedural::Rule::AllToAll;
  all.spec.samePopulation = true;
  all.spec.allowAutapses = false;
  all.spec.seed = 100;
  all.spec.weight = {Kind::Uniform, -0.004, 0.002};
  all.spec.delay = {Kind::Normal, 5e-4, 2e-4, 1e-4, 1e-3};
  net.projs.push_back(all);
  auto program = pltest::load(net, false);
  ASSERT_TRUE(program.isOk()) << program.status().message();
  compare(**program, 300, "procedural on the device, 2000 -> 3000", 50, device);
}

TEST(CudaConformance, CompiledArtifacts) {
  int seen = 0;
  for (const std::string &dir : gArtifactDirs) {
    if (!std::filesystem::is_directory(dir)) {
      std::printf("  no artifact directory %s (run-gpu-checks.sh makes "
                  "one)\n",
                  dir.c_str());
      continue;
    }
    for (const auto &f : std::filesystem::directory_iterator(dir)) {
      if (f.path().extension() != ".snnb")
        continue;
      auto program = Program::load(f.path().string());
      ASSERT_TRUE(program.isOk()) << program.status().message();
      const auto &fb = (*program)->fb();
      uint64_t neurons = 0;
      for (const sb::Population *p : *fb.populations())
        neurons += p->size();
      // Large networks: fewer steps and states only at the start.
      const int steps = neurons > 20000 ? 1000 : 500;
      compare(**program, steps, f.path().filename().string(), 50);
      ++seen;
    }
  }
  std::printf("  %d compiled artifacts compared\n", seen);
}

TEST(CudaConformance, TooLargeForTheDeviceIsRefusedWithSizes) {
  // 2^26 neurons with a long delay: slots x neurons accumulators exceed
  // any device; the refusal must come before allocating and name sizes.
  cputest::NetDef net;
  cputest::PopDef big = cputest::pop(NeuronKind::LIF, 1);
  big.shape = {1 << 26};
  const uint32_t a = net.add(cputest::pop(NeuronKind::Source, 1));
  const uint32_t b = net.add(big);
  cputest::ProjDef d;
  d.source = a;
  d.target = b;
  d.type = sb::Connectivity::Sparse;
  d.rowStart = {0, 1};
  d.targets = {0};
  d.weights = {1.0f};
  d.delays = {4000};
  net.connect(d);
  auto program = cputest::build(net);
  auto engine = cuda::makeCudaEngine(*program, {}, {});
  ASSERT_FALSE(engine.isOk());
  EXPECT_EQ(engine.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(engine.status().message().find("bytes of device memory"),
            std::string::npos)
      << engine.status().message();
}

} // namespace

int main(int argc, char **argv) {
  testing::InitGoogleTest(&argc, argv);
  if (Status s = cuda::deviceAvailable(); !s) {
    std::printf("skipped: %s\n", s.message().c_str());
    return 77;
  }
  for (int i = 1; i < argc; ++i)
    gArtifactDirs.push_back(argv[i]);
  return RUN_ALL_TESTS();
}
