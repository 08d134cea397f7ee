//===- SessionBinding.cpp - snnc.Session: running a Program ---------------===//
//
// A thin layer over snnc::Session (runtime/include/snnc/runtime/Session.h):
// the same calls under Python names, recordings handed over as NumPy arrays
// that own the runtime's buffers where the layout allows (state, dense
// spikes, rates), run() without the GIL.
//
// One rule of its own: run() refuses to start while an input port has not
// been given since the session began or was reset. The runtime would hold
// such an input at zero (snn-run notes it); in a script that is nearly
// always a forgotten set_input, so it is an error that says how to ask for
// zeros explicitly.
//
//===----------------------------------------------------------------------===//
#include "Bindings.h"

#include "snnc/runtime/Session.h"

#include <pybind11/stl.h>

#include <atomic>
#include <set>

namespace snnc::python {
namespace {

class PySession {
public:
  PySession(std::shared_ptr<Device> device, std::shared_ptr<Program> program)
      : device_(std::move(device)), program_(std::move(program)) {
    py::gil_scoped_release release; // procedural expansion can take a while
    session_ = unwrap(Session::create(device_, program_));
  }

  void setInput(const std::string &name,
                const py::array_t<float, py::array::c_style |
                                             py::array::forcecast> &values) {
    Busy b(*this);
    Tensor t;
    t.shape.assign(values.shape(), values.shape() + values.ndim());
    t.data.assign(values.data(), values.data() + values.size());
    check(session_->setInput(name, std::move(t)));
    given_.insert(name);
  }

  void run(int64_t steps) {
    Busy b(*this);
    for (const PortInfo &p : program_->inputs())
      if (!given_.count(p.name))
        throw StatusError(
            Status(StatusCode::kFailedPrecondition,
                   "input '" + p.name + "' was not set: call set_input('" +
                       p.name + "', array) before run() (numpy.zeros(" +
                       shapeString(p.shape) + ") for a silent input)"));
    py::gil_scoped_release release;
    check(session_->run(steps));
  }

  void reset() {
    Busy b(*this);
    session_->reset();
    given_.clear(); // the runtime forgot them too
  }

