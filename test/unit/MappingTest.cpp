//===- MappingTest.cpp - partition, place, route, check, estimate ---------===//
//
// Properties on random networks and random limits (many seeds), a packet-
// level simulator of the routing tables run before and after compression,
// the design-rule check on a network built to break several rules at once,
// and placement cost against random assignments on a clustered network.
//
//===----------------------------------------------------------------------===//
#include "mapping/Mapping.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <numeric>
#include <random>
#include <set>

namespace snnc::mapping {
namespace {

using Rng = std::mt19937_64;

uint32_t uniform(Rng &rng, uint32_t lo, uint32_t hi) { // [lo, hi]
  return std::uniform_int_distribution<uint32_t>(lo, hi)(rng);
}

/// A projection with `perSource(rng)` random targets per source neuron.
MapProjection randomProjection(Rng &rng, const MapGraph &g, uint32_t src,
                               uint32_t dst, uint32_t maxPerSource) {
  MapProjection p;
  p.name = g.populations[src].name + "->" + g.populations[dst].name;
  p.source = src;
  p.target = dst;
  p.rowStart.push_back(0);
  for (uint32_t i = 0; i < g.populations[src].size; ++i) {
    const uint32_t n = uniform(rng, 0, maxPerSource);
    for (uint32_t k = 0; k < n; ++k)
      p.targets.push_back(uniform(rng, 0, g.populations[dst].size - 1));
    p.rowStart.push_back(p.targets.size());
  }
  return p;
}

MapGraph randomGraph(Rng &rng) {
  MapGraph g;
  const uint32_t pops = uniform(rng, 1, 6);
  for (uint32_t p = 0; p < pops; ++p) {
    MapPopulation pop;
    pop.name = "p" + std::to_string(p);
    pop.kind = "LIF";
    // Mostly small populations, some larger than a core.
    pop.size =
        uniform(rng, 0, 3) == 0 ? uniform(rng, 60, 700) : uniform(rng, 1, 40);
    pop.activity = 0.01 * uniform(rng, 1, 10);
    g.populations.push_back(pop);
  }
  const uint32_t projs = uniform(rng, 0, 2 * pops);
  for (uint32_t j = 0; j < projs; ++j) {
    const uint32_t src = uniform(rng, 0, pops - 1);
    const uint32_t dst = uniform(rng, 0, pops - 1);
    g.projections.push_back(
        randomProjection(rng, g, src, dst, uniform(rng, 0, 24)));
  }
  return g;
}

target::Target baseTarget() {
  target::Target t;
  t.name = "test";
  t.origin = "test";
  t.neuronKinds = {"LIF"};
  t.routingEntriesPerRouter = 1u << 20;
  t.fanOutPerCore = 1u << 20;
  t.delaySlots = 16;
  return t;
}

target::Target randomTarget(Rng &rng) {
  target::Target t = baseTarget();
  t.neuronsPerCore = uniform(rng, 4, 64);
  t.synapsesPerWord = uniform(rng, 1, 4);
  t.synapseWordsPerCore = uniform(rng, 20, 600);
  t.fanInPerCore = uniform(rng, 8, 200);
  t.fanOutPerCore = uniform(rng, 4, 64);
  t.coresPerChip = uniform(rng, 1, 8);
  return t;
}

/// A mesh of random shape with room for `cores`.
void fitMesh(Rng &rng, target::Target &t, uint64_t cores) {
  const uint64_t chips = (cores + t.coresPerChip - 1) / t.coresPerChip;
  t.meshWidth = uniform(rng, 1, 6);
  t.meshHeight = uint32_t(std::max<uint64_t>(
      1, (chips + t.meshWidth - 1) / t.meshWidth + uniform(rng, 0, 1)));
}

/// The core that holds each (population, neuron), from the slices alone.
std::map<std::pair<uint32_t, uint32_t>, std::vector<uint32_t>>
holders(const Mapping &m) {
  std::map<std::pair<uint32_t, uint32_t>, std::vector<uint32_t>> h;
  for (uint32_t c = 0; c < m.cores.size(); ++c)
    for (const CoreSlice &s : m.cores[c].slices)
      for (uint32_t i = s.lo; i < s.hi; ++i)
        h[{s.population, i}].push_back(c);
  return h;
}

bool reported(const std::vector<Violation> &vs, uint32_t core,
              const std::string &limit) {
  const std::string prefix = "core " + std::to_string(core) + " (";
  for (const Violation &v : vs)
    if (v.limit == limit && v.node.rfind(prefix, 0) == 0)
      return true;
  return false;
}

TEST(Partition, RandomNetworksProperties) {
  size_t lone = 0, overCore = 0, cores = 0;
  for (uint64_t seed = 1; seed <= 30; ++seed) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    Rng rng(seed);
    const MapGraph g = randomGraph(rng);
    target::Target t = randomTarget(rng);
    Mapping m;
    lone += partition(g, t, m).size();
    cores += m.cores.size();

    // Every neuron on exactly one core, the one coreOf names.
    const auto h = holders(m);
    ASSERT_EQ(m.coreOf.size(), g.populations.size());
    for (uint32_t p = 0; p < g.populations.size(); ++p) {
      ASSERT_EQ(m.coreOf[p].size(), g.populations[p].size);
      for (uint32_t i = 0; i < g.populations[p].size; ++i) {
        auto it = h.find({p, i});
        ASSERT_NE(it, h.end()) << "neuron " << p << ":" << i << " on no core";
        ASSERT_EQ(it->second.size(), 1u);
        EXPECT_EQ(it->second[0], m.coreOf[p][i]);
      }
    }

    // Per-core counts recomputed from scratch, synapses counted at the
    // target neuron's core.
    std::vector<uint64_t> synapses(m.cores.size(), 0);
    std::vector<std::set<std::pair<uint32_t, uint32_t>>> sources(
        m.cores.size());
    std::vector<uint32_t> neurons(m.cores.size(), 0);
    for (const auto &[neuron, cores] : h)
      ++neurons[cores[0]];
    for (const MapProjection &p : g.projections)
      for (uint32_t i = 0; i + 1 < p.rowStart.size(); ++i)
        for (uint64_t k = p.rowStart[i]; k < p.rowStart[i + 1]; ++k) {
          const uint32_t c = m.coreOf[p.target][p.targets[k]];
          ASSERT_EQ(h.at({p.target, p.targets[k]})[0], c);
          ++synapses[c];
          sources[c].insert({p.source, i});
        }
    for (uint32_t c = 0; c < m.cores.size(); ++c) {
      const Core &core = m.cores[c];
      EXPECT_EQ(core.neurons, neurons[c]) << "core " << c;
      EXPECT_GT(core.neurons, 0u) << "core " << c << " is empty";
      EXPECT_EQ(core.synapses, synapses[c]) << "core " << c;
      EXPECT_EQ(core.synapseWords,
                (synapses[c] + t.synapsesPerWord - 1) / t.synapsesPerWord);
      EXPECT_EQ(core.fanIn, sources[c].size()) << "core " << c;
    }

    // No core over a limit unless check() says so (fan-out after route()).
    fitMesh(rng, t, m.cores.size());
    ASSERT_TRUE(place(g, t, m).empty());
    route(g, t, m);
    const std::vector<Violation> vs = check(g, t, m);
    overCore += vs.size();
    for (uint32_t c = 0; c < m.cores.size(); ++c) {
      const Core &core = m.cores[c];
      EXPECT_LE(core.neurons, t.neuronsPerCore);
      if (core.synapseWords > t.synapseWordsPerCore) {
        EXPECT_TRUE(reported(vs, c, "synapse_words_per_core")) << c;
      }
      if (core.fanIn > t.fanInPerCore) {
        EXPECT_TRUE(reported(vs, c, "fan_in_per_core")) << c;
      }
      if (core.fanOut > t.fanOutPerCore) {
        EXPECT_TRUE(reported(vs, c, "fan_out_per_core")) << c;
      }
      // A core over a partition limit holds exactly one neuron.
      if (core.synapseWords > t.synapseWordsPerCore ||
          core.fanIn > t.fanInPerCore) {
        EXPECT_EQ(core.neurons, 1u) << "core " << c;
      }
    }

    // Deterministic.
    Mapping again;
    partition(g, t, again);
    ASSERT_EQ(again.cores.size(), m.cores.size());
    EXPECT_EQ(again.coreOf, m.coreOf);
    for (uint32_t c = 0; c < m.cores.size(); ++c) {
      ASSERT_EQ(again.cores[c].slices.size(), m.cores[c].slices.size());
      for (size_t s = 0; s < m.cores[c].slices.size(); ++s) {
        EXPECT_EQ(again.cores[c].slices[s].lo, m.cores[c].slices[s].lo);
        EXPECT_EQ(again.cores[c].slices[s].hi, m.cores[c].slices[s].hi);
      }
    }
  }
  // The limits are drawn so that some neurons break them alone and some
  // cores break fan-out: the properties above were tested on those too.
  std::printf("30 random networks: %zu cores, %zu lone-neuron violations, "
              "%zu from check()\n",
              cores, lone, overCore);
  EXPECT_GT(lone, 0u);
  EXPECT_GT(overCore, lone);
}

TEST(Partition, SmallPopulationsShareCores) {
  MapGraph g;
  for (int p = 0; p < 10; ++p)
    g.populations.push_back({"s" + std::to_string(p), "LIF", 10, true, 0.01});
  target::Target t = baseTarget();
  t.neuronsPerCore = 64;
  t.synapseWordsPerCore = 1000;
  t.fanInPerCore = 1000;
  Mapping m;
  EXPECT_TRUE(partition(g, t, m).empty());
  // 100 neurons at 64 a core: two cores, six populations on the first.
  ASSERT_EQ(m.cores.size(), 2u);
  EXPECT_EQ(m.cores[0].neurons, 60u);
  EXPECT_EQ(m.cores[0].slices.size(), 6u);
  EXPECT_EQ(m.cores[1].neurons, 40u);
}

TEST(Partition, FirstFitFillsEarlierCore) {
  // a fills most of core 0, b (30) does not fit there and opens core 1,
  // c (10) fits the room left on core 0.
  MapGraph g;
  g.populations = {{"a", "LIF", 50, true, 0.01},
                   {"b", "LIF", 30, true, 0.01},
                   {"c", "LIF", 10, true, 0.01}};
  target::Target t = baseTarget();
  t.neuronsPerCore = 64;
  t.synapseWordsPerCore = 1000;
  t.fanInPerCore = 1000;
  Mapping m;
  partition(g, t, m);
  ASSERT_EQ(m.cores.size(), 2u);
  EXPECT_EQ(m.coreOf[2][0], 0u);
  EXPECT_EQ(m.cores[0].neurons, 60u);
  EXPECT_EQ(m.cores[1].neurons, 30u);
}

TEST(Partition, FanInClosesCores) {
  // Every target neuron hears from 10 distinct sources of 40: a core of
  // fan-in 25 holds two targets when their sources overlap little.
  MapGraph g;
  g.populations = {{"src", "LIF", 40, true, 0.01},
                   {"dst", "LIF", 8, true, 0.01}};
  MapProjection p;
  p.name = "src->dst";
  p.source = 0;
  p.target = 1;
  p.rowStart.push_back(0);
  for (uint32_t i = 0; i < 40; ++i) {
    p.targets.push_back((i / 10) * 2);     // dst 0,2,4,6: sources 10 each
    p.targets.push_back((i / 10) * 2 + 1); // dst 1,3,5,7 the same sources
    p.rowStart.push_back(p.targets.size());
  }
  g.projections.push_back(p);
  target::Target t = baseTarget();
  t.neuronsPerCore = 64;
  t.synapseWordsPerCore = 1000;
  t.fanInPerCore = 25;
  Mapping m;
  EXPECT_TRUE(partition(g, t, m).empty());
  // src on core 0 (no fan-in); dst pairs (0,1) share their 10 sources, so
  // a core takes two pairs: 20 sources; the third pair would make 30.
  ASSERT_EQ(m.cores.size(), 3u);
  EXPECT_EQ(m.cores[1].neurons, 4u);
  EXPECT_EQ(m.cores[1].fanIn, 20u);
  EXPECT_EQ(m.cores[2].neurons, 4u);
}

TEST(Partition, NeuronOverLimitAloneGetsItsOwnCore) {
  MapGraph g;
  g.populations = {{"in", "LIF", 30, true, 0.01},
                   {"hub", "LIF", 3, true, 0.01}};
  MapProjection p;
  p.name = "in->hub";
  p.source = 0;
  p.target = 1;
  p.rowStart.push_back(0);
  for (uint32_t i = 0; i < 30; ++i) {
    p.targets.push_back(1); // hub[1] hears all 30
    p.rowStart.push_back(p.targets.size());
  }
  g.projections.push_back(p);
  target::Target t = baseTarget();
  t.neuronsPerCore = 16;
  t.synapsesPerWord = 2;
  t.synapseWordsPerCore = 12;
  t.fanInPerCore = 20;
  Mapping m;
  const std::vector<Violation> vs = partition(g, t, m);
  // hub[1]'s 30 synapses need 15 words of 2, and come from 30 sources.
  ASSERT_EQ(vs.size(), 2u);
  EXPECT_EQ(vs[0].node, "population 'hub' neuron 1");
  EXPECT_EQ(vs[0].limit, "synapse_words_per_core");
  EXPECT_EQ(vs[0].allowed, 12u);
  EXPECT_EQ(vs[0].actual, 15u);
  EXPECT_EQ(vs[1].node, "population 'hub' neuron 1");
  EXPECT_EQ(vs[1].limit, "fan_in_per_core");
  EXPECT_EQ(vs[1].allowed, 20u);
  EXPECT_EQ(vs[1].actual, 30u);
  const uint32_t own = m.coreOf[1][1];
  EXPECT_EQ(m.cores[own].neurons, 1u);
  EXPECT_NE(m.coreOf[1][0], own);
  EXPECT_NE(m.coreOf[1][2], own);
}

// --- Routing -----------------------------------------------------------------

/// Follows a packet from its source chip through the tables: the first
/// matching entry routes it; no match goes straight on when it came in
/// over a link, and is a drop at the source. Returns the (chip, core)
/// pairs reached, or an error.
struct Delivery {
  std::set<std::pair<uint32_t, uint32_t>> cores;
  std::string error;
};

Delivery simulate(const target::Target &t, const Mapping &m, uint32_t key,
                  uint32_t sourceChip) {
  Delivery d;
  struct Hop {
    uint32_t chip;
    int arrival; // link travelled, -1 at the source
  };
  std::vector<Hop> work{{sourceChip, -1}};
  std::vector<int> visits(t.chips(), 0);
  while (!work.empty()) {
    const Hop h = work.back();
    work.pop_back();
    if (++visits[h.chip] > 1) {
      d.error = "chip " + std::to_string(h.chip) + " reached twice";
      return d;
    }
    const RouteEntry *match = nullptr;
    for (const RouteEntry &e : m.routers[h.chip].entries)
      if ((key & e.mask) == e.key) {
        match = &e;
        break;
      }
    uint32_t links = 0;
    if (match) {
      links = match->links;
      for (uint32_t c : match->cores)
        d.cores.insert({h.chip, c});
    } else if (h.arrival < 0) {
      d.error = "dropped at its source chip";
      return d;
    } else {
      links = 1u << h.arrival;
    }
    const int x = int(h.chip % t.meshWidth), y = int(h.chip / t.meshWidth);
    for (int l = 0; l < 4; ++l) {
      if (!(links >> l & 1))
        continue;
      const int nx = x + (l == 0) - (l == 2), ny = y + (l == 1) - (l == 3);
      if (nx < 0 || ny < 0 || nx >= int(t.meshWidth) ||
          ny >= int(t.meshHeight)) {
        d.error = "left the mesh";
        return d;
      }
      work.push_back({uint32_t(ny) * t.meshWidth + uint32_t(nx), l});
    }
  }
  return d;
}

/// Every neuron's packet reaches exactly the cores its core's synapses end
/// on (a multicast tree is per core, so a neuron also reaches the cores of
/// its core-mates' targets), and at least those of its own synapses.
void expectDeliveries(const MapGraph &g, const target::Target &t,
                      const Mapping &m) {
  using CoreSet = std::set<std::pair<uint32_t, uint32_t>>;
  std::vector<CoreSet> own; // per local neuron of the core
  for (uint32_t c = 0; c < m.cores.size(); ++c) {
    const Core &core = m.cores[c];
    own.assign(core.neurons, {});
    CoreSet all;
    uint32_t j = 0;
    for (const CoreSlice &s : core.slices)
      for (uint32_t i = s.lo; i < s.hi; ++i, ++j)
        for (const MapProjection &p : g.projections) {
          if (p.source != s.population)
            continue;
          for (uint64_t k = p.rowStart[i]; k < p.rowStart[i + 1]; ++k) {
            const Core &d = m.cores[m.coreOf[p.target][p.targets[k]]];
            own[j].insert({d.chip, d.index});
            all.insert({d.chip, d.index});
          }
        }
    EXPECT_EQ(core.fanOut, all.size()) << "core " << c;
    if (all.empty())
      continue;
    for (j = 0; j < core.neurons; ++j) {
      const Delivery d = simulate(t, m, core.key | j, core.chip);
      ASSERT_EQ(d.error, "") << "core " << c << " neuron " << j;
      ASSERT_EQ(d.cores, all) << "core " << c << " neuron " << j;
      for (const auto &o : own[j])
        ASSERT_TRUE(d.cores.count(o));
    }
  }
}

TEST(Route, KeysAlignedAndDisjoint) {
  Rng rng(7);
  const MapGraph g = randomGraph(rng);
  target::Target t = randomTarget(rng);
  Mapping m;
  partition(g, t, m);
  fitMesh(rng, t, m.cores.size());
  place(g, t, m);
  EXPECT_TRUE(route(g, t, m).empty());
  std::vector<std::pair<uint64_t, uint64_t>> blocks;
  for (const Core &c : m.cores) {
    const uint64_t size = uint64_t(~c.mask) + 1;
    EXPECT_GE(size, c.neurons);
    EXPECT_LT(size, 2 * uint64_t(std::max(c.neurons, 1u)));
    EXPECT_EQ(c.key & ~c.mask, 0u);
    blocks.push_back({c.key, c.key + size});
  }
  std::sort(blocks.begin(), blocks.end());
  for (size_t i = 1; i < blocks.size(); ++i)
    EXPECT_LE(blocks[i - 1].second, blocks[i].first);
}

TEST(Route, ChipsWithMoreThan64CoresRouteEveryPacket) {
  // Loihi's 128 cores per chip: entries list any core of the chip, and the
  // packet simulator finds every destination before and after compression.
  bool reached = false;
  for (uint64_t seed = 300; seed < 310; ++seed) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    Rng rng(seed);
    const MapGraph g = randomGraph(rng);
    target::Target t = randomTarget(rng);
    t.neuronsPerCore = 4; // many cores from a small network
    t.coresPerChip = 128;
    Mapping m;
    partition(g, t, m);
    fitMesh(rng, t, m.cores.size());
    ASSERT_TRUE(place(g, t, m).empty());
    Mapping plain = m;
    ASSERT_TRUE(route(g, t, plain, RouteOptions{false}).empty());
    ASSERT_TRUE(route(g, t, m).empty());
    expectDeliveries(g, t, plain);
    expectDeliveries(g, t, m);
    uint32_t highest = 0;
    for (const Router &r : m.routers)
      for (const RouteEntry &e : r.entries)
        for (uint32_t c : e.cores)
          highest = std::max(highest, c);
    // Cores past the 64th that receive synapses are named by entries.
    uint32_t receiving = 0;
    for (const Core &c : m.cores)
      if (c.synapses > 0)
        receiving = std::max(receiving, c.index);
    EXPECT_EQ(highest >= 64, receiving >= 64) << highest << " " << receiving;
    reached |= receiving >= 64;
  }
  EXPECT_TRUE(reached) << "some seed must use cores past the 64th";
}

