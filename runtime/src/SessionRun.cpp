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

namespace snnc {
namespace {

double nowSeconds() {
  return std::chrono::duration<double>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

/// Appends each step's spikes of the watched populations to event lists
/// and counters. One spikeIndices call per population and step, however
/// many names watch it. Runs on the thread that called Engine::run, which
/// may already be stepping on other threads: it calls nothing but
/// spikeIndices on the engine.
class SpikeRecorder final : public StepObserver {
public:
  SpikeRecorder(const Engine &engine, int64_t firstStep)
      : engine_(engine), first_(firstStep) {}

  /// `events` and `counters` (size entries) may each be null.
  void add(uint32_t population, size_t size, SpikeEvents *events,
           uint32_t *counters) {
    auto it = std::find_if(groups_.begin(), groups_.end(), [&](const Group &g) {
      return g.population == population;
    });
    if (it == groups_.end()) {
      groups_.push_back({population, {}});
      it = groups_.end() - 1;
    }
    it->sinks.push_back({events, counters});
    scratch_.resize(std::max(scratch_.size(), size));
  }
  bool empty() const { return groups_.empty(); }

  void afterStep(int64_t step) override {
    const uint32_t t = uint32_t(step - first_);
    for (const Group &g : groups_) {
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
  struct Group {
    uint32_t population;
    std::vector<Sink> sinks;
  };
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
  bool anyState = false;
  for (auto &[name, w] : watches_) {
    anyState |= w.state;
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

  SpikeRecorder recorder(*engine_, runStart_);
  size_t largest = 0;
  for (auto &[name, w] : watches_) {
    const size_t n = size_t(numElements(w.shape));
    w.steps = steps;
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
    if (w.state && !w.stateNeurons.empty())
      largest = std::max(largest, n);
    if (w.events || w.counts)
      recorder.add(w.population, n, w.events ? &w.spikes : nullptr,
                   w.counts ? w.counters.data() : nullptr);
  }
  stateScratch_.resize(std::max(stateScratch_.size(), largest));

  // Held inputs and no state to read: Engine::run, which a multithreaded
  // engine runs without a hand-over between steps.
  bool held = true;
  for (auto &[pop, values] : inputs_)
    held &= int64_t(values.data.size()) ==
            program_->fb().populations()->Get(pop)->size();
  if (held && !anyState)
    runHeld(steps, recorder);
  else
    runStepped(steps, recorder);
  return Status::ok();
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
    readStates(t);
    if (progress_ && (t & 15) == 15)
      report(t + 1, steps);
  }
}

void Session::readStates(int64_t t) {
  for (auto &[name, w] : watches_) {
    if (!w.state)
      continue;
    if (w.stateNeurons.empty()) {
      const size_t n = size_t(numElements(w.shape));
      engine_->readState(w.population, w.stateData.data() + size_t(t) * n);
      continue;
    }
    engine_->readState(w.population, stateScratch_.data());
    const size_t k = w.stateNeurons.size();
    float *row = w.stateData.data() + size_t(t) * k;
    for (size_t j = 0; j < k; ++j)
      row[j] = stateScratch_[w.stateNeurons[j]];
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
