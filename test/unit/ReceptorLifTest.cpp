//===- ReceptorLifTest.cpp - Receptor neurons, refractoriness, scheduling -===//
//
// ReceptorLIF populations (current and conductance receptors, refractory
// period) against a scalar model written from docs/runtime.md; the fused
// and generic kernels against each other; thread counts against each other;
// and the artifact checks of schema version 2. Float results are compared
// exactly: the engine promises the written order of operations.
//
//===----------------------------------------------------------------------===//
#include "CpuDriver.h"
#include "snnc/runtime/Program.h"
#include "snnc/runtime/Session.h"
#include "snnc/schema/snnb_generated.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>

namespace {

namespace sb = snnc::snnb;

struct Rec {
  std::string name;
  bool conductance = false;
  std::vector<float> decay, gain, reversal;
};

struct Pop {
  std::string name;
  sb::NeuronKind kind = sb::NeuronKind::ReceptorLIF;
  uint32_t size = 1;
  std::vector<float> beta, leak, th, reset, init, alpha;
  std::vector<Rec> receptors;
  uint32_t refractory = 0;
};

struct Proj {
  uint32_t source = 0, target = 0;
  std::vector<uint32_t> rowStart, targets;
  std::vector<float> weights;
  bool recurrent = false;
  uint8_t receptor = 0;
};

struct Net {
  std::vector<Pop> pops;
  std::vector<Proj> projs;
  uint32_t version = snnc::kSnnbSchemaVersion;
  sb::NumericMode mode = sb::NumericMode::Float;
  sb::ResetTiming timing = sb::ResetTiming::SameStep;
};

template <typename T>
flatbuffers::Offset<flatbuffers::Vector<T>>
vec(flatbuffers::FlatBufferBuilder &b, const std::vector<T> &v) {
  return v.empty() ? 0 : b.CreateVector(v);
}

std::vector<uint8_t> bytes(const Net &net) {
  flatbuffers::FlatBufferBuilder b;
  std::vector<flatbuffers::Offset<sb::Population>> pops;
  std::vector<flatbuffers::Offset<sb::Port>> inputs;
  for (uint32_t i = 0; i < net.pops.size(); ++i) {
    const Pop &p = net.pops[i];
    std::vector<flatbuffers::Offset<sb::Receptor>> rs;
    for (const Rec &r : p.receptors)
      rs.push_back(sb::CreateReceptor(
          b, b.CreateString(r.name),
          r.conductance ? sb::ReceptorType::Conductance
                        : sb::ReceptorType::Current,
          vec(b, r.decay), vec(b, r.gain), vec(b, r.reversal)));
    const std::vector<int64_t> shape{p.size};
    flatbuffers::Offset<sb::FixedNeuron> fx = 0;
    if (net.mode == sb::NumericMode::Fixed)
      fx = sb::CreateFixedNeuron(b);
    pops.push_back(sb::CreatePopulation(
        b, b.CreateString(p.name), p.kind, b.CreateVector(shape), p.size,
        vec(b, p.alpha), vec(b, p.beta), 0, 0, 0, vec(b, p.leak), 0,
        vec(b, p.th), vec(b, p.reset), vec(b, p.init), fx,
        rs.empty() ? 0 : b.CreateVector(rs), p.refractory));
    if (p.kind == sb::NeuronKind::Source)
      inputs.push_back(
          sb::CreatePort(b, b.CreateString(p.name), i, b.CreateVector(shape)));
  }
  std::vector<flatbuffers::Offset<sb::Projection>> projs;
  for (const Proj &p : net.projs) {
    auto sp =
        sb::CreateSparse(b, b.CreateVector(p.rowStart),
                         b.CreateVector(p.targets), b.CreateVector(p.weights));
    flatbuffers::Offset<sb::FixedWeights> fw = 0;
    if (net.mode == sb::NumericMode::Fixed)
      fw = sb::CreateFixedWeights(
          b, 8, 0, b.CreateVector(std::vector<int16_t>(p.weights.size(), 1)));
    projs.push_back(sb::CreateProjection(
        b, b.CreateString("proj"), p.source, p.target, sb::Connectivity::Sparse,
        sp.Union(), 0, p.recurrent, fw, p.receptor));
  }
  auto disc = sb::CreateDiscretization(b, b.CreateString("test"), 1e-3,
                                       sb::ResetMode::ToReset, net.timing);
  auto root = sb::CreateProgram(b, net.version, b.CreateString("test"),
                                b.CreateString("net"), net.mode, disc,
                                b.CreateVector(pops), b.CreateVector(projs),
                                b.CreateVector(inputs));
  sb::FinishProgramBuffer(b, root);
  return {b.GetBufferPointer(), b.GetBufferPointer() + b.GetSize()};
}

snnc::StatusOr<std::shared_ptr<const snnc::Program>> load(const Net &net) {
  return snnc::Program::fromBytes(bytes(net), "test.snnb");
}

std::unique_ptr<snnc::Engine> engine(const Net &net, int threads = 1) {
  auto program = load(net);
  EXPECT_TRUE(program.isOk()) << program.status().toString();
  if (!program.isOk())
    return nullptr;
  auto e = snnc::makeCpuDriver()->instantiate(**program,
                                              snnc::DeviceOptions{threads});
  EXPECT_TRUE(e.isOk()) << e.status().toString();
  return e.isOk() ? std::move(e).value() : nullptr;
}

/// One source neuron per receptor, each feeding neuron 0 of population 1
/// on that receptor with `weight`.
Net singleNeuron(const Pop &target, float weight) {
  Net net;
  for (size_t c = 0; c < target.receptors.size(); ++c) {
    Pop s;
    s.name = "in" + std::to_string(c);
    s.kind = sb::NeuronKind::Source;
    net.pops.push_back(s);
  }
  net.pops.push_back(target);
  const uint32_t t = uint32_t(net.pops.size() - 1);
  for (uint32_t c = 0; c < target.receptors.size(); ++c)
    net.projs.push_back({c, t, {0, 1}, {0}, {weight}, false, uint8_t(c)});
  return net;
}

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

Pop excInhNeuron() {
  Pop p;
  p.name = "cell";
  p.beta = {0.95f};
  p.leak = {0.06f};
  p.th = {1.0f};
  p.reset = {0.0f};
  p.init = {0.3f};
  p.refractory = 3;
  p.receptors = {{"exc", false, {0.9f}, {0.05f}, {}},
                 {"inh", true, {0.8f}, {0.01f}, {-2.0f}}};
  return p;
}

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

/// A random recurrent network of ReceptorLIF neurons (exc/inh, current or
/// conductance receptors) driven by a Source of `inputs` neurons.
Net randomNetwork(uint32_t n, bool conductance, bool perNeuronReceptors,
                  bool extraReceptor, uint32_t seed) {
  std::mt19937 rng(seed);
  Net net;
  Pop src;
  src.name = "drive";
  src.kind = sb::NeuronKind::Source;
  src.size = 50;
  Pop cells;
  cells.name = "cells";
  cells.size = n;
  cells.beta = {0.96f};
  cells.leak = {0.0f};
  cells.th = {1.0f};
  cells.reset = {0.0f};
  cells.refractory = 2;
  std::uniform_real_distribution<float> u(0.0f, 1.0f);
  for (uint32_t i = 0; i < n; ++i)
    cells.init.push_back(u(rng));
  auto param = [&](float x) {
    return perNeuronReceptors ? std::vector<float>(n, x)
                              : std::vector<float>{x};
  };
  Rec exc{"exc", conductance, param(0.85f), param(0.08f), {}};
  Rec inh{"inh", conductance, param(0.9f), param(0.05f), {}};
  if (conductance) {
    exc.reversal = param(4.0f);
    inh.reversal = param(-1.0f);
  }
  cells.receptors = {exc, inh};
  if (extraReceptor) // a silent third channel: adds exact zeros
    cells.receptors.push_back({"extra", false, {0.5f}, {0.0f}, {}});
  net.pops = {src, cells};
  auto sparse = [&](uint32_t sources, double p, float w, uint32_t from,
                    bool recurrent, uint8_t receptor, uint32_t first) {
    Proj pj;
    pj.source = from, pj.target = 1, pj.recurrent = recurrent;
    pj.receptor = receptor;
    pj.rowStart.push_back(0);
    std::bernoulli_distribution edge(p);
    for (uint32_t j = 0; j < sources; ++j) {
      if (j >= first)
        for (uint32_t i = 0; i < n; ++i)
          if (edge(rng)) {
            pj.targets.push_back(i);
            pj.weights.push_back(w * (0.5f + u(rng)));
          }
      pj.rowStart.push_back(uint32_t(pj.targets.size()));
    }
    net.projs.push_back(pj);
  };
  sparse(50, 0.2, 1.0f, 0, false, 0, 0);    // drive -> exc
  sparse(n, 0.05, 0.6f, 1, true, 0, n / 5); // last 80 %: excitatory
  // First 20 %: inhibitory (rows of the rest empty).
  Proj &last = (sparse(n, 0.05, 1.5f, 1, true, 1, 0), net.projs.back());
  for (uint32_t j = n / 5; j < n; ++j)
    last.rowStart[j + 1] = last.rowStart[n / 5];
  last.targets.resize(last.rowStart[n / 5]);
  last.weights.resize(last.rowStart[n / 5]);
  return net;
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

// --- The artifact checks ---------------------------------------------------

void expectRefused(const Net &net, snnc::StatusCode code,
                   const std::string &text) {
  auto program = load(net);
  ASSERT_FALSE(program.isOk()) << "accepted; expected: " << text;
  EXPECT_EQ(program.status().code(), code) << program.status().toString();
  EXPECT_NE(program.status().message().find(text), std::string::npos)
      << program.status().toString();
}

TEST(ReceptorLifArtifact, RefusesWhatItCannotRun) {
  const Net good = singleNeuron(excInhNeuron(), 1.0f);
  ASSERT_TRUE(load(good).isOk());
  auto dataLoss = snnc::StatusCode::kDataLoss;
  {
    Net n = good;
    n.pops[2].receptors.clear();
    n.projs.clear();
    expectRefused(n, dataLoss, "needs 1 to 8 receptors, has 0");
  }
  {
    Net n = good;
    n.projs[1].receptor = 2;
    expectRefused(n, dataLoss, "receptor 2 does not exist; the target has 2");
  }
  {
    Net n = good;
    n.pops[2].receptors[1].reversal.clear();
    expectRefused(n, dataLoss,
                  "receptor 1 ('inh'): a conductance receptor "
                  "needs a reversal potential");
  }
  {
    Net n = good;
    n.pops[2].receptors[0].reversal = {1.0f};
    expectRefused(n, dataLoss, "a current receptor takes no reversal");
  }
  {
    Net n = good;
    n.pops[2].receptors[0].decay = {0.5f, 0.5f};
    expectRefused(n, dataLoss, "'decay' has 2 values, expected 1 or 1");
  }
  {
    Net n = good;
    n.pops[2].alpha = {0.5f};
    expectRefused(n, dataLoss, "takes no alpha");
  }
  {
    Net n = good;
    n.pops[2].kind = sb::NeuronKind::LIF;
    expectRefused(n, dataLoss, "belong to ReceptorLIF populations only");
  }
  {
    Net n = good;
    n.version = 1;
    expectRefused(n, dataLoss, "ReceptorLIF needs schema version 2");
  }
  {
    Net n = good;
    n.version = snnc::kSnnbSchemaVersion + 1;
    expectRefused(n, snnc::StatusCode::kUnimplemented, "reads versions 1 to");
  }
  {
    Net n = good;
    n.mode = sb::NumericMode::Fixed;
    expectRefused(n, snnc::StatusCode::kUnimplemented,
                  "population 2 ('cell') is a ReceptorLIF population, which "
                  "has no fixed-point form yet");
  }
  {
    Net n = good;
    n.timing = sb::ResetTiming::NextStep;
    expectRefused(n, snnc::StatusCode::kUnimplemented,
                  "the network asks for NextStep reset timing");
  }
  {
    Net n = good;
    n.projs[0].weights = {1.0f, 2.0f};
    n.projs[0].targets = {0};
    expectRefused(n, dataLoss, "sparse offsets, targets and weights disagree");
  }
}

TEST(ReceptorLifArtifact, CorruptBytesAreRefusedOrRunSafely) {
  // Every byte of a small ReceptorLIF artifact flipped: the loader refuses
  // the file or, when it still verifies, the engine runs it (under the
  // sanitizers in CI) without reading or writing out of bounds.
  Net net = randomNetwork(70, true, false, false, 8);
  const std::vector<uint8_t> full = bytes(net);
  auto driver = snnc::makeCpuDriver();
  int refused = 0, ran = 0;
  std::vector<float> drive(50, 1.0f);
  for (size_t i = 0; i < full.size(); i += 3)
    for (uint8_t flip : {0x01, 0x10, 0x80, 0xFF}) {
      std::vector<uint8_t> bad = full;
      bad[i] ^= flip;
      auto p = snnc::Program::fromBytes(bad, "flip.snnb");
      if (!p.isOk()) {
        ++refused;
        EXPECT_NE(p.status().message().find("flip.snnb"), std::string::npos);
        continue;
      }
      auto e = driver->instantiate(**p, snnc::DeviceOptions{2});
      if (!e.isOk())
        continue; // e.g. a size grown beyond memory: a Status, not a crash
      for (uint32_t pop = 0; pop < (*p)->fb().populations()->size(); ++pop)
        if ((*p)->fb().populations()->Get(pop)->kind() ==
                sb::NeuronKind::Source &&
            (*p)->fb().populations()->Get(pop)->size() == drive.size())
          (*e)->setSource(pop, drive.data());
      (*e)->run(5, nullptr);
      ++ran;
    }
  EXPECT_GT(refused, 0);
  EXPECT_GT(ran, 0);
}

TEST(ReceptorLifArtifact, VersionOneFilesStillLoad) {
  Net n = singleNeuron(excInhNeuron(), 1.0f);
  for (Pop &p : n.pops)
    if (p.kind == sb::NeuronKind::ReceptorLIF) {
      p.kind = sb::NeuronKind::LIF;
      p.receptors.clear();
      p.refractory = 0;
    }
  for (Proj &p : n.projs)
    p.receptor = 0;
  n.version = 1;
  EXPECT_TRUE(load(n).isOk());
}

} // namespace
