//===- Vectorize.h - Helpers for the vectorized neuron kernels --*- C++ -*-===//
//
// Internal to the CPU backend: what the per-step kernels need so that GCC
// vectorizes their loops and both clones (AVX2 and baseline) compute the
// same IEEE operations.
//
//===----------------------------------------------------------------------===//
#ifndef SNNC_BACKENDS_CPU_VECTORIZE_H
#define SNNC_BACKENDS_CPU_VECTORIZE_H

#include <bit>
#include <cstdint>

namespace snnc::cpu {

// Every array a kernel loop touches is indexed by the loop's own neuron
// (or is a shared parameter it only reads), so no iteration depends on
// another. GCC cannot see that through the pointers (restrict on local
// variables does not help it) and would need more run-time alias checks
// than it allows, so the loops say it.
#if defined(__clang__)
#define SNNC_NO_LOOP_CARRIED_DEPENDENCES                                       \
  _Pragma("clang loop vectorize(assume_safety)")
#elif defined(__GNUC__)
#define SNNC_NO_LOOP_CARRIED_DEPENDENCES _Pragma("GCC ivdep")
#else
#define SNNC_NO_LOOP_CARRIED_DEPENDENCES
#endif

/// 0/1 spike condition as an int.
template <bool GreaterEqual> inline int32_t crossesF(float v, float th) {
  if constexpr (GreaterEqual)
    return v >= th;
  else
    return v > th;
}

/// cond ? a : b, as a bitwise blend of the two values. A ?: on floats is
/// fragile in GCC's vectorizer: it sinks a load or a subtraction feeding
/// one side back under the condition (a float operation may trap, so it is
/// not speculated again) and gives up on a loop with control flow. The
/// blend is exact for every value, NaN payloads and signed zeros included.
inline float pick(int32_t cond, float a, float b) {
  const uint32_t mask = 0u - uint32_t(cond != 0);
  return std::bit_cast<float>((std::bit_cast<uint32_t>(a) & mask) |
                              (std::bit_cast<uint32_t>(b) & ~mask));
}

// Float kernels are cloned for AVX2 and picked at load time (ifunc), so
// one binary runs on every x86-64 and uses 8-wide vectors where it can.
// Lanes compute the same IEEE operations either way, and the engine is
// built with -ffp-contract=off, so both clones give identical results.
// ThreadSanitizer instruments the ifunc resolvers, which run before its
// runtime is initialized, so a TSan build uses the baseline code only.
#if defined(__x86_64__) && defined(__ELF__) && defined(__GNUC__) &&            \
    !defined(__clang__) && !defined(__SANITIZE_THREAD__)
#define SNNC_CPU_CLONES __attribute__((target_clones("avx2", "default")))
#else
#define SNNC_CPU_CLONES
#endif

} // namespace snnc::cpu

#endif // SNNC_BACKENDS_CPU_VECTORIZE_H
