//===- CpuEngineTest.cpp - FixedPoint.h and the CPU backend's engine ------===//
//
// Artifacts are built in memory with the generated FlatBuffers helpers and
// loaded through Program::fromBytes, so every network here has passed the
// same verification as a file from the compiler. Expected values are
// worked out by hand (float semantics) or by a deliberately naive scalar
// model of docs/fixed-point.md (fixed semantics), never by the engine.
//
//===----------------------------------------------------------------------===//
#include "CpuDriver.h"
#include "FixedPoint.h"
#include "snnc/runtime/Program.h"
#include "snnc/schema/snnb_generated.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <functional>
#include <limits>
#include <random>

namespace {

namespace sb = snnc::snnb;
namespace fxp = snnc::fixedpoint;
using sb::NeuronKind;

// --- Building artifacts ------------------------------------------------------

struct PopDef {
  std::string name;
  NeuronKind kind = NeuronKind::LIF;
  std::vector<int64_t> shape{1};
  // Float parameters; empty = absent (the engine's default applies).
  std::vector<float> alpha, beta, gainSyn, gainMem, gainDirect, leak, bias,
      vThreshold, vReset, vInit;
  // Fixed parameters (written in fixed mode only).
  uint8_t stateBits = 24, fracBits = 0;
  std::vector<uint16_t> decayU, decayV;
  std::vector<int32_t> uBias, vBias, fThreshold, fReset, fInit;

  uint32_t size() const {
    int64_t n = 1;
    for (int64_t d : shape)
      n *= d;
    return uint32_t(n);
  }
};

struct ProjDef {
  uint32_t source = 0, target = 0;
  sb::Connectivity type = sb::Connectivity::Dense;
  std::vector<float> weights; // dense [pre][post], sparse entries, kernel
  std::vector<uint32_t> rowStart, targets; // sparse
  // Conv (kernelShape [C_out, C_in/groups, kh, kw]) and pool
  // (kernelShape [kh, kw]).
  std::vector<int64_t> inShape, outShape, kernelShape, stride{1, 1},
      padding{0, 0}, dilation{1, 1};
  int64_t groups = 1;
  float scale = 1.0f;
  std::vector<uint32_t> delays;
  bool recurrent = false;
  uint8_t exponent = 0;
  std::vector<int16_t> mantissas; // fixed mode, same layout as weights
};

struct NetDef {
  sb::NumericMode mode = sb::NumericMode::Float;
  sb::ResetMode reset = sb::ResetMode::ToReset;
  sb::ResetTiming timing = sb::ResetTiming::SameStep;
  sb::Comparison comparison = sb::Comparison::Greater;
  sb::CubaOrder order = sb::CubaOrder::MembraneFirst;
  std::vector<PopDef> pops;
  std::vector<ProjDef> projs;

