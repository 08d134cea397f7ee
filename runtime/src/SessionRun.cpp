//===- SessionRun.cpp - Session::run: engine calls, recorders, progress ---===//
//
// Spikes are taken from the engine's spike index lists (Engine::spikeIndices)
// after each step, so a step costs the recorder time proportional to the
// spikes of the watched populations, never a scan of their neurons.
//
//===----------------------------------------------------------------------===//
#include "snnc/runtime/Session.h"

#include "snnc/schema/snnb_generated.h"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <map>

namespace snnc {
namespace {

double nowSeconds() {
  return std::chrono::duration<double>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

/// Appends each step's spikes of the watched populations to event lists
/// and counters, and the watched neurons' state to state recordings. One
/// spikeIndices / watchedState call per population and step, however many
/// names watch it. Runs on the thread that called Engine::run, which may
/// already be stepping on other threads: it calls nothing but those two
/// on the engine.
class Recorder final : public StepObserver {
public:
  Recorder(const Engine &engine, int64_t firstStep)
      : engine_(engine), first_(firstStep) {}

  /// `events` and `counters` (size entries) may each be null.
  void addSpikes(uint32_t population, size_t size, SpikeEvents *events,
                 uint32_t *counters) {
    group(population).sinks.push_back({events, counters});
    scratch_.resize(std::max(scratch_.size(), size));
  }
  /// Copies `count` watched values from `offset` of the population's
  /// watchedState into row t of `out` each step.
  void addState(uint32_t population, size_t offset, size_t count, float *out) {
    group(population).states.push_back({offset, count, out});
  }

  void afterStep(int64_t step) override {
    const uint32_t t = uint32_t(step - first_);
    for (const Group &g : groups_) {
      if (!g.states.empty()) {
        const float *v = engine_.watchedState(g.population);
        for (const StateSink &s : g.states)
          std::copy(v + s.offset, v + s.offset + s.count,
                    s.out + size_t(t) * s.count);
      }
      if (g.sinks.empty())
        continue;
      const uint32_t k = engine_.spikeIndices(g.population, scratch_.data());
      if (k == 0)
        continue;
      const uint32_t *idx = scratch_.data();
      for (const Sink &s : g.sinks) {
        if (s.events) {
          s.events->steps.insert(s.events->steps.end(), k, t);
          s.events->indices.insert(s.events->indices.end(), idx, idx + k);
        }
        if (s.counters)
          for (uint32_t i = 0; i < k; ++i)
            ++s.counters[idx[i]];
      }
    }
  }

private:
  struct Sink {
    SpikeEvents *events;
    uint32_t *counters;
  };
  struct StateSink {
    size_t offset, count;
    float *out;
  };
  struct Group {
    uint32_t population;
    std::vector<Sink> sinks;
    std::vector<StateSink> states;
  };
  Group &group(uint32_t population) {
    for (Group &g : groups_)
      if (g.population == population)
        return g;
    groups_.push_back({population, {}, {}});
    return groups_.back();
  }
  const Engine &engine_;
  int64_t first_;
  std::vector<Group> groups_;
  std::vector<uint32_t> scratch_;
};

} // namespace

void Session::setProgress(std::function<void(const RunProgress &)> progress,
                          double intervalSeconds) {
  progress_ = std::move(progress);
  progressInterval_ = intervalSeconds > 0 ? intervalSeconds : 0.5;
}

Status Session::run(int64_t steps) {
  if (steps <= 0)
    return invalidArgument("the number of steps must be positive, got " +
                           std::to_string(steps));
  for (auto &[name, w] : watches_) {
    if (w.events && steps > int64_t(UINT32_MAX))
      return invalidArgument(
          "run(" + std::to_string(steps) + "): spike events of '" + name +
          "' number steps with 32 bits; run at most 4294967295 steps at a "
          "time");
  }
  const EngineStats before = engine_->stats();
  runStart_ = before.steps;
  spikesAtStart_ = before.spikes;
  runBegan_ = lastReport_ = nowSeconds();

  Recorder recorder(*engine_, runStart_);
  // Per population, the neurons every state recording of it asks for, one
  // list after the other; the engine copies them inside each step.
  std::map<uint32_t, std::vector<uint32_t>> stateNeurons;
  for (auto &[name, w] : watches_) {
    const size_t n = size_t(numElements(w.shape));
    w.steps = steps;
    w.eventsTaken = w.stateTaken = false;
    w.spikes.shape = w.shape;
    w.spikes.numSteps = steps;
    w.spikes.steps.clear(); // keeps the capacity of the previous run
    w.spikes.indices.clear();
    if (w.counts)
      w.counters.assign(n, 0);
    else
      w.counters.clear();
    const size_t k = w.stateNeurons.empty() ? n : w.stateNeurons.size();
    w.stateData.resize(w.state ? size_t(steps) * k : 0);
    if (w.state) {
      std::vector<uint32_t> &list = stateNeurons[w.population];
      recorder.addState(w.population, list.size(), k, w.stateData.data());
      if (w.stateNeurons.empty())
        for (uint32_t i = 0; i < uint32_t(n); ++i)
          list.push_back(i);
      else
        list.insert(list.end(), w.stateNeurons.begin(), w.stateNeurons.end());
    }
    if (w.events || w.counts)
      recorder.addSpikes(w.population, n, w.events ? &w.spikes : nullptr,
                         w.counts ? w.counters.data() : nullptr);
  }
  // Every population: one watched in an earlier run and not now stops.
  const uint32_t populations = program_->fb().populations()->size();
  for (uint32_t p = 0; p < populations; ++p) {
    auto it = stateNeurons.find(p);
    if (it != stateNeurons.end())
      engine_->watchState(p, it->second);
    else if (statePopulations_.count(p))
      engine_->watchState(p, {});
  }
  statePopulations_.clear();
  for (auto &[p, list] : stateNeurons)
    statePopulations_.insert(p);
  std::vector<uint32_t> spikePopulations;
  for (auto &[name, w] : watches_)
    if (w.events || w.counts)
      spikePopulations.push_back(w.population);
  engine_->recordSpikes(spikePopulations);

  // Held inputs: Engine::run, which a multithreaded engine runs without a
  // hand-over between steps (state is copied inside the steps too).
  bool held = true;
  for (auto &[pop, values] : inputs_)
    held &= int64_t(values.data.size()) ==
            program_->fb().populations()->Get(pop)->size();
  if (!receptorWatches_.empty()) {
    // Receptor states are read between steps (SessionReceptors.cpp).
    if (Status s = recordReceptorsWhileStepping(steps, recorder); !s)
      return s;
  } else if (held) {
    runHeld(steps, recorder);
  } else {
    runStepped(steps, recorder);
  }
  return engine_->health();
}

void Session::runHeld(int64_t steps, StepObserver &observer) {
  for (auto &[pop, values] : inputs_)
    engine_->setSource(pop, values.data.data());
  if (!progress_) {
    engine_->run(steps, &observer);
    return;
  }
  // Chunks of about a quarter interval (measured), so that reports come
  // on time while the hand-overs between chunks stay rare.
  int64_t done = 0, chunk = 16;
  while (done < steps) {
    const int64_t m = std::min(chunk, steps - done);
    const double t0 = nowSeconds();
    engine_->run(m, &observer);
    const double took = nowSeconds() - t0;
    done += m;
    const double target = progressInterval_ / 4;
    chunk = took > 0 ? std::clamp(int64_t(double(m) * target / took),
                                  int64_t(1), int64_t(1) << 24)
                     : m * 2;
    report(done, steps);
  }
}

void Session::runStepped(int64_t steps, StepObserver &observer) {
  // Presented by a series shorter than the run, past its end.
  size_t largest = 0;
  for (auto &[pop, values] : inputs_)
    largest = std::max<size_t>(largest,
                               program_->fb().populations()->Get(pop)->size());
  const std::vector<float> zeros(largest, 0.0f);
  for (int64_t t = 0; t < steps; ++t) {
    for (auto &[pop, values] : inputs_) {
      const int64_t size = program_->fb().populations()->Get(pop)->size();
      const float *row;
      if (int64_t(values.data.size()) == size) {
        row = values.data.data();
      } else if (t < values.shape[0]) {
        row = values.data.data() + t * size;
      } else {
        row = zeros.data();
      }
      engine_->setSource(pop, row);
    }
    engine_->step();
    observer.afterStep(runStart_ + t);
    if (progress_ && (t & 15) == 15)
      report(t + 1, steps);
  }
}

void Session::report(int64_t done, int64_t total) {
  const double now = nowSeconds();
  if (now - lastReport_ < progressInterval_)
    return;
  lastReport_ = now;
  RunProgress p;
  p.stepsDone = done;
  p.stepsTotal = total;
  p.spikes = engine_->stats().spikes - spikesAtStart_;
  p.wallSeconds = now - runBegan_;
  progress_(p);
}

} // namespace snnc
