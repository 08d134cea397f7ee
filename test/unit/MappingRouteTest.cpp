//===- MappingRouteTest.cpp - keys, multicast trees, table compression ----===//
//
// A packet-level simulator of the routing tables, run on random networks
// before and after compression (also with 128 cores a chip), key
// allocation, default routing, and ordered covering on hand-made tables.
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
  MapGraph g = oneToOne(0.1, 0.1);
  target::Target t = smallTarget(4);
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

} // namespace
} // namespace snnc::mapping