TEST(Route, KeySpaceExhausted) {
  MapGraph g;
  Mapping m;
  m.cores.resize(3);
  for (Core &c : m.cores)
    c.neurons = (1u << 31) + 1; // a 2^32 block each
  target::Target t = baseTarget();
  t.coresPerChip = 4;
  m.routers.clear();
  const std::vector<Violation> vs = route(g, t, m);
  ASSERT_EQ(vs.size(), 1u);
  EXPECT_EQ(vs[0].limit, "routing_keys");
  EXPECT_EQ(vs[0].allowed, uint64_t(1) << 32);
  EXPECT_EQ(vs[0].actual, uint64_t(3) << 32);
}

TEST(Route, SimulatedPacketsReachTheirCoresBeforeAndAfterCompression) {
  uint64_t before = 0, after = 0;
  for (uint64_t seed = 100; seed < 130; ++seed) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    Rng rng(seed);
    const MapGraph g = randomGraph(rng);
    target::Target t = randomTarget(rng);
    Mapping m;
    partition(g, t, m);
    fitMesh(rng, t, m.cores.size());
    ASSERT_TRUE(place(g, t, m).empty());
    Mapping plain = m;
    ASSERT_TRUE(route(g, t, plain, RouteOptions{false}).empty());
    ASSERT_TRUE(route(g, t, m).empty());
    expectDeliveries(g, t, plain);
    expectDeliveries(g, t, m);
    for (uint32_t r = 0; r < m.routers.size(); ++r) {
      EXPECT_EQ(m.routers[r].entriesBeforeCompression,
                plain.routers[r].entries.size());
      EXPECT_LE(m.routers[r].entries.size(), plain.routers[r].entries.size());
      before += plain.routers[r].entries.size();
      after += m.routers[r].entries.size();
    }
  }
  EXPECT_LT(after, before);
  std::printf("30 random networks: %llu entries, %llu after compression\n",
              (unsigned long long)before, (unsigned long long)after);
}

