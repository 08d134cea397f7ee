//===- MappingBench.cpp - Partition/place/route/check at scale ------------===//
//
// Random networks of N neurons in four populations (40/30/20/10 % of N),
// every population projecting to every one, each neuron with 100 random
// targets split 40/30/20/10 over the four (so 100 synapses out and, on
// average, 100 in per neuron), mapped onto a SpiNNaker-like
// target built here: 256 neurons and 16 cores a chip, 1024 routing entries,
// a square mesh with room for the cores. Prints one row per size: seconds
// per step (best of --repeats), peak RSS of the process that ran that size
// (each size runs in a child process, so the figure is its own), and
// routing entries before and after compression.
//
//   mapping-bench [--sizes 10000,100000,1000000] [--repeats 1]
//
//===----------------------------------------------------------------------===//
#include "mapping/Mapping.h"

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

using namespace snnc;
using namespace snnc::mapping;

namespace {

uint64_t splitmix(uint64_t &s) {
  uint64_t z = (s += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

MapGraph buildNetwork(uint64_t neurons, uint64_t seed) {
  MapGraph g;
  const char *names[] = {"exc", "inh", "in", "out"};
  const double share[] = {0.4, 0.3, 0.2, 0.1};
  uint64_t left = neurons;
  for (int p = 0; p < 4; ++p) {
    MapPopulation pop;
    pop.name = names[p];
    pop.kind = "LIF";
    pop.size = p == 3 ? uint32_t(left) : uint32_t(neurons * share[p]);
    pop.activity = 0.005 * (p + 1);
    left -= pop.size;
    g.populations.push_back(pop);
  }
  // Per source neuron, 100 targets split by the target's share: every
  // neuron sends 100 synapses and receives 100 on average.
  const uint32_t perPair[] = {40, 30, 20, 10};
  uint64_t s = seed;
  for (uint32_t a = 0; a < 4; ++a)
    for (uint32_t b = 0; b < 4; ++b) {
      MapProjection proj;
      proj.name = std::string(names[a]) + "->" + names[b];
      proj.source = a;
      proj.target = b;
      proj.weightBits = 8;
      const uint32_t n = g.populations[a].size, m = g.populations[b].size;
      proj.rowStart.resize(uint64_t(n) + 1);
      proj.targets.resize(uint64_t(n) * perPair[b]);
      for (uint64_t i = 0; i <= n; ++i)
        proj.rowStart[i] = i * perPair[b];
      for (uint32_t &t : proj.targets)
        t = uint32_t(((splitmix(s) >> 32) * m) >> 32);
      g.projections.push_back(std::move(proj));
    }
  return g;
}

target::Target spinnakerLike(uint64_t neurons) {
  target::Target t;
  t.name = "spinnaker-like (bench)";
  t.origin = "mapping-bench";
  t.neuronsPerCore = 256;
  t.coresPerChip = 16;
  t.synapsesPerWord = 1;
  t.synapseWordsPerCore = 1u << 16;
  t.fanInPerCore = 1u << 15;
  t.fanOutPerCore = 1u << 16;
  t.routingEntriesPerRouter = 1024;
  t.weightBits = 16;
  t.delaySlots = 16;
  t.neuronKinds = {"LIF"};
  // Four populations can leave up to four part-filled cores; 5 % spare.
  const uint64_t cores = neurons / t.neuronsPerCore + 8;
  const uint64_t chips =
      (cores * 105 / 100 + t.coresPerChip - 1) / t.coresPerChip;
  t.meshWidth = t.meshHeight =
      uint32_t(std::ceil(std::sqrt(double(std::max<uint64_t>(chips, 1)))));
  return t;
}

double seconds(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since)
      .count();
}

void runSize(uint64_t neurons, int repeats) {
  const MapGraph g = buildNetwork(neurons, 12345 + neurons);
  const target::Target t = spinnakerLike(neurons);
  uint64_t synapses = 0;
  for (const MapProjection &p : g.projections)
    synapses += p.synapses();
  double best[4] = {1e30, 1e30, 1e30, 1e30};
  Mapping m;
  size_t violations = 0;
  for (int r = 0; r < repeats; ++r) {
    m = Mapping();
    auto t0 = std::chrono::steady_clock::now();
    partition(g, t, m);
    best[0] = std::min(best[0], seconds(t0));
    t0 = std::chrono::steady_clock::now();
    place(g, t, m);
    best[1] = std::min(best[1], seconds(t0));
    t0 = std::chrono::steady_clock::now();
    route(g, t, m);
    best[2] = std::min(best[2], seconds(t0));
    t0 = std::chrono::steady_clock::now();
    violations = check(g, t, m).size();
    best[3] = std::min(best[3], seconds(t0));
  }
  uint64_t before = 0, after = 0, maxAfter = 0;
  for (const Router &r : m.routers) {
    before += r.entriesBeforeCompression;
    after += r.entries.size();
    maxAfter = std::max<uint64_t>(maxAfter, r.entries.size());
  }
  rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  std::printf("| %9llu | %11llu | %5zu | %5u | %7.2f | %6.2f | %6.2f | %6.3f "
              "| %6.2f | %7.0f | %10llu | %8llu | %7llu | %4zu |\n",
              (unsigned long long)neurons, (unsigned long long)synapses,
              m.cores.size(), t.chips(), best[0], best[1], best[2], best[3],
              best[0] + best[1] + best[2] + best[3], ru.ru_maxrss / 1024.0,
              (unsigned long long)before, (unsigned long long)after,
              (unsigned long long)maxAfter, violations);
  std::fflush(stdout);
}

} // namespace

int main(int argc, char **argv) {
  std::vector<uint64_t> sizes = {10000, 100000, 1000000};
  int repeats = 1;
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--sizes") && i + 1 < argc) {
      sizes.clear();
      std::string list = argv[++i];
      size_t pos = 0;
      while (pos <= list.size()) {
        const size_t comma = std::min(list.find(',', pos), list.size());
        sizes.push_back(std::strtoull(list.c_str() + pos, nullptr, 10));
        pos = comma + 1;
      }
    } else if (!std::strcmp(argv[i], "--repeats") && i + 1 < argc) {
      repeats = std::max(1, std::atoi(argv[++i]));
    } else {
      std::fprintf(stderr,
                   "usage: %s [--sizes N,N,...] [--repeats R]\n"
                   "  (unknown argument '%s')\n",
                   argv[0], argv[i]);
      return 2;
    }
  }
  std::printf("| neurons   | synapses    | cores | chips | part. s | place "
              "s | route s | check s | total s | peak MB | entries    | after "
              "   | max/rtr | viol |\n");
  std::printf("|----------:|------------:|------:|------:|--------:|--------:|"
              "--------:|--------:|--------:|--------:|-----------:|---------:"
              "|--------:|-----:|\n");
  std::fflush(stdout);
  for (uint64_t n : sizes) {
    // A child per size: its peak RSS is that size's alone.
    const pid_t pid = fork();
    if (pid == 0) {
      runSize(n, repeats);
      std::_Exit(0);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
      std::fprintf(stderr, "size %llu failed (status %d)\n",
                   (unsigned long long)n, status);
      return 1;
    }
  }
  return 0;
}
