//===- RecordingTest.cpp - Session recordings: events, counts, state ------===//
//
// Spike events against the engine's dense spike bytes read after every
// single step (networks with every kind, delays, receptors, 1 and 2
// threads); counts against the recorded spikes; chosen-neuron state against
// the columns of a full state recording; the errors for bad selections.
// Everything is deterministic, so comparisons are exact.
//
//===----------------------------------------------------------------------===//
#include "CpuEngineNets.h"
#include "ReceptorLifNets.h"

#include "snnc/runtime/Session.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>

namespace {

using namespace snnc;
namespace sb = snnc::snnb;

std::unique_ptr<Session> open(std::shared_ptr<const Program> program,
                              int threads) {
  auto device = Device::open("cpu", DeviceOptions{threads});
  EXPECT_TRUE(device.isOk()) << device.status().toString();
  if (!device)
    return nullptr;
  auto session = Session::create(*device, program);
  EXPECT_TRUE(session.isOk()) << session.status().toString();
  return session ? std::move(*session) : nullptr;
}

// Per spiking population: the dense [T][size] spikes of `steps` single
// steps of a fresh engine with every Source held at `input`.
std::map<uint32_t, std::vector<uint8_t>>
denseReference(const Program &program, int threads, int64_t steps,
               const std::map<uint32_t, std::vector<float>> &input) {
  auto device = Device::open("cpu", DeviceOptions{threads});
  auto engine =
      (*device)->driver().instantiate(program, DeviceOptions{threads});
  EXPECT_TRUE(engine.isOk());
  std::map<uint32_t, std::vector<uint8_t>> out;
  for (int64_t t = 0; t < steps; ++t) {
    for (auto &[pop, x] : input)
      (*engine)->setSource(pop, x.data());
    (*engine)->step();
    for (uint32_t p = 0; p < program.fb().populations()->size(); ++p) {
      const uint8_t *s = (*engine)->spikes(p);
      if (!s)
        continue;
      const uint32_t n = program.fb().populations()->Get(p)->size();
      out[p].insert(out[p].end(), s, s + n);
    }
  }
  return out;
}

// Events of every spiking population equal the dense reference, spike for
// spike, and their dense form, counts and first spikes agree with it.
void expectEventsMatch(std::shared_ptr<const Program> program, int threads,
                       int64_t steps,
                       const std::map<uint32_t, std::vector<float>> &input,
                       bool withState) {
  auto ref = denseReference(*program, threads, steps, input);
  auto s = open(program, threads);
  ASSERT_TRUE(s);
  for (auto &[pop, x] : input)
    for (const PortInfo &p : program->inputs())
      if (p.population == pop) {
        ASSERT_TRUE(s->setInput(p.name, Tensor(p.shape, x)).isOk());
      }
  const auto names = program->populationNames();
  for (auto &[pop, dense] : ref)
    ASSERT_TRUE(s->record(names[pop]).isOk());
  if (withState) { // the engine copies state inside its steps as well
    ASSERT_TRUE(s->recordState(names[ref.begin()->first], {0}).isOk());
  }
  ASSERT_TRUE(s->run(steps).isOk());
  int64_t total = 0;
  for (auto &[pop, dense] : ref) {
    const std::string &name = names[pop];
    auto events = s->spikeEvents(name);
    ASSERT_TRUE(events.isOk()) << events.status().toString();
    const size_t n = dense.size() / size_t(steps);
    ASSERT_EQ(events->neurons(), int64_t(n));
    EXPECT_EQ(events->numSteps, steps);
    std::vector<uint32_t> wantSteps, wantIdx;
    for (size_t i = 0; i < dense.size(); ++i)
      if (dense[i]) {
        wantSteps.push_back(uint32_t(i / n));
        wantIdx.push_back(uint32_t(i % n));
      }
    EXPECT_EQ(events->steps, wantSteps) << name << ", " << threads << " t";
    EXPECT_EQ(events->indices, wantIdx) << name << ", " << threads << " t";
    auto spikes = s->spikes(name);
    ASSERT_TRUE(spikes.isOk());
    EXPECT_EQ(spikes->data, dense) << name;
    auto counts = s->spikeCounts(name);
    ASSERT_TRUE(counts.isOk());
    std::vector<float> want(n, 0.0f), first(n, -1.0f);
    for (size_t i = 0; i < dense.size(); ++i) {
      want[i % n] += dense[i];
      if (dense[i] && first[i % n] < 0)
        first[i % n] = float(i / n);
    }
    EXPECT_EQ(counts->data, want) << name;
    EXPECT_EQ(s->firstSpike(name)->data, first) << name;
    total += int64_t(wantIdx.size());
  }
  EXPECT_GT(total, 50) << "the network must be active";
}

TEST(Recording, EventsEqualDenseSpikesOnEveryKindWithDelays) {
  auto net = cputest::randomNet(sb::NumericMode::Float, 2, 11);
  auto program = cputest::build(net);
  std::mt19937 rng(3);
  std::map<uint32_t, std::vector<float>> input;
  input[0] = cputest::randomInput(rng, net.pops[0].size());
  for (int threads : {1, 2})
    for (bool state : {false, true}) {
      SCOPED_TRACE("threads " + std::to_string(threads) + ", state " +
                   std::to_string(state));
      expectEventsMatch(program, threads, 120, input, state);
    }
}

TEST(Recording, EventsEqualDenseSpikesInFixedMode) {
  auto net = cputest::randomNet(sb::NumericMode::Fixed, 2, 5);
  auto program = cputest::build(net);
  std::mt19937 rng(8);
  std::map<uint32_t, std::vector<float>> input;
  input[0] = cputest::randomInput(rng, net.pops[0].size());
  expectEventsMatch(program, 2, 100, input, false);
}

TEST(Recording, EventsEqualDenseSpikesOnARecurrentReceptorNetwork) {
  const receptortest::Net net =
      receptortest::randomNetwork(900, true, false, false, 7);
  auto program = receptortest::load(net);
  ASSERT_TRUE(program.isOk());
  std::map<uint32_t, std::vector<float>> input;
  for (int i = 0; i < 50; ++i)
    input[0].push_back(float(i % 3 == 0));
  for (int threads : {1, 2})
    expectEventsMatch(*program, threads, 200, input, threads == 2);
}

TEST(Recording, CountsWithoutRecordingEqualTheRecordedSpikes) {
  const receptortest::Net net =
      receptortest::randomNetwork(600, false, false, false, 9);
  auto program = receptortest::load(net);
  ASSERT_TRUE(program.isOk());
  Tensor drive({50}, std::vector<float>(50, 1.0f));
  auto counted = open(*program, 2), recorded = open(*program, 1);
  ASSERT_TRUE(counted && recorded);
  ASSERT_TRUE(counted->setInput("drive", drive).isOk());
  ASSERT_TRUE(recorded->setInput("drive", drive).isOk());
  ASSERT_TRUE(counted->count("cells").isOk());
  ASSERT_TRUE(recorded->record("cells").isOk());
  // Two runs: counts cover the last run only, as the recording does.
  for (int64_t steps : {30, 250}) {
    ASSERT_TRUE(counted->run(steps).isOk());
    ASSERT_TRUE(recorded->run(steps).isOk());
  }
  EXPECT_EQ(counted->spikeEvents("cells").status().code(),
            StatusCode::kFailedPrecondition);
  auto counts = counted->spikeCounts("cells");
  ASSERT_TRUE(counts.isOk()) << counts.status().toString();
  auto events = recorded->spikeEvents("cells");
  ASSERT_TRUE(events.isOk());
  EXPECT_EQ(counts->data, countSpikes(*events).data);
  float sum = 0;
  for (float c : counts->data)
    sum += c;
  EXPECT_EQ(int64_t(sum), int64_t(events->size()));
  EXPECT_GT(sum, 200.0f);
  auto rates = counted->spikeRates("cells");
  ASSERT_TRUE(rates.isOk());
  const double seconds = 250 * (*program)->dt();
  for (size_t i = 0; i < counts->data.size(); ++i)
    EXPECT_FLOAT_EQ(rates->data[i], float(counts->data[i] / seconds));
}

TEST(Recording, ChosenNeuronsEqualColumnsOfTheFullState) {
  auto net = cputest::randomNet(sb::NumericMode::Float, 2, 4);
  auto program = cputest::build(net);
  std::mt19937 rng(5);
  Tensor x({int64_t(net.pops[0].size())},
           cputest::randomInput(rng, net.pops[0].size()));
  const auto names = program->populationNames();
  // A spiking (LIF, p1) and a graded (LI, p4) population.
  for (uint32_t pop : {1u, 4u}) {
    const std::string name = names[pop];
    const int64_t n = net.pops[pop].size();
    const std::vector<int64_t> chosen{n - 1, 0, 7, 7, 3};
    auto full = open(program, 2), part = open(program, 2);
    ASSERT_TRUE(full && part);
    ASSERT_TRUE(full->setInput("in_p0", x).isOk());
    ASSERT_TRUE(part->setInput("in_p0", x).isOk());
    ASSERT_TRUE(full->recordState(name).isOk());
    ASSERT_TRUE(part->recordState(name, chosen).isOk());
    ASSERT_TRUE(full->run(60).isOk());
    ASSERT_TRUE(part->run(60).isOk());
    auto all = full->state(name), some = part->state(name);
    ASSERT_TRUE(all.isOk() && some.isOk()) << some.status().toString();
    EXPECT_EQ(some->shape, (std::vector<int64_t>{60, int64_t(chosen.size())}));
    EXPECT_EQ(*part->stateNeurons(name), chosen);
    bool moved = false;
    for (int64_t t = 0; t < 60; ++t)
      for (size_t j = 0; j < chosen.size(); ++j) {
        const float want = all->data[size_t(t * n + chosen[j])];
        EXPECT_EQ(some->data[size_t(t) * chosen.size() + j], want)
            << name << " step " << t << " neuron " << chosen[j];
        moved |= want != all->data[size_t(chosen[j])];
      }
    EXPECT_TRUE(moved) << name << ": the state must change over the run";
  }
}

// State recorded by a Session in held runs (the engine copies the watched
// neurons inside its steps, on every thread) against readState after each
// single step of a fresh engine: a chosen selection over two runs, then
// every neuron after a reset.
void expectStateMatchesReadState(std::shared_ptr<const Program> program,
                                 int threads, const std::string &port,
                                 const Tensor &x, uint32_t pop) {
  const int64_t steps = 80;
  auto device = Device::open("cpu", DeviceOptions{threads});
  auto engine =
      (*device)->driver().instantiate(*program, DeviceOptions{threads});
  ASSERT_TRUE(engine.isOk());
  const uint32_t source = [&] {
    for (const PortInfo &p : program->inputs())
      if (p.name == port)
        return p.population;
    return 0u;
  }();
  const int64_t n = program->fb().populations()->Get(pop)->size();
  std::vector<float> ref(size_t(steps * n));
  for (int64_t t = 0; t < steps; ++t) {
    (*engine)->setSource(source, x.data.data());
    (*engine)->step();
    (*engine)->readState(pop, ref.data() + t * n);
  }
  const std::string name = program->populationNames()[pop];
  auto s = open(program, threads);
  ASSERT_TRUE(s);
  ASSERT_TRUE(s->setInput(port, x).isOk());
  const std::vector<int64_t> chosen{n - 1, 0, n / 2, n / 2, 1};
  ASSERT_TRUE(s->recordState(name, chosen).isOk());
  // Spikes recorded beside the state share the population's recorder.
  if (*s->isSpiking(name)) {
    ASSERT_TRUE(s->record(name).isOk());
  }
  ASSERT_TRUE(s->run(steps / 2).isOk());
  ASSERT_TRUE(s->run(steps / 2).isOk()); // the second half
  auto got = s->state(name);
  ASSERT_TRUE(got.isOk()) << got.status().toString();
  ASSERT_EQ(got->shape, (std::vector<int64_t>{steps / 2, 5}));
  for (int64_t t = 0; t < steps / 2; ++t)
    for (size_t j = 0; j < chosen.size(); ++j)
      EXPECT_EQ(got->data[size_t(t) * chosen.size() + j],
                ref[size_t((t + steps / 2) * n + chosen[j])])
          << name << ", " << threads << " threads, step " << t + steps / 2
          << ", neuron " << chosen[j];
  bool moved = false;
  for (size_t i = size_t(n); i < ref.size(); ++i)
    moved |= ref[i] != ref[i % size_t(n)];
  EXPECT_TRUE(moved) << name << ": the state must change over the run";
  // Every neuron, after a reset, from the first step.
  s->reset();
  ASSERT_TRUE(s->setInput(port, x).isOk());
  ASSERT_TRUE(s->recordState(name).isOk());
  ASSERT_TRUE(s->run(steps).isOk());
  auto all = s->state(name);
  ASSERT_TRUE(all.isOk());
  EXPECT_EQ(all->data, ref) << name << ", " << threads << " threads";
}

TEST(Recording, HeldRunStateEqualsStepByStepReadState) {
  for (sb::NumericMode mode :
       {sb::NumericMode::Float, sb::NumericMode::Fixed}) {
    auto net = cputest::randomNet(mode, 4, 11);
    auto program = cputest::build(net);
    std::mt19937 rng(3);
    Tensor x({int64_t(net.pops[0].size())},
             cputest::randomInput(rng, net.pops[0].size()));
    for (int threads : {1, 2})
      for (uint32_t pop : {1u, 4u})
        expectStateMatchesReadState(program, threads, "in_p0", x, pop);
  }
  const receptortest::Net net =
      receptortest::randomNetwork(2000, true, false, false, 3);
  auto program = receptortest::load(net);
  ASSERT_TRUE(program.isOk());
  const Tensor drive({50}, std::vector<float>(50, 1));
  const auto names = (*program)->populationNames();
  const uint32_t cells =
      uint32_t(std::find(names.begin(), names.end(), "cells") - names.begin());
  ASSERT_LT(cells, names.size());
  for (int threads : {1, 2})
    expectStateMatchesReadState(*program, threads, "drive", drive, cells);
}

TEST(Recording, TakingARecordingMovesItOutUntilTheNextRun) {
  auto net = cputest::randomNet(sb::NumericMode::Float, 2, 4);
  auto program = cputest::build(net);
  std::mt19937 rng(5);
  Tensor x({int64_t(net.pops[0].size())},
           cputest::randomInput(rng, net.pops[0].size()));
  const std::string lif = program->populationNames()[1];
  auto s = open(program, 2);
  ASSERT_TRUE(s);
  ASSERT_TRUE(s->setInput("in_p0", x).isOk());
  ASSERT_TRUE(s->record(lif).isOk());
  ASSERT_TRUE(s->recordState(lif, {3, 1}).isOk());
  ASSERT_TRUE(s->run(40).isOk());
  const SpikeEvents events = *s->spikeEvents(lif);
  const Tensor state = *s->state(lif);
  const Tensor counts = *s->spikeCounts(lif);
  ASSERT_GT(events.size(), 0u);
  auto e = s->takeSpikeEvents(lif);
  auto v = s->takeState(lif);
  ASSERT_TRUE(e.isOk() && v.isOk());
  EXPECT_EQ(e->steps, events.steps);
  EXPECT_EQ(e->indices, events.indices);
  EXPECT_EQ(v->shape, state.shape);
  EXPECT_EQ(v->data, state.data);
  // Gone until the next run; counts stay.
  Status st = s->spikeEvents(lif).status();
  EXPECT_EQ(st.code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(st.message().find("takeSpikeEvents"), std::string::npos)
      << st.message();
  EXPECT_EQ(s->takeState(lif).status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(s->firstSpike(lif).status().code(),
            StatusCode::kFailedPrecondition);
  EXPECT_EQ(s->spikeCounts(lif)->data, counts.data);
  ASSERT_TRUE(s->run(40).isOk());
  EXPECT_TRUE(s->spikeEvents(lif).isOk());
  EXPECT_EQ(s->state(lif)->shape, state.shape);
}

TEST(Recording, BadSelectionsNameTheNodeAndTheIndex) {
  auto net = cputest::randomNet(sb::NumericMode::Float, 1, 2);
  auto program = cputest::build(net);
  auto s = open(program, 1);
  ASSERT_TRUE(s);
  const auto names = program->populationNames();
  const std::string lif = names[1], li = names[4];
  const int64_t n = net.pops[1].size();
  Status st = s->recordState(lif, {0, n});
  EXPECT_EQ(st.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(st.message().find("'" + lif + "'"), std::string::npos)
      << st.message();
  EXPECT_NE(st.message().find("index " + std::to_string(n)), std::string::npos)
      << st.message();
  st = s->recordState(lif, {-1});
  EXPECT_NE(st.message().find("index -1"), std::string::npos) << st.message();
  st = s->recordState(lif, std::vector<int64_t>{});
  EXPECT_EQ(st.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(s->recordState("nope", {0}).code(), StatusCode::kNotFound);
  st = s->count(li);
  EXPECT_EQ(st.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(st.message().find("does not spike"), std::string::npos);
  // A failed selection leaves nothing selected.
  ASSERT_TRUE(s->run(5).isOk());
  EXPECT_EQ(s->state(lif).status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(s->spikeCounts(lif).status().code(),
            StatusCode::kFailedPrecondition);
  EXPECT_EQ(s->spikes(li).status().code(), StatusCode::kInvalidArgument);
}

TEST(Recording, ProgressIsReportedDuringARun) {
  const receptortest::Net net =
      receptortest::randomNetwork(2000, true, false, false, 3);
  auto program = receptortest::load(net);
  ASSERT_TRUE(program.isOk());
  auto s = open(*program, 1);
  ASSERT_TRUE(s);
  ASSERT_TRUE(
      s->setInput("drive", Tensor({50}, std::vector<float>(50, 1))).isOk());
  ASSERT_TRUE(s->count("cells").isOk());
  std::vector<RunProgress> seen;
  s->setProgress([&](const RunProgress &p) { seen.push_back(p); }, 1e-9);
  ASSERT_TRUE(s->run(400).isOk());
  ASSERT_FALSE(seen.empty());
  for (size_t i = 1; i < seen.size(); ++i) {
    EXPECT_GT(seen[i].stepsDone, seen[i - 1].stepsDone);
    EXPECT_GE(seen[i].spikes, seen[i - 1].spikes);
  }
  EXPECT_EQ(seen.back().stepsDone, 400);
  EXPECT_EQ(seen.back().stepsTotal, 400);
  EXPECT_EQ(seen.back().spikes, s->stats().spikes);
  // Chunked runs give the same counts as one call.
  auto plain = open(*program, 1);
  ASSERT_TRUE(
      plain->setInput("drive", Tensor({50}, std::vector<float>(50, 1))).isOk());
  ASSERT_TRUE(plain->count("cells").isOk());
  ASSERT_TRUE(plain->run(400).isOk());
  EXPECT_EQ(plain->spikeCounts("cells")->data, s->spikeCounts("cells")->data);
}

} // namespace