TEST(Route, DefaultRoutingNeedsNoEntry) {
  // One core on chip (0,0) sends to one core on chip (3,0): the routers at
  // (1,0) and (2,0) pass the packet straight on without an entry.
  MapGraph g;
  g.populations = {{"a", "LIF", 4, true, 0.1}, {"b", "LIF", 4, true, 0.1}};
  MapProjection p;
  p.name = "a->b";
  p.source = 0;
  p.target = 1;
  p.rowStart = {0, 1, 2, 3, 4};
  p.targets = {0, 1, 2, 3};
  g.projections.push_back(p);
  target::Target t = baseTarget();
  t.neuronsPerCore = 4;
  t.synapseWordsPerCore = 100;
  t.fanInPerCore = 100;
  t.meshWidth = 4;
  t.meshHeight = 1;
  Mapping m;
  partition(g, t, m);
  ASSERT_EQ(m.cores.size(), 2u);
  place(g, t, m);
  m.cores[0].chip = 0; // pin the ends of the line
  m.cores[1].chip = 3;
  route(g, t, m);
  EXPECT_EQ(m.routers[0].entries.size(), 1u);
  EXPECT_EQ(m.routers[1].entries.size(), 0u);
  EXPECT_EQ(m.routers[2].entries.size(), 0u);
  ASSERT_EQ(m.routers[3].entries.size(), 1u);
  EXPECT_EQ(m.routers[0].entries[0].links, 1u); // +x
  EXPECT_EQ(m.routers[3].entries[0].links, 0u);
  EXPECT_EQ(m.routers[3].entries[0].cores, std::vector<uint32_t>{0});
  EXPECT_EQ(m.cores[0].treeRouters, 4u);
  expectDeliveries(g, t, m);
}

