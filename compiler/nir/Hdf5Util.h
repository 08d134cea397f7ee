//===- Hdf5Util.h - HDF5 C API helpers for the NIR file layer ---*- C++ -*-===//
//
// Shared by NirRead.cpp and NirWrite.cpp: an RAII owner for HDF5 handles,
// error-stack handling, and the limits that keep hostile files in check.
// Internal to compiler/nir.
//
//===----------------------------------------------------------------------===//
#ifndef SNNC_COMPILER_NIR_HDF5UTIL_H
#define SNNC_COMPILER_NIR_HDF5UTIL_H

#include <hdf5.h>

#include <algorithm>
#include <iterator>
#include <string>
#include <vector>

namespace snnc::nir::detail {

// Limits that keep a hostile or corrupt file from exhausting the stack or
// memory; real NIR models are far below all of them.
constexpr int kMaxDepth = 64;
constexpr size_t kMaxNodes = size_t(1) << 20;
constexpr int64_t kMaxElements = int64_t(1) << 28;

/// Owns one HDF5 identifier and closes it with the matching H5*close.
class Handle {
public:
  Handle() = default;
  Handle(hid_t id, herr_t (*closer)(hid_t)) : id_(id), close_(closer) {}
  Handle(Handle &&o) noexcept { *this = std::move(o); }
  Handle &operator=(Handle &&o) noexcept {
    if (this != &o) {
      close();
      std::swap(id_, o.id_);
      close_ = o.close_;
    }
    return *this;
  }
  ~Handle() { close(); }
  hid_t get() const { return id_; }
  bool valid() const { return id_ >= 0; }
  /// Closing can fail (e.g. the final flush of a file), so report it.
  herr_t close() {
    herr_t r = id_ >= 0 && close_ ? close_(id_) : 0;
    id_ = H5I_INVALID_HID;
    return r;
  }

private:
  hid_t id_ = H5I_INVALID_HID;
  herr_t (*close_)(hid_t) = nullptr;
};

/// Called with the HDF5 path of each object just before libhdf5 touches it
/// (listing a group, opening a member, reading a dataset), so that a read
/// contained in a child process can say where libhdf5 crashed. Null unless
/// such a child set it (NirIsolate.cpp).
extern void (*objectHook)(const std::string &obj);
inline void noteObject(const std::string &obj) {
  if (objectHook)
    objectHook(obj);
}

/// HDF5 prints its error stack to stderr by default; we report errors
/// ourselves. Deliberately not restored afterwards: on some corrupt files
/// libhdf5 1.10 cannot release everything, and with printing on it then
/// complains "infinite loop closing library" at exit.
inline void silenceHdf5() { H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr); }

inline herr_t innermostError(unsigned n, const H5E_error2_t *e, void *out) {
  if (n == 0 && e && e->desc)
    *static_cast<std::string *>(out) = e->desc;
  return 0;
}

/// The most specific message on HDF5's error stack, as " (HDF5: ...)", so
/// that e.g. "truncated file: eof = ..." reaches the user.
inline std::string hdf5Detail() {
  std::string desc;
  H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, innermostError, &desc);
  H5Eclear2(H5E_DEFAULT);
  std::replace(desc.begin(), desc.end(), '\n', ' ');
  return desc.empty() ? std::string() : " (HDF5: " + desc + ")";
}

inline const char *className(H5T_class_t c) {
  static const char *const names[] = {
      "integer",  "float",     "time", "string",          "bitfield", "opaque",
      "compound", "reference", "enum", "variable-length", "array"};
  return c >= 0 && size_t(c) < std::size(names) ? names[c] : "unknown";
}

inline std::string shapeString(const std::vector<hsize_t> &dims) {
  std::string s = "(";
  for (size_t k = 0; k < dims.size(); ++k) {
    if (k)
      s += ',';
    s += std::to_string(dims[k]);
  }
  return s + ")";
}

} // namespace snnc::nir::detail

#endif // SNNC_COMPILER_NIR_HDF5UTIL_H
