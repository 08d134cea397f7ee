//===- Aligned.h - Cache-line aligned arrays for per-thread state -*- C++
//-*-===//
//
// Threads own contiguous slices of every per-neuron array, with boundaries
// at multiples of 64 neurons (splitPopulations). Those boundaries only fall on
// cache-line boundaries when the arrays start on one; otherwise two threads
// write the same line every step and it travels between their cores (on
// the Vogels-Abbott networks that cost more than the whole neuron update).
//
//===----------------------------------------------------------------------===//
#ifndef SNNC_BACKENDS_CPU_ALIGNED_H
#define SNNC_BACKENDS_CPU_ALIGNED_H

#include <cstddef>
#include <new>
#include <vector>

namespace snnc::cpu {

constexpr size_t kCacheLine = 64;

template <typename T> struct CacheAligned {
  using value_type = T;
  CacheAligned() = default;
  template <typename U> CacheAligned(const CacheAligned<U> &) {}
  T *allocate(size_t n) {
    return static_cast<T *>(
        ::operator new(n * sizeof(T), std::align_val_t(kCacheLine)));
  }
  void deallocate(T *p, size_t) {
    ::operator delete(p, std::align_val_t(kCacheLine));
  }
  template <typename U> bool operator==(const CacheAligned<U> &) const {
    return true;
  }
};

/// A std::vector whose data starts on a cache line.
template <typename T> using AlignedVector = std::vector<T, CacheAligned<T>>;

/// n rounded up to a multiple of 64 elements: the stride between channels
/// or ring slots of one population, so that each starts on a cache line.
inline size_t paddedSize(size_t n) { return (n + 63) / 64 * 64; }

} // namespace snnc::cpu

#endif // SNNC_BACKENDS_CPU_ALIGNED_H