TEST(Route, CompressibleNetworkFoldsEntries) {
  // 16 source cores on chips 0-3 all send to one core on chip (1,1): its
  // router holds 16 entries with one route, which fold into one.
  MapGraph g;
  g.populations = {{"a", "LIF", 256, true, 0.1}, {"b", "LIF", 16, true, 0.1}};
  MapProjection p;
  p.name = "a->b";
  p.source = 0;
  p.target = 1;
  p.rowStart.push_back(0);
  for (uint32_t i = 0; i < 256; ++i) {
    p.targets.push_back(i % 16);
    p.rowStart.push_back(p.targets.size());
  }
  g.projections.push_back(p);
  target::Target t = baseTarget();
  t.neuronsPerCore = 16;
  t.synapseWordsPerCore = 1000;
  t.fanInPerCore = 1000;
  t.coresPerChip = 4;
  t.meshWidth = 4;
  t.meshHeight = 2;
  Mapping m;
  partition(g, t, m);
  ASSERT_EQ(m.cores.size(), 17u);
  place(g, t, m);
  Mapping plain = m;
  route(g, t, plain, RouteOptions{false});
  route(g, t, m);
  const uint32_t bChip = m.cores[16].chip;
  EXPECT_EQ(plain.routers[bChip].entries.size(),
            m.routers[bChip].entriesBeforeCompression);
  EXPECT_GE(m.routers[bChip].entriesBeforeCompression, 8u);
  EXPECT_LE(m.routers[bChip].entries.size(), 2u);
  uint64_t before = 0, after = 0;
  for (const Router &r : m.routers) {
    before += r.entriesBeforeCompression;
    after += r.entries.size();
  }
  EXPECT_LT(after, before / 2);
  expectDeliveries(g, t, plain);
  expectDeliveries(g, t, m);
}

