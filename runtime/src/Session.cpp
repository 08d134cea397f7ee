//===- Session.cpp - Running a Program on a device
//--------------------------===//
#include "snnc/runtime/Session.h"

#include "snnc/schema/snnb_generated.h"

#include <algorithm>
#include <cmath>

namespace snnc {
namespace {

bool spikingKind(snnb::NeuronKind k) {
  return k == snnb::NeuronKind::LIF || k == snnb::NeuronKind::CubaLIF ||
         k == snnb::NeuronKind::IF || k == snnb::NeuronKind::Threshold ||
         k == snnb::NeuronKind::ReceptorLIF;
}

} // namespace

/// Fills the spike recordings of a run from the engine's spike lists (the
/// recordings were zeroed for the run).
class Session::SpikeRecorder final : public StepObserver {
public:
  SpikeRecorder(const Engine &engine,
                std::map<std::string, Recording, std::less<>> &recordings,
                int64_t first)
      : engine_(engine), first_(first) {
    size_t largest = 0;
    for (auto &[name, r] : recordings) {
      const size_t n = size_t(numElements(r.shape));
      targets_.push_back({r.population, n, &r.spikes});
      largest = std::max(largest, n);
    }
    scratch_.resize(largest);
  }
  void afterStep(int64_t step) override {
    const size_t t = size_t(step - first_);
    for (const Target &target : targets_) {
      const uint32_t k =
          engine_.spikeIndices(target.population, scratch_.data());
      uint8_t *row = target.spikes->data() + t * target.size;
      for (uint32_t i = 0; i < k; ++i)
        row[scratch_[i]] = 1;
    }
  }

private:
  struct Target {
    uint32_t population;
    size_t size;
    std::vector<uint8_t> *spikes;
  };
  const Engine &engine_;
  int64_t first_;
  std::vector<Target> targets_;
  std::vector<uint32_t> scratch_;
};

StatusOr<std::unique_ptr<Session>>
Session::create(std::shared_ptr<Device> device,
                std::shared_ptr<const Program> program) {
  if (!device || !program)
    return invalidArgument("Session::create needs a device and a program");
  auto engine = device->driver().instantiate(*program, device->options());
  if (!engine)
    return engine.status();
  std::unique_ptr<Session> s(new Session());
  s->device_ = std::move(device);
  s->program_ = std::move(program);
  s->engine_ = std::move(*engine);
  return s;
}

Status Session::setInput(std::string_view name, Tensor values) {
  const PortInfo *port = program_->findInput(name);
  if (!port) {
    std::string known;
    for (const PortInfo &p : program_->inputs())
      known +=
          (known.empty() ? "" : ", ") + p.name + " " + shapeString(p.shape);
    return notFound("no input named '" + std::string(name) +
                    "'; the network's inputs are: " + known);
  }
  const auto &s = values.shape;
  bool constant = s == port->shape;
  bool series =
      s.size() == port->shape.size() + 1 &&
      std::equal(port->shape.begin(), port->shape.end(), s.begin() + 1);
  if (!constant && !series)
    return invalidArgument("input '" + port->name + "' expects shape " +
                           shapeString(port->shape) +
                           " (held for every step) "
                           "or [T, " +
                           shapeString(port->shape).substr(1) +
                           " (one row per step), got " + shapeString(s));
  if (int64_t(values.data.size()) != numElements(s))
    return invalidArgument("input '" + port->name + "': tensor of shape " +
                           shapeString(s) + " holds " +
                           std::to_string(values.data.size()) + " values");
  for (float v : values.data)
    if (!std::isfinite(v))
      return invalidArgument("input '" + port->name +
                             "' holds a NaN or infinite value");
  inputs_[port->population] = std::move(values);
  return Status::ok();
}

StatusOr<uint32_t> Session::resolve(std::string_view name,
                                    std::vector<int64_t> *shape) const {
  if (const PortInfo *p = program_->findOutput(name)) {
    *shape = p->shape;
    return p->population;
  }
  if (const PortInfo *p = program_->findInput(name)) {
    *shape = p->shape;
    return p->population;
  }
  int64_t idx = program_->findPopulation(name);
  if (idx < 0) {
    std::string known;
    for (const PortInfo &p : program_->outputs())
      known += (known.empty() ? "" : ", ") + p.name;
    for (const std::string &n : program_->populationNames())
      known += (known.empty() ? "" : ", ") + n;
    return notFound("no output or population named '" + std::string(name) +
                    "'; known: " + known);
  }
  const auto *pop = program_->fb().populations()->Get(uint32_t(idx));
  shape->assign(pop->shape()->begin(), pop->shape()->end());
  return uint32_t(idx);
}

Status Session::record(std::string_view name) {
  std::vector<int64_t> shape;
  auto idx = resolve(name, &shape);
  if (!idx)
    return idx.status();
  Recording r;
  r.population = *idx;
  r.shape = shape;
  r.spiking = spikingKind(program_->fb().populations()->Get(*idx)->kind());
  recordings_[std::string(name)] = std::move(r);
  return Status::ok();
}

Status Session::run(int64_t steps) {
  if (steps <= 0)
    return invalidArgument("the number of steps must be positive, got " +
                           std::to_string(steps));
  for (auto &[name, r] : recordings_) {
    size_t n = size_t(steps) * size_t(numElements(r.shape));
    r.steps = steps;
    r.spikes.assign(r.spiking ? n : 0, 0);
    r.state.assign(r.spiking ? 0 : n, 0.0f);
  }
  // Held inputs and spike recordings only: one Engine::run call, which a
  // multithreaded engine runs without a hand-over between steps.
  bool held = true, spikesOnly = true;
  for (auto &[pop, values] : inputs_)
    held &= int64_t(values.data.size()) ==
            program_->fb().populations()->Get(pop)->size();
  for (auto &[name, r] : recordings_)
    spikesOnly &= r.spiking;
  if (held && spikesOnly) {
    for (auto &[pop, values] : inputs_)
      engine_->setSource(pop, values.data.data());
    SpikeRecorder recorder(*engine_, recordings_, engine_->stats().steps);
    engine_->run(steps, &recorder);
    return Status::ok();
  }
  std::vector<float> zeros;
  for (int64_t t = 0; t < steps; ++t) {
    for (auto &[pop, values] : inputs_) {
      int64_t size = program_->fb().populations()->Get(pop)->size();
      const float *row;
      if (int64_t(values.data.size()) == size) {
        row = values.data.data();
      } else if (t < values.shape[0]) {
        row = values.data.data() + t * size;
      } else {
        zeros.assign(size, 0.0f); // a series shorter than the run
        row = zeros.data();
      }
      engine_->setSource(pop, row);
    }
    engine_->step();
    for (auto &[name, r] : recordings_) {
      size_t n = size_t(numElements(r.shape));
      if (r.spiking) {
        const uint8_t *s = engine_->spikes(r.population);
        std::copy(s, s + n, r.spikes.begin() + t * n);
      } else {
        engine_->readState(r.population, r.state.data() + t * n);
      }
    }
  }
  return Status::ok();
}

void Session::reset() {
  engine_->reset();
  inputs_.clear();
  for (auto &[name, r] : recordings_) {
    r.steps = 0;
    r.spikes.clear();
    r.state.clear();
  }
}

StatusOr<const Session::Recording *>
Session::recorded(std::string_view name) const {
  auto it = recordings_.find(name);
  if (it == recordings_.end())
    return Status(StatusCode::kFailedPrecondition,
                  "'" + std::string(name) +
                      "' was not recorded; call record() before run()");
  if (it->second.steps == 0)
    return Status(StatusCode::kFailedPrecondition, "nothing recorded for '" +
                                                       std::string(name) +
                                                       "' yet; call run()");
  return &it->second;
}

StatusOr<bool> Session::isSpiking(std::string_view name) const {
  std::vector<int64_t> shape;
  auto idx = resolve(name, &shape);
  if (!idx)
    return idx.status();
  return spikingKind(program_->fb().populations()->Get(*idx)->kind());
}

StatusOr<SpikeTensor> Session::spikes(std::string_view name) const {
  auto r = recorded(name);
  if (!r)
    return r.status();
  if (!(*r)->spiking)
    return invalidArgument("'" + std::string(name) +
                           "' does not spike; read its state instead");
  std::vector<int64_t> shape{(*r)->steps};
  shape.insert(shape.end(), (*r)->shape.begin(), (*r)->shape.end());
  return SpikeTensor(std::move(shape), (*r)->spikes);
}

StatusOr<Tensor> Session::state(std::string_view name) const {
  auto r = recorded(name);
  if (!r)
    return r.status();
  if ((*r)->spiking)
    return invalidArgument("'" + std::string(name) +
                           "' spikes; read its spikes instead");
  std::vector<int64_t> shape{(*r)->steps};
  shape.insert(shape.end(), (*r)->shape.begin(), (*r)->shape.end());
  return Tensor(std::move(shape), (*r)->state);
}

StatusOr<Tensor> Session::spikeCounts(std::string_view name) const {
  auto s = spikes(name);
  if (!s)
    return s.status();
  Tensor out(std::vector<int64_t>(s->shape.begin() + 1, s->shape.end()));
  size_t n = out.data.size();
  for (size_t i = 0; i < s->data.size(); ++i)
    out.data[i % n] += s->data[i];
  return out;
}

StatusOr<Tensor> Session::firstSpike(std::string_view name) const {
  auto s = spikes(name);
  if (!s)
    return s.status();
  Tensor out(std::vector<int64_t>(s->shape.begin() + 1, s->shape.end()));
  size_t n = out.data.size();
  std::fill(out.data.begin(), out.data.end(), -1.0f);
  for (size_t i = 0; i < s->data.size(); ++i)
    if (s->data[i] && out.data[i % n] < 0)
      out.data[i % n] = float(i / n);
  return out;
}

} // namespace snnc
