//===- GpuBench.cpp - CPU and CUDA engines side by side -------------------===//
//
//   gpu-bench [--cpu-seconds S] [--gpu-seconds S] [--warmup S]
//             [--rates] NAME=ARTIFACT.snnb ...
//
// For each artifact: loads it once, instantiates the CPU engine (all
// hardware threads) and the CUDA engine, runs `warmup` simulated seconds,
// then times `cpu-seconds` (0: skip the CPU) and `gpu-seconds` of
// simulation with no recording, and prints one row per backend: wall
// seconds per simulated second (the real-time factor), spikes, synaptic
// events per wall second and the memory traffic they imply. --rates adds,
// from a further simulated second on the GPU, every spiking population's
// mean rate (Hz), for checking against published ranges.
//
// Wall time is steady_clock around run() plus stats(), which waits for the
// device, so it covers every launch and the kernels themselves.
//
//===----------------------------------------------------------------------===//
#include "CpuEngine.h"
#include "CudaEngine.h"

#include "snnc/runtime/Program.h"
#include "snnc/schema/snnb_generated.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace {

using namespace snnc;
using Clock = std::chrono::steady_clock;

double since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

struct Row {
  double wall = 0, simulated = 0;
  int64_t spikes = 0, events = 0;
};

Row timed(Engine &e, int64_t warmup, int64_t steps, double dt) {
  e.reset();
  if (warmup)
    e.run(warmup, nullptr);
  const EngineStats a = e.stats();
  const auto t0 = Clock::now();
  e.run(steps, nullptr);
  const EngineStats b = e.stats(); // waits for the device
  Row r;
  r.wall = since(t0);
  r.simulated = double(steps) * dt;
  r.spikes = b.spikes - a.spikes;
  r.events = b.synapticEvents - a.synapticEvents;
  return r;
}

/// Counts every recorded population's spikes.
class Counter final : public StepObserver {
public:
  Counter(Engine &e, std::vector<uint32_t> pops, std::vector<uint32_t> sizes)
      : engine_(e), pops_(std::move(pops)), counts_(pops_.size()),
        scratch_(*std::max_element(sizes.begin(), sizes.end())) {}
  void afterStep(int64_t) override {
    for (size_t i = 0; i < pops_.size(); ++i)
      counts_[i] += engine_.spikeIndices(pops_[i], scratch_.data());
  }
  const std::vector<uint64_t> &counts() const { return counts_; }

private:
  Engine &engine_;
  std::vector<uint32_t> pops_;
  std::vector<uint64_t> counts_;
  std::vector<uint32_t> scratch_;
};

void printRow(const char *name, const char *backend, uint64_t neurons,
              const Row &r) {
  const double rtf = r.wall / r.simulated;
  const double eps = double(r.events) / r.wall;
  // Bytes per synaptic event: the target index and weight streamed (up to
  // 8) plus the accumulator's atomic read-modify-write (8): a 16-byte
  // estimate, to set against the card's bandwidth (H200: 4.8 TB/s).
  std::printf("| %-14s | %-4s | %9llu | %7.2f | %9.4f | %11lld | %9.3e | "
              "%8.1f |\n",
              name, backend, (unsigned long long)neurons, r.simulated, rtf,
              (long long)r.spikes, eps, eps * 16 / 1e9);
}

} // namespace

int main(int argc, char **argv) {
  double cpuSeconds = 1, gpuSeconds = 1, warmupSeconds = 0;
  bool rates = false;
  std::vector<std::pair<std::string, std::string>> nets;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto value = [&]() -> double {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "gpu-bench: %s needs a value\n", a.c_str());
        std::exit(2);
      }
      return std::atof(argv[++i]);
    };
    if (a == "--cpu-seconds")
      cpuSeconds = value();
    else if (a == "--gpu-seconds")
      gpuSeconds = value();
    else if (a == "--warmup")
      warmupSeconds = value();
    else if (a == "--rates")
      rates = true;
    else if (auto eq = a.find('='); eq != std::string::npos)
      nets.push_back({a.substr(0, eq), a.substr(eq + 1)});
    else {
      std::fprintf(stderr, "gpu-bench: expected NAME=ARTIFACT.snnb, got '%s'\n",
                   a.c_str());
      return 2;
    }
  }
  if (Status s = cuda::deviceAvailable(); !s) {
    std::printf("gpu-bench: skipped: %s\n", s.message().c_str());
    return 77;
  }
  std::printf("| network        | dev  |   neurons | sim s   | wall s/sim s "
              "| spikes      | syn ev/s  | ~GB/s    |\n");
  std::printf("|----------------|------|-----------|---------|-----------"
              "-|-------------|-----------|----------|\n");
  int failures = 0;
  for (const auto &[name, path] : nets) {
    auto program = Program::load(path);
    if (!program) {
      std::fprintf(stderr, "gpu-bench: %s: %s\n", path.c_str(),
                   program.status().message().c_str());
      ++failures;
      continue;
    }
    const auto &fb = (*program)->fb();
    const double dt = fb.discretization()->dt();
    uint64_t neurons = 0;
    for (const snnb::Population *p : *fb.populations())
      neurons += p->size();
    const auto steps = [&](double s) { return int64_t(std::llround(s / dt)); };
    if (cpuSeconds > 0) {
      auto cpu = cpu::makeCpuEngine(**program, {});
      if (!cpu) {
        std::fprintf(stderr, "gpu-bench: cpu: %s\n",
                     cpu.status().message().c_str());
        ++failures;
      } else {
        // The CPU warms up for at most a tenth of a second: its speed does
        // not change once the network is in its steady state.
        printRow(name.c_str(), "cpu", neurons,
                 timed(**cpu, steps(std::min(warmupSeconds, 0.1)),
                       steps(cpuSeconds), dt));
      }
    }
    auto gpu = cuda::makeCudaEngine(**program, {});
    if (!gpu) {
      std::fprintf(stderr, "gpu-bench: cuda: %s\n",
                   gpu.status().message().c_str());
      ++failures;
      continue;
    }
    printRow(name.c_str(), "cuda", neurons,
             timed(**gpu, steps(warmupSeconds), steps(gpuSeconds), dt));
    std::printf("plan %s: %s\n", name.c_str(),
                cuda::describePlans(cuda::projectionPlans(**gpu)).c_str());
    if (Status s = (*gpu)->health(); !s) {
      std::fprintf(stderr, "gpu-bench: cuda: %s\n", s.message().c_str());
      ++failures;
    }
    if (rates) {
      std::vector<uint32_t> pops, sizes;
      for (uint32_t p = 0; p < fb.populations()->size(); ++p) {
        const snnb::Population *pop = fb.populations()->Get(p);
        if (pop->kind() != snnb::NeuronKind::PoissonSource &&
            pop->kind() != snnb::NeuronKind::Source) {
          pops.push_back(p);
          sizes.push_back(pop->size());
        }
      }
      if (pops.empty())
        continue;
      Counter counter(**gpu, pops, sizes);
      (*gpu)->recordSpikes(pops);
      (*gpu)->run(steps(1.0), &counter);
      std::printf("rates %s (Hz, 1 s after the timed run):", name.c_str());
      for (size_t i = 0; i < pops.size(); ++i) {
        const snnb::Population *pop = fb.populations()->Get(pops[i]);
        std::printf(" %s=%.2f", pop->name() ? pop->name()->c_str() : "?",
                    double(counter.counts()[i]) / sizes[i]);
      }
      std::printf("\n");
    }
  }
  return failures ? 1 : 0;
}