// Ordered covering on random tables: every key of every entry keeps its
// route, and no passing (default-routed) key matches anything.
TEST(Compress, RandomTablesKeepEveryRoute) {
  for (uint64_t seed = 1; seed <= 200; ++seed) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    Rng rng(seed);
    std::vector<RouteEntry> entries;
    std::vector<KeyBlock> passing;
    const uint32_t routes = uniform(rng, 1, 4);
    uint32_t cursor = 0;
    const uint32_t blocks = uniform(rng, 2, 60);
    for (uint32_t b = 0; b < blocks; ++b) {
      const uint32_t size = 1u << uniform(rng, 0, 4);
      cursor = (cursor + size - 1) / size * size + size * uniform(rng, 0, 2);
      const uint32_t kind = uniform(rng, 0, 5);
      if (kind == 0) // straight on over a random link, or no entry at all
        passing.push_back({cursor, ~(size - 1),
                           uniform(rng, 0, 1) ? 0u : 1u << uniform(rng, 0, 3)});
      else
        entries.push_back(
            {cursor, ~(size - 1), uniform(rng, 0, routes - 1), {0}});
      cursor += size;
    }
    const std::vector<RouteEntry> original = entries;
    compressTable(entries, passing);
    EXPECT_LE(entries.size(), original.size());
    auto lookup = [&](uint32_t key) -> const RouteEntry * {
      for (const RouteEntry &e : entries)
        if ((key & e.mask) == e.key)
          return &e;
      return nullptr;
    };
    for (const RouteEntry &o : original)
      for (uint32_t j = 0; j <= ~o.mask; ++j) {
        const RouteEntry *e = lookup(o.key | j);
        ASSERT_NE(e, nullptr);
        ASSERT_EQ(e->links, o.links) << std::hex << (o.key | j);
      }
    for (const KeyBlock &b : passing)
      for (uint32_t j = 0; j <= ~b.mask; ++j) {
        const RouteEntry *e = lookup(b.key | j);
        if (e) {
          ASSERT_NE(b.links, 0u) << std::hex << (b.key | j);
          ASSERT_EQ(e->links, b.links) << std::hex << (b.key | j);
          ASSERT_TRUE(e->cores.empty());
        }
      }
  }
}

