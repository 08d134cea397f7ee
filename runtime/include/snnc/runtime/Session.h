//===- Session.h - Devices and sessions: running a Program ------*- C++ -*-===//
//
//   auto program = Program::load("net.snnb");        // StatusOr
//   auto device = Device::open("cpu");                // StatusOr
//   auto session = Session::create(*device, *program);
//   session->setInput("input", tensor);               // [T, ...] or [...]
//   session->record("lif1");                          // any population
//   session->count("output");                         // counts only
//   session->recordState("lif1", {0, 5, 9});          // 3 neurons' state
//   session->run(T);
//   session->spikeEvents("lif1") / spikes("lif1") / state("lif1")
//   session->spikeCounts("output") / spikeRates("output")
//
// Inputs are direct currents: an array of the port's own shape is held for
// every step; one with a leading time dimension gives one row per step
// (rows past its end present zeros). Encoders (Encoders.h) turn data into
// such arrays.
//
// Recording costs what is asked for and no more: spikes are kept as events
// (SpikeEvents.h) taken from the engine's spike lists, so memory grows with
// the number of spikes, not with steps x neurons; counts are per-neuron
// counters (memory independent of the number of steps); state is copied
// only for the neurons chosen. A node nobody asked about costs nothing.
//
// Thread safety: a Session belongs to one thread at a time; the progress
// callback runs on the thread that called run().
//
//===----------------------------------------------------------------------===//
#ifndef SNNC_RUNTIME_SESSION_H
#define SNNC_RUNTIME_SESSION_H

#include "snnc/runtime/Engine.h"
#include "snnc/runtime/Program.h"
#include "snnc/runtime/SpikeEvents.h"
#include "snnc/runtime/Tensor.h"

#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <string_view>

namespace snnc {

/// A backend opened by name: "cpu", "cuda", "rtl".
class Device {
public:
  /// Fails with kNotFound for an unknown name (listing the known ones) and
  /// with kUnavailable, giving the reason, when the backend cannot run here.
  static StatusOr<std::shared_ptr<Device>>
  open(const std::string &name, const DeviceOptions &options = {});
  /// Names of the backends built into this runtime.
  static std::vector<std::string> names();

  const std::string &name() const { return name_; }
  const Driver &driver() const { return *driver_; }
  const DeviceOptions &options() const { return options_; }

private:
  Device(std::string name, const Driver *driver, DeviceOptions options)
      : name_(std::move(name)), driver_(driver), options_(options) {}
  std::string name_;
  const Driver *driver_;
  DeviceOptions options_;
};

/// Where a run stands, for progress displays.
struct RunProgress {
  int64_t stepsDone = 0;  ///< steps of this run() completed
  int64_t stepsTotal = 0; ///< steps this run() was asked for
  int64_t spikes = 0;     ///< spikes of all populations during this run()
  double wallSeconds = 0; ///< wall-clock time since this run() began
};

class Session {
public:
  static StatusOr<std::unique_ptr<Session>>
  create(std::shared_ptr<Device> device,
         std::shared_ptr<const Program> program);

  /// Sets input port `name` (see the header comment for the two layouts).
  Status setInput(std::string_view name, Tensor values);
  /// Records, during the following runs, the spikes of a spiking population
  /// or output (as events, with per-neuron counts) or else the state of
  /// every neuron (as recordState(name) does).
  Status record(std::string_view name);
  /// Keeps per-neuron spike counts of a spiking node during the following
  /// runs, without recording its spikes (spikeCounts, spikeRates).
  Status count(std::string_view name);
  /// Records the state (membrane or relayed value, float units) of every
  /// neuron of a population or output, spiking or not, after each step.
  Status recordState(std::string_view name);
  /// Records the state of the chosen neurons only: flat row-major indices
  /// into the node's shape, in the order given (repeats allowed). Replaces
  /// an earlier state selection of `name`. kInvalidArgument, naming the node
  /// and the index, for an empty list or an index outside [0, size).
  Status recordState(std::string_view name,
                     const std::vector<int64_t> &neurons);
  /// Records, during the following runs, the state g of receptor
  /// `receptor` of a ReceptorLIF population or output after each step (float
  /// units: a current, or a conductance relative to the leak; an alpha
  /// receptor's current, not its rise state), for the chosen neurons (flat
  /// row-major indices, in that order) or every neuron (empty). Replaces an
  /// earlier choice for that receptor. A run that records receptor states
  /// hands the engine one step at a time. kInvalidArgument, naming the
  /// population and what it has, for a kind without receptors, an unknown
  /// receptor or an index out of range; a backend that cannot read receptor
  /// states fails the run with kUnimplemented.
  Status recordReceptor(std::string_view name, std::string_view receptor,
                        const std::vector<int64_t> &neurons = {});
  /// Receptor state recorded during the last run: [T, ...shape] for every
  /// neuron, [T, k] for k chosen neurons.
  StatusOr<Tensor> receptorState(std::string_view name,
                                 std::string_view receptor) const;
  /// Runs `steps` steps (> 0) from the current state, keeping recordings
  /// of this run only. With held inputs and no state recorded the engine
  /// runs them in one call (no hand-over between steps). Spike events
  /// number steps with uint32: a run recording events may not exceed
  /// 2^32 - 1 steps (kInvalidArgument).
  Status run(int64_t steps);
  /// Clears state, delay lines and inputs; recordings stay selected.
  void reset();

