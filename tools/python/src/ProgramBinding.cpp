//===- ProgramBinding.cpp - snnc.Program and snnc.Device ------------------===//
//
// Both are immutable handles to shared runtime objects: a Program may feed
// any number of sessions (and threads), a Device is a backend opened once.
//
//===----------------------------------------------------------------------===//
#include "Bindings.h"

#include "snnc/runtime/Session.h"
#include "snnc/schema/snnb_generated.h"

#include <pybind11/stl.h>
#include <pybind11/stl/filesystem.h>

#include <filesystem>
#include <fstream>

namespace snnc::python {
namespace {

// pybind11 holders cannot be const; no binding mutates a Program.
using ProgramPtr = std::shared_ptr<Program>;

ProgramPtr hold(StatusOr<std::shared_ptr<const Program>> &&p) {
  return std::const_pointer_cast<Program>(unwrap(std::move(p)));
}

[[noreturn]] void osError(const std::string &message) {
  PyErr_SetString(PyExc_OSError, message.c_str());
  throw py::error_already_set();
}

py::list ports(const std::vector<PortInfo> &ps) {
  py::list out;
  for (const PortInfo &p : ps)
    out.append(py::make_tuple(p.name, py::tuple(py::cast(p.shape))));
  return out;
}

py::dict info(const Program &p) {
  const snnb::Program &fb = p.fb();
  py::dict d;
  d["network"] = fb.network()->str();
  d["producer"] = fb.producer()->str();
  d["schema_version"] = fb.schema_version();
  d["mode"] = snnb::EnumNameNumericMode(fb.mode());
  d["dt"] = p.dt();
  d["profile"] = p.profile();
  d["inputs"] = ports(p.inputs());
  d["outputs"] = ports(p.outputs());
  py::list pops;
  for (const snnb::Population *pop : *fb.populations())
    pops.append(py::make_tuple(
        pop->name()->str(), snnb::EnumNameNeuronKind(pop->kind()),
        py::tuple(py::cast(std::vector<int64_t>(pop->shape()->begin(),
                                                pop->shape()->end())))));
  d["populations"] = pops;
  d["projections"] = fb.projections()->size();
  d["mapped"] = fb.mapping() != nullptr;
  return d;
}

// Writes through a sibling temporary file and a rename, as snnc does, so
// that a failed save leaves no partial artifact behind.
void save(const Program &p, const std::filesystem::path &path) {
  std::filesystem::path tmp = path;
  tmp += ".tmp";
  {
    std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
    f.write(reinterpret_cast<const char *>(p.bytes().data()),
            std::streamsize(p.bytes().size()));
    if (!f.flush())
      osError("cannot write '" + tmp.string() +
              "': check that its folder exists and is writable");
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) {
    std::filesystem::remove(tmp, ec);
    osError("cannot rename '" + tmp.string() + "' to '" + path.string() +
            "': " + ec.message());
  }
}

LoadOptions loadOptions(uint64_t budget) {
  LoadOptions o;
  o.expansionBudgetBytes = budget;
  return o;
}

ProgramPtr fromBytes(const py::bytes &data, const std::string &origin,
                     uint64_t budget) {
  std::string_view v = data;
  std::vector<uint8_t> bytes(v.begin(), v.end());
  py::gil_scoped_release release; // verification reads every table
  return hold(
      Program::fromBytes(std::move(bytes), origin, loadOptions(budget)));
}

} // namespace

void bindProgram(py::module_ &m) {
  py::class_<Program, ProgramPtr>(m, "Program", py::dynamic_attr(), R"doc(
A compiled, verified network (.snnb artifact). Immutable; share it between
sessions and threads. Make one with snnc.compile, Program.load or
Program.from_bytes.)doc")
      .def_static(
          "load",
          [](const py::bytes &data, uint64_t budget) {
            return fromBytes(data, "<bytes>", budget);
          },
          py::arg("data"), py::arg("expansion_budget_bytes") = 0,
          "Verifies artifact bytes (as from_bytes).")
      .def_static(
          "load",
          [](const std::filesystem::path &path, uint64_t budget) {
            return hold(Program::load(path.string(), loadOptions(budget)));
          },
          py::arg("path"), py::arg("expansion_budget_bytes") = 0,
          py::call_guard<py::gil_scoped_release>(),
          "Reads and verifies a .snnb file. expansion_budget_bytes bounds "
          "the memory procedural projections may expand into (0: 3/4 of "
          "physical memory).")
      .def_static(
          "from_bytes", &fromBytes, py::arg("data"),
          py::arg("origin") = "<bytes>", py::arg("expansion_budget_bytes") = 0,
          "Verifies artifact bytes; origin names them in error messages.")
      .def_property_readonly(
          "bytes",
          [](const Program &p) {
            return py::bytes(reinterpret_cast<const char *>(p.bytes().data()),
                             p.bytes().size());
          },
          "The artifact's bytes (a copy).")
      .def("save", &save, py::arg("path"),
           "Writes the artifact to path (a .snnb file).")
      .def_property_readonly("origin", &Program::origin,
                             "Where it was loaded from.")
      .def_property_readonly("dt", &Program::dt, "Seconds per step.")
      .def_property_readonly("profile", &Program::profile,
                             "The discretization profile it was compiled "
                             "with.")
      .def_property_readonly(
          "inputs", [](const Program &p) { return ports(p.inputs()); },
          "Input ports as (name, shape) pairs.")
      .def_property_readonly(
          "outputs", [](const Program &p) { return ports(p.outputs()); },
          "Output ports as (name, shape) pairs.")
      .def_property_readonly("populations", &Program::populationNames,
                             "Population names in evaluation order.")
      .def_property_readonly("info", &info,
                             "What the artifact holds, as a dict (network, "
                             "mode, dt, profile, ports, populations).")
      .def("__repr__", [](const Program &p) {
        return "<snnc.Program '" + p.fb().network()->str() + "' from " +
               p.origin() + ">";
      });

  py::class_<Device, std::shared_ptr<Device>>(m, "Device", R"doc(
A backend opened by name: "cpu", "cuda" or "rtl". Raises
snnc.UnavailableError (with the reason) where the backend cannot run, and
snnc.NotFoundError for an unknown name.)doc")
      .def(py::init([](const std::string &name, int threads,
                       const std::string &trace) {
             DeviceOptions o;
             o.threads = threads;
             o.traceFile = trace;
             return unwrap(Device::open(name, o));
           }),
           py::arg("name") = "cpu", py::arg("threads") = 0,
           py::arg("trace") = "",
           "threads: worker threads (0 = all cores); trace: rtl only, an "
           "FST waveform file of every simulated cycle.")
      .def_static("names", &Device::names, "Backends built into this runtime.")
      .def_property_readonly("name", &Device::name)
      .def_property_readonly(
          "threads", [](const Device &d) { return d.options().threads; })
      .def("__repr__",
           [](const Device &d) { return "<snnc.Device '" + d.name() + "'>"; });
}

} // namespace snnc::python