TEST(Compress, OrderedCoveringUsesOrder) {
  // Four blocks, three with route 1 and one (0x200) with route 2: one
  // route-1 entry covers them all, placed after the route-2 entry, which
  // keeps its keys (key space no packet uses is free to cover).
  std::vector<RouteEntry> entries = {{0x000, 0xffffff00, 1, {}},
                                     {0x100, 0xffffff00, 1, {}},
                                     {0x200, 0xffffff00, 2, {}},
                                     {0x300, 0xffffff00, 1, {}}};
  compressTable(entries, {});
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0].key, 0x200u);
  EXPECT_EQ(entries[0].mask, 0xffffff00u);
  EXPECT_EQ(entries[0].links, 2u);
  EXPECT_EQ(entries[1].links, 1u);
  EXPECT_EQ(0x300u & entries[1].mask, entries[1].key);
  EXPECT_EQ(0x000u & entries[1].mask, entries[1].key);

  // A block passing by default routing inside the range, which must match
  // nothing, forbids that cover: two entries again, neither matching it.
  entries = {{0x000, 0xffffff00, 1, {}},
             {0x100, 0xffffff00, 1, {}},
             {0x300, 0xffffff00, 1, {}}};
  compressTable(entries, {{0x200, 0xffffff00, 0}});
  ASSERT_EQ(entries.size(), 2u);
  for (const RouteEntry &e : entries)
    EXPECT_NE(0x200u & e.mask, e.key) << std::hex << e.key;

  // A passing block that goes straight on over link 0 may be matched by
  // an entry doing the same (links 1 = link 0, no core): with route 1 being
  // exactly that, one entry serves all four blocks.
  entries = {{0x000, 0xffffff00, 1, {}},
             {0x100, 0xffffff00, 1, {}},
             {0x300, 0xffffff00, 1, {}}};
  compressTable(entries, {{0x200, 0xffffff00, 1}});
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].links, 1u);
}

TEST(Compress, NonPrefixMergeByOrderedCovering) {
  // Blocks 0x000 and 0x400 (route 1) differ in bit 10 only; 0x200 has
  // route 2 and 0x100, 0x500 pass by default routing and must match no
  // entry. Every prefix over both route-1 blocks covers 0x100, so prefix
  // aggregation leaves three entries; ordered covering merges the pair into
  // key 0, mask 0xfffffb00 (bit 10 free), which covers neither 0x100 nor
  // 0x500.
  std::vector<RouteEntry> entries = {{0x000, 0xffffff00, 1, {}},
                                     {0x400, 0xffffff00, 1, {}},
                                     {0x200, 0xffffff00, 2, {}}};
  std::vector<KeyBlock> passing = {{0x100, 0xffffff00, 0},
                                   {0x500, 0xffffff00, 0}};
  compressTable(entries, passing);
  ASSERT_EQ(entries.size(), 2u);
  bool found = false;
  for (const RouteEntry &e : entries)
    if (e.links == 1) {
      found = true;
      EXPECT_EQ(e.mask, 0xfffffb00u);
      EXPECT_EQ(e.key, 0u);
    }
  EXPECT_TRUE(found);
}

// --- Design-rule check
// ---------------------------------------------------------

TEST(Check, ReportsEveryViolationAtOnce) {
  MapGraph g;
  g.populations = {{"exc", "LIF", 12, true, 0.05},
                   {"izh", "Izhikevich", 1, true, 0.05}};
  MapProjection ring; // exc i -> exc i+1: fan-in 4 per core of 4
  ring.name = "exc->exc";
  ring.source = ring.target = 0;
  for (uint32_t i = 0; i < 12; ++i) {
    ring.rowStart.push_back(i);
    ring.targets.push_back((i + 1) % 12);
  }
  ring.rowStart.push_back(12);
  ring.maxDelay = 9;
  ring.weightBits = 12;
  MapProjection hub; // all of exc -> izh[0]: fan-in 12
  hub.name = "exc->izh";
  hub.source = 0;
  hub.target = 1;
  for (uint32_t i = 0; i < 12; ++i) {
    hub.rowStart.push_back(i);
    hub.targets.push_back(0);
  }
  hub.rowStart.push_back(12);
  hub.weightBits = 8;
  g.projections = {ring, hub};

  target::Target t = baseTarget();
  t.name = "tiny";
  t.neuronsPerCore = 4;
  t.coresPerChip = 2;
  t.meshWidth = t.meshHeight = 1;
  t.synapseWordsPerCore = 100;
  t.fanInPerCore = 5;
  t.weightBits = 8;
  t.delaySlots = 4;
  t.neuronKinds = {"LIF", "IF"};

  Mapping m;
  const std::vector<Violation> pv = partition(g, t, m);
  ASSERT_EQ(pv.size(), 1u);
  EXPECT_EQ(pv[0].message(),
            "population 'izh' neuron 0: fan_in_per_core 5 exceeded: 12 (it "
            "alone has that many distinct source neurons; it gets core 3 on "
            "its own)");
  const std::vector<Violation> lv = place(g, t, m);
  ASSERT_EQ(lv.size(), 1u);
  EXPECT_EQ(lv[0].limit, "cores_per_chip");
  EXPECT_EQ(lv[0].allowed, 2u);
  EXPECT_EQ(lv[0].actual, 4u);
  route(g, t, m);

  const std::vector<Violation> vs = check(g, t, m);
  std::vector<std::string> got;
  for (const Violation &v : vs)
    got.push_back(v.message());
  const std::vector<std::string> want = {
      "population 'izh': neuron_kinds: kind 'Izhikevich' is not implemented "
      "by target 'tiny' (it has LIF, IF)",
      "projection 'exc->exc': weight_bits 8 exceeded: 12 (its quantized "
      "weights need that many bits)",
      "projection 'exc->exc': delay_slots 4 exceeded: 9 (its longest delay, "
      "in steps, is over what a core can hold)",
      "core 3 (izh[0:1]): fan_in_per_core 5 exceeded: 12 (distinct source "
      "neurons)",
      "network: cores_per_chip 2 exceeded: 4 (1 chips x 2 cores hold fewer "
      "cores than the network needs)"};
  EXPECT_EQ(got, want);
  ASSERT_EQ(vs.size(), 5u);
  EXPECT_EQ(vs[3].node, "core 3 (izh[0:1])");
  EXPECT_EQ(vs[3].allowed, 5u);
  EXPECT_EQ(vs[3].actual, 12u);
  // Stable: the same lines again.
  EXPECT_EQ(check(g, t, m).size(), vs.size());
}

