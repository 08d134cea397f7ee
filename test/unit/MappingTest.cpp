//===- MappingTest.cpp - partition, check, place, estimate ----------------===//
//
// Partition properties on random networks and random limits (many seeds),
// the design-rule check on a network built to break several rules at once,
// placement cost against random assignments on a clustered network, and
// the estimates. Routing and compression: MappingRouteTest.cpp.
//
//===----------------------------------------------------------------------===//
#include "MappingTestSupport.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <numeric>
#include <random>
#include <set>

namespace snnc::mapping {
namespace {

using namespace maptest;

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
  MapGraph g = oneToOne(0.5, 0.25);
  target::Target t = smallTarget(3);
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
