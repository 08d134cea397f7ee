//===- CpuEngineBench.cpp - The CPU engine on a random sparse network -----===//
//
// The network of the usual simulator comparisons (Brunel-style, as in
// Brian2's and NEST's benchmarks): 10,000 LIF neurons (tau 20 ms,
// dt = 0.1 ms), 1% random recurrent connectivity (100 synapses per neuron,
// 80% excitatory, 20% inhibitory), driven by 1,000 Poisson sources at
// 10 Hz with 10% connectivity; it settles at ~10-20 Hz. One benchmark
// iteration simulates one second (10,000 steps), so the reported time is
// wall time per simulated second.
//
// Counters: rate_Hz (mean LIF rate), events_per_s (synapses touched per
// wall second, input and recurrent), events_per_s_per_core (the same per
// thread), steps_per_s. Arguments: mode (0 float, 1 fixed), threads.
//
//===----------------------------------------------------------------------===//
#include "CpuDriver.h"
#include "PoissonNeurons.h"
#include "snnc/runtime/ArtifactSeal.h"
#include "snnc/runtime/Program.h"
#include "snnc/schema/snnb_generated.h"

#include <benchmark/benchmark.h>

#include <chrono>
#include <cmath>
#include <random>

namespace {

namespace sb = snnc::snnb;

constexpr uint32_t kNeurons = 10000, kInputs = 1000;
constexpr double kDt = 1e-4, kTauMem = 20e-3;
constexpr int kStepsPerSecond = 10000;
constexpr double kInputRateHz = 10.0;
// Synaptic weights in units of the threshold (float), and their fixed-point
// images with 12 fractional bits.
constexpr float kWeightInput = 0.045f, kWeightExc = 0.02f, kWeightInh = -0.09f;
constexpr int kFracBits = 12;

struct Csr {
  std::vector<uint32_t> rowStart{0}, targets;
  std::vector<float> weights;
  std::vector<int16_t> mantissas;
};

/// Each of `rows` sources connects to each of `cols` targets with
/// probability p; `weightOf(row)` gives the row's weight.
template <typename F>
Csr randomCsr(std::mt19937 &rng, uint32_t rows, uint32_t cols, double p,
              F weightOf, int exponent) {
  Csr c;
  std::geometric_distribution<uint32_t> gap(p);
  for (uint32_t j = 0; j < rows; ++j) {
    // Geometric gaps draw the row in O(row length), not O(cols).
    for (uint32_t i = gap(rng); i < cols; i += 1 + gap(rng)) {
      c.targets.push_back(i);
      const float w = weightOf(j);
      c.weights.push_back(w);
      c.mantissas.push_back(
          int16_t(std::lround(std::ldexp(double(w), kFracBits - exponent))));
    }
    c.rowStart.push_back(uint32_t(c.targets.size()));
  }
  return c;
}

std::shared_ptr<const snnc::Program> buildNetwork(bool fixed) {
  std::mt19937 rng(2024);
  flatbuffers::FlatBufferBuilder b;
  const float beta = float(std::exp(-kDt / kTauMem));
  const auto decay = uint16_t(std::lround((1.0 - beta) * 4096));
  auto fixedNeuron = [&](uint8_t frac) {
    std::vector<uint16_t> dv{decay};
    std::vector<int32_t> th{1 << kFracBits}, zero{0};
    return fixed ? sb::CreateFixedNeuronDirect(b, 24, frac, nullptr, &dv,
                                               nullptr, nullptr, &th, &zero)
                 : 0;
  };
  std::vector<int64_t> inShape{kInputs}, shape{kNeurons};
  std::vector<float> betaV{beta}, one{1.0f}, zero{0.0f};
  auto fxIn = fixedNeuron(0), fxLif = fixedNeuron(kFracBits);
  std::vector<flatbuffers::Offset<sb::Population>> pops{
      sb::CreatePopulationDirect(b, "input", sb::NeuronKind::Source, &inShape,
                                 kInputs, nullptr, nullptr, nullptr, nullptr,
                                 nullptr, nullptr, nullptr, nullptr, nullptr,
                                 nullptr, fxIn),
      sb::CreatePopulationDirect(b, "lif", sb::NeuronKind::LIF, &shape,
                                 kNeurons, nullptr, &betaV, nullptr, &one,
                                 nullptr, nullptr, nullptr, &one, &zero,
                                 nullptr, fxLif)};

  // Exponents chosen so that the mantissas fit in 8 bits.
  const int inExp = 1, recExp = 2;
  Csr in = randomCsr(
      rng, kInputs, kNeurons, 0.1, [](uint32_t) { return kWeightInput; },
      inExp);
  Csr rec = randomCsr(
      rng, kNeurons, kNeurons, 0.01,
      [](uint32_t j) { return j < kNeurons * 4 / 5 ? kWeightExc : kWeightInh; },
      recExp);
  auto projection = [&](const char *name, uint32_t from, Csr &c, bool loop,
                        int exponent) {
    auto sparse =
        sb::CreateSparseDirect(b, &c.rowStart, &c.targets, &c.weights);
    auto fw = fixed ? sb::CreateFixedWeightsDirect(b, 8, uint8_t(exponent),
                                                   &c.mantissas)
                    : 0;
    return sb::CreateProjectionDirect(b, name, from, 1,
                                      sb::Connectivity::Sparse, sparse.Union(),
                                      nullptr, loop, fw);
  };
  std::vector<flatbuffers::Offset<sb::Projection>> projs{
      projection("input", 0, in, false, inExp),
      projection("recurrent", 1, rec, true, recExp)};
  std::vector<flatbuffers::Offset<sb::Port>> noPorts,
      ports{sb::CreatePortDirect(b, "input", 0, &inShape)};
  auto disc = sb::CreateDiscretizationDirect(b, "bench", kDt);
  auto root = sb::CreateProgramDirect(
      b, snnc::kSnnbSchemaVersion, "cpu-engine-bench", "brunel",
      fixed ? sb::NumericMode::Fixed : sb::NumericMode::Float, disc, &pops,
      &projs, &ports, &noPorts);
  sb::FinishProgramBuffer(b, root);
  auto program = snnc::Program::fromBytes(
      snnc::sealedCopy(b.GetBufferPointer(), b.GetSize()));
  if (!program.isOk()) {
    fprintf(stderr, "%s\n", program.status().toString().c_str());
    std::abort();
  }
  return program.value();
}

/// 0/1 Poisson input rows for a period of `steps` steps, drawn beforehand so
/// that random numbers are not part of what is timed.
std::vector<std::vector<float>> poissonInput(int steps) {
  std::mt19937 rng(7);
  std::bernoulli_distribution fire(kInputRateHz * kDt);
  std::vector<std::vector<float>> rows(steps, std::vector<float>(kInputs));
  for (auto &row : rows)
    for (float &x : row)
      x = fire(rng) ? 1.0f : 0.0f;
  return rows;
}

void SparseNetwork(benchmark::State &state) {
  const bool fixed = state.range(0) != 0;
  const int threads = int(state.range(1));
  auto program = buildNetwork(fixed);
  auto driver = snnc::makeCpuDriver();
  auto made = driver->instantiate(*program, snnc::DeviceOptions{threads});
  if (!made.isOk()) {
    state.SkipWithError(made.status().toString().c_str());
    return;
  }
  std::unique_ptr<snnc::Engine> engine = std::move(made).value();
  static const std::vector<std::vector<float>> input = poissonInput(4096);
  int64_t t = 0;
  auto run = [&](int steps) {
    for (int k = 0; k < steps; ++k, ++t) {
      engine->setSource(0, input[t % input.size()].data());
      engine->step();
    }
  };
  run(kStepsPerSecond / 5); // settle past the onset transient
  const snnc::EngineStats before = engine->stats();
  double wall = 0;
  for (auto _ : state) {
    auto start = std::chrono::steady_clock::now();
    run(kStepsPerSecond);
    wall +=
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
            .count();
  }
  const snnc::EngineStats after = engine->stats();
  const double seconds = double(state.iterations());
  const double events = double(after.synapticEvents - before.synapticEvents);
  state.counters["rate_Hz"] =
      double(after.spikes - before.spikes) / (kNeurons * seconds);
  state.counters["events_per_s"] = events / wall;
  state.counters["events_per_s_per_core"] = events / wall / threads;
  state.counters["steps_per_s"] = seconds * kStepsPerSecond / wall;
  state.SetLabel(fixed ? "fixed" : "float");
}

BENCHMARK(SparseNetwork)
    ->ArgNames({"fixed", "threads"})
    ->Args({0, 1})
    ->Args({0, 2})
    ->Args({1, 1})
    ->Args({1, 2})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->MinTime(2.0);

/// One step of a PD14-sized PoissonSource (77,169 neurons, one thread):
/// the Philox words and the table search of drawPoisson alone, at the
/// mean count per step given as lambda x 1000.
void PoissonDraw(benchmark::State &state) {
  const uint32_t n = 77169;
  const double lambda = double(state.range(0)) / 1000.0;
  snnc::cpu::PoissonModel pm;
  pm.key = snnc::ref::philoxKey(12345);
  const snnc::ref::PoissonTable t = snnc::ref::poissonTable(lambda);
  pm.tables.push_back({0, uint32_t(t.thresholds.size()), t.first});
  pm.thresholds = t.thresholds;
  std::vector<float> v(n), value(n);
  std::vector<uint8_t> spikes(n);
  std::vector<uint32_t> index(n);
  uint64_t step = 0;
  int64_t events = 0;
  for (auto _ : state) {
    events +=
        snnc::cpu::drawPoisson(pm, snnc::cpu::Range{0, n}, step++, v.data(),
                               spikes.data(), index.data(), value.data());
    benchmark::DoNotOptimize(index.data());
  }
  state.counters["ns_per_neuron"] = benchmark::Counter(
      double(state.iterations()) * n,
      benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
  state.counters["nonzero_per_step"] =
      double(events) / double(state.iterations());
}

BENCHMARK(PoissonDraw)
    ->ArgName("lambda_x1000")
    ->Arg(10)
    ->Arg(1280)
    ->Arg(20000)
    ->Unit(benchmark::kMicrosecond)
    ->MinTime(1.0);

} // namespace

BENCHMARK_MAIN();
