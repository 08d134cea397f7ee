//===- Bindings.h - Shared by the files of the _snnc extension --*- C++ -*-===//
//
// Errors: the runtime returns Status; the bindings turn a failed one into
// StatusError, which Module.cpp translates into the Python exception class
// of its code (snnc/errors.py), carrying the runtime's message unchanged.
//
// Arrays: results handed to NumPy without a copy. A std::vector is moved to
// the heap and a capsule owns it, so the array's memory is the vector's and
// is freed when the last NumPy view of it goes.
//
//===----------------------------------------------------------------------===//
#ifndef SNNC_TOOLS_PYTHON_BINDINGS_H
#define SNNC_TOOLS_PYTHON_BINDINGS_H

#include "snnc/runtime/Status.h"

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <stdexcept>
#include <vector>

namespace snnc::python {

namespace py = pybind11;

/// A failed Status on its way to Python.
class StatusError : public std::runtime_error {
public:
  explicit StatusError(Status status)
      : std::runtime_error(status.message()), status_(std::move(status)) {}
  const Status &status() const { return status_; }

private:
  Status status_;
};

inline void check(const Status &s) {
  if (!s.isOk())
    throw StatusError(s);
}

template <typename T> T unwrap(StatusOr<T> &&s) {
  if (!s.isOk())
    throw StatusError(s.status());
  return std::move(s).value();
}

/// An array of `shape` over `data`'s memory, which it takes over.
template <typename T>
py::array_t<T> toArray(std::vector<T> &&data,
                       const std::vector<int64_t> &shape) {
  if (data.empty()) // no buffer to share; NumPy makes its own
    return py::array_t<T>(std::vector<py::ssize_t>(shape.begin(), shape.end()));
  auto *owned = new std::vector<T>(std::move(data));
  py::capsule owner(owned,
                    [](void *p) { delete static_cast<std::vector<T> *>(p); });
  std::vector<py::ssize_t> dims(shape.begin(), shape.end());
  return py::array_t<T>(dims, owned->data(), owner);
}

void bindCompiler(py::module_ &m);
void bindProgram(py::module_ &m);
void bindSession(py::module_ &m);

} // namespace snnc::python

#endif // SNNC_TOOLS_PYTHON_BINDINGS_H
