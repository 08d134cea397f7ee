//===- FixedPoint.h - snnc's fixed-point arithmetic -------------*- C++ -*-===//
//
// Every backend that runs an artifact in fixed mode (cpu, cuda, the RTL core
// and its Verilator harness) computes with these functions, so that they agree
// bit for bit. docs/fixed-point.md states the same rules as a table, with the
// per-step update order; change both together or not at all.
//
// Rules that hold for every function here:
// - No undefined behaviour for any argument value: magnitudes are taken in
//   uint64 (so INT64_MIN is fine), signed results are formed by the
//   well-defined unsigned -> signed conversion of C++20, nothing shifts a
//   negative value and nothing overflows a signed type.
// - Results that do not fit saturate to the nearest representable value,
//   except accumulate(), which wraps on purpose (see there).
// - Bit widths are signed two's-complement widths: `bits` in 1..64 holds
//   -2^(bits-1) .. 2^(bits-1) - 1. Arguments outside the stated domains are
//   clamped into them, never trusted.
// Header-only, constexpr, no state: safe from any thread, usable in CUDA
// device code once marked for it.
//
//===----------------------------------------------------------------------===//
#ifndef SNNC_REFERENCE_FIXEDPOINT_H
#define SNNC_REFERENCE_FIXEDPOINT_H

#include <cstdint>

