//===- HeapGuard.cpp - Checks libhdf5 1.10 leaves out ---------------------===//
#include "compiler/nir/HeapGuard.h"

#include "compiler/nir/Hdf5Util.h"

#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace snnc::nir::detail {
namespace {

uint64_t littleEndian(const unsigned char *p, int bytes) {
  uint64_t v = 0;
  for (int k = bytes - 1; k >= 0; --k)
    v = v << 8 | p[k];
  return v;
}

} // namespace

HeapGuard::HeapGuard(const std::string &path, hid_t file) {
  Handle fcpl(H5Fget_create_plist(file), H5Pclose);
  size_t addrSize = 0, lenSize = 0;
  hsize_t userBlock = 0;
  struct stat st;
  fd_ = ::open(path.c_str(), O_RDONLY);
  // Only the default 8-byte addresses and lengths are checked; NIR files
  // written by h5py always use them.
  usable_ = H5Pget_sizes(fcpl.get(), &addrSize, &lenSize) >= 0 &&
            addrSize == 8 && lenSize == 8 &&
            H5Pget_userblock(fcpl.get(), &userBlock) >= 0 && fd_ >= 0 &&
            ::fstat(fd_, &st) == 0;
  base_ = userBlock;
  eof_ = usable_ ? uint64_t(st.st_size) : 0;
  H5Eclear2(H5E_DEFAULT);
}

HeapGuard::~HeapGuard() {
  if (fd_ >= 0)
    ::close(fd_);
}

std::string HeapGuard::check(hid_t ds, size_t n) {
  haddr_t off = H5Dget_offset(ds); // absolute, unlike heap addresses
  H5Eclear2(H5E_DEFAULT);
  std::vector<unsigned char> raw;
  if (!usable_ || off == HADDR_UNDEF) // compact: nothing to inspect
    return "";
  if (!readAt(off, n * 16, raw))
    return "string data lies past the end of the file";
  for (size_t k = 0; k < n; ++k) {
    const unsigned char *d = &raw[k * 16]; // length, heap address, index
    uint64_t len = littleEndian(d, 4), addr = littleEndian(d + 4, 8);
    if (addr == 0) // HDF5 reads nothing for these
      continue;
    const auto *objects = collection(addr);
    auto it = objects ? objects->find(littleEndian(d + 12, 4))
                      : std::map<uint64_t, uint64_t>::const_iterator();
    if (!objects)
      return "malformed global heap at address " + std::to_string(addr);
    if (len > (uint64_t(1) << 24) || it == objects->end() || it->second > len)
      return "string " + std::to_string(k) +
             " points to a missing or oversized global heap object";
  }
  return "";
}

bool HeapGuard::readAt(uint64_t pos, uint64_t size,
                       std::vector<unsigned char> &out) {
  if (pos > eof_ || size > eof_ - pos)
    return false;
  out.resize(size);
  return ::pread(fd_, out.data(), size, off_t(pos)) == ssize_t(size);
}

const std::map<uint64_t, uint64_t> *HeapGuard::collection(uint64_t addr) {
  auto [it, fresh] = heaps_.try_emplace(addr);
  Collection &c = it->second;
  if (!fresh)
    return c.ok ? &c.sizes : nullptr;
  std::vector<unsigned char> h;
  uint64_t size = 0;
  if (!readAt(base_ + addr, 16, h) || std::memcmp(h.data(), "GCOL", 4) ||
      h[4] != 1 || (size = littleEndian(&h[8], 8)) < 16 ||
      !readAt(base_ + addr, size, h))
    return nullptr;
  // The walk of H5HG's deserializer, with the bounds checks it lacks.
  for (uint64_t p = 16; p + 16 <= size;) {
    uint64_t idx = littleEndian(&h[p], 2), osize = littleEndian(&h[p + 8], 8);
    if (osize > size)
      return nullptr;
    uint64_t need = idx ? 16 + ((osize + 7) & ~uint64_t(7)) : osize;
    if (need < 16 || need > size - p)
      return nullptr;
    if (idx)
      c.sizes[idx] = osize;
    p += need;
  }
  c.ok = true;
  return &c.sizes;
}

} // namespace snnc::nir::detail