  /// Calls `progress` during run() about every `intervalSeconds` (wall
  /// clock; the first call comes after one interval), on the calling
  /// thread; null switches it off. While it is set, runs with held inputs
  /// go to the engine in chunks of about a quarter interval, so that the
  /// engine's statistics can be read between them.
  void setProgress(std::function<void(const RunProgress &)> progress,
                   double intervalSeconds = 0.5);

  /// Spikes of a recorded spiking node during the last run, as events.
  StatusOr<SpikeEvents> spikeEvents(std::string_view name) const;
  /// [T, ...shape] dense spikes of a recorded spiking node, built from its
  /// events on each call (T x size bytes).
  StatusOr<SpikeTensor> spikes(std::string_view name) const;
  /// State recorded during the last run: [T, ...shape] for every neuron,
  /// [T, k] for k chosen neurons (in their order).
  StatusOr<Tensor> state(std::string_view name) const;
  /// As spikeEvents() and state(), but moving the recording out of the
  /// session instead of copying it (for large recordings). Until the next
  /// run, reading it again (spikeEvents, spikes, firstSpike; state) fails
  /// with kFailedPrecondition; counts and rates stay readable.
  StatusOr<SpikeEvents> takeSpikeEvents(std::string_view name);
  StatusOr<Tensor> takeState(std::string_view name);
  /// The chosen neurons of a state recording; empty when it holds all.
  StatusOr<std::vector<int64_t>> stateNeurons(std::string_view name) const;
  /// Spike counts over the last run, [...shape], of a counted or recorded
  /// spiking node.
  StatusOr<Tensor> spikeCounts(std::string_view name) const;
  /// Mean firing rates over the last run in Hz (counts / (T * dt)).
  StatusOr<Tensor> spikeRates(std::string_view name) const;
  /// First spike step per neuron over the last run (-1: none), [...shape],
  /// of a recorded spiking node.
  StatusOr<Tensor> firstSpike(std::string_view name) const;
  /// Whether `name` (population or output) emits spikes.
  StatusOr<bool> isSpiking(std::string_view name) const;
  const Program &program() const { return *program_; }
  EngineStats stats() const { return engine_->stats(); }
  /// The engine's hardware counters and energy estimate since the last
  /// reset (HardwareReport, Engine.h); false when the backend has none
  /// (cpu, cuda). docs/rtl-backend.md.
  bool hardwareReport(HardwareReport &out) const {
    return engine_->hardwareReport(out);
  }

private:
  // What was asked about one node (population or port name), and what the
  // last run left.
  struct Watch {
    uint32_t population = 0;
    bool spiking = false;
    std::vector<int64_t> shape;
    bool events = false, counts = false, state = false;
    std::vector<uint32_t> stateNeurons; // empty: every neuron
    int64_t steps = 0;                  // of the last run; 0 = none yet
    SpikeEvents spikes;
    std::vector<uint32_t> counters; // per neuron
    std::vector<float> stateData;   // steps * (chosen or all) neurons
    bool eventsTaken = false, stateTaken = false; // moved out (take*)
  };
  Session() = default;
  StatusOr<Watch *> watch(std::string_view name);
  StatusOr<const Watch *> ran(std::string_view name, const char *what) const;
  StatusOr<Watch *> taken(std::string_view name, const char *what);
  static std::vector<int64_t> stateShape(const Watch &w);
  StatusOr<uint32_t> resolve(std::string_view name,
                             std::vector<int64_t> *shape) const;
  void runHeld(int64_t steps, StepObserver &observer);
  void runStepped(int64_t steps, StepObserver &observer);
  Status recordReceptorsWhileStepping(int64_t steps, StepObserver &inner);
  void report(int64_t done, int64_t total);

  std::shared_ptr<Device> device_;
  std::shared_ptr<const Program> program_;
  std::unique_ptr<Engine> engine_;
  std::map<uint32_t, Tensor> inputs_; // by source population
  std::map<std::string, Watch, std::less<>> watches_;
  // recordReceptor's choices, by (node name, receptor name).
  struct ReceptorWatch {
    uint32_t population = 0, receptor = 0;
    std::vector<int64_t> shape;
    std::vector<uint32_t> neurons; // the chosen ones, or every neuron
    bool all = true;               // every neuron (state keeps the shape)
    int64_t steps = 0;             // of the last run; 0 = none yet
    std::vector<float> data;       // steps x neurons
  };
  std::map<std::pair<std::string, std::string>, ReceptorWatch> receptorWatches_;
  std::set<uint32_t> statePopulations_; // watched by the engine
  std::function<void(const RunProgress &)> progress_;
  double progressInterval_ = 0.5;
  // Of the run in progress, for report().
  int64_t runStart_ = 0, spikesAtStart_ = 0;
  double runBegan_ = 0, lastReport_ = 0;
};

} // namespace snnc

#endif // SNNC_RUNTIME_SESSION_H
