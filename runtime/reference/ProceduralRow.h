//===- ProceduralRow.h - A rule's row, on host and device ------*- C++ -*-===//
//
// The pieces of procedural connectivity (docs/procedural.md) that decide a
// presynaptic neuron's synapses from counters alone, so that a row can be
// regenerated anywhere, any number of times, without the rest of the
// projection: the portable logarithm and exponential, the value
// distributions (weights and delays, drawn by the synapse's position in the
// final sorted row), delays in steps, and the rows of AllToAll, OneToOne,
// FixedProbability and (up to kMaxRegeneratedOutDegree targets)
// FixedOutDegree. The runtime's expansion (runtime/src/Procedural*.cpp)
// calls these functions (for FixedOutDegree it shares the generator and
// the draws, keeping its own bitmap for Floyd's sampling of any degree),
// and the CUDA backend calls the same ones on the device to regenerate the
// row of each spiking source instead of reading expanded synapses; so an
// expanded and a regenerated run have the same synapses bit for bit
// (test/gpu/CudaPlanTest.cpp compares them row by row).
//
// Only IEEE-754 +, -, *, /, sqrt, floor, round and ldexp are used, each
// correctly rounded on every host and on CUDA devices, in a fixed order.
// Every caller must compile these functions without floating-point
// contraction (-ffp-contract=off for the runtime's procedural library,
// -fmad=false for nvcc): a fused multiply-add would round differently.
//
// Header-only, no state: safe from any thread.
//
//===----------------------------------------------------------------------===//
#ifndef SNNC_RUNTIME_REFERENCE_PROCEDURALROW_H
#define SNNC_RUNTIME_REFERENCE_PROCEDURALROW_H

#include "Philox.h"

#include <cmath>
#include <cstdint>
#include <cstring>

