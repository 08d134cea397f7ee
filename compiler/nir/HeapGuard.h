//===- HeapGuard.h - Checks libhdf5 1.10 leaves out ------------*- C++ -*-===//
//
// Internal to the NIR reader.
//
//===----------------------------------------------------------------------===//
#ifndef SNNC_COMPILER_NIR_HEAPGUARD_H
#define SNNC_COMPILER_NIR_HEAPGUARD_H

#include <hdf5.h>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace snnc::nir::detail {

/// libhdf5 1.10 trusts the object table of a global heap collection: a
/// corrupt object size makes H5HG_read copy past its buffers, and a zero
/// free-space size makes it loop forever. Variable-length strings live in
/// that heap, so before reading them we check the heap objects they point
/// to, following the file format specification ("GCOL" collections).
class HeapGuard {
public:
  /// Opens `path` a second time, read-only, for raw reads; `file` is the
  /// same file opened by HDF5 (for its address sizes and user block).
  HeapGuard(const std::string &path, hid_t file);
  ~HeapGuard();
  HeapGuard(const HeapGuard &) = delete;
  HeapGuard &operator=(const HeapGuard &) = delete;

  /// Why the `n` variable-length strings of `ds` are unsafe to read, or "".
  std::string check(hid_t ds, size_t n);

private:
  struct Collection {
    bool ok = false;
    std::map<uint64_t, uint64_t> sizes; // object index -> size
  };

  bool readAt(uint64_t pos, uint64_t size, std::vector<unsigned char> &out);
  /// Object sizes of the collection at `addr`, or nullptr if malformed.
  const std::map<uint64_t, uint64_t> *collection(uint64_t addr);

  int fd_ = -1;
  bool usable_ = false;
  uint64_t base_ = 0, eof_ = 0;
  std::map<uint64_t, Collection> heaps_;
};

} // namespace snnc::nir::detail

#endif // SNNC_COMPILER_NIR_HEAPGUARD_H