  uint32_t add(PopDef p) {
    if (p.name.empty())
      p.name = "p" + std::to_string(pops.size());
    pops.push_back(std::move(p));
    return uint32_t(pops.size() - 1);
  }
  ProjDef &connect(ProjDef p) {
    projs.push_back(std::move(p));
    return projs.back();
  }
};

template <typename T>
flatbuffers::Offset<flatbuffers::Vector<T>>
vec(flatbuffers::FlatBufferBuilder &b, const std::vector<T> &v) {
  if (v.empty())
    return 0;
  return b.CreateVector(v);
}

std::shared_ptr<const snnc::Program> build(const NetDef &net) {
  flatbuffers::FlatBufferBuilder b;
  const bool fixed = net.mode == sb::NumericMode::Fixed;
  std::vector<flatbuffers::Offset<sb::Population>> pops;
  std::vector<flatbuffers::Offset<sb::Port>> inputs;
  for (uint32_t i = 0; i < net.pops.size(); ++i) {
    const PopDef &p = net.pops[i];
    flatbuffers::Offset<sb::FixedNeuron> fx = 0;
    if (fixed)
      fx = sb::CreateFixedNeuron(b, p.stateBits, p.fracBits, vec(b, p.decayU),
                                 vec(b, p.decayV), vec(b, p.uBias),
                                 vec(b, p.vBias), vec(b, p.fThreshold),
                                 vec(b, p.fReset), vec(b, p.fInit));
    pops.push_back(sb::CreatePopulation(
        b, b.CreateString(p.name), p.kind, b.CreateVector(p.shape), p.size(),
        vec(b, p.alpha), vec(b, p.beta), vec(b, p.gainSyn), vec(b, p.gainMem),
        vec(b, p.gainDirect), vec(b, p.leak), vec(b, p.bias),
        vec(b, p.vThreshold), vec(b, p.vReset), vec(b, p.vInit), fx));
    if (p.kind == NeuronKind::Source)
      inputs.push_back(sb::CreatePort(b, b.CreateString("in_" + p.name), i,
                                      b.CreateVector(p.shape)));
  }
  std::vector<flatbuffers::Offset<sb::Projection>> projs;
  for (const ProjDef &p : net.projs) {
    flatbuffers::Offset<void> conn;
    switch (p.type) {
    case sb::Connectivity::Dense:
      conn = sb::CreateDense(b, b.CreateVector(p.weights)).Union();
      break;
    case sb::Connectivity::Sparse:
      conn =
          sb::CreateSparse(b, b.CreateVector(p.rowStart),
                           b.CreateVector(p.targets), b.CreateVector(p.weights))
              .Union();
      break;
    case sb::Connectivity::Conv:
      conn = sb::CreateConv(
                 b, b.CreateVector(p.inShape), b.CreateVector(p.outShape),
                 b.CreateVector(p.weights), b.CreateVector(p.kernelShape),
                 b.CreateVector(p.stride), b.CreateVector(p.padding),
                 b.CreateVector(p.dilation), p.groups)
                 .Union();
      break;
    default:
      conn = sb::CreatePool(
                 b, b.CreateVector(p.inShape), b.CreateVector(p.outShape),
                 b.CreateVector(p.kernelShape), b.CreateVector(p.stride),
                 b.CreateVector(p.padding), p.scale)
                 .Union();
      break;
    }
    flatbuffers::Offset<sb::FixedWeights> fw = 0;
    if (fixed)
      fw = sb::CreateFixedWeights(b, 8, p.exponent, vec(b, p.mantissas));
    projs.push_back(sb::CreateProjection(b, b.CreateString("proj"), p.source,
                                         p.target, p.type, conn,
                                         vec(b, p.delays), p.recurrent, fw));
  }
  auto disc =
      sb::CreateDiscretization(b, b.CreateString("test"), 1e-3, net.reset,
                               net.timing, net.comparison, net.order);
  auto root = sb::CreateProgram(
      b, snnc::kSnnbSchemaVersion, b.CreateString("cpu-engine-tests"),
      b.CreateString("net"), net.mode, disc, b.CreateVector(pops),
      b.CreateVector(projs), b.CreateVector(inputs));
  sb::FinishProgramBuffer(b, root);
  auto program = snnc::Program::fromBytes(std::vector<uint8_t>(
      b.GetBufferPointer(), b.GetBufferPointer() + b.GetSize()));
  EXPECT_TRUE(program.isOk()) << program.status().toString();
  return program.isOk() ? program.value() : nullptr;
}

std::unique_ptr<snnc::Engine> instantiate(const snnc::Program &program,
                                          int threads = 1) {
  auto driver = snnc::makeCpuDriver();
  auto engine = driver->instantiate(program, snnc::DeviceOptions{threads});
  EXPECT_TRUE(engine.isOk()) << engine.status().toString();
  return engine.isOk() ? std::move(engine).value() : nullptr;
}

/// A population with shared float parameters.
PopDef pop(NeuronKind kind, uint32_t n, std::vector<float> beta = {},
           std::vector<float> th = {}, std::vector<float> bias = {}) {
  PopDef p;
  p.kind = kind;
  p.shape = {int64_t(n)};
  p.beta = std::move(beta);
  p.vThreshold = std::move(th);
  p.bias = std::move(bias);
  return p;
}

ProjDef dense(uint32_t from, uint32_t to, std::vector<float> w) {
  ProjDef p;
  p.source = from;
  p.target = to;
  p.weights = std::move(w);
  return p;
}

/// Steps (0-based) at which `neuron` of `population` spiked in `steps`
/// steps; `drive(t)` runs before each step.
std::vector<int> spikeSteps(snnc::Engine &e, uint32_t population,
                            uint32_t neuron, int steps,
                            const std::function<void(int)> &drive = {}) {
  std::vector<int> out;
  for (int t = 0; t < steps; ++t) {
    if (drive)
      drive(t);
    e.step();
    if (e.spikes(population)[neuron])
      out.push_back(t);
  }
  return out;
}

float state(const snnc::Engine &e, uint32_t population, uint32_t neuron,
            uint32_t size) {
  std::vector<float> v(size);
  e.readState(population, v.data());
  return v[neuron];
}

NetDef randomNet(sb::NumericMode mode, int scale, uint32_t seed);
std::vector<float> randomInput(std::mt19937 &rng, uint32_t n);

// --- FixedPoint.h ------------------------------------------------------------

TEST(FixedPoint, SaturatesAtTheEdgesOfEachWidth) {
  static_assert(fxp::saturate(1 << 23, 24) == (1 << 23) - 1);
  EXPECT_EQ(fxp::saturate((1 << 23) - 1, 24), (1 << 23) - 1);
  EXPECT_EQ(fxp::saturate(-(1 << 23), 24), -(1 << 23));
  EXPECT_EQ(fxp::saturate(-(1 << 23) - 1, 24), -(1 << 23));
  EXPECT_EQ(fxp::saturate(128, 8), 127);
  EXPECT_EQ(fxp::saturate(-129, 8), -128);
  EXPECT_EQ(fxp::saturate(INT64_MIN, 32), INT32_MIN);
  EXPECT_EQ(fxp::saturate(INT64_MAX, 64), INT64_MAX);
  EXPECT_EQ(fxp::saturatingAdd(INT64_MAX, 1), INT64_MAX);
  EXPECT_EQ(fxp::saturatingAdd(INT64_MIN, -1), INT64_MIN);
  EXPECT_EQ(fxp::saturatingSub(INT64_MIN, 1), INT64_MIN);
  EXPECT_EQ(fxp::saturatingSub(0, INT64_MIN), INT64_MAX);
  EXPECT_EQ(fxp::saturatingMul(INT64_MIN, -1), INT64_MAX);
  EXPECT_EQ(fxp::saturatingMul(int64_t(1) << 40, -(int64_t(1) << 30)),
            INT64_MIN);
  EXPECT_EQ(fxp::saturatingMul(-(int64_t(1) << 31), int64_t(1) << 31),
            -(int64_t(1) << 62));
  EXPECT_EQ(fxp::resetValue(-100, 100, 0, true, 8), -128);
  EXPECT_EQ(fxp::resetValue(5, 1, 1000, false, 8), 127);
}

TEST(FixedPoint, DecayTruncatesTheDecrementForBothSigns) {
  static_assert(fxp::decay(5, 2048) == 3);
  EXPECT_EQ(fxp::decayAmount(5, 2048), 2);
  EXPECT_EQ(fxp::decayAmount(-5, 2048), -2); // toward zero, not floor (-3)
  EXPECT_EQ(fxp::decay(-5, 2048), -3);
  EXPECT_EQ(fxp::decay(-1, 4095), -1); // 4095/4096 of 1 truncates to 0
  EXPECT_EQ(fxp::decay(-4096, 1), -4095);
  EXPECT_EQ(fxp::decay(-4095, 1), -4095);
  EXPECT_EQ(fxp::decay(123456, 0), 123456);
  EXPECT_EQ(fxp::decay(-123456, 4096), 0);
  EXPECT_EQ(fxp::decay(-123456, 5000), 0); // d clamped to 4096
  EXPECT_EQ(fxp::decay(INT64_MIN, 4096), 0);
  EXPECT_EQ(fxp::decay(INT64_MIN, 2048), -(int64_t(1) << 62));
  EXPECT_EQ(fxp::decay(INT64_MAX, 1), INT64_MAX - (INT64_MAX >> 12));
  // The 32-bit form used for neuron states agrees everywhere it applies.
  for (int64_t x : {int64_t(INT32_MIN), int64_t(INT32_MIN) + 1, int64_t(-4097),
                    int64_t(-4096), int64_t(-1), int64_t(0), int64_t(1),
                    int64_t(4095), int64_t(INT32_MAX)})
    for (uint32_t d : {0u, 1u, 2048u, 4095u, 4096u, 9999u})
      ASSERT_EQ(fxp::decayState(int32_t(x), d), fxp::decay(x, d))
          << x << " " << d;
  // Symmetry: the decay of -x is minus the decay of x.
  std::mt19937_64 rng(7);
  for (int i = 0; i < 10000; ++i) {
    int64_t x = int64_t(rng() >> 20) - (int64_t(1) << 43);
    uint32_t d = uint32_t(rng() % 4097);
    ASSERT_EQ(fxp::decay(-x, d), -fxp::decay(x, d)) << x << " " << d;
    ASSERT_EQ(fxp::decayAmount(x, d),
              x < 0 ? -((-x * int64_t(d)) >> 12) : (x * int64_t(d)) >> 12);
    const int32_t x32 = int32_t(uint32_t(rng()));
    ASSERT_EQ(fxp::decayState(x32, d), fxp::decay(x32, d)) << x32 << " " << d;
  }
}

TEST(FixedPoint, GradedContributionRoundsHalfAwayFromZero) {
  static_assert(fxp::gradedContribution(3, 1, 0, 1) == 2); // 1.5
  EXPECT_EQ(fxp::gradedContribution(-3, 1, 0, 1), -2);     // -1.5
  EXPECT_EQ(fxp::gradedContribution(1, 1, 0, 2), 0);       // 0.25
  EXPECT_EQ(fxp::gradedContribution(-1, 1, 0, 2), 0);      // -0.25
  EXPECT_EQ(fxp::gradedContribution(-1, 1, 0, 1), -1);     // -0.5
  EXPECT_EQ(fxp::gradedContribution(3, -1, 0, 2), -1);     // -0.75
  EXPECT_EQ(fxp::gradedContribution(5, 3, 2, 3), 8);       // 60/8 = 7.5
  EXPECT_EQ(fxp::gradedContribution(-5, 3, 2, 3), -8);
  EXPECT_EQ(fxp::gradedContribution(7, -3, 4, 0), -336); // no division
  EXPECT_EQ(fxp::gradedContribution(INT64_MAX, 2, 0, 0), INT64_MAX);
  EXPECT_EQ(fxp::gradedContribution(int64_t(1) << 40, -(1 << 15), 24, 0),
            INT64_MIN);
  EXPECT_EQ(fxp::weightValue(-3, 4), -48);
  EXPECT_EQ(fxp::weightValue(-32768, 24), -(int64_t(1) << 39));
  EXPECT_EQ(fxp::roundingShiftRight(INT64_MIN, 63), -1);
}

TEST(FixedPoint, ToFixedRoundsHalfAwayFromZeroAndSaturates) {
  static_assert(fxp::toFixed(0.5f, 0, 8) == 1);
  EXPECT_EQ(fxp::toFixed(-0.5f, 0, 8), -1);
  EXPECT_EQ(fxp::toFixed(2.5f, 0, 8), 3);
  EXPECT_EQ(fxp::toFixed(0.375f, 2, 24), 2);   // 1.5
  EXPECT_EQ(fxp::toFixed(-0.375f, 2, 24), -2); // -1.5
  EXPECT_EQ(fxp::toFixed(0.3f, 8, 24), 77);    // 76.8
  EXPECT_EQ(fxp::toFixed(1e30f, 8, 16), 32767);
  EXPECT_EQ(fxp::toFixed(-1e30f, 8, 16), -32768);
  EXPECT_EQ(fxp::toFixed(std::numeric_limits<float>::infinity(), 0, 32),
            INT32_MAX);
  EXPECT_EQ(fxp::toFixed(std::nanf(""), 4, 16), 0);
  EXPECT_EQ(fxp::fromFixed(3, 1), 1.5f);
  EXPECT_EQ(fxp::fromFixed(-1, 2), -0.25f);
  for (int i = -1000; i <= 1000; ++i) // round trip of every 1/64
    ASSERT_EQ(fxp::toFixed(fxp::fromFixed(i, 6), 6, 16), i);
  EXPECT_TRUE(fxp::crosses(10, 10, true));
  EXPECT_FALSE(fxp::crosses(10, 10, false));
  EXPECT_TRUE(fxp::crosses(11, 10, false));
}

TEST(FixedPoint, AccumulateWrapsSoTheOrderNeverMatters) {
  EXPECT_EQ(fxp::accumulate(INT64_MAX, 1), INT64_MIN);
  std::vector<int64_t> terms = {INT64_MAX, 5, -7, INT64_MAX, -3, 1 << 20};
  int64_t forward = 0, backward = 0;
  for (size_t i = 0; i < terms.size(); ++i) {
    forward = fxp::accumulate(forward, terms[i]);
    backward = fxp::accumulate(backward, terms[terms.size() - 1 - i]);
  }
  EXPECT_EQ(forward, backward);
}

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

/// Structural synapses (pre, post, index into the kernel) of a conv, or of a
/// pool (index -1), computed forward from the output side: the definition,
/// independent of the engine's inverse mapping.
struct Link {
  uint32_t pre, post;
  int64_t weightIndex;
};

std::vector<Link> windowLinks(const ProjDef &p, bool pool) {
  const auto &in = p.inShape, &out = p.outShape;
  const int64_t kh = pool ? p.kernelShape[0] : p.kernelShape[2];
  const int64_t kw = pool ? p.kernelShape[1] : p.kernelShape[3];
  const int64_t groups = pool ? in[0] : p.groups;
  const int64_t inPer = in[0] / groups, outPer = out[0] / groups;
  std::vector<Link> links;
  for (int64_t oc = 0; oc < out[0]; ++oc)
    for (int64_t oy = 0; oy < out[1]; ++oy)
      for (int64_t ox = 0; ox < out[2]; ++ox)
        for (int64_t l = 0; l < inPer; ++l)
          for (int64_t ky = 0; ky < kh; ++ky)
            for (int64_t kx = 0; kx < kw; ++kx) {
              int64_t ic = oc / outPer * inPer + l;
              int64_t iy = oy * p.stride[0] - p.padding[0] + ky * p.dilation[0];
              int64_t ix = ox * p.stride[1] - p.padding[1] + kx * p.dilation[1];
              if (iy < 0 || iy >= in[1] || ix < 0 || ix >= in[2])
                continue;
              links.push_back(
                  {uint32_t((ic * in[1] + iy) * in[2] + ix),
                   uint32_t((oc * out[1] + oy) * out[2] + ox),
                   pool ? -1 : ((oc * inPer + l) * kh + ky) * kw + kx});
            }
  return links;
}

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

// --- A random network exercising every kind, connectivity and delay --------

/// Population sizes grow with `scale`; weights and parameters are random
/// but keep the network active. Both float and fixed fields are filled; the
/// builder writes the fixed ones in fixed mode only.
NetDef randomNet(sb::NumericMode mode, int scale, uint32_t seed) {
  std::mt19937 rng(seed);
  auto uni = [&](int lo, int hi) {
    return std::uniform_int_distribution<int>(lo, hi)(rng);
  };
  const int k = scale;
  NetDef net;
  net.mode = mode;
  auto make = [&](NeuronKind kind, std::vector<int64_t> shape, bool shared,
                  uint8_t bits, uint8_t frac) {
    PopDef p;
    p.kind = kind;
    p.shape = std::move(shape);
    p.stateBits = bits;
    p.fracBits = frac;
    const uint32_t n = shared ? 1 : p.size();
    const int one = 1 << frac;
    for (uint32_t i = 0; i < n; ++i) {
      p.alpha.push_back(uni(0, 8) / 8.0f);
      p.beta.push_back(uni(4, 8) / 8.0f);
      p.gainSyn.push_back(uni(2, 4) / 4.0f);
      p.gainMem.push_back(uni(2, 4) / 4.0f);
      p.leak.push_back(uni(-2, 2) / 64.0f);
      p.bias.push_back(uni(-4, 4) / 64.0f);
      p.vThreshold.push_back(uni(3, 8) / 4.0f);
      p.vReset.push_back(uni(-2, 0) / 8.0f);
      p.vInit.push_back(uni(-4, 4) / 8.0f);
      p.decayU.push_back(uint16_t(uni(0, 4096)));
      p.decayV.push_back(uint16_t(uni(0, 2048)));
      p.uBias.push_back(uni(-one / 8, one / 8));
      p.vBias.push_back(uni(-one / 16, one / 16));
      p.fThreshold.push_back(uni(one / 2, 2 * one));
      p.fReset.push_back(uni(-one / 4, 0));
      p.fInit.push_back(uni(-one / 2, one / 2));
    }
    return net.add(std::move(p));
  };
  auto weights = [&](ProjDef &p, size_t n) {
    for (size_t i = 0; i < n; ++i) {
      int m = uni(-127, 127);
      p.mantissas.push_back(int16_t(m));
      p.weights.push_back(m / 64.0f);
    }
    p.exponent = uint8_t(uni(0, 3));
  };
  auto denseProj = [&](uint32_t from, uint32_t to) -> ProjDef & {
    ProjDef p = dense(from, to, {});
    weights(p, size_t(net.pops[from].size()) * net.pops[to].size());
    return net.connect(std::move(p));
  };
  auto sparseProj = [&](uint32_t from, uint32_t to, int percent) -> ProjDef & {
    ProjDef p;
    p.source = from;
    p.target = to;
    p.type = sb::Connectivity::Sparse;
    p.rowStart.push_back(0);
    for (uint32_t j = 0; j < net.pops[from].size(); ++j) {
      for (uint32_t i = 0; i < net.pops[to].size(); ++i)
        if (uni(0, 99) < percent)
          p.targets.push_back(i);
      p.rowStart.push_back(uint32_t(p.targets.size()));
    }
    weights(p, p.targets.size());
    return net.connect(std::move(p));
  };
  auto perSourceDelays = [&](ProjDef &p, int maxDelay) {
    for (uint32_t j = 0; j < net.pops[p.source].size(); ++j)
      p.delays.push_back(uint32_t(uni(0, maxDelay)));
  };

  const uint32_t src = make(NeuronKind::Source, {6 * k}, true, 16, 6);
  const uint32_t lif = make(NeuronKind::LIF, {2, 3 * k, 3}, false, 20, 8);
  const uint32_t cuba = make(NeuronKind::CubaLIF, {12 * k}, true, 12, 6);
  const uint32_t relay = make(NeuronKind::Relay, {2, 3 * k, 3}, false, 18, 8);
  const uint32_t li = make(NeuronKind::LI, {2, 3 * k - 1, 2}, true, 24, 8);
  const uint32_t thr = make(NeuronKind::Threshold, {5 * k}, false, 10, 4);
  const uint32_t cubaLi = make(NeuronKind::CubaLI, {4 * k}, false, 16, 6);
  const uint32_t ifPop = make(NeuronKind::IF, {3, 3 * k - 2, 4}, true, 16, 6);
  const uint32_t integ = make(NeuronKind::Integrator, {4}, true, 32, 8);

  denseProj(src, lif);
  perSourceDelays(sparseProj(lif, cuba, 30), 3);
  ProjDef &back = denseProj(cuba, lif);
  back.recurrent = true;
  back.delays = {1};
  denseProj(src, relay);
  ProjDef pool;
  pool.source = relay;
  pool.target = li;
  pool.type = sb::Connectivity::Pool;
  pool.inShape = net.pops[relay].shape;
  pool.outShape = net.pops[li].shape;
  pool.kernelShape = {2, 2};
  pool.scale = 0.25f;
  pool.exponent = 1;
  net.connect(pool);
  sparseProj(cuba, thr, 40);
  denseProj(li, cubaLi);
  ProjDef &graded = denseProj(cubaLi, cuba);
  graded.recurrent = true;
  perSourceDelays(graded, 2);
  ProjDef conv;
  conv.source = lif;
  conv.target = ifPop;
  conv.type = sb::Connectivity::Conv;
  conv.inShape = net.pops[lif].shape;
  conv.outShape = net.pops[ifPop].shape;
  conv.kernelShape = {3, 2, 3, 2};
  conv.padding = {0, 1};
  weights(conv, 3 * 2 * 3 * 2);
  net.connect(conv);
  denseProj(ifPop, integ);
  ProjDef &self = sparseProj(ifPop, ifPop, 10);
  self.recurrent = true;
  return net;
}

/// Input row for step t: multiples of 1/128 in [-2, 2], so that fixed-point
/// conversion meets exact halves.
std::vector<float> randomInput(std::mt19937 &rng, uint32_t n) {
  std::vector<float> x(n);
  for (float &v : x)
    v = std::uniform_int_distribution<int>(-256, 256)(rng) / 128.0f;
  return x;
}

// --- Fixed mode against a naive model of docs/fixed-point.md --------------

/// Pull-based and history-keeping, unlike the engine: each step, every
/// population sums over all incoming synapses the source's output of the
/// step its delay names.
class FixedReference {
public:
  explicit FixedReference(const NetDef &net) : net_(net) {
    for (const PopDef &p : net.pops) {
      const uint32_t n = p.size();
      v_.emplace_back(n, 0);
      u_.emplace_back(n, 0);
      input_.emplace_back(n, 0);
      spike_.emplace_back(n, 0);
      for (uint32_t i = 0; i < n; ++i)
        v_.back()[i] = isMembrane(p.kind)
                           ? fxp::saturate(at(p.fInit, i, 0), p.stateBits)
                           : 0;
    }
    history_.resize(net.pops.size());
    for (const ProjDef &pr : net.projs) {
      Incoming in;
      in.proj = &pr;
      switch (pr.type) {
      case sb::Connectivity::Dense: {
        const uint32_t nt = net.pops[pr.target].size();
        for (uint32_t j = 0; j < net.pops[pr.source].size(); ++j)
          for (uint32_t i = 0; i < nt; ++i)
            in.synapses.push_back({j, i, pr.mantissas[j * nt + i]});
        break;
      }
      case sb::Connectivity::Sparse:
        for (uint32_t j = 0; j + 1 < pr.rowStart.size(); ++j)
          for (uint32_t e = pr.rowStart[j]; e < pr.rowStart[j + 1]; ++e)
            in.synapses.push_back({j, pr.targets[e], pr.mantissas[e]});
        break;
      default: {
        const bool pool = pr.type == sb::Connectivity::Pool;
        for (const Link &l : windowLinks(pr, pool))
          in.synapses.push_back(
              {l.pre, l.post, pool ? 1 : pr.mantissas[l.weightIndex]});
      }
      }
      incoming_.push_back(std::move(in));
    }
  }

