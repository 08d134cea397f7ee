//===- Session.cpp - Sessions: inputs, what to record, reading it back ---===//
//
// The run itself (engine calls, recorders, progress) is in SessionRun.cpp.
//
//===----------------------------------------------------------------------===//
#include "snnc/runtime/Session.h"

#include "snnc/schema/snnb_generated.h"

#include <algorithm>
#include <cmath>

namespace snnc {
namespace {

bool spikingKind(snnb::NeuronKind k) {
  return k == snnb::NeuronKind::LIF || k == snnb::NeuronKind::CubaLIF ||
         k == snnb::NeuronKind::IF || k == snnb::NeuronKind::Threshold ||
         k == snnb::NeuronKind::ReceptorLIF ||
         k == snnb::NeuronKind::PoissonSource;
}

} // namespace

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

StatusOr<Session::Watch *> Session::watch(std::string_view name) {
  if (auto it = watches_.find(name); it != watches_.end())
    return &it->second;
  std::vector<int64_t> shape;
  auto idx = resolve(name, &shape);
  if (!idx)
    return idx.status();
  Watch w;
  w.population = *idx;
  w.shape = shape;
  w.spiking = spikingKind(program_->fb().populations()->Get(*idx)->kind());
  return &watches_.emplace(std::string(name), std::move(w)).first->second;
}

Status Session::record(std::string_view name) {
  auto w = watch(name);
  if (!w)
    return w.status();
  if ((*w)->spiking) {
    (*w)->events = (*w)->counts = true;
  } else {
    (*w)->state = true;
    (*w)->stateNeurons.clear();
  }
  return Status::ok();
}

Status Session::count(std::string_view name) {
  auto w = watch(name);
  if (!w)
    return w.status();
  if (!(*w)->spiking)
    return invalidArgument("'" + std::string(name) +
                           "' does not spike, so it has no spike counts; "
                           "record its state instead");
  (*w)->counts = true;
  return Status::ok();
}

Status Session::recordState(std::string_view name) {
  auto w = watch(name);
  if (!w)
    return w.status();
  (*w)->state = true;
  (*w)->stateNeurons.clear();
  return Status::ok();
}

Status Session::recordState(std::string_view name,
                            const std::vector<int64_t> &neurons) {
  std::vector<int64_t> shape;
  auto idx = resolve(name, &shape);
  if (!idx)
    return idx.status();
  const int64_t n = numElements(shape);
  if (neurons.empty())
    return invalidArgument("recordState('" + std::string(name) +
                           "'): no neurons chosen; give at least one index "
                           "(or none at all to record every neuron)");
  std::vector<uint32_t> chosen;
  chosen.reserve(neurons.size());
  for (int64_t i : neurons) {
    if (i < 0 || i >= n)
      return invalidArgument(
          "recordState('" + std::string(name) + "'): neuron index " +
          std::to_string(i) + " is out of range; '" + std::string(name) +
          "' has " + std::to_string(n) + " neurons " + shapeString(shape) +
          ", flat row-major indices 0 to " + std::to_string(n - 1));
    chosen.push_back(uint32_t(i));
  }
  auto w = watch(name);
  if (!w)
    return w.status();
  (*w)->state = true;
  (*w)->stateNeurons = std::move(chosen);
  return Status::ok();
}

void Session::reset() {
  engine_->reset();
  inputs_.clear();
  for (auto &[name, w] : watches_) {
    w.steps = 0;
    w.spikes.steps.clear();
    w.spikes.indices.clear();
    w.counters.clear();
    w.stateData.clear();
  }
  for (auto &[key, w] : receptorWatches_) {
    w.steps = 0;
    w.data.clear();
  }
}

StatusOr<const Session::Watch *> Session::ran(std::string_view name,
                                              const char *what) const {
  auto it = watches_.find(name);
  const Watch *w = it == watches_.end() ? nullptr : &it->second;
  const std::string n(name);
  const std::string_view kind(what);
  bool spiking = w && w->spiking;
  if (!w) {
    auto s = isSpiking(name); // names the known nodes when there is none
    if (!s)
      return s.status();
    spiking = *s;
  }
  if (!spiking && kind != "state")
    return invalidArgument("'" + n +
                           "' does not spike; record and read its state");
  const bool asked = w && (kind == "events"   ? w->events
                           : kind == "counts" ? w->counts
                                              : w->state);
  if (!asked) {
    const char *call = kind == "counts"  ? "count() or record()"
                       : kind == "state" ? "recordState() (or record() for a "
                                           "node that does not spike)"
                                         : "record()";
    const char *label = kind == "events"   ? "spikes"
                        : kind == "counts" ? "spike counts"
                                           : "state";
    return Status(StatusCode::kFailedPrecondition,
                  "'" + n + "' has no recorded " + label + "; call " + call +
                      " before run()");
  }
  if (w->steps == 0)
    return Status(StatusCode::kFailedPrecondition,
                  "nothing recorded for '" + n + "' yet; call run()");
  if ((kind == "events" && w->eventsTaken) ||
      (kind == "state" && w->stateTaken))
    return Status(StatusCode::kFailedPrecondition,
                  "the " + std::string(kind == "events" ? "spikes" : "state") +
                      " of '" + n + "' were taken out after the last run (" +
                      (kind == "events" ? "takeSpikeEvents" : "takeState") +
                      "); run() again to record more");
  return w;
}

StatusOr<Session::Watch *> Session::taken(std::string_view name,
                                          const char *what) {
  auto w = ran(name, what);
  if (!w)
    return w.status();
  return const_cast<Watch *>(*w); // found in watches_, which this owns
}

StatusOr<SpikeEvents> Session::takeSpikeEvents(std::string_view name) {
  auto w = taken(name, "events");
  if (!w)
    return w.status();
  (*w)->eventsTaken = true;
  return std::move((*w)->spikes);
}

StatusOr<Tensor> Session::takeState(std::string_view name) {
  auto w = taken(name, "state");
  if (!w)
    return w.status();
  Tensor out(stateShape(**w), {});
  out.data = std::move((*w)->stateData);
  (*w)->stateTaken = true;
  return out;
}

std::vector<int64_t> Session::stateShape(const Watch &w) {
  std::vector<int64_t> shape{w.steps};
  if (w.stateNeurons.empty())
    shape.insert(shape.end(), w.shape.begin(), w.shape.end());
  else
    shape.push_back(int64_t(w.stateNeurons.size()));
  return shape;
}

StatusOr<bool> Session::isSpiking(std::string_view name) const {
  std::vector<int64_t> shape;
  auto idx = resolve(name, &shape);
  if (!idx)
    return idx.status();
  return spikingKind(program_->fb().populations()->Get(*idx)->kind());
}

StatusOr<SpikeEvents> Session::spikeEvents(std::string_view name) const {
  auto w = ran(name, "events");
  if (!w)
    return w.status();
  return (*w)->spikes;
}

StatusOr<SpikeTensor> Session::spikes(std::string_view name) const {
  auto w = ran(name, "events");
  if (!w)
    return w.status();
  return denseSpikes((*w)->spikes);
}

StatusOr<Tensor> Session::state(std::string_view name) const {
  auto w = ran(name, "state");
  if (!w)
    return w.status();
  return Tensor(stateShape(**w), (*w)->stateData);
}

StatusOr<std::vector<int64_t>>
Session::stateNeurons(std::string_view name) const {
  auto w = ran(name, "state");
  if (!w)
    return w.status();
  return std::vector<int64_t>((*w)->stateNeurons.begin(),
                              (*w)->stateNeurons.end());
}

StatusOr<Tensor> Session::spikeCounts(std::string_view name) const {
  auto w = ran(name, "counts");
  if (!w)
    return w.status();
  Tensor out((*w)->shape);
  for (size_t i = 0; i < out.data.size(); ++i)
    out.data[i] = float((*w)->counters[i]);
  return out;
}

StatusOr<Tensor> Session::spikeRates(std::string_view name) const {
  auto counts = spikeCounts(name);
  if (!counts)
    return counts.status();
  auto w = ran(name, "counts");
  const double seconds = double((*w)->steps) * program_->dt();
  for (float &c : counts->data)
    c = float(double(c) / seconds);
  return counts;
}

StatusOr<Tensor> Session::firstSpike(std::string_view name) const {
  auto w = ran(name, "events");
  if (!w)
    return w.status();
  const SpikeEvents &e = (*w)->spikes;
  Tensor out(e.shape);
  std::fill(out.data.begin(), out.data.end(), -1.0f);
  for (size_t i = 0; i < e.size(); ++i)
    if (out.data[e.indices[i]] < 0)
      out.data[e.indices[i]] = float(e.steps[i]);
  return out;
}

} // namespace snnc
