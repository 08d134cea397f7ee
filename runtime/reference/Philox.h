//===- Philox.h - The counter-based generator behind every random draw -*- C++//
//
// Philox4x32-10 (Salmon, Moraes, Dror and Shaw, "Parallel random numbers: as
// easy as 1, 2, 3", SC 2011): a bijection of a 128-bit counter under a 64-bit
// key. Every random value snnc draws (procedural synapses, their weights and
// delays, Poisson sources) is a pure function of (seed, what it is for,
// which element, which draw), never of a sequential generator's position, so
// the same network gives the same numbers on any thread count, in the
// compiler and in every runtime backend. Plain header functions, as the rest
// of runtime/reference/: the CUDA and RTL backends follow the same bits.
//
// Counter layout used across snnc (docs/procedural.md): word 0 = element
// index (source neuron, target neuron, Poisson neuron), word 1 = draw index
// within that element (or low half of the step for Poisson sources), word 2 =
// high half of the step (or 0), word 3 = stream (what the draw is for).
//
//===----------------------------------------------------------------------===//
#ifndef SNNC_RUNTIME_REFERENCE_PHILOX_H
#define SNNC_RUNTIME_REFERENCE_PHILOX_H

#include <array>
#include <cstdint>

// Host and device: nvcc compiles the generator for CUDA kernels too (the
// cuda backend draws the same words on the GPU); other compilers see plain
// functions.
#if defined(__CUDACC__)
#define SNNC_HD __host__ __device__
#else
#define SNNC_HD
#endif

namespace snnc::ref {

using PhiloxCounter = std::array<uint32_t, 4>;
using PhiloxKey = std::array<uint32_t, 2>;

/// Stream ids (counter word 3) of procedural connectivity; 0x100-0x1FF is
/// reserved for it (docs/procedural.md gives each stream's counter layout).
inline constexpr uint32_t kStreamProceduralConnect = 0x100; ///< which pairs
inline constexpr uint32_t kStreamProceduralWeight = 0x101;  ///< weights
inline constexpr uint32_t kStreamProceduralDelay = 0x102;   ///< delays
/// Initial values drawn per neuron (snn.receptor_lif's v_init_dist): row =
/// neuron index, position 0, as procedural::sampleValue draws it.
inline constexpr uint32_t kStreamInitialValue = 0x103;

/// Philox4x32 with 10 rounds. Matches Random123's known-answer vectors
/// (test/unit/PhiloxTest.cpp).
SNNC_HD inline PhiloxCounter philox4x32_10(PhiloxCounter c, PhiloxKey k) {
  constexpr uint32_t m0 = 0xD2511F53u, m1 = 0xCD9E8D57u;
  constexpr uint32_t w0 = 0x9E3779B9u, w1 = 0xBB67AE85u;
  for (int round = 0; round < 10; ++round) {
    uint64_t p0 = uint64_t(m0) * c[0], p1 = uint64_t(m1) * c[2];
    uint32_t hi0 = uint32_t(p0 >> 32), lo0 = uint32_t(p0);
    uint32_t hi1 = uint32_t(p1 >> 32), lo1 = uint32_t(p1);
    c = {hi1 ^ c[1] ^ k[0], lo1, hi0 ^ c[3] ^ k[1], lo0};
    k[0] += w0;
    k[1] += w1;
  }
  return c;
}

SNNC_HD inline PhiloxKey philoxKey(uint64_t seed) {
  return {uint32_t(seed), uint32_t(seed >> 32)};
}

/// A uniform double in [0, 1) with 53 random bits, from two words.
SNNC_HD inline double uniform53(uint32_t hi, uint32_t lo) {
  uint64_t bits = (uint64_t(hi) << 21) ^ (uint64_t(lo) >> 11);
  return double(bits & ((uint64_t(1) << 53) - 1)) * 0x1.0p-53;
}

/// A uniform double in the open interval (0, 1), for logarithms.
SNNC_HD inline double uniformOpen(uint32_t hi, uint32_t lo) {
  uint64_t bits =
      ((uint64_t(hi) << 20) ^ (uint64_t(lo) >> 12)) & ((uint64_t(1) << 52) - 1);
  return (double(bits) + 0.5) * 0x1.0p-52;
}

/// Successive draws for one (key, element, stream): each Philox block gives
/// two doubles; block b uses counter {element, b, high, stream}.
class PhiloxStream {
public:
  SNNC_HD PhiloxStream(PhiloxKey key, uint32_t element, uint32_t high,
                       uint32_t stream)
      : key(key), element(element), high(high), stream(stream) {}

  /// Next uniform in [0, 1).
  SNNC_HD double uniform() {
    refill();
    double u = uniform53(block[2 * used], block[2 * used + 1]);
    ++used;
    return u;
  }
  /// Next uniform in (0, 1).
  SNNC_HD double uniformOpen() {
    refill();
    double u = ref::uniformOpen(block[2 * used], block[2 * used + 1]);
    ++used;
    return u;
  }
  /// Next raw 64-bit value (for integer draws by rejection).
  SNNC_HD uint64_t bits64() {
    refill();
    uint64_t v = (uint64_t(block[2 * used]) << 32) | block[2 * used + 1];
    ++used;
    return v;
  }

private:
  SNNC_HD void refill() {
    if (used < 2)
      return;
    block = philox4x32_10({element, next, high, stream}, key);
    ++next;
    used = 0;
  }

  PhiloxKey key;
  uint32_t element, high, stream;
  uint32_t next = 0;
  PhiloxCounter block{};
  int used = 2;
};

/// The high 64 bits of the 128-bit product a * b.
SNNC_HD inline uint64_t mulHigh64(uint64_t a, uint64_t b) {
#if defined(__CUDA_ARCH__)
  return __umul64hi(a, b);
#else
  return uint64_t(((__uint128_t)a * b) >> 64);
#endif
}

/// A uniform integer in [0, n) (n >= 1) without modulo bias (Lemire's
/// multiply-and-reject on 64 bits).
SNNC_HD inline uint64_t uniformBelow(PhiloxStream &s, uint64_t n) {
  for (;;) {
    const uint64_t x = s.bits64();
    const uint64_t low = x * n; // the low half of the product
    if (low >= (0 - n) % n)
      return mulHigh64(x, n);
  }
}

} // namespace snnc::ref

#endif // SNNC_RUNTIME_REFERENCE_PHILOX_H