  void setSource(uint32_t p, const std::vector<float> &x) {
    for (uint32_t i = 0; i < x.size(); ++i)
      input_[p][i] =
          fxp::toFixed(x[i], net_.pops[p].fracBits, net_.pops[p].stateBits);
  }

  void step() {
    const bool ge = net_.comparison == sb::Comparison::GreaterEqual;
    const bool subtract = net_.reset == sb::ResetMode::Subtract;
    const bool next = net_.timing == sb::ResetTiming::NextStep;
    const bool carry = net_.timing == sb::ResetTiming::Carry && subtract;
    const bool synapseFirst = net_.order == sb::CubaOrder::SynapseFirst;
    for (uint32_t p = 0; p < net_.pops.size(); ++p) {
      const PopDef &pd = net_.pops[p];
      const int bits = pd.stateBits;
      std::vector<int64_t> acc(pd.size(), 0);
      for (const Incoming &in : incoming_) {
        const ProjDef &pr = *in.proj;
        if (pr.target != p)
          continue;
        const PopDef &sd = net_.pops[pr.source];
        for (const Syn &s : in.synapses) {
          const int64_t back = at(pr.delays, s.pre, 0) + (pr.recurrent ? 1 : 0);
          if (back > t_)
            continue;
          const int64_t out = history_[pr.source][t_ - back][s.pre];
          if (out == 0)
            continue;
          acc[s.post] = fxp::accumulate(
              acc[s.post],
              spiking(sd.kind)
                  ? fxp::weightValue(s.mantissa, pr.exponent)
                  : fxp::gradedContribution(out, s.mantissa, pr.exponent,
                                            sd.fracBits));
        }
      }
      std::vector<int64_t> out(pd.size(), 0);
      for (uint32_t i = 0; i < pd.size(); ++i) {
        const int64_t x = fxp::saturate(acc[i], bits);
        const int64_t th =
            fxp::saturate(at(pd.fThreshold, i, 1 << pd.fracBits), bits);
        const int64_t vr = at(pd.fReset, i, 0), vb = at(pd.vBias, i, 0);
        const int64_t ub = at(pd.uBias, i, 0);
        const uint32_t dv = at(pd.decayV, i, 0), du = at(pd.decayU, i, 0);
        int64_t &v = v_[p][i], &u = u_[p][i];
        switch (pd.kind) {
        case NeuronKind::Source:
          v = out[i] = input_[p][i];
          continue;
        case NeuronKind::Relay:
        case NeuronKind::Threshold:
          v = fxp::saturate(x + vb, bits);
          out[i] = pd.kind == NeuronKind::Relay ? v : fxp::crosses(v, th, ge);
          spike_[p][i] = uint8_t(out[i]);
          continue;
        default:
          break;
        }
        if (next && spike_[p][i])
          v = fxp::resetValue(v, th, vr, subtract, bits);
        const bool over = carry && fxp::crosses(v, th, ge);
        const bool cubaKind =
            pd.kind == NeuronKind::CubaLIF || pd.kind == NeuronKind::CubaLI;
        if (cubaKind) {
          const int64_t newU = fxp::saturate(fxp::decay(u, du) + x + ub, bits);
          v = fxp::saturate(fxp::decay(v, dv) + (synapseFirst ? newU : u) + vb,
                            bits);
          u = newU;
        } else {
          v = fxp::saturate(fxp::decay(v, dv) + x + vb, bits);
        }
        if (!spiking(pd.kind)) {
          out[i] = v;
          continue;
        }
        v = fxp::saturate(v - (over ? th : 0), bits);
        const bool s = fxp::crosses(v, th, ge);
        if (s && !next && !carry)
          v = fxp::resetValue(v, th, vr, subtract, bits);
        if (carry)
          v = fxp::saturate(v - (int64_t(s) - int64_t(over)) * th, bits);
        spike_[p][i] = s;
        out[i] = s;
      }
      for (uint32_t i = 0; i < pd.size(); ++i)
        if (out[i] != 0) {
          spikes_ += spiking(pd.kind);
          for (const Incoming &in : incoming_)
            if (in.proj->source == p)
              for (const Syn &s : in.synapses)
                events_ += s.pre == i;
        }
      history_[p].push_back(std::move(out));
    }
    ++t_;
  }

