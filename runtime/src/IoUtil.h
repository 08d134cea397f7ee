//===- IoUtil.h - Helpers shared by the file writers (private) --*- C++ -*-===//
//
// Checked element counts, and atomic replacement: the runtime's writers
// never leave a half-written file under the name the caller asked for; they
// write a sibling temporary file (same directory, so the rename cannot cross
// file systems) and rename it over the target only once every byte is out.
// Private to runtime/src.
//
//===----------------------------------------------------------------------===//
#ifndef SNNC_RUNTIME_SRC_IOUTIL_H
#define SNNC_RUNTIME_SRC_IOUTIL_H

#include "snnc/runtime/Status.h"

#include <atomic>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>
#include <system_error>
#include <vector>

#include <unistd.h>

namespace snnc::detail {

/// The largest array the runtime's readers and encoders build: 2^31
/// elements, so that counts fit every index type and a corrupt header
/// cannot ask for terabytes.
constexpr int64_t kMaxElements = int64_t(1) << 31;

/// Product of `shape`, or -1 when a dimension is negative or the product
/// exceeds `limit`. A zero dimension gives 0 whatever the others are.
inline int64_t checkedElementCount(const std::vector<int64_t> &shape,
                                   int64_t limit = kMaxElements) {
  bool empty = false;
  for (int64_t d : shape) {
    if (d < 0)
      return -1;
    empty = empty || d == 0;
  }
  if (empty)
    return 0;
  int64_t n = 1;
  for (int64_t d : shape) {
    if (n > limit / d)
      return -1;
    n *= d;
  }
  return n;
}

/// A name beside `path` that no other writer in this or another process
/// picks at the same time (pid plus a process-wide counter).
inline std::string siblingTempPath(const std::string &path) {
  static std::atomic<unsigned long> counter{0};
  return path + ".tmp." + std::to_string(::getpid()) + "." +
         std::to_string(counter.fetch_add(1));
}

/// Message text for an errno value, e.g. "No such file or directory".
inline std::string errnoText(int err) {
  return std::make_error_code(std::errc(err)).message();
}

/// Status for a failure to create or write `path`; ENOENT means a missing
/// directory, which callers want to tell apart from a full disk.
inline Status writeError(const std::string &path, const char *what, int err) {
  std::string msg =
      "cannot " + std::string(what) + " '" + path + "': " + errnoText(err);
  if (err == ENOENT)
    return notFound(std::move(msg));
  return invalidArgument(std::move(msg));
}

/// Moves `tmp` onto `path`; removes `tmp` when that fails.
inline Status commitTemp(const std::string &tmp, const std::string &path) {
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    int err = errno;
    std::remove(tmp.c_str());
    return writeError(path, "replace", err);
  }
  return Status::ok();
}

/// Creates a sibling temporary file, lets `emit(FILE *)` fill it (it
/// returns false on a failed write, leaving errno set), and renames it onto
/// `path`. On any failure the temporary file is removed.
template <typename Emit>
Status writeAtomically(const std::string &path, Emit &&emit) {
  std::string tmp = siblingTempPath(path);
  std::FILE *f = std::fopen(tmp.c_str(), "wb");
  if (!f)
    return writeError(path, "create", errno);
  errno = 0;
  bool ok = emit(f);
  int err = errno;
  if (std::fclose(f) != 0 && ok) {
    ok = false;
    err = errno;
  }
  if (!ok) {
    std::remove(tmp.c_str());
    return writeError(path, "write", err ? err : EIO);
  }
  return commitTemp(tmp, path);
}

/// The magic, version and header dict of a C-order .npy array of `descr`
/// (e.g. "<f4") and `shape`, padded so that the data starts at a multiple
/// of 64 bytes, as numpy writes it (Npy.cpp).
std::string npyHeader(const char *descr, const std::vector<int64_t> &shape);

/// Writes `bytes` to `path` through a sibling temporary file.
inline Status writeFileAtomically(const std::string &path,
                                  const std::string &bytes) {
  return writeAtomically(path, [&](std::FILE *f) {
    return std::fwrite(bytes.data(), 1, bytes.size(), f) == bytes.size();
  });
}

} // namespace snnc::detail

#endif // SNNC_RUNTIME_SRC_IOUTIL_H
