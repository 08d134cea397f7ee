//===- Module.cpp - The _snnc extension: compiler and runtime for Python --===//
//
// The compiled half of the `snnc` package; snnc/__init__.py is the public
// face (snnc.compile, the builder) and re-exports what is bound here.
//
//===----------------------------------------------------------------------===//
#include "Bindings.h"

namespace snnc::python {
namespace {

// snnc.errors holds one exception class per StatusCode; looked up at raise
// time so that the pure-Python module stays the one place defining them.
void raise(const StatusError &e) {
  py::object errors = py::module_::import("snnc.errors");
  py::object cls =
      errors.attr("error_class")(statusCodeName(e.status().code()));
  PyErr_SetObject(cls.ptr(), py::str(e.status().message()).ptr());
}

} // namespace
} // namespace snnc::python

PYBIND11_MODULE(_snnc, m) {
  using namespace snnc::python;
  m.doc() = "Compiled core of the snnc package (use `import snnc`).";
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p)
        std::rethrow_exception(p);
    } catch (const StatusError &e) {
      raise(e);
    }
  });
  bindCompiler(m);
  bindProgram(m);
  bindSession(m);
}
