//===- Session.h - Devices and sessions: running a Program ------*- C++ -*-===//
//
//   auto program = Program::load("net.snnb");        // StatusOr
//   auto device = Device::open("cpu");                // StatusOr
//   auto session = Session::create(*device, *program);
//   session->setInput("input", tensor);               // [T, ...] or [...]
//   session->record("lif1");                          // any population
//   session->run(T);
//   session->spikes("output") / state("lif1") / spikeCounts("output")
//
// Inputs are direct currents: an array of the port's own shape is held for
// every step; one with a leading time dimension gives one row per step
// (rows past its end present zeros). Encoders (Encoders.h) turn data into
// such arrays. A Session belongs to one thread at a time.
//
//===----------------------------------------------------------------------===//
#ifndef SNNC_RUNTIME_SESSION_H
#define SNNC_RUNTIME_SESSION_H

#include "snnc/runtime/Engine.h"
#include "snnc/runtime/Program.h"
#include "snnc/runtime/Tensor.h"

#include <map>
#include <memory>
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

class Session {
public:
  static StatusOr<std::unique_ptr<Session>>
  create(std::shared_ptr<Device> device,
         std::shared_ptr<const Program> program);

  /// Sets input port `name` (see the header comment for the two layouts).
  Status setInput(std::string_view name, Tensor values);
  /// Records the spikes (spiking populations) or state (others) of a
  /// population or output port during the following runs.
  Status record(std::string_view name);
  /// Runs `steps` steps (> 0) from the current state, keeping recordings
  /// of this run only. With held inputs and only spike recordings the
  /// engine runs them in one call (no hand-over between steps).
  Status run(int64_t steps);
  /// Clears state, delay lines and inputs; recordings stay selected.
  void reset();

  /// [T, ...shape] spikes of a recorded spiking population or output.
  StatusOr<SpikeTensor> spikes(std::string_view name) const;
  /// [T, ...shape] state of a recorded population or output.
  StatusOr<Tensor> state(std::string_view name) const;
  /// Spike counts over the last run, [...shape].
  StatusOr<Tensor> spikeCounts(std::string_view name) const;
  /// First spike step per neuron over the last run (-1: none), [...shape].
  StatusOr<Tensor> firstSpike(std::string_view name) const;
  /// Whether `name` (population or output) emits spikes.
  StatusOr<bool> isSpiking(std::string_view name) const;
  const Program &program() const { return *program_; }
  EngineStats stats() const { return engine_->stats(); }

private:
  struct Recording {
    uint32_t population = 0;
    bool spiking = false;
    std::vector<int64_t> shape;
    std::vector<uint8_t> spikes; // T * size
    std::vector<float> state;    // T * size
    int64_t steps = 0;
  };
  class SpikeRecorder;
  Session() = default;
  StatusOr<const Recording *> recorded(std::string_view name) const;
  StatusOr<uint32_t> resolve(std::string_view name,
                             std::vector<int64_t> *shape) const;

  std::shared_ptr<Device> device_;
  std::shared_ptr<const Program> program_;
  std::unique_ptr<Engine> engine_;
  std::map<uint32_t, Tensor> inputs_; // by source population
  std::map<std::string, Recording, std::less<>> recordings_;
};

} // namespace snnc

#endif // SNNC_RUNTIME_SESSION_H