TEST(Check, FanOutAndRoutingEntries) {
  // One source core reaching 6 cores, which all answer it: against a
  // fan-out of 4 and one routing entry per router.
  MapGraph g;
  g.populations = {{"src", "LIF", 2, true, 0.1}, {"dst", "LIF", 12, true, 0.1}};
  MapProjection p;
  p.name = "src->dst";
  p.source = 0;
  p.target = 1;
  p.rowStart = {0, 6, 12};
  for (uint32_t i = 0; i < 12; ++i)
    p.targets.push_back(i);
  g.projections.push_back(p);
  MapProjection back;
  back.name = "dst->src";
  back.source = 1;
  back.target = 0;
  for (uint32_t i = 0; i < 12; ++i) {
    back.rowStart.push_back(i);
    back.targets.push_back(0);
  }
  back.rowStart.push_back(12);
  g.projections.push_back(back);
  target::Target t = baseTarget();
  t.neuronsPerCore = 2;
  t.coresPerChip = 2;
  t.meshWidth = 4;
  t.meshHeight = 1;
  t.synapseWordsPerCore = 100;
  t.fanInPerCore = 100;
  t.fanOutPerCore = 4;
  t.routingEntriesPerRouter = 1;
  Mapping m;
  partition(g, t, m);
  place(g, t, m);
  route(g, t, m);
  const std::vector<Violation> vs = check(g, t, m);
  ASSERT_FALSE(vs.empty());
  EXPECT_EQ(vs[0].node, "core 0 (src[0:2])");
  EXPECT_EQ(vs[0].limit, "fan_out_per_core");
  EXPECT_EQ(vs[0].allowed, 4u);
  EXPECT_EQ(vs[0].actual, 6u);
  size_t routers = 0;
  for (size_t i = 1; i < vs.size(); ++i) {
    ASSERT_EQ(vs[i].limit, "routing_entries_per_router");
    bool found = false;
    for (const Router &r : m.routers)
      if (vs[i].node == "router (" + std::to_string(r.chip) + ",0)") {
        EXPECT_EQ(vs[i].actual, r.entries.size());
        found = true;
      }
    EXPECT_TRUE(found) << vs[i].node;
    ++routers;
  }
  size_t over = 0;
  for (const Router &r : m.routers)
    over += r.entries.size() > 1;
  EXPECT_GE(over, 1u);
  EXPECT_EQ(routers, over);
}

// --- Placement ---------------------------------------------------------------

/// Traffic x hops over every synapse.
double placementCost(const MapGraph &g, const target::Target &t,
                     const Mapping &m) {
  double cost = 0;
  for (const MapProjection &p : g.projections)
    for (uint32_t i = 0; i + 1 < p.rowStart.size(); ++i) {
      const Core &s = m.cores[m.coreOf[p.source][i]];
      for (uint64_t k = p.rowStart[i]; k < p.rowStart[i + 1]; ++k) {
        const Core &d = m.cores[m.coreOf[p.target][p.targets[k]]];
        const int dx = int(s.chip % t.meshWidth) - int(d.chip % t.meshWidth);
        const int dy = int(s.chip / t.meshWidth) - int(d.chip / t.meshWidth);
        cost +=
            g.populations[p.source].activity * (std::abs(dx) + std::abs(dy));
      }
    }
  return cost;
}

