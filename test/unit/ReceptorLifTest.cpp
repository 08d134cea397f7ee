//===- ReceptorLifTest.cpp - Receptor neurons, refractoriness, scheduling -===//
//
// ReceptorLIF populations (current and conductance receptors, refractory
// period) against a scalar model written from docs/artifact.md; the fused
// and generic kernels against each other; thread counts, Engine::run with
// an observer and Session's one-call path against single steps. Float
// results are compared exactly: the engine promises the written order of
// operations.
//
//===----------------------------------------------------------------------===//
#include "ReceptorLifNets.h"

#include "snnc/runtime/Session.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>

namespace {

using namespace snnc::receptortest;

/// The update of docs/runtime.md for one neuron, in its order of
/// operations.
struct Reference {
  const Pop &p;
  float v;
  std::vector<float> g;
  int32_t refr = 0;
  explicit Reference(const Pop &p)
      : p(p), v(p.init[0]), g(p.receptors.size(), 0.0f) {}
  bool step(const std::vector<float> &x) {
    float drive = 0.0f, conductance = 0.0f;
    for (size_t c = 0; c < g.size(); ++c) {
      const Rec &r = p.receptors[c];
      const float gi = g[c] + x[c];
      const float cg = r.gain[0] * gi;
      if (r.conductance) {
        drive += cg * r.reversal[0];
        conductance += cg;
      } else {
        drive += cg;
      }
      g[c] = gi * r.decay[0];
    }
    const float integrated =
        p.beta[0] * v + p.leak[0] + drive - v * conductance;
    const bool held = refr > 0;
    float vn = held ? v : integrated;
    const bool fire = !held && vn > p.th[0];
    if (fire)
      vn = p.reset[0];
    refr = fire ? int32_t(p.refractory) : std::max(refr - 1, 0);
    v = vn;
    return fire;
  }
};

TEST(ReceptorLif, CurrentAndConductanceReceptorsFollowTheEquations) {
  const Pop cell = excInhNeuron();
  const Net net = singleNeuron(cell, 1.5f);
  auto e = engine(net);
  ASSERT_TRUE(e);
  Reference ref(cell);
  std::mt19937 rng(3);
  std::bernoulli_distribution exc(0.4), inh(0.15);
  int spikes = 0, held = 0;
  for (int t = 0; t < 400; ++t) {
    const float xe = exc(rng) ? 1.0f : 0.0f, xi = inh(rng) ? 1.0f : 0.0f;
    e->setSource(0, &xe);
    e->setSource(1, &xi);
    e->step();
    held += ref.refr > 0;
    const bool fire = ref.step({xe * 1.5f, xi * 1.5f});
    float v;
    e->readState(2, &v);
    ASSERT_EQ(v, ref.v) << "step " << t;
    ASSERT_EQ(e->spikes(2)[0], fire ? 1 : 0) << "step " << t;
    spikes += fire;
  }
  // The input must have exercised spikes and refractory holds.
  EXPECT_GT(spikes, 10);
  EXPECT_GE(held, 3 * spikes - 3);
}

TEST(ReceptorLif, RefractoryPeriodHoldsTheMembraneAtReset) {
  Pop cell = excInhNeuron();
  cell.refractory = 4;
  cell.reset = {-0.25f};
  const Net net = singleNeuron(cell, 100.0f); // far above threshold
  auto e = engine(net);
  ASSERT_TRUE(e);
  const float one = 1.0f, zero = 0.0f;
  std::vector<int> fired;
  for (int t = 0; t < 30; ++t) {
    e->setSource(0, &one);
    e->setSource(1, &zero);
    e->step();
    float v;
    e->readState(2, &v);
    if (e->spikes(2)[0])
      fired.push_back(t);
    else if (!fired.empty() && t - fired.back() <= 4)
      EXPECT_EQ(v, -0.25f) << "held at reset, step " << t;
  }
  // A spike every 1 + refractory steps, from the first step on.
  EXPECT_EQ(fired, (std::vector<int>{0, 5, 10, 15, 20, 25}));
}

struct Trace {
  std::vector<uint8_t> spikes;
  std::vector<float> v;
};

Trace simulate(const Net &net, int threads, int steps = 300) {
  Trace out;
  auto e = engine(net, threads);
  if (!e)
    return out;
  const uint32_t n = net.pops[1].size;
  std::mt19937 rng(11);
  std::bernoulli_distribution fire(0.1);
  std::vector<float> drive(50), v(n);
  std::vector<uint32_t> idx(n);
  for (int t = 0; t < steps; ++t) {
    for (float &x : drive)
      x = fire(rng) ? 1.0f : 0.0f;
    e->setSource(0, drive.data());
    e->step();
    const uint8_t *s = e->spikes(1);
    out.spikes.insert(out.spikes.end(), s, s + n);
    e->readState(1, v.data());
    out.v.insert(out.v.end(), v.begin(), v.end());
    // The spike list agrees with the spike bytes.
    const uint32_t k = e->spikeIndices(1, idx.data());
    std::vector<uint32_t> fromBytes;
    for (uint32_t i = 0; i < n; ++i)
      if (s[i])
        fromBytes.push_back(i);
    EXPECT_EQ(std::vector<uint32_t>(idx.begin(), idx.begin() + k), fromBytes)
        << "step " << t;
  }
  return out;
}

void expectSame(const Trace &a, const Trace &b, const char *what) {
  ASSERT_EQ(a.spikes.size(), b.spikes.size()) << what;
  EXPECT_TRUE(a.spikes == b.spikes) << what;
  ASSERT_EQ(a.v.size(), b.v.size()) << what;
  for (size_t i = 0; i < a.v.size(); ++i)
    ASSERT_EQ(a.v[i], b.v[i]) << what << ", value " << i;
}

TEST(ReceptorLif, GenericKernelMatchesFusedKernel) {
  for (bool conductance : {false, true}) {
    const Trace fused =
        simulate(randomNetwork(700, conductance, false, false, 5), 1);
    const size_t total =
        std::count(fused.spikes.begin(), fused.spikes.end(), 1);
    EXPECT_GT(total, 1000u) << "the network must be active";
    // Per-neuron receptor parameters and a third receptor both take the
    // generic (chunked) kernel.
    expectSame(fused,
               simulate(randomNetwork(700, conductance, true, false, 5), 1),
               "per-neuron receptor parameters");
    expectSame(fused,
               simulate(randomNetwork(700, conductance, false, true, 5), 1),
               "three receptors");
  }
}

TEST(ReceptorLif, ThreadCountsGiveIdenticalResults) {
  const Net net = randomNetwork(700, true, false, false, 9);
  const Trace one = simulate(net, 1);
  expectSame(one, simulate(net, 2), "2 threads");
  expectSame(one, simulate(net, 3), "3 threads");
}

/// Spike lists per step, as an observer of Engine::run sees them.
class ListRecorder final : public snnc::StepObserver {
public:
  ListRecorder(const snnc::Engine &e, uint32_t n) : e_(e), scratch_(n) {}
  void afterStep(int64_t step) override {
    steps.push_back(step);
    const uint32_t k = e_.spikeIndices(1, scratch_.data());
    lists.emplace_back(scratch_.begin(), scratch_.begin() + k);
  }
  std::vector<int64_t> steps;
  std::vector<std::vector<uint32_t>> lists;

private:
  const snnc::Engine &e_;
  std::vector<uint32_t> scratch_;
};

TEST(ReceptorLif, RunWithObserverMatchesSingleSteps) {
  const Net net = randomNetwork(700, true, false, false, 4);
  const uint32_t n = net.pops[1].size;
  std::vector<float> drive(50);
  for (size_t i = 0; i < drive.size(); ++i)
    drive[i] = float(i % 3 == 0); // held for the whole run
  // Reference: one thread, one step() at a time.
  auto ref = engine(net, 1);
  ASSERT_TRUE(ref);
  ref->setSource(0, drive.data());
  std::vector<std::vector<uint32_t>> expected;
  for (int t = 0; t < 250; ++t) {
    ref->step();
    const uint8_t *s = ref->spikes(1);
    expected.emplace_back();
    for (uint32_t i = 0; i < n; ++i)
      if (s[i])
        expected.back().push_back(i);
  }
  for (int threads : {1, 2, 3}) {
    auto e = engine(net, threads);
    ASSERT_TRUE(e);
    e->setSource(0, drive.data());
    ListRecorder rec(*e, n);
    // Two calls: the second continues from the first.
    e->run(100, &rec);
    e->run(150, &rec);
    ASSERT_EQ(rec.steps.size(), 250u);
    for (int t = 0; t < 250; ++t) {
      EXPECT_EQ(rec.steps[t], t);
      ASSERT_EQ(rec.lists[t], expected[t]) << threads << " threads, step " << t;
    }
    EXPECT_EQ(e->stats().steps, 250);
    std::vector<float> v(n), vr(n);
    e->readState(1, v.data());
    ref->readState(1, vr.data());
    EXPECT_EQ(v, vr) << threads << " threads";
  }
  size_t total = 0;
  for (const auto &l : expected)
    total += l.size();
  EXPECT_GT(total, 500u) << "the network must be active";
}

TEST(ReceptorLif, SessionRunsHeldInputsInOneCall) {
  // A held input and spike recordings take Engine::run; the same input as
  // a series of rows takes the step-by-step path: same spikes.
  const Net net = randomNetwork(700, true, false, false, 4);
  auto program = load(net);
  ASSERT_TRUE(program.isOk());
  std::vector<float> drive(50);
  for (size_t i = 0; i < drive.size(); ++i)
    drive[i] = float(i % 3 == 0);
  snnc::Tensor held{{50}, drive}, series{{250, 50}, {}};
  for (int t = 0; t < 250; ++t)
    series.data.insert(series.data.end(), drive.begin(), drive.end());
  std::vector<uint8_t> results[2];
  for (int k = 0; k < 2; ++k) {
    auto device = snnc::Device::open("cpu", snnc::DeviceOptions{2});
    ASSERT_TRUE(device.isOk());
    auto session = snnc::Session::create(*device, *program);
    ASSERT_TRUE(session.isOk()) << session.status().toString();
    ASSERT_TRUE((*session)->setInput("drive", k ? series : held).isOk());
    ASSERT_TRUE((*session)->record("cells").isOk());
    // Two runs: recordings keep the last run's steps only.
    ASSERT_TRUE((*session)->run(50).isOk());
    ASSERT_TRUE((*session)->run(200).isOk());
    auto spikes = (*session)->spikes("cells");
    ASSERT_TRUE(spikes.isOk());
    EXPECT_EQ(spikes->shape, (std::vector<int64_t>{200, 700}));
    results[k] = spikes->data;
  }
  // The series restarts at its first row in the second run, as held input
  // does; so both runs see the same input.
  EXPECT_TRUE(results[0] == results[1]);
  EXPECT_GT(std::count(results[0].begin(), results[0].end(), 1), 100);
}

TEST(ReceptorLif, SharedSparseWeightEqualsRepeatedWeights) {
  Net net = randomNetwork(300, false, false, false, 2);
  for (Proj &p : net.projs)
    std::fill(p.weights.begin(), p.weights.end(), 0.7f);
  Net shared = net;
  for (Proj &p : shared.projs)
    p.weights = {0.7f};
  expectSame(simulate(net, 2), simulate(shared, 2), "shared weight");
}

} // namespace
