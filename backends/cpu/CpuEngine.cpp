//===- CpuEngine.cpp - The float and fixed CPU engines --------------------===//
//
// One class template serves both modes: W = float (float mode) or int32_t
// (fixed mode, where weights are mantissas and state is integers). All
// buffers are sized at instantiation; step() never allocates.
//
//===----------------------------------------------------------------------===//
#include "CpuEngine.h"

#include "Aligned.h"
#include "FixedPoint.h"
#include "Model.h"
#include "Neurons.h"
#include "PoissonNeurons.h"
#include "Propagate.h"
#include "ThreadPool.h"

#include <algorithm>
#include <cstring>
#include <new>
#include <system_error>
#include <thread>
#include <type_traits>

namespace snnc::cpu {

// The shared model (backends/model) under the names the engine uses.
using namespace snnc::model;
namespace {

using snnb::NeuronKind;

/// The ring slot of `step` (power-of-two rings without a division).
inline uint32_t ringSlot(int64_t step, uint32_t slots) {
  const uint64_t s = uint64_t(step);
  return uint32_t((slots & (slots - 1)) == 0 ? s & (slots - 1) : s % slots);
}

/// Elements before, between and after the threads' slices of a per-neuron
/// array (a multiple of 64, so that slices stay cache-line aligned): more
/// than the hardware prefetchers run ahead of a stream, even in bytes.
constexpr size_t kSliceGap = 1024;

template <typename W> class CpuEngine final : public Engine {
  static constexpr bool kFixed = std::is_same_v<W, int32_t>;
  using State = std::conditional_t<kFixed, int32_t, float>;
  using Acc = std::conditional_t<kFixed, int64_t, float>;
  using Ops = std::conditional_t<kFixed, FixedOps, FloatOps>;

public:
  CpuEngine(Model<W> model, unsigned threads);

  void reset() override;
  void setSource(uint32_t population, const float *values) override;
  void step() override;
  void run(int64_t steps, StepObserver *observer) override;
  const uint8_t *spikes(uint32_t population) const override;
  uint32_t spikeIndices(uint32_t population, uint32_t *out) const override;
  void readState(uint32_t population, float *out) const override;
  Status readReceptorState(uint32_t population, uint32_t receptor,
                           const std::vector<uint32_t> &neurons,
                           float *out) const override;
  void watchState(uint32_t population,
                  const std::vector<uint32_t> &neurons) override;
  const float *watchedState(uint32_t population) const override;
  EngineStats stats() const override;

private:
  /// Per-neuron arrays hold each thread's slice between gaps of kSliceGap
  /// elements (neuron n of thread m at n + shift[m]; every channel and
  /// ring slot of `stride` elements has the same layout): the
  /// hardware prefetcher, streaming one thread's slice, would otherwise
  /// fetch the first lines of the next one, which another core writes
  /// every step, and the lines would bounce between the cores (measured:
  /// two threads were slower than one on the Vogels-Abbott networks).
  struct PopulationState {
    std::vector<size_t> shift; ///< per thread
    size_t stride = 0;         ///< per channel and per ring slot
    AlignedVector<State> v, u, input;
    AlignedVector<int32_t> refractory; ///< ReceptorLIF: steps left
    AlignedVector<uint8_t> spikes;
    /// ringSlots x channels x stride input accumulators
    AlignedVector<Acc> ring;
    /// spikes() without the gaps, rebuilt when asked after a new step.
    mutable AlignedVector<uint8_t> spikeView;
    mutable int64_t viewStep = -1;
    /// Per step parity, per thread: a thread may still deliver step t's
    /// lists while another already writes step t + 1's.
    std::vector<ActiveList<State>> active[2];
    /// watchState: per thread, (neuron, position) of the watched neurons
    /// in its slice; each thread copies them right after its update, into
    /// the buffer of the step's parity (the observer of step t reads it
    /// while step t + 1 writes the other; step t + 2 cannot begin before
    /// the observer returns, since its barrier waits for member 0).
    std::vector<std::vector<std::pair<uint32_t, uint32_t>>> watch;
    std::vector<float> watched[2];
  };
  /// Per-thread counters, each on its own cache line.
  struct alignas(64) Counters {
    int64_t spikes = 0, events = 0;
  };

  /// The step job; the pool references it between steps.
  struct Job {
    CpuEngine *engine;
    void operator()(unsigned member) const { engine->runSteps(member); }
  };

  /// Runs steps [stepBase_, stepBase_ + stepCount_) on one member; member 0
  /// tells the observer after each.
  void runSteps(unsigned member);
  void runMember(unsigned member, int64_t step);
  void update(uint32_t population, unsigned member, int64_t step);
  void propagate(uint32_t projection, unsigned member, int64_t step);
  /// Copies this member's watched neurons of a population after its update.
  void capture(uint32_t population, unsigned member, int64_t step);
  /// Waits until every worker has finished the last step's job.
  void settle() const {
    if (pool_)
      pool_->wait();
  }

  Model<W> model_;
  unsigned threads_;
  std::vector<PopulationState> pops_;
  std::vector<Counters> counters_;
  int64_t steps_ = 0;
  // What the next launch runs; written by the caller before it launches
  // and read by every member at the start of its job.
  int64_t stepBase_ = 0, stepCount_ = 0;
  StepObserver *observer_ = nullptr;
  /// The step whose outputs spikeIndices() gives; member 0's alone.
  int64_t lastStep_ = -1;
  Job job_{this};
  /// Last: destroyed first, so that its threads finish before the state
  /// they use goes away. Null when single-threaded.
  std::unique_ptr<ThreadPool> pool_;
};

template <typename W>
CpuEngine<W>::CpuEngine(Model<W> model, unsigned threads)
    : model_(std::move(model)), threads_(threads), counters_(threads) {
  pops_.resize(model_.populations.size());
  for (size_t i = 0; i < pops_.size(); ++i) {
    const PopulationModel &pm = model_.populations[i];
    PopulationState &ps = pops_[i];
    // One thread has nothing to share: no gaps.
    const size_t gap = threads_ > 1 ? kSliceGap : 0;
    for (unsigned m = 0; m < threads_; ++m)
      ps.shift.push_back((m + 1) * gap);
    ps.stride = paddedSize(pm.size + (threads_ + 1) * gap);
    ps.v.resize(ps.stride);
    if (pm.cuba)
      ps.u.resize(ps.stride);
    if (pm.kind == NeuronKind::ReceptorLIF) {
      ps.u.resize(pm.stateChannels * ps.stride); // receptor states
      ps.refractory.resize(ps.stride);
    }
    if (pm.kind == NeuronKind::Source)
      ps.input.resize(ps.stride);
    if (pm.spiking) {
      ps.spikes.resize(ps.stride);
      ps.spikeView.resize(pm.size);
    }
    ps.ring.resize(pm.ringSlots * pm.channels * ps.stride);
    for (auto &lists : ps.active) {
      lists.resize(threads_);
      for (unsigned m = 0; m < threads_; ++m) {
        lists[m].index.resize(pm.slices[m].size());
        if (!pm.spiking || pm.counts || pm.multiSpike)
          lists[m].value.resize(pm.slices[m].size());
      }
    }
  }
  if (threads_ > 1)
    pool_ = std::make_unique<ThreadPool>(threads_);
  reset();
}

template <typename W> void CpuEngine<W>::reset() {
  settle();
  for (size_t i = 0; i < pops_.size(); ++i) {
    const PopulationModel &pm = model_.populations[i];
    PopulationState &ps = pops_[i];
    const bool membrane =
        pm.kind != NeuronKind::Source && pm.kind != NeuronKind::PoissonSource &&
        pm.kind != NeuronKind::Relay && pm.kind != NeuronKind::Threshold;
    std::fill(ps.v.begin(), ps.v.end(), State{});
    if (membrane)
      for (unsigned m = 0; m < threads_; ++m)
        for (uint32_t n = pm.slices[m].lo; n < pm.slices[m].hi; ++n) {
          if constexpr (kFixed)
            ps.v[ps.shift[m] + n] = pm.fix.vInit[n];
          else
            ps.v[ps.shift[m] + n] = pm.flt.vInit[n];
        }
    ps.viewStep = -1;
    std::fill(ps.u.begin(), ps.u.end(), State{});
    std::fill(ps.refractory.begin(), ps.refractory.end(), 0);
    std::fill(ps.input.begin(), ps.input.end(), State{});
    std::fill(ps.spikes.begin(), ps.spikes.end(), uint8_t{0});
    std::fill(ps.ring.begin(), ps.ring.end(), Acc{});
    for (auto &lists : ps.active)
      for (ActiveList<State> &l : lists)
        l.count = 0;
  }
  std::fill(counters_.begin(), counters_.end(), Counters{});
  steps_ = 0;
  lastStep_ = -1;
}

template <typename W>
void CpuEngine<W>::setSource(uint32_t population, const float *values) {
  if (population >= pops_.size())
    return;
  const PopulationModel &pm = model_.populations[population];
  if (pm.kind != NeuronKind::Source)
    return; // only Sources take values; the Session checks its ports
  const PopulationState &ps = pops_[population];
  for (unsigned m = 0; m < threads_; ++m) {
    const Range r = pm.slices[m];
    State *in = pops_[population].input.data() + ps.shift[m];
    if constexpr (kFixed) {
      for (uint32_t n = r.lo; n < r.hi; ++n)
        in[n] = State(
            fixedpoint::toFixed(values[n], pm.fix.fracBits, pm.fix.stateBits));
    } else {
      std::memcpy(in + r.lo, values + r.lo, r.size() * sizeof(float));
    }
  }
}

template <typename W> void CpuEngine<W>::step() { run(1, nullptr); }

template <typename W>
void CpuEngine<W>::run(int64_t steps, StepObserver *observer) {
  if (steps <= 0)
    return;
  stepBase_ = steps_;
  stepCount_ = steps;
  observer_ = observer;
  // The workers may still be delivering the previous step: that is safe,
  // since each thread updates and delivers only its own neurons, reads
  // other threads' outputs only after a barrier, and the step index and
  // spike lists are per step (docs/runtime.md, "Threads").
  if (pool_)
    pool_->launch(job_);
  else
    runSteps(0);
  steps_ += steps;
}

template <typename W> void CpuEngine<W>::runSteps(unsigned member) {
  // Read once: the caller moves them on as soon as its own part is done.
  const int64_t base = stepBase_, count = stepCount_;
  StepObserver *observer = member == 0 ? observer_ : nullptr;
  for (int64_t t = base; t < base + count; ++t) {
    runMember(member, t);
    if (member == 0)
      lastStep_ = t;
    if (observer)
      observer->afterStep(t);
  }
}

template <typename W>
void CpuEngine<W>::runMember(unsigned member, int64_t step) {
  // Projections that deliver in this very step are propagated as soon as
  // their source is updated; all others once, after every update, so that
  // a network whose projections all have delays (every recurrent one)
  // synchronizes once per step rather than once per population.
  for (uint32_t p = 0; p < pops_.size(); ++p) {
    update(p, member, step);
    bool now = false;
    for (uint32_t j : model_.populations[p].outgoing)
      now |= model_.projections[j].immediate;
    if (!now)
      continue;
    // Every thread's part of p's output must exist before anyone reads it.
    // Later populations need no barrier for their own update: their inputs
    // in this thread's slice were written by this thread alone.
    if (pool_)
      pool_->barrier(member);
    for (uint32_t j : model_.populations[p].outgoing)
      if (model_.projections[j].immediate)
        propagate(j, member, step);
  }
  // Always one barrier after the updates: it makes every output of the
  // step visible to the deferred deliveries, and it keeps the threads in
  // lockstep (no thread starts step t + 2 while another is in step t).
  if (pool_)
    pool_->barrier(member);
  // Delayed events go to later ring slots, which no update of this step
  // reads; each thread still writes only its own targets.
  for (uint32_t p = 0; p < pops_.size(); ++p)
    if (!model_.populations[p].outgoing.empty())
      for (const ActiveList<State> &l : pops_[p].active[step & 1])
        l.prefetch();
  for (uint32_t p = 0; p < pops_.size(); ++p)
    for (uint32_t j : model_.populations[p].outgoing)
      if (!model_.projections[j].immediate)
        propagate(j, member, step);
}

template <typename W>
void CpuEngine<W>::update(uint32_t population, unsigned member, int64_t step) {
  const PopulationModel &pm = model_.populations[population];
  PopulationState &ps = pops_[population];
  const Range slice = pm.slices[member];
  const size_t shift = ps.shift[member];
  // Every base is moved by this thread's shift; the kernels index with
  // the neuron number.
  PopulationArrays<State, Acc> arrays;
  arrays.stride = ps.stride;
  arrays.v = ps.v.data() + shift;
  arrays.u = ps.u.empty() ? nullptr : ps.u.data() + shift;
  arrays.refractory =
      ps.refractory.empty() ? nullptr : ps.refractory.data() + shift;
  arrays.input = ps.input.empty() ? nullptr : ps.input.data() + shift;
  arrays.spikes = ps.spikes.empty() ? nullptr : ps.spikes.data() + shift;
  ActiveList<State> &list = ps.active[step & 1][member];
  if (pm.counts) { // PoissonSource: no input, output drawn
    list.count =
        drawPoisson(pm.poisson, slice, uint64_t(step), arrays.v, arrays.spikes,
                    list.index.data(), list.value.data());
    counters_[member].spikes += list.count;
    capture(population, member, step);
    return;
  }
  const size_t slot = ringSlot(step, pm.ringSlots);
  arrays.acc = ps.ring.data() + slot * pm.channels * ps.stride + shift;
  if constexpr (kFixed)
    updateFixed(pm, pm.rules, slice, arrays);
  else
    updateFloat(pm, pm.rules, slice, arrays, step == 0);

  if (pm.multiSpike) { // float mode only: each neuron's events, graded
    if constexpr (!kFixed)
      list.count = gatherEvents(arrays.spikes, slice, list.index.data(),
                                list.value.data());
    counters_[member].spikes += list.count;
  } else if (pm.spiking) {
    list.count = gatherSpikes(arrays.spikes, slice, list.index.data());
    counters_[member].spikes += list.count;
  } else if (!pm.outgoing.empty()) {
    list.count =
        gatherNonzero(arrays.v, slice, list.index.data(), list.value.data());
  }
  capture(population, member, step);
}

template <typename W>
void CpuEngine<W>::capture(uint32_t population, unsigned member, int64_t step) {
  PopulationState &ps = pops_[population];
  if (ps.watch.empty())
    return;
  const State *v = ps.v.data() + ps.shift[member];
  float *out = ps.watched[step & 1].data();
  for (const auto &[n, k] : ps.watch[member]) {
    if constexpr (kFixed)
      out[k] = fixedpoint::fromFixed(
          v[n], model_.populations[population].fix.fracBits);
    else
      out[k] = v[n];
  }
}

template <typename W>
void CpuEngine<W>::propagate(uint32_t projection, unsigned member,
                             int64_t step) {
  const ProjectionModel<W> &pj = model_.projections[projection];
  const PopulationModel &src = model_.populations[pj.source];
  const PopulationModel &tgt = model_.populations[pj.target];
  PopulationState &ts = pops_[pj.target];
  const auto &lists = pops_[pj.source].active[step & 1];
  uint32_t pending = 0;
  for (const ActiveList<State> &l : lists)
    pending += l.count;
  if (pending == 0)
    return; // most steps of most populations at biological rates
  const uint32_t current = ringSlot(step, tgt.ringSlots);
  const Range mine = tgt.slices[member];
  Acc *ring = ts.ring.data() + pj.receptor * ts.stride + ts.shift[member];
  const size_t stride = tgt.channels * ts.stride;
  int64_t events;
  // A PoissonSource's events carry their count: graded delivery.
  if (src.spiking && !src.counts && !src.multiSpike)
    events = cpu::propagate<Ops, false>(pj, lists, member, mine, ring, stride,
                                        tgt.ringSlots, current);
  else
    events = cpu::propagate<Ops, true>(pj, lists, member, mine, ring, stride,
                                       tgt.ringSlots, current);
  counters_[member].events += events;
}

template <typename W>
const uint8_t *CpuEngine<W>::spikes(uint32_t population) const {
  if (population >= pops_.size() || !model_.populations[population].spiking)
    return nullptr;
  const PopulationModel &pm = model_.populations[population];
  const PopulationState &ps = pops_[population];
  if (ps.viewStep != steps_) {
    for (unsigned m = 0; m < threads_; ++m)
      std::memcpy(ps.spikeView.data() + pm.slices[m].lo,
                  ps.spikes.data() + ps.shift[m] + pm.slices[m].lo,
                  pm.slices[m].size());
    ps.viewStep = steps_;
  }
  return ps.spikeView.data();
}

template <typename W>
uint32_t CpuEngine<W>::spikeIndices(uint32_t population, uint32_t *out) const {
  if (population >= pops_.size() || !model_.populations[population].spiking ||
      lastStep_ < 0)
    return 0;
  // Each thread's list is ascending and the slices are in order.
  uint32_t n = 0;
  for (const ActiveList<State> &l : pops_[population].active[lastStep_ & 1]) {
    std::copy(l.index.begin(), l.index.begin() + l.count, out + n);
    n += l.count;
  }
  return n;
}

template <typename W>
void CpuEngine<W>::readState(uint32_t population, float *out) const {
  if (population >= pops_.size())
    return;
  const PopulationModel &pm = model_.populations[population];
  const PopulationState &ps = pops_[population];
  for (unsigned m = 0; m < threads_; ++m) {
    const State *v = ps.v.data() + ps.shift[m];
    for (uint32_t n = pm.slices[m].lo; n < pm.slices[m].hi; ++n) {
      if constexpr (kFixed)
        out[n] = fixedpoint::fromFixed(v[n], pm.fix.fracBits);
      else
        out[n] = v[n];
    }
  }
}

template <typename W>
Status CpuEngine<W>::readReceptorState(uint32_t population, uint32_t receptor,
                                       const std::vector<uint32_t> &neurons,
                                       float *out) const {
  if (Status s = model::checkReceptor(model_, population, receptor, "cpu"); !s)
    return s;
  if constexpr (!kFixed) { // ReceptorLIF runs in float mode only
    const PopulationModel &pm = model_.populations[population];
    const PopulationState &ps = pops_[population];
    const float *g = ps.u.data() + size_t(receptor) * ps.stride;
    for (size_t k = 0; k < neurons.size(); ++k) {
      const uint32_t n = neurons[k];
      unsigned m = 0;
      while (m + 1 < threads_ && n >= pm.slices[m].hi)
        ++m;
      out[k] = g[ps.shift[m] + n];
    }
  }
  return Status::ok();
}

template <typename W>
void CpuEngine<W>::watchState(uint32_t population,
                              const std::vector<uint32_t> &neurons) {
  if (population >= pops_.size())
    return;
  settle(); // no worker may be capturing into the buffers
  const PopulationModel &pm = model_.populations[population];
  PopulationState &ps = pops_[population];
  ps.watch.clear();
  for (auto &w : ps.watched)
    w.assign(neurons.size(), 0.0f);
  if (neurons.empty())
    return;
  ps.watch.resize(threads_);
  for (uint32_t k = 0; k < neurons.size(); ++k) {
    const uint32_t n = neurons[k];
    if (n >= pm.size)
      continue; // the Session checks selections; nothing to copy
    for (unsigned m = 0; m < threads_; ++m)
      if (n >= pm.slices[m].lo && n < pm.slices[m].hi)
        ps.watch[m].push_back({n, k});
  }
  // The last step's values, for a caller that watches after stepping.
  if (lastStep_ >= 0) {
    std::vector<float> all(pm.size);
    readState(population, all.data());
    for (uint32_t k = 0; k < neurons.size(); ++k)
      ps.watched[lastStep_ & 1][k] = neurons[k] < pm.size ? all[neurons[k]] : 0;
  }
}

template <typename W>
const float *CpuEngine<W>::watchedState(uint32_t population) const {
  if (population >= pops_.size() || pops_[population].watch.empty() ||
      lastStep_ < 0)
    return nullptr;
  return pops_[population].watched[lastStep_ & 1].data();
}

template <typename W> EngineStats CpuEngine<W>::stats() const {
  settle(); // the counters of the last step's deliveries
  EngineStats s;
  s.steps = steps_;
  for (const Counters &c : counters_) {
    s.spikes += c.spikes;
    s.synapticEvents += c.events;
  }
  return s;
}

} // namespace

unsigned chooseThreads(const DeviceOptions &options, uint64_t neurons) {
  if (options.threads > 0)
    return unsigned(std::min(options.threads, 256));
  const uint64_t useful = std::max<uint64_t>(1, neurons / kNeuronsPerThread);
  const uint64_t hardware = std::max(1u, std::thread::hardware_concurrency());
  return unsigned(std::min(useful, hardware));
}

StatusOr<std::unique_ptr<Engine>> makeCpuEngine(const Program &program,
                                                const DeviceOptions &options) {
  if (options.threads < 0)
    return invalidArgument("cpu: DeviceOptions::threads is " +
                           std::to_string(options.threads) +
                           "; use 0 (all hardware threads) or a count > 0");
  const snnb::Program &fb = program.fb();
  uint64_t neurons = 0;
  for (const snnb::Population *p : *fb.populations())
    neurons += p->size();
  const unsigned threads = chooseThreads(options, neurons);
  // The runtime API does not throw: a network too large for this machine
  // (delay rings are slots x neurons) or a failure to start threads
  // becomes a Status.
  try {
    std::unique_ptr<Engine> engine;
    if (fb.mode() == snnb::NumericMode::Fixed) {
      StatusOr<Model<int32_t>> model = buildModel<int32_t>(program, threads);
      if (!model)
        return model.status();
      engine = std::make_unique<CpuEngine<int32_t>>(std::move(model).value(),
                                                    threads);
    } else {
      StatusOr<Model<float>> model = buildModel<float>(program, threads);
      if (!model)
        return model.status();
      engine =
          std::make_unique<CpuEngine<float>>(std::move(model).value(), threads);
    }
    return engine;
  } catch (const std::bad_alloc &) {
    return unavailable("cpu: not enough memory for '" + program.origin() +
                       "' (" + std::to_string(neurons) +
                       " neurons; long delays multiply the input buffers)");
  } catch (const std::system_error &e) {
    return unavailable("cpu: cannot start " + std::to_string(threads) +
                       " threads: " + e.what() +
                       "; pass a smaller DeviceOptions::threads");
  }
}

} // namespace snnc::cpu