TEST(Place, ClusteredNetworkBeatsRandomAssignment) {
  // 8 clusters of 4 cores' worth of neurons: dense inside a cluster, a
  // little traffic to the next cluster.
  Rng rng(42);
  MapGraph g;
  for (int c = 0; c < 8; ++c)
    g.populations.push_back({"c" + std::to_string(c), "LIF", 64, true, 0.05});
  for (uint32_t c = 0; c < 8; ++c) {
    g.projections.push_back(randomProjection(rng, g, c, c, 20));
    g.projections.push_back(randomProjection(rng, g, c, (c + 5) % 8, 2));
  }
  target::Target t = baseTarget();
  t.neuronsPerCore = 16;
  t.synapseWordsPerCore = 10000;
  t.fanInPerCore = 10000;
  t.coresPerChip = 2;
  t.meshWidth = t.meshHeight = 4;
  Mapping m;
  partition(g, t, m);
  ASSERT_EQ(m.cores.size(), 32u);
  ASSERT_TRUE(place(g, t, m).empty());
  const double placed = placementCost(g, t, m);

  double randomMean = 0;
  const int trials = 20;
  for (int trial = 0; trial < trials; ++trial) {
    Mapping r = m;
    std::vector<uint32_t> slots(t.cores());
    std::iota(slots.begin(), slots.end(), 0);
    std::shuffle(slots.begin(), slots.end(), rng);
    for (uint32_t c = 0; c < r.cores.size(); ++c) {
      r.cores[c].chip = slots[c] / t.coresPerChip;
      r.cores[c].index = slots[c] % t.coresPerChip;
    }
    randomMean += placementCost(g, t, r) / trials;
  }
  std::printf("traffic x hops: placed %.1f, random assignment %.1f\n", placed,
              randomMean);
  EXPECT_LT(placed, 0.5 * randomMean);
  // Each position holds at most one core.
  std::set<std::pair<uint32_t, uint32_t>> used;
  for (const Core &c : m.cores) {
    EXPECT_LT(c.chip, t.chips());
    EXPECT_LT(c.index, t.coresPerChip);
    EXPECT_TRUE(used.insert({c.chip, c.index}).second);
  }
}

TEST(Place, LocalImprovementPullsStrayCoreHome) {
  // a and c talk only to each other; b (silent) sits between them in the
  // order, so the serpentine fill puts a on chip 0 and c on chip 4 of a
  // row of five. The improvement moves a next to c (swapping it with a
  // core of b) and the cost drops to zero.
  Rng rng(3);
  MapGraph g;
  g.populations = {{"a", "LIF", 8, true, 0.1},
                   {"b", "LIF", 64, true, 0.1},
                   {"c", "LIF", 8, true, 0.1}};
  g.projections.push_back(randomProjection(rng, g, 0, 2, 8));
  g.projections.push_back(randomProjection(rng, g, 2, 0, 8));
  target::Target t = baseTarget();
  t.neuronsPerCore = 8;
  t.synapseWordsPerCore = 1000;
  t.fanInPerCore = 1000;
  t.coresPerChip = 2;
  t.meshWidth = 5;
  t.meshHeight = 1;
  Mapping m;
  partition(g, t, m);
  ASSERT_EQ(m.cores.size(), 10u);
  Mapping serp = m;
  for (uint32_t c = 0; c < serp.cores.size(); ++c) {
    serp.cores[c].chip = c / 2;
    serp.cores[c].index = c % 2;
  }
  const double before = placementCost(g, t, serp);
  place(g, t, m);
  const double after = placementCost(g, t, m);
  std::printf("traffic x hops: serpentine %.1f, improved %.1f\n", before,
              after);
  EXPECT_GT(before, 0.0);
  EXPECT_EQ(m.cores[0].chip, m.cores[9].chip);
  EXPECT_DOUBLE_EQ(after, 0.0);
}

TEST(Place, OverCapacityIsReportedAndWraps) {
  MapGraph g;
  g.populations = {{"a", "LIF", 40, true, 0.1}};
  target::Target t = baseTarget();
  t.neuronsPerCore = 4;
  t.coresPerChip = 2;
  t.meshWidth = 2;
  t.meshHeight = 2;
  t.synapseWordsPerCore = 10;
  t.fanInPerCore = 10;
  Mapping m;
  partition(g, t, m);
  ASSERT_EQ(m.cores.size(), 10u);
  const std::vector<Violation> vs = place(g, t, m);
  ASSERT_EQ(vs.size(), 1u);
  EXPECT_EQ(vs[0].allowed, 8u);
  EXPECT_EQ(vs[0].actual, 10u);
  EXPECT_EQ(m.cores[8].chip, m.cores[0].chip);
  EXPECT_EQ(m.cores[8].index, m.cores[0].index);
  route(g, t, m); // still runs
  EXPECT_EQ(m.routers.size(), 4u);
}

// --- Estimate
// ------------------------------------------------------------------

TEST(Estimate, CountsAndEnergy) {
  MapGraph g;
  g.populations = {{"a", "LIF", 4, true, 0.5}, {"b", "LIF", 4, true, 0.25}};
  MapProjection p;
  p.name = "a->b";
  p.source = 0;
  p.target = 1;
  p.rowStart = {0, 1, 2, 3, 4};
  p.targets = {0, 1, 2, 3};
  g.projections.push_back(p);
  target::Target t = baseTarget();
  t.neuronsPerCore = 4;
  t.synapseWordsPerCore = 100;
  t.fanInPerCore = 100;
  t.meshWidth = 3;
  t.meshHeight = 1;
  t.energy = {2.0, 1.0, 10.0, 5.0};
  Mapping m;
  partition(g, t, m);
  place(g, t, m);
  m.cores[0].chip = 0;
  m.cores[1].chip = 2;
  route(g, t, m);
  ASSERT_EQ(m.cores[0].treeRouters, 3u);
  const Estimate e = estimate(g, t, m, 1e-3);
  EXPECT_DOUBLE_EQ(e.synapticOps, 2.0);    // 0.5 x 4 synapses
  EXPECT_DOUBLE_EQ(e.neuronUpdates, 8.0);  // all neurons
  EXPECT_DOUBLE_EQ(e.routedHops, 2.0 * 3); // 2 spikes x 3 routers
  // 2 chips used x 5 mW x 1 ms = 1e-5 J = 1e7 pJ.
  EXPECT_DOUBLE_EQ(e.energyPj, 2 * 2.0 + 8 * 1.0 + 6 * 10.0 + 1e7);
}

} // namespace
} // namespace snnc::mapping