namespace snnc::ref {

//===----------------------------------------------------------------------===//
// Correctly rounded operations under one name on host and device.
//===----------------------------------------------------------------------===//

SNNC_HD inline double hdFloor(double x) {
#if defined(__CUDA_ARCH__)
  return floor(x);
#else
  return std::floor(x);
#endif
}
SNNC_HD inline double hdSqrt(double x) {
#if defined(__CUDA_ARCH__)
  return sqrt(x); // IEEE-754 correctly rounded for double
#else
  return std::sqrt(x);
#endif
}
SNNC_HD inline double hdLdexp(double x, int e) {
#if defined(__CUDA_ARCH__)
  return ldexp(x, e);
#else
  return std::ldexp(x, e);
#endif
}
SNNC_HD inline double hdRound(double x) { // half away from zero
#if defined(__CUDA_ARCH__)
  return round(x);
#else
  return std::round(x);
#endif
}
SNNC_HD inline uint64_t hdBits(double x) {
#if defined(__CUDA_ARCH__)
  return uint64_t(__double_as_longlong(x));
#else
  uint64_t b;
  std::memcpy(&b, &x, 8);
  return b;
#endif
}
SNNC_HD inline double hdFromBits(uint64_t b) {
#if defined(__CUDA_ARCH__)
  return __longlong_as_double((long long)b);
#else
  double x;
  std::memcpy(&x, &b, 8);
  return x;
#endif
}

//===----------------------------------------------------------------------===//
// Logarithm and exponential from +, -, *, / (docs/procedural.md).
//===----------------------------------------------------------------------===//

// ln 2 split so that an integer exponent times the high part is exact (its
// low 21 bits are zero): the split fdlibm uses.
inline constexpr double kLn2Hi = 6.93147180369123816490e-01;
inline constexpr double kLn2Lo = 1.90821492927058770002e-10;
inline constexpr double kInvLn2 = 1.44269504088896338700e+00;
inline constexpr double kSqrt2 = 1.41421356237309514547e+00;

/// 1/(2k+1), k = 0..10, rounded to double (runtime/src/
/// ProceduralDistributions.cpp checks each against the division).
SNNC_HD constexpr double oddReciprocal(int k) {
  const double t[11] = {
      0x1.0000000000000p+0, 0x1.5555555555555p-2, 0x1.999999999999ap-3,
      0x1.2492492492492p-3, 0x1.c71c71c71c71cp-4, 0x1.745d1745d1746p-4,
      0x1.3b13b13b13b14p-4, 0x1.1111111111111p-4, 0x1.e1e1e1e1e1e1ep-5,
      0x1.af286bca1af28p-5, 0x1.8618618618618p-5};
  return t[k];
}

/// 1/j!, j = 0..13, rounded to double (j! is exact in double).
SNNC_HD constexpr double factorialReciprocal(int j) {
  const double t[14] = {
      0x1.0000000000000p+0,  0x1.0000000000000p+0,  0x1.0000000000000p-1,
      0x1.5555555555555p-3,  0x1.5555555555555p-5,  0x1.1111111111111p-7,
      0x1.6c16c16c16c17p-10, 0x1.a01a01a01a01ap-13, 0x1.a01a01a01a01ap-16,
      0x1.71de3a556c734p-19, 0x1.27e4fb7789f5cp-22, 0x1.ae64567f544e4p-26,
      0x1.1eed8eff8d898p-29, 0x1.6124613a86d09p-33};
  return t[j];
}

/// Natural logarithm of a positive normal double; relative error below
/// 5e-16 (procedural::portableLog).
SNNC_HD inline double portableLog(double x) {
  // x = m * 2^e with m in [sqrt(1/2), sqrt(2)); both steps are exact.
  const uint64_t bits = hdBits(x);
  int e = int(bits >> 52) - 1023;
  double m = hdFromBits((bits & 0x000FFFFFFFFFFFFFull) | 0x3FF0000000000000ull);
  if (m > kSqrt2) {
    m *= 0.5;
    ++e;
  }
  // log m = 2 atanh(s) = 2 (s + s^3/3 + s^5/5 + ...), s = (m-1)/(m+1),
  // |s| <= 0.1716: eleven terms past s leave an error below 1e-20.
  const double f = m - 1.0; // exact (Sterbenz)
  const double s = f / (m + 1.0);
  const double s2 = s * s;
  // for k = 10 down to 1: q = q * s2 + 1/(2k+1), unrolled so that every
  // coefficient is a constant (no table in memory).
  double q = 1.0 / 23.0;
  q = q * s2 + oddReciprocal(10);
  q = q * s2 + oddReciprocal(9);
  q = q * s2 + oddReciprocal(8);
  q = q * s2 + oddReciprocal(7);
  q = q * s2 + oddReciprocal(6);
  q = q * s2 + oddReciprocal(5);
  q = q * s2 + oddReciprocal(4);
  q = q * s2 + oddReciprocal(3);
  q = q * s2 + oddReciprocal(2);
  q = q * s2 + oddReciprocal(1);
  const double logm = 2.0 * s + (2.0 * s) * (s2 * q);
  const double de = double(e);
  return de * kLn2Hi + (logm + de * kLn2Lo);
}

/// e^x; relative error below 5e-16; 0 below -745.2, infinity above
/// 709.78 (procedural::portableExp).
SNNC_HD inline double portableExp(double x) {
  if (x != x) // NaN
    return x;
  if (x > 709.782712893383973096)
    return hdFromBits(0x7FF0000000000000ull); // +infinity
  if (x < -745.2)
    return 0.0;
  // x = k ln2 + r, |r| <= ln2 / 2; e^r by its Taylor series to r^13
  // (truncation below 5e-18), then scaled by 2^k exactly.
  const double kd = hdFloor(x * kInvLn2 + 0.5);
  const double r = (x - kd * kLn2Hi) - kd * kLn2Lo;
  // for j = 12 down to 0: p = p * r + 1/j!, unrolled likewise.
  double p = factorialReciprocal(13);
  p = p * r + factorialReciprocal(12);
  p = p * r + factorialReciprocal(11);
  p = p * r + factorialReciprocal(10);
  p = p * r + factorialReciprocal(9);
  p = p * r + factorialReciprocal(8);
  p = p * r + factorialReciprocal(7);
  p = p * r + factorialReciprocal(6);
  p = p * r + factorialReciprocal(5);
  p = p * r + factorialReciprocal(4);
  p = p * r + factorialReciprocal(3);
  p = p * r + factorialReciprocal(2);
  p = p * r + factorialReciprocal(1);
  p = p * r + factorialReciprocal(0);
  return hdLdexp(p, int(kd));
}

/// log(1 - p) for 0 < p < 1; a short series for tiny p, where 1 - p would
/// round away most of p's digits.
SNNC_HD inline double logOneMinus(double p) {
  if (p < 0x1p-20)
    return -(p + p * p * (0.5 + p * (1.0 / 3.0)));
  return portableLog(1.0 - p);
}

/// round(seconds / dt) half away from zero, clamped to [0, 65535]
/// (procedural::delayToSteps).
SNNC_HD inline uint16_t delayToSteps(double seconds, double dt) {
  const double steps = hdRound(seconds / dt);
  if (!(steps > 0)) // negative, zero or NaN
    return 0;
  return steps >= 65535 ? uint16_t(65535) : uint16_t(steps);
}

//===----------------------------------------------------------------------===//
// Values per synapse.
//===----------------------------------------------------------------------===//

/// procedural::Distribution as plain data (the kinds in the same order).
struct ValueDistribution {
  enum Kind : uint32_t { Constant, Normal, Lognormal, Uniform };
  uint32_t kind = Constant;
  double a = 0, b = 0;
  double low = 0, high = 0; ///< Normal's window (may be infinite)
};

/// Redraws of a clipped normal (or polar rejections) before the fallback.
inline constexpr uint32_t kMaxValueAttempts = 100000;

/// One attempt of Marsaglia's polar method on one Philox block: false when
/// the point falls outside the unit disc (or on its centre).
SNNC_HD inline bool polarNormal(const PhiloxCounter &w, double &z) {
  // 2u - 1 is exact for u = k * 2^-53.
  const double v1 = 2.0 * uniform53(w[0], w[1]) - 1.0;
  const double v2 = 2.0 * uniform53(w[2], w[3]) - 1.0;
  const double s = v1 * v1 + v2 * v2;
  if (s >= 1.0 || s == 0.0)
    return false;
  z = v1 * hdSqrt(-2.0 * portableLog(s) / s);
  return true;
}

/// The value of synapse `position` (in the final sorted row) of
/// presynaptic neuron `row` on Philox stream `stream`, before rounding
/// (procedural::sampleValue with the key already derived).
SNNC_HD inline double sampleValue(const ValueDistribution &d, PhiloxKey key,
                                  uint32_t stream, uint32_t row,
                                  uint32_t position) {
  switch (d.kind) {
  case ValueDistribution::Constant:
    return d.a;
  case ValueDistribution::Uniform: {
    const PhiloxCounter w = philox4x32_10({row, position, 0, stream}, key);
    return d.a + (d.b - d.a) * uniform53(w[0], w[1]);
  }
  case ValueDistribution::Normal: {
    for (uint32_t attempt = 0; attempt < kMaxValueAttempts; ++attempt) {
      double z;
      if (!polarNormal(philox4x32_10({row, position, attempt, stream}, key), z))
        continue;
      const double x = d.a + d.b * z;
      if (x >= d.low && x <= d.high)
        return x;
    }
    // std::min(std::max(a, low), high), spelled out for the device.
    const double lifted = d.a < d.low ? d.low : d.a;
    return d.high < lifted ? d.high : lifted;
  }
  case ValueDistribution::Lognormal:
    for (uint32_t attempt = 0; attempt < kMaxValueAttempts; ++attempt) {
      double z;
      if (polarNormal(philox4x32_10({row, position, attempt, stream}, key), z))
        return portableExp(d.a + d.b * z);
    }
    return portableExp(d.a);
  }
  return d.a;
}

//===----------------------------------------------------------------------===//
// Rows.
//===----------------------------------------------------------------------===//

/// Candidate m of neuron `self` when self is left out: m < self stays,
/// m >= self moves up by one. Monotonic, so sorted candidates stay sorted.
SNNC_HD inline uint32_t skipSelf(uint64_t m, uint32_t self, bool exclude) {
  return uint32_t(exclude && m >= self ? m + 1 : m);
}

/// The targets of one FixedProbability row in ascending order: the gaps
/// between chosen candidates are geometric, floor(log(u) / log(1 - p)), so
/// the cost is one draw per synapse rather than one per pair. Candidates
/// are 0 .. m-1 (targetsPerRow), mapped by skipSelf.
class ProbabilityRow {
public:
  /// logQ = logOneMinus(p) when 0 < p < 1 (unused otherwise).
  SNNC_HD ProbabilityRow(PhiloxKey key, uint32_t row, uint32_t m, double p,
                         double logQ, bool exclude)
      : stream_(key, row, 0, kStreamProceduralConnect), row_(row), m_(m),
        logQ_(logQ), exclude_(exclude), form_(p == 0 || m == 0 ? kEmpty
                                              : p == 1         ? kEvery
                                                               : kGaps) {}