  // Calls that only read or select recordings.
  Session &s() {
    if (busy_)
      throw StatusError(Status(StatusCode::kFailedPrecondition,
                               "the session is running in another thread; "
                               "wait for its run() to return"));
    return *session_;
  }
  const std::shared_ptr<Device> &device() const { return device_; }
  const std::shared_ptr<Program> &program() const { return program_; }

private:
  // A Session belongs to one thread at a time; run() releases the GIL, so
  // Python threads could otherwise reach it concurrently.
  struct Busy {
    explicit Busy(PySession &p) : p(p) {
      if (p.busy_.exchange(true))
        throw StatusError(Status(StatusCode::kFailedPrecondition,
                                 "the session is running in another thread; "
                                 "wait for its run() to return"));
    }
    ~Busy() { p.busy_ = false; }
    PySession &p;
  };
  std::shared_ptr<Device> device_;
  std::shared_ptr<Program> program_;
  std::unique_ptr<Session> session_;
  std::set<std::string> given_;
  std::atomic<bool> busy_{false};
};

// (step, flat index) rows, the layout of snn-run --record-events.
py::array_t<int64_t> eventArray(SpikeEvents &&e) {
  py::array_t<int64_t> out({py::ssize_t(e.size()), py::ssize_t(2)});
  auto w = out.mutable_unchecked<2>();
  for (size_t i = 0; i < e.size(); ++i) {
    w(py::ssize_t(i), 0) = e.steps[i];
    w(py::ssize_t(i), 1) = e.indices[i];
  }
  return out;
}

// Counts and first-spike steps are whole numbers the runtime keeps as float.
py::array_t<int64_t> intArray(Tensor &&t) {
  std::vector<int64_t> v(t.data.begin(), t.data.end());
  return toArray(std::move(v), t.shape);
}

py::array_t<float> floatArray(Tensor &&t) {
  return toArray(std::move(t.data), t.shape);
}

py::array_t<uint8_t> spikeArray(SpikeTensor &&t) {
  return toArray(std::move(t.data), t.shape);
}

// Values pybind11 converts by itself (lists, bools).
constexpr auto same = [](auto &&v) {
  return std::decay_t<decltype(v)>(std::move(v));
};

// The binding of a Session call that reads one node's recording: its
// StatusOr unwrapped and the value converted for Python. `Fn` is a const
// reader or a take* call (which moves the recording out).
template <typename Fn, typename Convert> auto reader(Fn fn, Convert convert) {
  return [fn, convert](PySession &s, const std::string &name) {
    return convert(unwrap((s.s().*fn)(name)));
  };
}

} // namespace

void bindSession(py::module_ &m) {
  using S = PySession;
  py::class_<S>(m, "Session", R"doc(
Runs a Program on a Device. Select what to record (record, count,
record_state) before run(); recordings hold the last run only. A session
belongs to one thread at a time.)doc")
      .def(py::init<std::shared_ptr<Device>, std::shared_ptr<Program>>(),
           py::arg("device"), py::arg("program"))
      .def("set_input", &S::setInput, py::arg("name"), py::arg("values"),
           "Sets input port `name` to float32 values of the port's shape "
           "(held for every step) or with a leading time dimension (one row "
           "per step; zeros past its end).")
      .def(
          "record", [](S &s, const std::string &n) { check(s.s().record(n)); },
          py::arg("name"),
          "Records the spikes of a spiking population or output during the "
          "following runs (with counts), else the state of every neuron.")
      .def(
          "count", [](S &s, const std::string &n) { check(s.s().count(n)); },
          py::arg("name"),
          "Keeps per-neuron spike counts of a spiking node, recording no "
          "spikes.")
      .def(
          "record_state",
          [](S &s, const std::string &n,
             std::optional<std::vector<int64_t>> neurons) {
            check(neurons ? s.s().recordState(n, *neurons)
                          : s.s().recordState(n));
          },
          py::arg("name"), py::arg("neurons") = py::none(),
          "Records the state (membrane or relayed value) after each step: "
          "of every neuron, or of the flat neuron indices given.")
      .def(
          "record_receptor",
          [](S &s, const std::string &n, const std::string &receptor,
             std::optional<std::vector<int64_t>> neurons) {
            check(s.s().recordReceptor(
                n, receptor, neurons.value_or(std::vector<int64_t>{})));
          },
          py::arg("name"), py::arg("receptor"), py::arg("neurons") = py::none(),
          "Records the state g of one receptor of a receptor_lif population "
          "after each step (a current, or a conductance relative to the "
          "leak; an alpha receptor's current), of every neuron or of the "
          "flat indices given.")
      .def(
          "receptor_state",
          [](S &s, const std::string &n, const std::string &receptor) {
            return floatArray(unwrap(s.s().receptorState(n, receptor)));
          },
          py::arg("name"), py::arg("receptor"),
          "Recorded receptor state, float32 [T, *shape] or [T, k].")
      .def("run", &S::run, py::arg("steps"),
           "Runs `steps` steps from the current state (the GIL is "
           "released).")
      .def("reset", &S::reset,
           "Clears state, delay lines and inputs; recordings stay selected.")
      .def("spikes", reader(&Session::spikes, spikeArray), py::arg("name"),
           "Dense spikes [T, *shape] (uint8) of a recorded spiking node.")
      .def("spike_events", reader(&Session::spikeEvents, eventArray),
           py::arg("name"),
           "Spikes of a recorded node as int64 rows (step, flat index), "
           "[n, 2], in the order they happened.")
      .def("take_spike_events", reader(&Session::takeSpikeEvents, eventArray),
           py::arg("name"),
           "As spike_events, freeing the recording (until the next run).")
      .def("state", reader(&Session::state, floatArray), py::arg("name"),
           "Recorded state, float32 [T, *shape] (or [T, k] for k chosen "
           "neurons).")
      .def("take_state", reader(&Session::takeState, floatArray),
           py::arg("name"),
           "As state, but moves the recording out without a copy.")
      .def("state_neurons", reader(&Session::stateNeurons, same),
           py::arg("name"),
           "The chosen neurons of a state recording; empty when all.")
      .def("spike_counts", reader(&Session::spikeCounts, intArray),
           py::arg("name"), "Per-neuron spike counts (int64) of the last run.")
      .def("spike_rates", reader(&Session::spikeRates, floatArray),
           py::arg("name"), "Mean rates in Hz over the last run (float32).")
      .def("first_spike", reader(&Session::firstSpike, intArray),
           py::arg("name"),
           "First spike step of each neuron in the last run (-1: none).")
      .def("is_spiking", reader(&Session::isSpiking, same), py::arg("name"),
           "Whether the population or output emits spikes.")
      .def_property_readonly(
          "stats",
          [](S &s) {
            EngineStats st = s.s().stats();
            py::dict d;
            d["steps"] = st.steps;
            d["spikes"] = st.spikes;
            d["synaptic_events"] = st.synapticEvents;
            return d;
          },
          "The engine's counters since the last reset.")
      .def_property_readonly("device", &S::device)
      .def_property_readonly("program", &S::program);
}

} // namespace snnc::python