  float state(uint32_t p, uint32_t i) const {
    return fxp::fromFixed(v_[p][i], net_.pops[p].fracBits);
  }
  bool spiked(uint32_t p, uint32_t i) const { return spike_[p][i] != 0; }
  int64_t spikes() const { return spikes_; }
  int64_t events() const { return events_; }

private:
  struct Syn {
    uint32_t pre, post;
    int64_t mantissa;
  };
  struct Incoming {
    const ProjDef *proj;
    std::vector<Syn> synapses;
  };
  template <typename T>
  static int64_t at(const std::vector<T> &v, uint32_t i, int64_t fallback) {
    return v.empty() ? fallback : int64_t(v.size() == 1 ? v[0] : v[i]);
  }
  static bool spiking(NeuronKind k) {
    return k == NeuronKind::LIF || k == NeuronKind::CubaLIF ||
           k == NeuronKind::IF || k == NeuronKind::Threshold;
  }
  static bool isMembrane(NeuronKind k) {
    return k != NeuronKind::Source && k != NeuronKind::Relay &&
           k != NeuronKind::Threshold;
  }

  const NetDef &net_;
  std::vector<Incoming> incoming_;
  std::vector<std::vector<int64_t>> v_, u_, input_;
  std::vector<std::vector<uint8_t>> spike_;
  std::vector<std::vector<std::vector<int64_t>>> history_; // [pop][t][i]
  int64_t t_ = 0, spikes_ = 0, events_ = 0;
};

struct RuleSet {
  sb::ResetMode reset;
  sb::ResetTiming timing;
  sb::Comparison comparison;
  sb::CubaOrder order;
};

class FixedAgainstReference : public ::testing::TestWithParam<RuleSet> {};

TEST_P(FixedAgainstReference, MatchesBitForBitOver200Steps) {
  NetDef net = randomNet(sb::NumericMode::Fixed, 1, 1234);
  net.reset = GetParam().reset;
  net.timing = GetParam().timing;
  net.comparison = GetParam().comparison;
  net.order = GetParam().order;
  auto e = instantiate(*build(net));
  FixedReference ref(net);
  std::mt19937 rng(99);
  for (int t = 0; t < 200; ++t) {
    std::vector<float> x = randomInput(rng, net.pops[0].size());
    e->setSource(0, x.data());
    ref.setSource(0, x);
    e->step();
    ref.step();
    for (uint32_t p = 0; p < net.pops.size(); ++p) {
      const uint32_t n = net.pops[p].size();
      std::vector<float> v(n);
      e->readState(p, v.data());
      const uint8_t *s = e->spikes(p);
      for (uint32_t i = 0; i < n; ++i) {
        ASSERT_EQ(v[i], ref.state(p, i))
            << "step " << t << " population " << p << " neuron " << i;
        if (s) {
          ASSERT_EQ(s[i] != 0, ref.spiked(p, i))
              << "step " << t << " population " << p << " neuron " << i;
        }
      }
    }
  }
  EXPECT_GT(ref.spikes(), 200);
  EXPECT_EQ(e->stats().spikes, ref.spikes());
  EXPECT_EQ(e->stats().synapticEvents, ref.events());
}

INSTANTIATE_TEST_SUITE_P(
    Rules, FixedAgainstReference,
    ::testing::Values(
        RuleSet{sb::ResetMode::ToReset, sb::ResetTiming::SameStep,
                sb::Comparison::Greater, sb::CubaOrder::MembraneFirst},
        RuleSet{sb::ResetMode::Subtract, sb::ResetTiming::NextStep,
                sb::Comparison::GreaterEqual, sb::CubaOrder::SynapseFirst},
        RuleSet{sb::ResetMode::Subtract, sb::ResetTiming::Carry,
                sb::Comparison::Greater, sb::CubaOrder::SynapseFirst}),
    [](const ::testing::TestParamInfo<RuleSet> &info) {
      return std::string(sb::EnumNameResetMode(info.param.reset)) +
             sb::EnumNameResetTiming(info.param.timing) +
             sb::EnumNameComparison(info.param.comparison) +
             sb::EnumNameCubaOrder(info.param.order);
    });

TEST(CpuEngineFixed, SourceValuesAreConvertedAndReadBackInFloatUnits) {
  NetDef net;
  net.mode = sb::NumericMode::Fixed;
  PopDef src = pop(NeuronKind::Source, 4);
  src.stateBits = 8;
  src.fracBits = 2;
  net.add(src);
  PopDef relay = pop(NeuronKind::Relay, 4);
  relay.stateBits = 12;
  relay.fracBits = 4;
  net.add(relay);
  ProjDef d = dense(0, 1, std::vector<float>(16, 0.0f));
  d.mantissas = {1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1};
  d.exponent = 4; // g * 1 * 2^4 / 2^2: rescales frac 2 to frac 4 (x4)
  net.connect(d);
  auto e = instantiate(*build(net));
  // 0.375 * 4 = 1.5 -> 2 (half away from zero); -0.375 -> -2; 100 -> 127
  // (8 bits); NaN -> 0.
  const float x[4] = {0.375f, -0.375f, 100.0f, std::nanf("")};
  e->setSource(0, x);
  e->step();
  float v[4];
  e->readState(0, v);
  EXPECT_EQ(std::vector<float>(v, v + 4),
            (std::vector<float>{0.5f, -0.5f, 31.75f, 0.0f}));
  e->readState(1, v);
  EXPECT_EQ(std::vector<float>(v, v + 4),
            (std::vector<float>{0.5f, -0.5f, 31.75f, 0.0f}));
}

// --- Thread counts do not change results -----------------------------------

void expectSameAcrossThreadCounts(sb::NumericMode mode) {
  NetDef net = randomNet(mode, 24, 77);
  auto program = build(net);
  std::vector<std::unique_ptr<snnc::Engine>> engines;
  for (int threads : {1, 2, 3})
    engines.push_back(instantiate(*program, threads));
  std::mt19937 rng(5);
  int64_t spikes = 0;
  for (int t = 0; t < 60; ++t) {
    std::vector<float> x = randomInput(rng, net.pops[0].size());
    for (auto &e : engines) {
      e->setSource(0, x.data());
      e->step();
    }
    for (uint32_t p = 0; p < net.pops.size(); ++p) {
      const uint32_t n = net.pops[p].size();
      std::vector<float> first(n), other(n);
      engines[0]->readState(p, first.data());
      for (size_t k = 1; k < engines.size(); ++k) {
        engines[k]->readState(p, other.data());
        // Bitwise, so that -0 vs +0 or NaN payloads would show too.
        ASSERT_EQ(0, std::memcmp(first.data(), other.data(), n * 4))
            << "step " << t << " population " << p << ", threads " << k + 1;
        if (const uint8_t *s = engines[0]->spikes(p)) {
          ASSERT_EQ(0, std::memcmp(s, engines[k]->spikes(p), n))
              << "step " << t << " population " << p << ", threads " << k + 1;
          if (k == 1)
            spikes += std::count(s, s + n, 1);
        }
      }
    }
  }
  EXPECT_GT(spikes, 1000);
  for (size_t k = 1; k < engines.size(); ++k) {
    EXPECT_EQ(engines[k]->stats().spikes, engines[0]->stats().spikes);
    EXPECT_EQ(engines[k]->stats().synapticEvents,
              engines[0]->stats().synapticEvents);
  }
}

TEST(CpuEngineThreads, FloatResultsAreIdenticalForOneTwoAndThreeThreads) {
  expectSameAcrossThreadCounts(sb::NumericMode::Float);
}

TEST(CpuEngineThreads, FixedResultsAreIdenticalForOneTwoAndThreeThreads) {
  expectSameAcrossThreadCounts(sb::NumericMode::Fixed);
}

} // namespace
