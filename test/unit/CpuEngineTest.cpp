//===- CpuEngineTest.cpp - The CPU engine's float semantics --------------===//
//
// The driver, and float mode worked out by hand: spike steps, resets,
// comparisons, CUBA order, delivery within and across steps, delays, and
// every connectivity kind against its expanded matrix. Networks come from
// CpuEngineNets.h.
//
//===----------------------------------------------------------------------===//
#include "CpuDriver.h"
#include "CpuEngineNets.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <random>

namespace {

using namespace snnc::cputest;

// --- Driver ------------------------------------------------------------------

TEST(CpuDriver, IsAlwaysAvailableAndRejectsNegativeThreads) {
  auto driver = snnc::makeCpuDriver();
  EXPECT_EQ(driver->name(), "cpu");
  EXPECT_TRUE(driver->available().isOk());
  NetDef net;
  net.add(pop(NeuronKind::LIF, 1));
  auto program = build(net);
  auto bad = driver->instantiate(*program, snnc::DeviceOptions{-1});
  ASSERT_FALSE(bad.isOk());
  EXPECT_EQ(bad.status().code(), snnc::StatusCode::kInvalidArgument);
}

TEST(CpuDriver, EnginesOutliveTheirProgram) {
  // Sessions may drop the Program; the engine keeps what it needs.
  NetDef net = randomNet(sb::NumericMode::Float, 2, 8);
  auto program = build(net);
  auto e = instantiate(*program, 2);
  program.reset();
  std::mt19937 rng(1);
  for (int t = 0; t < 20; ++t) {
    std::vector<float> x = randomInput(rng, net.pops[0].size());
    e->setSource(0, x.data());
    e->step();
  }
  EXPECT_EQ(e->stats().steps, 20);
  EXPECT_GT(e->stats().synapticEvents, 0);
}

// --- Float semantics, worked out by hand -----------------------------------
// Every value below is a dyadic fraction, so float arithmetic is exact and
// the expected steps are the analytic ones.

/// Source(1) -> Dense(1) -> the population under test, with input 1 every
/// step: a constant current of `weight`.
struct Driven {
  NetDef net;
  uint32_t target = 0;
  explicit Driven(PopDef p, float weight = 1.0f) {
    net.add(pop(NeuronKind::Source, 1));
    target = net.add(std::move(p));
    net.connect(dense(0, target, {weight}));
  }
  std::function<void(int)> constant(snnc::Engine &e) const {
    return [&e](int) {
      float one = 1.0f;
      e.setSource(0, &one);
    };
  }
};

TEST(CpuEngineFloat, LifWithConstantCurrentSpikesAtAnalyticSteps) {
  // v_t = 0.5 v_{t-1} + 1 = 2 (1 - 2^-(t+1)): 1, 1.5, 1.75, 1.875, 1.9375;
  // the first value above 1.9 is at t = 4, and each reset to 0 restarts
  // the same sequence, so the period is 5.
  Driven d(pop(NeuronKind::LIF, 1, {0.5f}, {1.9f}));
  auto program = build(d.net);
  auto e = instantiate(*program);
  std::vector<float> trace;
  auto drive = d.constant(*e);
  std::vector<int> steps;
  for (int t = 0; t < 20; ++t) {
    drive(t);
    e->step();
    if (e->spikes(1)[0])
      steps.push_back(t);
    trace.push_back(state(*e, 1, 0, 1));
  }
  EXPECT_EQ(steps, (std::vector<int>{4, 9, 14, 19}));
  EXPECT_EQ(std::vector<float>(trace.begin(), trace.begin() + 6),
            (std::vector<float>{1.0f, 1.5f, 1.75f, 1.875f, 0.0f, 1.0f}));
  EXPECT_EQ(e->stats().steps, 20);
  EXPECT_EQ(e->stats().spikes, 4);
  EXPECT_EQ(e->spikes(0), nullptr); // a Source does not spike
}

TEST(CpuEngineFloat, ResetToValueVersusSubtract) {
  // IF with 0.75 per step and threshold 1 (Greater).
  // ToReset to -0.5: .75, 1.5*, .25, 1.0, 1.75*, .25, ...: period 3.
  // Subtract: .75, 1.5*->.5, 1.25*->.25, 1.0, 1.75*->.75, 1.5*->.5, ...
  PopDef p = pop(NeuronKind::IF, 1, {}, {1.0f});
  p.vReset = {-0.5f};
  Driven d(p, 0.75f);
  auto toReset = instantiate(*build(d.net));
  EXPECT_EQ(spikeSteps(*toReset, 1, 0, 12, d.constant(*toReset)),
            (std::vector<int>{1, 4, 7, 10}));
  EXPECT_EQ(state(*toReset, 1, 0, 1), 0.25f);
  d.net.reset = sb::ResetMode::Subtract;
  auto subtract = instantiate(*build(d.net));
  EXPECT_EQ(spikeSteps(*subtract, 1, 0, 12, d.constant(*subtract)),
            (std::vector<int>{1, 2, 4, 5, 6, 8, 9, 10}));
  EXPECT_EQ(state(*subtract, 1, 0, 1), 1.0f);
}

TEST(CpuEngineFloat, GreaterVersusGreaterEqualAtExactEquality) {
  // IF with 0.25 per step reaches exactly 1.0 at t = 3.
  Driven d(pop(NeuronKind::IF, 1, {}, {1.0f}), 0.25f);
  auto greater = instantiate(*build(d.net));
  EXPECT_EQ(spikeSteps(*greater, 1, 0, 15, d.constant(*greater)),
            (std::vector<int>{4, 9, 14}));
  d.net.comparison = sb::Comparison::GreaterEqual;
  auto greaterEqual = instantiate(*build(d.net));
  EXPECT_EQ(spikeSteps(*greaterEqual, 1, 0, 15, d.constant(*greaterEqual)),
            (std::vector<int>{3, 7, 11}));
}

TEST(CpuEngineFloat, NextStepResetShowsTheUnresetMembraneForOneStep) {
  // Resetting at the end of step t or at the start of t + 1 gives the same
  // spikes; only the membrane read after the spiking step differs.
  Driven d(pop(NeuronKind::LIF, 1, {0.5f}, {1.0f}), 0.75f);
  auto same = instantiate(*build(d.net));
  d.net.timing = sb::ResetTiming::NextStep;
  auto next = instantiate(*build(d.net));
  auto driveSame = d.constant(*same), driveNext = d.constant(*next);
  // .75, 1.125* -> 0 (SameStep) or 1.125 until t + 1 (NextStep), .75, ...
  std::vector<float> vSame, vNext;
  for (int t = 0; t < 6; ++t) {
    driveSame(t);
    driveNext(t);
    same->step();
    next->step();
    EXPECT_EQ(same->spikes(1)[0], next->spikes(1)[0]) << "step " << t;
    EXPECT_EQ(same->spikes(1)[0], t % 2 == 1) << "step " << t;
    vSame.push_back(state(*same, 1, 0, 1));
    vNext.push_back(state(*next, 1, 0, 1));
  }
  EXPECT_EQ(vSame, (std::vector<float>{.75f, 0, .75f, 0, .75f, 0}));
  EXPECT_EQ(vNext,
            (std::vector<float>{.75f, 1.125f, .75f, 1.125f, .75f, 1.125f}));
}

TEST(CpuEngineFloat, CubaOrderChangesTheFirstSpikeStep) {
  // Input 1 each step, alpha 0.5, threshold 0.9. SynapseFirst: I = 1 and
  // v = 1 at t = 0. MembraneFirst: v integrates I of the previous step
  // (0) at t = 0 and reaches 1 only at t = 1.
  PopDef p = pop(NeuronKind::CubaLIF, 1, {1.0f}, {0.9f});
  p.alpha = {0.5f};
  Driven d(p);
  auto membrane = instantiate(*build(d.net));
  EXPECT_EQ(spikeSteps(*membrane, 1, 0, 2, d.constant(*membrane)),
            (std::vector<int>{1}));
  d.net.order = sb::CubaOrder::SynapseFirst;
  auto synapse = instantiate(*build(d.net));
  EXPECT_EQ(spikeSteps(*synapse, 1, 0, 2, d.constant(*synapse)),
            (std::vector<int>{0, 1}));
}

TEST(CpuEngineFloat, AChainDeliversWithinTheSameStep) {
  NetDef net;
  net.add(pop(NeuronKind::Source, 1));
  net.add(pop(NeuronKind::LIF, 1, {0.0f}, {1.0f}));
  net.add(pop(NeuronKind::LIF, 1, {0.0f}, {1.0f}));
  net.add(pop(NeuronKind::LI, 1, {0.0f}));
  net.connect(dense(0, 1, {2.0f}));
  net.connect(dense(1, 2, {1.5f}));
  net.connect(dense(2, 3, {0.25f}));
  auto e = instantiate(*build(net));
  float one = 1.0f, zero = 0.0f;
  e->setSource(0, &one);
  e->step();
  EXPECT_EQ(e->spikes(1)[0], 1);
  EXPECT_EQ(e->spikes(2)[0], 1);
  EXPECT_EQ(state(*e, 3, 0, 1), 0.25f);
  e->setSource(0, &zero);
  e->step();
  EXPECT_EQ(e->spikes(1)[0], 0);
  EXPECT_EQ(e->spikes(2)[0], 0);
  EXPECT_EQ(state(*e, 3, 0, 1), 0.0f);
}

TEST(CpuEngineFloat, RecurrentProjectionsDeliverOneStepLater) {
  // A single pulse at t = 0 starts a self-exciting loop whose period is
  // 1 + delay; a population that feeds an earlier one through a recurrent
  // edge reaches it one step later as well.
  for (uint32_t delay : {0u, 2u}) {
    NetDef net;
    net.add(pop(NeuronKind::Source, 1));
    net.add(pop(NeuronKind::LIF, 1, {0.0f}, {1.0f}));
    net.connect(dense(0, 1, {2.0f}));
    ProjDef self = dense(1, 1, {2.0f});
    self.recurrent = true;
    self.delays = {delay};
    net.connect(self);
    auto e = instantiate(*build(net));
    auto pulse = [&](int t) {
      float v = t == 0 ? 1.0f : 0.0f;
      e->setSource(0, &v);
    };
    std::vector<int> expected;
    for (int t = 0; t < 10; t += 1 + int(delay))
      expected.push_back(t);
    EXPECT_EQ(spikeSteps(*e, 1, 0, 10, pulse), expected) << "delay " << delay;
  }
  NetDef net;
  net.add(pop(NeuronKind::Source, 1));
  net.add(pop(NeuronKind::LI, 1, {0.0f}));
  net.add(pop(NeuronKind::LIF, 1, {0.0f}, {0.5f}));
  net.connect(dense(0, 1, {1.0f}));
  net.connect(dense(1, 2, {1.0f}));
  ProjDef back = dense(2, 1, {0.25f});
  back.recurrent = true;
  net.connect(back);
  auto e = instantiate(*build(net));
  float one = 1.0f, zero = 0.0f;
  e->setSource(0, &one);
  e->step(); // LI = 1, LIF spikes
  EXPECT_EQ(state(*e, 1, 0, 1), 1.0f);
  EXPECT_EQ(e->spikes(2)[0], 1);
  e->setSource(0, &zero);
  e->step(); // the spike of t = 0 arrives now
  EXPECT_EQ(state(*e, 1, 0, 1), 0.25f);
  EXPECT_EQ(e->spikes(2)[0], 0);
  e->step();
  EXPECT_EQ(state(*e, 1, 0, 1), 0.0f);
}

TEST(CpuEngineFloat, UniformAndPerSourceDelays) {
  // Pulses on all three sources at t = 0 and t = 7; the ring of the
  // per-source target is 6 deep, so the second pulse reuses its slots.
  NetDef net;
  net.add(pop(NeuronKind::Source, 3));
  net.add(pop(NeuronKind::LIF, 3, {0.0f}, {1.0f}));
  net.add(pop(NeuronKind::LIF, 3, {0.0f}, {1.0f}));
  std::vector<float> identity = {2, 0, 0, 0, 2, 0, 0, 0, 2};
  net.connect(dense(0, 1, identity)).delays = {0, 2, 5};
  net.connect(dense(0, 2, identity)).delays = {3};
  auto e = instantiate(*build(net));
  std::vector<std::vector<int>> perSource(3), uniform(3);
  for (int t = 0; t < 16; ++t) {
    std::vector<float> in(3, t == 0 || t == 7 ? 1.0f : 0.0f);
    e->setSource(0, in.data());
    e->step();
    for (uint32_t n = 0; n < 3; ++n) {
      if (e->spikes(1)[n])
        perSource[n].push_back(t);
      if (e->spikes(2)[n])
        uniform[n].push_back(t);
    }
  }
  EXPECT_EQ(perSource[0], (std::vector<int>{0, 7}));
  EXPECT_EQ(perSource[1], (std::vector<int>{2, 9}));
  EXPECT_EQ(perSource[2], (std::vector<int>{5, 12}));
  for (uint32_t n = 0; n < 3; ++n)
    EXPECT_EQ(uniform[n], (std::vector<int>{3, 10})) << "neuron " << n;
}

TEST(CpuEngineFloat, CarryResetFollowsSnnTorchsSubtractRule) {
  // IF, threshold 1, inputs 2.5, 0, 0.75, 0. Carry: r = [stored v > 1];
  // v = update - r; s = [v > 1]; v -= (s - r):
  //   t0: r0 2.5  s1 -> 1.5;  t1: r1 1.5 -> .5 s0 -> 1.5;
  //   t2: r1 2.25 -> 1.25 s1 -> 1.25;  t3: r1 1.25 -> .25 s0 -> 1.25.
  // A plain same-step subtract: 1.5*, .5*, 1.25* -> .25, .25.
  Driven d(pop(NeuronKind::IF, 1, {}, {1.0f}));
  d.net.reset = sb::ResetMode::Subtract;
  const float in[] = {2.5f, 0.0f, 0.75f, 0.0f};
  auto run = [&](sb::ResetTiming timing, std::vector<int> *spikes) {
    d.net.timing = timing;
    auto e = instantiate(*build(d.net));
    std::vector<float> v;
    for (int t = 0; t < 4; ++t) {
      e->setSource(0, &in[t]);
      e->step();
      if (e->spikes(1)[0])
        spikes->push_back(t);
      v.push_back(state(*e, 1, 0, 1));
    }
    return v;
  };
  std::vector<int> carrySpikes, sameSpikes;
  EXPECT_EQ(run(sb::ResetTiming::Carry, &carrySpikes),
            (std::vector<float>{1.5f, 1.5f, 1.25f, 1.25f}));
  EXPECT_EQ(carrySpikes, (std::vector<int>{0, 2}));
  EXPECT_EQ(run(sb::ResetTiming::SameStep, &sameSpikes),
            (std::vector<float>{1.5f, .5f, .25f, .25f}));
  EXPECT_EQ(sameSpikes, (std::vector<int>{0, 1, 2}));
}

TEST(CpuEngineFloat, GainDirectFeedsTheInputToTheMembraneInTheSameStep) {
  // CubaLI, MembraneFirst: v = beta v + gain_mem I_old + gain_direct x
  // + leak, then I = alpha I + x. Inputs 1, 0, 0 give .75, 1.25, .25.
  PopDef p = pop(NeuronKind::CubaLI, 1, {0.0f});
  p.alpha = {0.0f};
  p.gainDirect = {0.5f};
  p.leak = {0.25f};
  Driven d(p);
  auto e = instantiate(*build(d.net));
  std::vector<float> v;
  for (float x : {1.0f, 0.0f, 0.0f}) {
    e->setSource(0, &x);
    e->step();
    v.push_back(state(*e, 1, 0, 1));
  }
  EXPECT_EQ(v, (std::vector<float>{.75f, 1.25f, .25f}));
}

TEST(CpuEngineFloat, MembraneSumsInTheDocumentedOrder) {
  // docs/discretization.md: v = beta v + gain_mem x + leak, left to right.
  // With beta v = 1, x = 2^-24 and leak = -1, (1 + 2^-24) rounds to 1
  // (ties to even), so v = 0; summing leak before x would give 2^-24.
  PopDef p = pop(NeuronKind::LI, 1, {1.0f});
  p.vInit = {1.0f};
  p.leak = {-1.0f};
  Driven d(p);
  auto e = instantiate(*build(d.net));
  const float tiny = std::ldexp(1.0f, -24);
  e->setSource(0, &tiny);
  e->step();
  EXPECT_EQ(state(*e, 1, 0, 1), 0.0f);
  e->reset(); // back to v_init
  EXPECT_EQ(state(*e, 1, 0, 1), 1.0f);
  EXPECT_EQ(e->stats().steps, 0);
}

// --- Connectivity kinds agree with their expanded matrices ------------------

ProjDef expandDense(const ProjDef &p, uint32_t ns, uint32_t nt,
                    const std::vector<Link> &links) {
  ProjDef d = dense(p.source, p.target, std::vector<float>(ns * nt, 0.0f));
  for (const Link &l : links)
    d.weights[l.pre * nt + l.post] +=
        l.weightIndex < 0 ? p.scale : p.weights[l.weightIndex];
  return d;
}

/// CSR of every structural link (zero weights included, so its rows are as
/// long as the window's reach).
ProjDef expandSparse(const ProjDef &p, uint32_t ns,
                     const std::vector<Link> &links) {
  ProjDef s;
  s.source = p.source;
  s.target = p.target;
  s.type = sb::Connectivity::Sparse;
  s.rowStart.assign(ns + 1, 0);
  for (uint32_t j = 0; j < ns; ++j) {
    for (const Link &l : links)
      if (l.pre == j) {
        s.targets.push_back(l.post);
        s.weights.push_back(l.weightIndex < 0 ? p.scale
                                              : p.weights[l.weightIndex]);
      }
    s.rowStart[j + 1] = uint32_t(s.targets.size());
  }
  return s;
}

/// Source x -> Threshold (spikes) and Source (graded) each drive a window
/// projection and its dense and sparse expansions into Relays; all three
/// Relays of each path must read the same, and the event count must be
/// the sum of the reached row lengths.
void checkWindowAgainstExpansions(ProjDef window, bool pool) {
  std::mt19937 rng(11);
  const std::vector<int64_t> in = window.inShape, out = window.outShape;
  const uint32_t ns = uint32_t(in[0] * in[1] * in[2]);
  const uint32_t nt = uint32_t(out[0] * out[1] * out[2]);
  NetDef net;
  PopDef src;
  src.kind = NeuronKind::Source;
  src.shape = in;
  net.add(src);
  PopDef thr = src;
  thr.kind = NeuronKind::Threshold;
  thr.vThreshold = {0.5f};
  net.add(thr);
  std::vector<float> identity(ns * ns, 0.0f);
  for (uint32_t i = 0; i < ns; ++i)
    identity[i * ns + i] = 1.0f;
  net.connect(dense(0, 1, identity));
  PopDef relay;
  relay.kind = NeuronKind::Relay;
  relay.shape = out;
  const std::vector<Link> links = windowLinks(window, pool);
  std::vector<uint32_t> reach(ns, 0);
  for (const Link &l : links)
    ++reach[l.pre];
  // Relays 2..4: spikes of population 1; 5..7: graded values of 0.
  for (uint32_t from : {1u, 0u}) {
    window.source = from;
    window.target = net.add(relay);
    net.connect(window);
    ProjDef d = expandDense(window, ns, nt, links);
    d.target = net.add(relay);
    net.connect(d);
    ProjDef sp = expandSparse(window, ns, links);
    sp.target = net.add(relay);
    net.connect(sp);
  }
  auto e = instantiate(*build(net));
  int64_t expectedEvents = 0;
  std::uniform_int_distribution<int> eighths(0, 7);
  for (int t = 0; t < 12; ++t) {
    std::vector<float> x(ns);
    for (float &v : x)
      v = eighths(rng) / 8.0f; // exact sums in any order
    e->setSource(0, x.data());
    e->step();
    for (uint32_t j = 0; j < ns; ++j) {
      if (x[j] != 0.0f)
        expectedEvents +=
            ns + 2 * reach[j] + nt; // identity, window+sparse, dense
      if (e->spikes(1)[j])
        expectedEvents += 2 * reach[j] + nt;
    }
    for (uint32_t first : {2u, 5u}) {
      std::vector<float> a(nt), b(nt), c(nt);
      e->readState(first, a.data());
      e->readState(first + 1, b.data());
      e->readState(first + 2, c.data());
      ASSERT_EQ(a, b) << "step " << t << " window vs dense, relay " << first;
      ASSERT_EQ(a, c) << "step " << t << " window vs sparse, relay " << first;
      if (t == 0) {
        EXPECT_NE(std::count(a.begin(), a.end(), 0.0f), int(nt));
      }
    }
  }
  EXPECT_EQ(e->stats().synapticEvents, expectedEvents);
}

TEST(CpuEngineFloat, ConvMatchesItsExpandedDenseAndSparseForms) {
  ProjDef conv;
  conv.type = sb::Connectivity::Conv;
  conv.inShape = {2, 5, 6};
  conv.outShape = {4, 3, 6}; // H: (5+2-3)/2+1, W: (6+2-3)/1+1
  conv.kernelShape = {4, 1, 3, 2};
  conv.groups = 2;
  conv.stride = {2, 1};
  conv.padding = {1, 1};
  conv.dilation = {1, 2};
  std::mt19937 rng(5);
  std::uniform_int_distribution<int> quarters(-4, 4);
  for (int i = 0; i < 4 * 1 * 3 * 2; ++i)
    conv.weights.push_back(quarters(rng) / 4.0f);
  checkWindowAgainstExpansions(conv, false);
}

TEST(CpuEngineFloat, PoolMatchesItsExpandedDenseAndSparseForms) {
  ProjDef pool;
  pool.type = sb::Connectivity::Pool;
  pool.inShape = {2, 4, 5};
  pool.outShape = {2, 3, 2}; // H: (4+2-2)/2+1, W: (5-2)/2+1
  pool.kernelShape = {2, 2};
  pool.stride = {2, 2};
  pool.padding = {1, 0};
  pool.scale = 0.25f;
  checkWindowAgainstExpansions(pool, true);
  pool.outShape = {2, 4, 5}; // overlapping 3x3 windows, stride 1, padding 1
  pool.kernelShape = {3, 3};
  pool.stride = {1, 1};
  pool.padding = {1, 1};
  pool.scale = 0.125f;
  checkWindowAgainstExpansions(pool, true);
}

TEST(CpuEngineFloat, SynapticEventsCountRowsOfActiveNeuronsOnly) {
  // Source(2) -graded-> LIF(4) -spikes-> LI(7) (dense) and -> LI(5)
  // (sparse rows of lengths 3, 0, 5, 1): every nonzero source value touches
  // 4 synapses, every LIF spike its row, silent neurons nothing.
  NetDef net;
  net.add(pop(NeuronKind::Source, 2));
  net.add(pop(NeuronKind::LIF, 4, {0.5f}, {1.0f}));
  net.add(pop(NeuronKind::LI, 7));
  net.add(pop(NeuronKind::LI, 5));
  net.connect(dense(0, 1, {0.5f, 0.25f, 1.5f, 0.0f, 0.75f, 0.5f, 1.0f, 0.0f}));
  net.connect(dense(1, 2, std::vector<float>(28, 0.125f)));
  ProjDef sp;
  sp.source = 1;
  sp.target = 3;
  sp.type = sb::Connectivity::Sparse;
  sp.rowStart = {0, 3, 3, 8, 9};
  sp.targets = {0, 2, 4, 0, 1, 2, 3, 4, 1};
  sp.weights = std::vector<float>(9, 1.0f);
  net.connect(sp);
  auto e = instantiate(*build(net));
  const uint32_t rowLength[] = {3, 0, 5, 1};
  int64_t expected = 0, spikes = 0;
  std::mt19937 rng(3);
  for (int t = 0; t < 50; ++t) {
    float x[2] = {float(rng() % 2), float(rng() % 3)};
    e->setSource(0, x);
    e->step();
    expected += 4 * ((x[0] != 0) + (x[1] != 0));
    for (uint32_t n = 0; n < 4; ++n)
      if (e->spikes(1)[n]) {
        ++spikes;
        expected += 7 + rowLength[n];
      }
  }
  EXPECT_GT(spikes, 10);
  EXPECT_EQ(e->stats().spikes, spikes);
  EXPECT_EQ(e->stats().synapticEvents, expected);
}

} // namespace
