//===- MemoryFloor.cpp - What this machine's memory allows the engine ----===//
//
// Two figures bound how fast any engine can deliver synaptic events held in
// CSR rows (docs/benchmarks.md, "The memory floor"):
//   - sequential read bandwidth, over an array far larger than the caches
//     (a synapse row is read front to back);
//   - the scatter floor: rows of (target, weight) pairs read in order and
//     added into an accumulator array of a given size at random targets,
//     the engine's inner loop with nothing else (no neuron update, no
//     spike lists, no delays).
// Each runs on 1..T threads (each thread its own rows and accumulators, as
// the engine's slices are) and prints the median of several repeats.
//
//===----------------------------------------------------------------------===//
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <thread>
#include <vector>

namespace {

double now() {
  return std::chrono::duration<double>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

// Runs `work(thread)` on `threads` threads at once; returns the wall time.
template <typename F> double timed(unsigned threads, F work) {
  std::vector<std::thread> pool;
  const double t0 = now();
  for (unsigned t = 1; t < threads; ++t)
    pool.emplace_back(work, t);
  work(0u);
  for (std::thread &t : pool)
    t.join();
  return now() - t0;
}

struct Synapse {
  uint32_t target;
  float weight;
};

volatile uint64_t gSink; // keeps the read loop from being optimized away

} // namespace

int main(int argc, char **argv) {
  size_t readMiB = 1024, synapses = size_t(64) << 20;
  size_t accumulatorMiB = 15;
  unsigned maxThreads = std::max(1u, std::thread::hardware_concurrency());
  int repeats = 5;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string a = argv[i];
    const size_t v = std::strtoull(argv[i + 1], nullptr, 10);
    if (a == "--read-mib")
      readMiB = v;
    else if (a == "--synapses")
      synapses = v;
    else if (a == "--accumulator-mib")
      accumulatorMiB = v;
    else if (a == "--threads")
      maxThreads = unsigned(v);
    else if (a == "--repeats")
      repeats = int(v);
    else {
      std::fprintf(stderr,
                   "usage: memory-floor [--read-mib N] [--synapses N] "
                   "[--accumulator-mib N] [--threads N] [--repeats N]\n");
      return 2;
    }
  }
  if (argc % 2 == 0 || maxThreads == 0 || repeats <= 0 || synapses == 0) {
    std::fprintf(stderr, "memory-floor: bad arguments\n");
    return 2;
  }

  std::printf(
      "| threads | sequential read GB/s | scatter ns/event (per "
      "thread) | scatter events/s (all threads) |\n|---|---:|---:|---:|\n");
  for (unsigned threads = 1; threads <= maxThreads; ++threads) {
    // Sequential read: each thread sums its own part.
    const size_t words = (readMiB << 20) / 8 / threads;
    std::vector<std::vector<uint64_t>> data(threads);
    timed(threads, [&](unsigned t) { data[t].assign(words, t + 1); });
    std::vector<double> read;
    for (int r = 0; r < repeats; ++r)
      read.push_back(timed(threads, [&](unsigned t) {
        uint64_t s = 0;
        for (uint64_t w : data[t])
          s += w;
        gSink = s;
      }));
    data.clear();
    const double gbs = double(readMiB << 20) / median(read) / 1e9;

    // Scatter: each thread its rows and its accumulators.
    const size_t perThread = synapses / threads;
    const uint32_t targets =
        uint32_t(std::max<size_t>(1, (accumulatorMiB << 20) / 4 / threads));
    std::vector<std::vector<Synapse>> rows(threads);
    std::vector<std::vector<float>> acc(threads);
    timed(threads, [&](unsigned t) {
      std::mt19937 rng(t + 7);
      std::uniform_int_distribution<uint32_t> pick(0, targets - 1);
      rows[t].resize(perThread);
      for (Synapse &s : rows[t])
        s = {pick(rng), 1e-3f};
      acc[t].assign(targets, 0.0f);
    });
    std::vector<double> scatter;
    for (int r = 0; r < repeats; ++r)
      scatter.push_back(timed(threads, [&](unsigned t) {
        float *a = acc[t].data();
        for (const Synapse &s : rows[t])
          a[s.target] += s.weight;
      }));
    const double sec = median(scatter);
    std::printf("| %u | %.1f | %.2f | %.3g |\n", threads, gbs,
                sec / double(perThread) * 1e9,
                double(perThread * threads) / sec);
  }
  return 0;
}
