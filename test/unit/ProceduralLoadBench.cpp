//===- ProceduralLoadBench.cpp - Time and memory of expansion at load -----===//
//
// A plain timing program, never a test: builds an artifact with one
// PD14-like Procedural projection (fixed probability, clipped-normal
// weights and delays) of about SYNAPSES synapses, then times Program
// loading and CPU engine instantiation (expansion plus conversion into
// the engine's rows) on THREADS threads. Run it under /usr/bin/time -v for
// the peak memory. With "expand", times procedural::expand alone instead.
//
//   procedural-load-bench SYNAPSES THREADS [expand]
//
//===----------------------------------------------------------------------===//
#include "CpuDriver.h"
#include "snnc/runtime/ArtifactSeal.h"
#include "snnc/runtime/Procedural.h"
#include "snnc/runtime/Program.h"
#include "snnc/schema/snnb_generated.h"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <vector>

namespace sb = snnc::snnb;

namespace {

constexpr uint32_t kNeurons = 20000;
constexpr double kDt = 1e-4;

double seconds(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since)
      .count();
}

snnc::procedural::ConnectSpec spec(double synapses) {
  snnc::procedural::ConnectSpec s;
  s.rule = snnc::procedural::Rule::FixedProbability;
  s.nPre = s.nPost = kNeurons;
  s.p = synapses / (double(kNeurons) * kNeurons);
  using Kind = snnc::procedural::Distribution::Kind;
  s.weight = {Kind::Normal, 87.8e-3, 8.8e-3, 0.0, 1.0};
  s.delay = {Kind::Normal, 1.5e-3, 0.75e-3, 1e-4, 1e-2};
  s.dt = kDt;
  s.seed = 12345;
  return s;
}

std::vector<uint8_t> artifact(const snnc::procedural::ConnectSpec &s) {
  flatbuffers::FlatBufferBuilder b;
  const std::vector<int64_t> shape{kNeurons};
  const std::vector<float> rate{8.0f}, beta{0.99f}, th{1.0f};
  std::vector<flatbuffers::Offset<sb::Population>> pops{
      sb::CreatePopulation(b, b.CreateString("bg"),
                           sb::NeuronKind::PoissonSource, b.CreateVector(shape),
                           kNeurons, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                           b.CreateVector(rate), 7),
      sb::CreatePopulation(b, b.CreateString("lif"), sb::NeuronKind::LIF,
                           b.CreateVector(shape), kNeurons, 0,
                           b.CreateVector(beta), 0, 0, 0, 0, 0,
                           b.CreateVector(th))};
  // Both distributions of spec() are clipped normals.
  auto dist = [&](const snnc::procedural::Distribution &d) {
    return sb::CreateDistribution(b, sb::DistributionKind::Normal, d.a, d.b,
                                  d.low, d.high);
  };
  auto conn =
      sb::CreateProcedural(b, sb::ConnectRule::FixedProbability, s.p, 0, true,
                           true, false, dist(s.weight), dist(s.delay), s.seed);
  std::vector<flatbuffers::Offset<sb::Projection>> projs{
      sb::CreateProjection(b, b.CreateString("bg->lif"), 0, 1,
                           sb::Connectivity::Procedural, conn.Union())};
  auto disc = sb::CreateDiscretization(b, b.CreateString("bench"), kDt);
  sb::FinishProgramBuffer(
      b, sb::CreateProgram(
             b, snnc::kSnnbSchemaVersion, b.CreateString("bench"),
             b.CreateString("net"), sb::NumericMode::Float, disc,
             b.CreateVector(pops), b.CreateVector(projs),
             b.CreateVector(std::vector<flatbuffers::Offset<sb::Port>>{}),
             b.CreateVector(std::vector<flatbuffers::Offset<sb::Port>>{})));
  return snnc::sealedCopy(b.GetBufferPointer(), b.GetSize());
}

} // namespace

int main(int argc, char **argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s SYNAPSES THREADS [expand]\n", argv[0]);
    return 2;
  }
  const double synapses = std::atof(argv[1]);
  const int threads = std::atoi(argv[2]);
  const snnc::procedural::ConnectSpec s = spec(synapses);
  auto t0 = std::chrono::steady_clock::now();
  if (argc > 3 && std::strcmp(argv[3], "expand") == 0) {
    auto syn = snnc::procedural::expand(s, unsigned(threads),
                                        std::numeric_limits<uint64_t>::max());
    if (!syn.isOk()) {
      std::fprintf(stderr, "%s\n", syn.status().toString().c_str());
      return 1;
    }
    std::printf("expand: %zu synapses, %d threads: %.2f s\n",
                syn->targets.size(), threads, seconds(t0));
    return 0;
  }
  auto program = snnc::Program::fromBytes(artifact(s), "bench.snnb");
  if (!program.isOk()) {
    std::fprintf(stderr, "%s\n", program.status().toString().c_str());
    return 1;
  }
  const double load = seconds(t0);
  t0 = std::chrono::steady_clock::now();
  auto engine = snnc::makeCpuDriver()->instantiate(
      **program, snnc::DeviceOptions{threads});
  if (!engine.isOk()) {
    std::fprintf(stderr, "%s\n", engine.status().toString().c_str());
    return 1;
  }
  const double inst = seconds(t0);
  t0 = std::chrono::steady_clock::now();
  (*engine)->run(100, nullptr);
  std::printf("load %.3f s (estimate %llu bytes), instantiate %.2f s on %d "
              "threads (%.3g synapses/s), 100 steps %.2f s, %lld events\n",
              load, (unsigned long long)(*program)->expansionEstimateBytes(),
              inst, threads, synapses / inst, seconds(t0),
              (long long)(*engine)->stats().synapticEvents);
  return 0;
}
