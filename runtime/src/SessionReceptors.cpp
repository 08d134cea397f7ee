//===- SessionReceptors.cpp - Recording ReceptorLIF receptor states -------===//
//
// PyNN's gsyn_exc/gsyn_inh and Brian2's state monitors of synaptic
// variables: the state g of one receptor of chosen neurons after each step.
// The engine reads it between steps (Engine::readReceptorState), so a run
// that records any is handed to the engine one step at a time.
//
//===----------------------------------------------------------------------===//
#include "snnc/runtime/Session.h"

#include "snnc/schema/snnb_generated.h"

namespace snnc {

Status Session::recordReceptor(std::string_view name, std::string_view receptor,
                               const std::vector<int64_t> &neurons) {
  std::vector<int64_t> shape;
  auto idx = resolve(name, &shape);
  if (!idx)
    return idx.status();
  const std::string what = "recordReceptor('" + std::string(name) + "', '" +
                           std::string(receptor) + "')";
  const snnb::Population *pop = program_->fb().populations()->Get(*idx);
  const auto *receptors = pop->receptors();
  if (pop->kind() != snnb::NeuronKind::ReceptorLIF || !receptors)
    return invalidArgument(what + ": '" + std::string(name) + "' is a " +
                           snnb::EnumNameNeuronKind(pop->kind()) +
                           " population, which has no receptors");
  ReceptorWatch w;
  w.population = *idx;
  w.shape = shape;
  std::string known;
  bool found = false;
  for (uint32_t r = 0; r < receptors->size(); ++r) {
    const std::string rn = receptors->Get(r)->name()->str();
    known += (known.empty() ? "" : ", ") + rn;
    if (rn == receptor) {
      w.receptor = r;
      found = true;
    }
  }
  if (!found)
    return invalidArgument(what + ": '" + std::string(name) +
                           "' has no receptor '" + std::string(receptor) +
                           "'; its receptors: " + known);
  const int64_t n = numElements(shape);
  w.all = neurons.empty();
  if (w.all)
    for (int64_t i = 0; i < n; ++i)
      w.neurons.push_back(uint32_t(i));
  for (int64_t i : neurons) {
    if (i < 0 || i >= n)
      return invalidArgument(
          what + ": neuron index " + std::to_string(i) + " is out of range; '" +
          std::string(name) + "' has " + std::to_string(n) +
          " neurons, flat row-major indices 0 to " + std::to_string(n - 1));
    w.neurons.push_back(uint32_t(i));
  }
  receptorWatches_[{std::string(name), std::string(receptor)}] = std::move(w);
  return Status::ok();
}

StatusOr<Tensor> Session::receptorState(std::string_view name,
                                        std::string_view receptor) const {
  auto it = receptorWatches_.find({std::string(name), std::string(receptor)});
  if (it == receptorWatches_.end())
    return Status(StatusCode::kFailedPrecondition,
                  "receptorState('" + std::string(name) + "', '" +
                      std::string(receptor) +
                      "'): not recorded; call recordReceptor before run");
  const ReceptorWatch &w = it->second;
  if (w.steps == 0)
    return Status(StatusCode::kFailedPrecondition,
                  "receptorState('" + std::string(name) + "', '" +
                      std::string(receptor) + "'): no run since it was chosen");
  Tensor t;
  t.shape = {w.steps};
  if (w.all)
    t.shape.insert(t.shape.end(), w.shape.begin(), w.shape.end());
  else
    t.shape.push_back(int64_t(w.neurons.size()));
  t.data = w.data;
  return t;
}

Status Session::recordReceptorsWhileStepping(int64_t steps,
                                             StepObserver &inner) {
  // After the inner recorder, each receptor watch reads its row.
  class Observer final : public StepObserver {
  public:
    Observer(Session &s, StepObserver &inner) : s_(s), inner_(inner) {}
    void afterStep(int64_t step) override {
      inner_.afterStep(step);
      const int64_t t = step - s_.runStart_;
      for (auto &[key, w] : s_.receptorWatches_) {
        if (!status_)
          return;
        status_ = s_.engine_->readReceptorState(
            w.population, w.receptor, w.neurons,
            w.data.data() + size_t(t) * w.neurons.size());
      }
    }
    Status status_;

  private:
    Session &s_;
    StepObserver &inner_;
  };
  for (auto &[key, w] : receptorWatches_) {
    w.steps = steps;
    w.data.assign(size_t(steps) * w.neurons.size(), 0.0f);
  }
  Observer observer(*this, inner);
  runStepped(steps, observer);
  if (!observer.status_) {
    for (auto &[key, w] : receptorWatches_)
      w.steps = 0; // nothing complete to read
    return observer.status_;
  }
  return Status::ok();
}

} // namespace snnc