namespace snnc::fixedpoint {

/// Decays are fractions of 2^12: d = 4096 removes everything, d = 0 nothing.
inline constexpr int kDecayBits = 12;
inline constexpr uint32_t kDecayOne = uint32_t(1) << kDecayBits;

/// Largest value of a signed `bits`-bit integer; bits is clamped to 1..64.
constexpr int64_t maxOf(int bits) {
  bits = bits < 1 ? 1 : (bits > 64 ? 64 : bits);
  return int64_t((uint64_t(1) << (bits - 1)) - 1);
}

/// Smallest value of a signed `bits`-bit integer; bits is clamped to 1..64.
constexpr int64_t minOf(int bits) { return -maxOf(bits) - 1; }

/// Clamps x into the signed `bits`-bit range (bits clamped to 1..64).
constexpr int64_t saturate(int64_t x, int bits) {
  const int64_t hi = maxOf(bits), lo = minOf(bits);
  return x > hi ? hi : (x < lo ? lo : x);
}

namespace detail {
/// |x| as an unsigned number; exact for every int64 including INT64_MIN.
constexpr uint64_t magnitude(int64_t x) {
  return x < 0 ? uint64_t(0) - uint64_t(x) : uint64_t(x);
}
/// sign * mag for mag <= 2^63 (2^63 only when negative), without overflow.
constexpr int64_t withSign(bool negative, uint64_t mag) {
  return negative ? int64_t(uint64_t(0) - mag) : int64_t(mag);
}
/// sign * mag, saturated to the int64 range for any mag.
constexpr int64_t withSignSaturated(bool negative, uint64_t mag) {
  const uint64_t limit = negative ? uint64_t(1) << 63 : (uint64_t(1) << 63) - 1;
  return withSign(negative, mag > limit ? limit : mag);
}
} // namespace detail

/// a + b, saturated to the int64 range.
constexpr int64_t saturatingAdd(int64_t a, int64_t b) {
  // Unsigned addition wraps by definition; overflow happened iff both
  // operands share a sign that the wrapped sum does not.
  const int64_t sum = int64_t(uint64_t(a) + uint64_t(b));
  if (a >= 0 && b >= 0 && sum < 0)
    return maxOf(64);
  if (a < 0 && b < 0 && sum >= 0)
    return minOf(64);
  return sum;
}

/// a - b, saturated to the int64 range.
constexpr int64_t saturatingSub(int64_t a, int64_t b) {
  const int64_t diff = int64_t(uint64_t(a) - uint64_t(b));
  if (a >= 0 && b < 0 && diff < 0)
    return maxOf(64);
  if (a < 0 && b >= 0 && diff >= 0)
    return minOf(64);
  return diff;
}

/// a * b, saturated to the int64 range.
constexpr int64_t saturatingMul(int64_t a, int64_t b) {
  const uint64_t ma = detail::magnitude(a), mb = detail::magnitude(b);
  const bool negative = (a < 0) != (b < 0);
  if ((ma | mb) < (uint64_t(1) << 31)) // the common case needs no checks
    return detail::withSign(negative, ma * mb);
  if (ma != 0 && mb > ~uint64_t(0) / ma) // the magnitude itself overflows
    return negative ? minOf(64) : maxOf(64);
  return detail::withSignSaturated(negative, ma * mb);
}

/// x / 2^k rounded to nearest, ties away from zero (k clamped to 0..63):
/// 5/2 -> 3, -5/2 -> -3, 3/4 -> 1, -1/4 -> 0.
constexpr int64_t roundingShiftRight(int64_t x, int k) {
  if (k <= 0)
    return x;
  k = k > 63 ? 63 : k;
  const uint64_t m = detail::magnitude(x);
  // Adding the bit just below the cut rounds the magnitude half up, which
  // is half away from zero once the sign is put back.
  const uint64_t q = (m >> k) + ((m >> (k - 1)) & 1);
  return detail::withSign(x < 0, q);
}

/// The amount a decay removes: sign(x) * floor(|x| * d / 2^12), i.e. the
/// magnitude is truncated, so decay rounds toward zero for negative and
/// positive x alike (-5 with d = 2048 loses 2, not 3). d is clamped to
/// 0..4096. Exact for every int64 x: |x| * d is formed as
/// (|x| >> 12) * d + (((|x| & 4095) * d) >> 12), which never overflows.
constexpr int64_t decayAmount(int64_t x, uint32_t d) {
  d = d > kDecayOne ? kDecayOne : d;
  const uint64_t m = detail::magnitude(x);
  const uint64_t amount =
      (m >> kDecayBits) * d + (((m & (kDecayOne - 1)) * d) >> kDecayBits);
  return detail::withSign(x < 0, amount); // amount <= |x|, so it fits
}

/// x after one step of decay d (a 12-bit fraction): x - decayAmount(x, d).
/// |result| <= |x| and the sign never flips, so it cannot overflow.
constexpr int64_t decay(int64_t x, uint32_t d) {
  return int64_t(uint64_t(x) - uint64_t(decayAmount(x, d)));
}

/// decay() for a value that fits in 32 bits, as every neuron state does
/// (state_bits <= 32): the same result for every int32 x, computed in
/// 32-bit unsigned arithmetic ((|x| >> 12) * d <= 2^19 * 2^12 and
/// (|x| & 4095) * d < 2^24 cannot wrap), which vector units do natively.
constexpr int64_t decayState(int32_t x, uint32_t d) {
  d = d > kDecayOne ? kDecayOne : d;
  const uint32_t m = x < 0 ? 0u - uint32_t(x) : uint32_t(x);
  const uint32_t amount =
      (m >> kDecayBits) * d + (((m & (kDecayOne - 1)) * d) >> kDecayBits);
  return x < 0 ? int64_t(x) + int64_t(amount) : int64_t(x) - int64_t(amount);
}

/// 2^e for e in 0..62 (clamped).
constexpr int64_t pow2(int e) {
  e = e < 0 ? 0 : (e > 62 ? 62 : e);
  return int64_t(1) << e;
}

/// x * 2^e, saturated to int64, for e >= 0; x / 2^-e rounded half away from
/// zero for e < 0. e is clamped to -63..63.
constexpr int64_t scaleByPow2(int64_t x, int e) {
  if (e < 0)
    return roundingShiftRight(x, -e);
  if (e > 62) // 2^63 is not an int64; any nonzero x saturates
    return x == 0 ? 0 : (x < 0 ? minOf(64) : maxOf(64));
  const uint64_t m = detail::magnitude(x);
  if (m <= (uint64_t(maxOf(64)) >> e)) // fits: a plain multiply (hot path)
    return detail::withSign(x < 0, m << e);
  return x < 0 ? minOf(64) : maxOf(64);
}

/// What one spike through a synapse adds to its target: mantissa * 2^exponent
/// (the value written "mantissa << exponent"), saturated to int64. Exact for
/// artifacts (16-bit mantissas, exponent <= 24 give at most 2^39).
constexpr int64_t weightValue(int64_t mantissa, int exponent) {
  return scaleByPow2(mantissa, exponent < 0 ? 0 : exponent);
}

/// What a graded source value g (an integer with `fracBits` fractional bits)
/// adds through a synapse: g * mantissa * 2^exponent / 2^fracBits, rounded
/// to nearest with ties away from zero, saturated to int64. Computed as
/// p = g * mantissa (saturating), then p scaled by 2^(exponent - fracBits);
/// this is the exact rounded quotient whenever |g * mantissa| < 2^63, which
/// every artifact satisfies (32-bit g times 16-bit mantissa < 2^47).
/// exponent and fracBits are clamped to 0..62.
constexpr int64_t gradedContribution(int64_t g, int64_t mantissa, int exponent,
                                     int fracBits) {
  exponent = exponent < 0 ? 0 : (exponent > 62 ? 62 : exponent);
  fracBits = fracBits < 0 ? 0 : (fracBits > 62 ? 62 : fracBits);
  return scaleByPow2(saturatingMul(g, mantissa), exponent - fracBits);
}

/// Adds a contribution to a 64-bit input accumulator, wrapping modulo 2^64
/// (two's complement). Wrapping, unlike saturation, is associative and
/// commutative, so the sum is the same in any order: that is what lets CPU
/// threads, CUDA atomics and the RTL agree. Artifacts never come near the
/// wrap (fan-in * 2^39 << 2^63); the result is read through saturate().
constexpr int64_t accumulate(int64_t acc, int64_t contribution) {
  return int64_t(uint64_t(acc) + uint64_t(contribution));
}

/// round(f * 2^fracBits) with ties away from zero, saturated to `bits`
/// bits; NaN gives 0 and infinities saturate. fracBits is clamped to 0..62.
/// Exact: f * 2^fracBits is computed in double, where it cannot round (a
/// float has 24 significant bits), and its fraction is exact too.
constexpr int64_t toFixed(float f, int fracBits, int bits) {
  if (f != f) // NaN (std::isnan is not constexpr in C++20)
    return 0;
  fracBits = fracBits < 0 ? 0 : (fracBits > 62 ? 62 : fracBits);
  const double scaled = double(f) * double(pow2(fracBits));
  constexpr double two63 = 9223372036854775808.0;
  if (scaled >= two63)
    return maxOf(bits);
  if (scaled <= -two63)
    return minOf(bits);
  int64_t whole = int64_t(scaled); // truncates toward zero; in range here
  const double frac = scaled - double(whole);
  if (frac >= 0.5)
    ++whole; // cannot overflow: doubles this large have no fraction
  else if (frac <= -0.5)
    --whole;
  return saturate(whole, bits);
}

/// x / 2^fracBits as the nearest float (ties to even), for |x| < 2^53 (all
/// state values); fracBits is clamped to 0..62.
constexpr float fromFixed(int64_t x, int fracBits) {
  fracBits = fracBits < 0 ? 0 : (fracBits > 62 ? 62 : fracBits);
  // double(x) and the division by a power of two are exact, so the only
  // rounding is the final conversion to float.
  return float(double(x) / double(pow2(fracBits)));
}

/// The spike condition: v > threshold, or v >= threshold when
/// `greaterEqual` (the artifact's Comparison).
constexpr bool crosses(int64_t v, int64_t threshold, bool greaterEqual) {
  return greaterEqual ? v >= threshold : v > threshold;
}

/// The membrane after a spike's reset, saturated to `bits`: v - threshold
/// (Subtract) or v_reset (ToReset).
constexpr int64_t resetValue(int64_t v, int64_t threshold, int64_t vReset,
                             bool subtract, int bits) {
  return saturate(subtract ? saturatingSub(v, threshold) : vReset, bits);
}

} // namespace snnc::fixedpoint

#endif // SNNC_REFERENCE_FIXEDPOINT_H
