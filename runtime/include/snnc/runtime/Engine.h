//===- Engine.h - The interface every backend implements -------*- C++ -*-===//
//
// A backend (cpu, cuda, rtl) is a Driver registered by name; for one
// Program it instantiates an Engine that advances the network one step at a
// time. Sessions drive engines; applications never see them.
// Thread safety: an Engine is used by one thread at a time.
//
//===----------------------------------------------------------------------===//
#ifndef SNNC_RUNTIME_ENGINE_H
#define SNNC_RUNTIME_ENGINE_H

#include "snnc/runtime/Status.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace snnc {

class Program;

struct DeviceOptions {
  /// Worker threads for engines that use them; 0 = all hardware threads.
  int threads = 0;
  /// rtl: write an FST waveform of every simulated cycle to this file
  /// (empty: no trace). Other backends ignore it.
  std::string traceFile;
};

/// Counters an engine keeps while running, for reports and benchmarks.
struct EngineStats {
  int64_t steps = 0;
  int64_t spikes = 0;         ///< spikes emitted by all populations
  int64_t synapticEvents = 0; ///< synapses touched by propagation
};

/// Told by Engine::run after each step, on the thread that called run().
/// Other threads of the engine may already be working on the next step:
/// the observer may call spikeIndices() and watchedState() (and nothing
/// else of the engine).
class StepObserver {
public:
  virtual ~StepObserver() = default;
  /// `step` counts from 0 at the last reset().
  virtual void afterStep(int64_t step) = 0;
};

/// What a backend that simulates hardware (rtl) measured since the last
/// reset(), with the energy its target's model gives those counts
/// (docs/rtl-backend.md). Counts are summed over the run's steps.
struct HardwareReport {
  struct Core {
    uint32_t chip = 0, index = 0; ///< chip (mesh x, y) and position on it
    uint32_t chipX = 0, chipY = 0;
    int64_t inputEvents = 0;    ///< AER events taken
    int64_t misses = 0;         ///< events that matched no key (dropped)
    int64_t synapticEvents = 0; ///< synapse words walked
    int64_t neuronUpdates = 0;
    int64_t outputEvents = 0;
  };
  std::string target; ///< the mapping's target name
  int64_t steps = 0;
  /// Cycles of all steps: the host streaming the step's Source events (the
  /// cores take them meanwhile), then STEP until the chips are quiet (all
  /// chips run in lock step).
  int64_t cycles = 0;
  int64_t inputCycles = 0;    ///< of `cycles`, streaming Source events
  int64_t maxStepCycles = 0;  ///< the longest step
  int64_t synapticEvents = 0; ///< all cores
  int64_t neuronUpdates = 0;  ///< all cores
  int64_t routedPackets = 0;  ///< packets through a router, summed over hops
  int64_t droppedPackets = 0; ///< packets a router had nowhere to send
  uint32_t chips = 0;         ///< chips of the mapping
  std::vector<Core> cores;    ///< by the mapping's core id
  /// Energy in pJ: each count times the target's cost (energy.*), and the
  /// static power of `chips` chips over steps x dt of simulated time.
  double synapticPj = 0, neuronPj = 0, routedPj = 0, staticPj = 0;
  double totalPj() const { return synapticPj + neuronPj + routedPj + staticPj; }
};

class Engine {
public:
  virtual ~Engine() = default;
  /// Returns every population to its initial state and clears delay lines.
  virtual void reset() = 0;
  /// Sets the values a Source population presents during the next step
  /// (`size` floats; in fixed mode converted with the population's scale).
  virtual void setSource(uint32_t population, const float *values) = 0;
  /// Advances the whole network by one step of dt.
  virtual void step() = 0;
  /// Advances `steps` steps with the Sources held, telling `observer`
  /// (may be null) after each. Same results as calling step() that many
  /// times; a multithreaded engine saves the hand-over between steps.
  virtual void run(int64_t steps, StepObserver *observer) {
    for (int64_t t = 0; t < steps; ++t) {
      step();
      if (observer)
        observer->afterStep(stats().steps - 1);
    }
  }
  /// 0/1 per neuron for the step just taken (spiking kinds), else nullptr.
  virtual const uint8_t *spikes(uint32_t population) const = 0;
  /// Writes the indices of the neurons that spiked in the step just taken,
  /// ascending, to `out` (room for the population's size) and returns how
  /// many; 0 for a kind that does not spike. For recording spike events
  /// without scanning every neuron.
  virtual uint32_t spikeIndices(uint32_t population, uint32_t *out) const = 0;
  /// Membrane value (or relayed value) per neuron after the last step, in
  /// float units (fixed mode divides by the population's scale).
  virtual void readState(uint32_t population, float *out) const = 0;
  /// Writes the state g of receptor `receptor` of a ReceptorLIF population
  /// (float units; an alpha receptor's current) for `neurons` (indices below
  /// its size) to `out`, after the last step. Called between steps only.
  /// kUnimplemented from a backend that does not read receptor states.
  virtual Status readReceptorState(uint32_t population, uint32_t receptor,
                                   const std::vector<uint32_t> &neurons,
                                   float *out) const {
    (void)population, (void)receptor, (void)neurons, (void)out;
    return Status(StatusCode::kUnimplemented,
                  "this backend does not read receptor states; record them "
                  "on the cpu backend");
  }
  /// Chooses neurons of `population` whose state (as readState gives it)
  /// the engine keeps after every step: indices below its size, in the
  /// order wanted, repeats allowed; empty stops watching. Replaces the
  /// earlier choice. A multithreaded engine copies them inside the step,
  /// so that state recording needs no hand-over between steps.
  virtual void watchState(uint32_t population,
                          const std::vector<uint32_t> &neurons) = 0;
  /// The watched neurons' state after the step just taken (or the one just
  /// told to the observer), in watchState's order; nullptr for a
  /// population not watched or before the first step.
  virtual const float *watchedState(uint32_t population) const = 0;
  /// The spiking populations whose spikeIndices() the observer of the next
  /// runs will read (replaces the earlier choice); an engine that runs
  /// several steps before telling the observer (cuda) keeps only these per
  /// step. Before any call, every population.
  virtual void recordSpikes(const std::vector<uint32_t> &populations) {
    (void)populations;
  }
  /// The first error the engine met while running (a device failure), or
  /// ok. Once failed, an engine stops stepping; Session::run returns it.
  virtual Status health() const { return Status::ok(); }
  virtual EngineStats stats() const = 0;
  /// The hardware counters of a simulated chip (rtl); false for a backend
  /// without them (cpu, cuda), leaving `out` as it was.
  virtual bool hardwareReport(HardwareReport &out) const {
    (void)out;
    return false;
  }
};

class Driver {
public:
  virtual ~Driver() = default;
  virtual std::string name() const = 0;
  /// ok, or kUnavailable with the reason (e.g. "no CUDA device: ...").
  virtual Status available() const = 0;
  virtual StatusOr<std::unique_ptr<Engine>>
  instantiate(const Program &program, const DeviceOptions &options) const = 0;
};

} // namespace snnc

#endif // SNNC_RUNTIME_ENGINE_H
