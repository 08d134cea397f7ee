//===- CudaPlanTest.cpp - The CUDA backend's host decisions, no GPU needed ===//
//
// Runs on every machine (no gpu label). Two things the device relies on
// are checked on the host:
//
//  - the rows the propagate kernel regenerates for a Procedural projection
//    kept on the device: ref::forEachSynapse, ref::sampleValue and
//    ref::delayToSteps (runtime/reference/ProceduralRow.h, the very
//    functions the kernel calls), walked the way the kernel walks them
//    (one lane per row, or an AllToAll row split among 32 lanes; the
//    AllToAll, OneToOne, FixedProbability and FixedOutDegree rules), give
//    exactly the synapses procedural::expand gives: targets, float weights
//    and delays in steps, row by row;
//  - planCuda's choices: the propagation strategy of each projection (the
//    thread-per-row rule and its thresholds), which Procedural projections
//    stay on the device, the delay bounds that size their rings, and the
//    device bytes.
//
//===----------------------------------------------------------------------===//
#include "CpuEngineNets.h"
#include "CudaEngine.h"
#include "Model.h"
#include "ProceduralLoadNets.h"
#include "ProceduralRow.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <map>

namespace {

using namespace snnc;
using procedural::ConnectSpec;
using procedural::Rule;
using Kind = procedural::Distribution::Kind;

/// The kernel's description of a regenerable spec (CudaEngine.cpp,
/// buildProjections).
ref::RowRule rowRule(const ConnectSpec &s) {
  ref::RowRule r;
  r.kind = s.rule == Rule::OneToOne           ? ref::RowRule::OneToOne
           : s.rule == Rule::FixedProbability ? ref::RowRule::FixedProbability
           : s.rule == Rule::FixedOutDegree   ? ref::RowRule::FixedOutDegree
                                              : ref::RowRule::AllToAll;
  r.n = uint32_t(s.n);
  r.multapses = s.allowMultapses;
  const bool exclude = s.samePopulation && !s.allowAutapses;
  r.candidates = s.nPost - (exclude ? 1 : 0);
  r.exclude = exclude;
  r.p = s.p;
  r.key = ref::philoxKey(s.seed);
  return r;
}

struct Synapse {
  uint32_t target;
  float weight;
  uint16_t delay;
  bool operator==(const Synapse &o) const {
    return target == o.target && std::memcmp(&weight, &o.weight, 4) == 0 &&
           delay == o.delay;
  }
};

/// Row `row` as the kernel delivers it: `lanes` lanes (1, or 32 for an
/// AllToAll row split among a warp), each visiting positions lane,
/// lane + lanes, ...; collected back in position order.
std::vector<Synapse> regenerated(const ConnectSpec &s, uint32_t row,
                                 uint32_t lanes) {
  const ref::RowRule r = rowRule(s);
  const ref::ValueDistribution w = procedural::plainDistribution(s.weight),
                               d = procedural::plainDistribution(s.delay);
  std::vector<std::pair<uint32_t, Synapse>> seen;
  for (uint32_t lane = 0; lane < lanes; ++lane)
    ref::forEachSynapse(r, row, lane, lanes, [&](uint32_t q, uint32_t t) {
      Synapse syn;
      syn.target = t;
      syn.weight = s.weight.kind == Kind::Constant
                       ? float(s.weight.a)
                       : float(ref::sampleValue(
                             w, r.key, ref::kStreamProceduralWeight, row, q));
      syn.delay = ref::delayToSteps(
          s.delay.kind == Kind::Constant
              ? s.delay.a
              : ref::sampleValue(d, r.key, ref::kStreamProceduralDelay, row, q),
          s.dt);
      seen.push_back({q, syn});
    });
  std::sort(seen.begin(), seen.end(),
            [](const auto &a, const auto &b) { return a.first < b.first; });
  std::vector<Synapse> out;
  for (const auto &[q, syn] : seen)
    out.push_back(syn);
  return out;
}

std::vector<Synapse> expandedRow(const procedural::Synapses &syn,
                                 uint32_t row) {
  std::vector<Synapse> out;
  for (uint32_t e = syn.rowStart[row]; e < syn.rowStart[row + 1]; ++e)
    out.push_back({syn.targets[e], syn.weights[syn.weights.size() == 1 ? 0 : e],
                   syn.delaySteps[syn.delaySteps.size() == 1 ? 0 : e]});
  return out;
}

ConnectSpec spec(Rule rule, uint32_t nPre, uint32_t nPost, uint64_t seed) {
  ConnectSpec s;
  s.rule = rule;
  s.nPre = nPre;
  s.nPost = nPost;
  s.seed = seed;
  s.dt = 1e-4;
  return s;
}

TEST(CudaProceduralRows, RegeneratedRowsEqualTheHostExpansion) {
  std::vector<ConnectSpec> specs;
  const procedural::Distribution weights[] = {
      {Kind::Constant, 0.25},
      {Kind::Normal, 0.1, 0.05, -0.05, 0.3},
      {Kind::Lognormal, std::log(0.3), 0.4},
      {Kind::Uniform, -0.5, 0.5}};
  const procedural::Distribution delays[] = {
      {Kind::Constant, 1e-3},
      {Kind::Uniform, 0.0, 2e-3},
      {Kind::Normal, 1.5e-3, 5e-4, 0.0, 3e-3}};
  uint64_t seed = 7;
  for (const auto &w : weights)
    for (const auto &d : delays) {
      for (double p : {0.0, 1e-6, 0.02, 0.3, 1.0}) {
        ConnectSpec s = spec(Rule::FixedProbability, 120, 333, ++seed);
        s.p = p;
        s.weight = w;
        s.delay = d;
        specs.push_back(s);
      }
      ConnectSpec all = spec(Rule::AllToAll, 40, 77, ++seed);
      all.weight = w;
      all.delay = d;
      specs.push_back(all);
      ConnectSpec one = spec(Rule::OneToOne, 90, 90, ++seed);
      one.weight = w;
      one.delay = d;
      specs.push_back(one);
      // FixedOutDegree up to the regenerable degree, with and without
      // multapses (Floyd's sampling), nearly all candidates once.
      for (uint64_t n : {1u, 7u, 64u})
        for (bool multapses : {true, false}) {
          ConnectSpec out =
              spec(Rule::FixedOutDegree, 70, n == 64 ? 66 : 500, ++seed);
          out.n = n;
          out.allowMultapses = multapses;
          out.weight = w;
          out.delay = d;
          specs.push_back(out);
        }
      // Within one population, without autapses.
      for (Rule rule :
           {Rule::AllToAll, Rule::FixedProbability, Rule::FixedOutDegree}) {
        ConnectSpec self = spec(rule, 100, 100, ++seed);
        self.samePopulation = true;
        self.allowAutapses = false;
        self.p = 0.2;
        self.n = 30;
        self.allowMultapses = false;
        self.weight = w;
        self.delay = d;
        specs.push_back(self);
      }
    }
  uint64_t synapses = 0;
  for (const ConnectSpec &s : specs) {
    auto expanded = procedural::expand(s, 3, uint64_t(1) << 30);
    ASSERT_TRUE(expanded.isOk()) << expanded.status().message();
    for (uint32_t row = 0; row < s.nPre; ++row) {
      const std::vector<Synapse> want = expandedRow(*expanded, row);
      EXPECT_TRUE(regenerated(s, row, 1) == want)
          << "rule " << int(s.rule) << " seed " << s.seed << " row " << row;
      if (s.rule == Rule::AllToAll) {
        EXPECT_TRUE(regenerated(s, row, 32) == want)
            << "warp-split AllToAll, seed " << s.seed << " row " << row;
      }
      synapses += want.size();
    }
  }
  std::printf("  %zu specs, %llu synapses regenerated row by row\n",
              specs.size(), (unsigned long long)synapses);
  EXPECT_GT(synapses, 100000u);
}

// The host model of a Procedural projection kept on the device: every
// delay the expansion draws lies within the bounds that size the ring.
TEST(CudaProceduralRows, DelayBoundsHoldEveryDrawnDelay) {
  const procedural::Distribution delays[] = {
      {Kind::Uniform, 0.0, 2e-3},
      {Kind::Uniform, 1.05e-4, 1.15e-4}, // every draw near a .5 boundary
      {Kind::Normal, 1.5e-3, 5e-4, 0.0, 3e-3},
      {Kind::Normal, 1e-3, 1e-2, 2.5e-4, 3.5e-4}};
  for (const auto &d : delays) {
    ConnectSpec s = spec(Rule::AllToAll, 50, 200, 3);
    s.delay = d;
    s.weight = {Kind::Constant, 1.0};
    ASSERT_TRUE(model::regenerable(s));
    const auto [lo, hi] = model::delayBounds(s);
    auto expanded = procedural::expand(s, 2, uint64_t(1) << 30);
    ASSERT_TRUE(expanded.isOk());
    for (uint16_t x : expanded->delaySteps) {
      EXPECT_GE(x, lo);
      EXPECT_LE(x, hi);
    }
  }
  ConnectSpec ln = spec(Rule::AllToAll, 5, 5, 1);
  ln.delay = {Kind::Lognormal, -7.0, 0.3};
  EXPECT_FALSE(model::regenerable(ln)); // unbounded: expanded
  ConnectSpec open = spec(Rule::FixedProbability, 5, 5, 1);
  open.delay = {Kind::Normal, 1e-3, 1e-4};
  EXPECT_FALSE(model::regenerable(open));
  for (Rule r : {Rule::FixedInDegree, Rule::FixedTotalNumber}) {
    ConnectSpec other = spec(r, 5, 5, 1);
    EXPECT_FALSE(model::regenerable(other)) << int(r);
  }
  ConnectSpec out = spec(Rule::FixedOutDegree, 5, 500, 1);
  out.n = 64;
  EXPECT_TRUE(model::regenerable(out));
  out.n = 65; // past the row a lane sorts in its local array
  EXPECT_FALSE(model::regenerable(out));
}

TEST(CudaPlan, ThreadPerRowForShortSparseRows) {
  using cuda::Propagation;
  EXPECT_EQ(cuda::sparsePropagation({1000, 7999, 20}),
            Propagation::ThreadPerRow);
  EXPECT_EQ(cuda::sparsePropagation({1000, 8000, 20}),
            Propagation::WarpPerRow); // mean 8: not short
  EXPECT_EQ(cuda::sparsePropagation({1000, 2000, 65}),
            Propagation::WarpPerRow); // one long row holds up a warp
  EXPECT_EQ(cuda::sparsePropagation({1000, 2000, 64}),
            Propagation::ThreadPerRow);
  EXPECT_EQ(cuda::sparsePropagation({0, 0, 0}), Propagation::WarpPerRow);

  // A network with a dense, a short-row sparse and a long-row sparse
  // projection.
  cputest::NetDef net;
  const uint32_t a = net.add(cputest::pop(snnb::NeuronKind::Source, 64));
  const uint32_t b = net.add(cputest::pop(snnb::NeuronKind::LIF, 64));
  net.connect(cputest::dense(a, b, std::vector<float>(64 * 64, 0.01f)));
  cputest::ProjDef shortRows;
  shortRows.source = a;
  shortRows.target = b;
  shortRows.type = snnb::Connectivity::Sparse;
  cputest::ProjDef longRows = shortRows;
  for (uint32_t j = 0; j <= 64; ++j) {
    shortRows.rowStart.push_back(2 * j);
    longRows.rowStart.push_back(40 * j);
  }
  for (uint32_t j = 0; j < 64; ++j) {
    for (uint32_t t = 0; t < 2; ++t)
      shortRows.targets.push_back((j + 7 * t) % 64);
    for (uint32_t t = 0; t < 40; ++t)
      longRows.targets.push_back(t);
  }
  shortRows.weights = {0.5f};
  longRows.weights = {0.5f};
  net.connect(shortRows);
  net.connect(longRows);
  auto program = cputest::build(net);
  auto plan = cuda::planCuda(*program, {}, uint64_t(1) << 34);
  ASSERT_TRUE(plan.isOk()) << plan.status().message();
  ASSERT_EQ(plan->projections.size(), 3u);
  EXPECT_EQ(plan->projections[0].propagation, Propagation::PerTarget);
  EXPECT_EQ(plan->projections[1].propagation, Propagation::ThreadPerRow);
  EXPECT_EQ(plan->projections[1].rows.synapses, 128u);
  EXPECT_EQ(plan->projections[1].rows.longest, 2u);
  EXPECT_EQ(plan->projections[2].propagation, Propagation::WarpPerRow);
  EXPECT_STREQ(cuda::propagationName(plan->projections[1].propagation),
               "thread-per-row");
  EXPECT_EQ(cuda::describePlans(plan->projections),
            "per-target 1, warp-per-row 1, thread-per-row 1");
}

// The conformance suite's random networks (CudaConformance.
// RandomNetworksEveryKindAndConnectivity) must exercise both sparse
// strategies on a GPU.
TEST(CudaPlan, RandomNetworksUseEveryStrategy) {
  using cuda::Propagation;
  std::map<Propagation, int> seen;
  for (snnb::NumericMode mode :
       {snnb::NumericMode::Fixed, snnb::NumericMode::Float})
    for (uint32_t seed = 1; seed <= 6; ++seed) {
      auto program =
          cputest::build(cputest::randomNet(mode, 1 + seed % 3, seed));
      auto plan = cuda::planCuda(*program, {}, uint64_t(1) << 34);
      ASSERT_TRUE(plan.isOk()) << plan.status().message();
      for (const cuda::ProjectionPlan &p : plan->projections)
        ++seen[p.propagation];
    }
  for (const auto &[p, n] : seen)
    std::printf("  %-16s %d projections\n", cuda::propagationName(p), n);
  EXPECT_GT(seen[Propagation::PerTarget], 0);
  EXPECT_GT(seen[Propagation::ThreadPerRow], 0);
  EXPECT_GT(seen[Propagation::WarpPerRow], 0);
  EXPECT_GT(seen[Propagation::Window], 0);
}

TEST(CudaPlan, ProceduralProjectionsStayOnTheDeviceWhenAsked) {
  using cuda::Propagation;
  auto program = pltest::load(pltest::mixedNet(3), false);
  ASSERT_TRUE(program.isOk()) << program.status().message();
  const uint64_t free = uint64_t(1) << 34;
  cuda::CudaOptions host, device, automatic;
  host.procedural = cuda::ProceduralPlacement::Host;
  device.procedural = cuda::ProceduralPlacement::Device;
  auto h = cuda::planCuda(**program, host, free);
  auto d = cuda::planCuda(**program, device, free);
  auto a = cuda::planCuda(**program, automatic, free);
  ASSERT_TRUE(h.isOk() && d.isOk() && a.isOk());
  // mixedNet: FixedProbability, FixedInDegree, FixedTotalNumber,
  // FixedOutDegree (10 per source), AllToAll (300 x 299), OneToOne.
  const bool onDevice[] = {true, false, false, true, true, true};
  ASSERT_EQ(d->projections.size(), 6u);
  for (size_t i = 0; i < 6; ++i) {
    EXPECT_EQ(d->projections[i].procedural, onDevice[i]) << i;
    EXPECT_FALSE(h->projections[i].procedural) << i;
    EXPECT_FALSE(a->projections[i].procedural) << i; // small: expanded
  }
  EXPECT_EQ(d->projections[0].propagation, Propagation::ProceduralThread);
  EXPECT_EQ(d->projections[3].propagation, Propagation::ProceduralThread);
  EXPECT_EQ(d->projections[3].rows.synapses, 2500u);
  EXPECT_EQ(d->projections[4].propagation, Propagation::ProceduralWarp);
  EXPECT_EQ(d->projections[5].propagation, Propagation::ProceduralThread);
  EXPECT_EQ(d->projections[4].rows.synapses, 300u * 299u);
  EXPECT_EQ(cuda::describePlans(d->projections),
            "warp-per-row 2, procedural-warp 1, procedural-thread 3 (4 rules "
            "on the device)");
  // The device holds no synapse arrays for them: at least the AllToAll's
  // 89,700 targets and weights fewer bytes.
  EXPECT_LT(d->deviceBytes + 89700u * 6u, h->deviceBytes);
  std::printf("  device bytes: %llu expanded, %llu with rules on the device\n",
              (unsigned long long)h->deviceBytes,
              (unsigned long long)d->deviceBytes);

  // Auto keeps a projection on the device when its expansion exceeds the
  // threshold: the AllToAll's 89,700 synapses (about 700 kB), not the
  // FixedProbability's (about 12,000 synapses).
  cuda::CudaOptions tight;
  tight.proceduralBytes = 200000;
  auto t = cuda::planCuda(**program, tight, free);
  ASSERT_TRUE(t.isOk());
  EXPECT_FALSE(t->projections[0].procedural);
  EXPECT_TRUE(t->projections[4].procedural);
  EXPECT_FALSE(t->projections[5].procedural);
}

} // namespace