  /// The next target; false at the end of the row.
  SNNC_HD bool next(uint32_t &target) {
    if (form_ == kGaps) {
      pos_ += 1 + hdFloor(portableLog(stream_.uniformOpen()) / logQ_);
      if (pos_ >= double(m_))
        return false;
      target = skipSelf(uint64_t(pos_), row_, exclude_);
      return true;
    }
    if (form_ == kEmpty || every_ >= m_)
      return false;
    target = skipSelf(every_++, row_, exclude_);
    return true;
  }

private:
  enum Form : uint32_t { kEmpty, kEvery, kGaps };
  PhiloxStream stream_;
  uint32_t row_, m_;
  double logQ_;
  bool exclude_;
  Form form_;
  double pos_ = -1; ///< last candidate taken; exact: integers below 2^53
  uint32_t every_ = 0;
};

/// Most targets per source of a FixedOutDegree row regenerated on its own
/// (forEachSynapse keeps the row in a local array to sort it).
inline constexpr uint32_t kMaxRegeneratedOutDegree = 64;

/// A rule whose rows can be regenerated one presynaptic neuron at a time,
/// as the CUDA backend keeps it on the device.
struct RowRule {
  enum Kind : uint32_t { AllToAll, OneToOne, FixedProbability, FixedOutDegree };
  uint32_t kind = AllToAll;
  uint32_t candidates = 0; ///< targetsPerRow: nPost, less one without autapses
  uint32_t exclude = 0;    ///< source i never reaches target i
  double p = 0;            ///< FixedProbability
  PhiloxKey key{};         ///< philoxKey(seed)
  /// FixedOutDegree: targets per source (at most
  /// kMaxRegeneratedOutDegree), and whether a pair may repeat.
  uint32_t n = 0, multapses = 1;
};

/// The targets of one FixedOutDegree row (n <= kMaxRegeneratedOutDegree),
/// ascending, into `out`: n draws of uniformBelow(m) with multapses, else
/// Floyd's sampling of an n-subset (for k = m-n .. m-1 draw t in [0, k];
/// take t, or k if t is taken), each candidate mapped by skipSelf; the
/// draws of procedural::expand's partnersOf, whose bitmap of taken
/// candidates is a search of the chosen ones here.
SNNC_HD inline void outDegreeRow(const RowRule &r, uint32_t row,
                                 uint32_t *out) {
  PhiloxStream st(r.key, row, 0, kStreamProceduralConnect);
  const uint32_t m = r.candidates, n = r.n;
  const bool exclude = r.exclude != 0;
  if (r.multapses) {
    for (uint32_t q = 0; q < n; ++q)
      out[q] = skipSelf(uniformBelow(st, m), row, exclude);
  } else {
    uint32_t count = 0;
    for (uint64_t k = m - n; k < m; ++k) {
      const uint64_t t = uniformBelow(st, k + 1);
      bool taken = false;
      for (uint32_t c = 0; c < count; ++c)
        taken = taken || out[c] == t;
      out[count++] = uint32_t(taken ? k : t);
    }
    for (uint32_t q = 0; q < n; ++q)
      out[q] = skipSelf(out[q], row, exclude);
  }
  // Insertion sort: equal targets (multapses) are interchangeable.
  for (uint32_t i = 1; i < n; ++i) {
    const uint32_t v = out[i];
    uint32_t j = i;
    for (; j > 0 && out[j - 1] > v; --j)
      out[j] = out[j - 1];
    out[j] = v;
  }
}

/// Calls sink(position, target) for the synapses of `row` whose position
/// is first, first + stride, ... (AllToAll: any split of the row among
/// lanes), or for every synapse in order (OneToOne, FixedProbability,
/// FixedOutDegree: only first = 0, stride = 1, since each target depends
/// on the ones before).
/// Returns the row's length when the walk covered it all (stride 1), else
/// the positions visited.
template <typename Sink>
SNNC_HD uint32_t forEachSynapse(const RowRule &r, uint32_t row, uint32_t first,
                                uint32_t stride, Sink &&sink) {
  uint32_t count = 0;
  switch (r.kind) {
  case RowRule::AllToAll:
    for (uint32_t c = first; c < r.candidates; c += stride, ++count)
      sink(c, skipSelf(c, row, r.exclude != 0));
    return count;
  case RowRule::OneToOne:
    sink(0u, row);
    return 1;
  case RowRule::FixedProbability: {
    const double logQ = r.p > 0 && r.p < 1 ? logOneMinus(r.p) : 0;
    ProbabilityRow gen(r.key, row, r.candidates, r.p, logQ, r.exclude != 0);
    uint32_t t;
    while (gen.next(t))
      sink(count++, t);
    return count;
  }
  case RowRule::FixedOutDegree: {
    uint32_t targets[kMaxRegeneratedOutDegree];
    outDegreeRow(r, row, targets);
    for (; count < r.n; ++count)
      sink(count, targets[count]);
    return count;
  }
  }
  return 0;
}

} // namespace snnc::ref

#endif // SNNC_RUNTIME_REFERENCE_PROCEDURALROW_H
