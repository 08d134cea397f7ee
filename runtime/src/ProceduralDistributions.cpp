//===- ProceduralDistributions.cpp - Weights and delays per synapse -------===//
//
// Every value is a pure function of (seed, stream, row, position in row,
// attempt) and reaches the result through IEEE-754 basic operations only:
// log and exp are computed here rather than by the C library, whose results
// differ in the last bit between platforms (glibc, CUDA's libdevice, MSVC).
// This file must be compiled without floating-point contraction (FMA), which
// runtime/CMakeLists.txt enforces.
//
//===----------------------------------------------------------------------===//
#include "ProceduralInternal.h"

#include <bit>
#include <cmath>

namespace snnc::procedural {

namespace {
// ln 2 split so that an integer exponent times the high part is exact (its
// low 21 bits are zero): the split fdlibm uses.
constexpr double kLn2Hi = 6.93147180369123816490e-01;
constexpr double kLn2Lo = 1.90821492927058770002e-10;
constexpr double kInvLn2 = 1.44269504088896338700e+00;
constexpr double kSqrt2 = 1.41421356237309514547e+00;

// 1/(2k+1) and 1/j! rounded to double (j! is exact in double for j <= 18);
// constant folding rounds as the hardware does.
struct Tables {
  double odd[11];
  double invFactorial[14];
};
constexpr Tables makeTables() {
  Tables t{};
  for (int k = 0; k < 11; ++k)
    t.odd[k] = 1.0 / double(2 * k + 1);
  double factorial = 1;
  for (int j = 0; j < 14; ++j) {
    if (j > 0)
      factorial *= double(j);
    t.invFactorial[j] = 1.0 / factorial;
  }
  return t;
}
constexpr Tables kTables = makeTables();
} // namespace

double portableLog(double x) {
  // x = m * 2^e with m in [sqrt(1/2), sqrt(2)); both steps are exact.
  uint64_t bits = std::bit_cast<uint64_t>(x);
  int e = int(bits >> 52) - 1023;
  double m = std::bit_cast<double>((bits & 0x000FFFFFFFFFFFFFull) |
                                   0x3FF0000000000000ull);
  if (m > kSqrt2) {
    m *= 0.5;
    ++e;
  }
  // log m = 2 atanh(s) = 2 (s + s^3/3 + s^5/5 + ...), s = (m-1)/(m+1),
  // |s| <= 0.1716: eleven terms past s leave an error below 1e-20.
  double f = m - 1.0; // exact (Sterbenz)
  double s = f / (m + 1.0);
  double s2 = s * s;
  double q = 1.0 / 23.0;
  for (int k = 10; k >= 1; --k)
    q = q * s2 + kTables.odd[k];
  double logm = 2.0 * s + (2.0 * s) * (s2 * q);
  double de = double(e);
  return de * kLn2Hi + (logm + de * kLn2Lo);
}

double portableExp(double x) {
  if (std::isnan(x))
    return x;
  if (x > 709.782712893383973096)
    return INFINITY;
  if (x < -745.2)
    return 0.0;
  // x = k ln2 + r, |r| <= ln2 / 2; e^r by its Taylor series to r^13
  // (truncation below 5e-18), then scaled by 2^k exactly.
  double kd = std::floor(x * kInvLn2 + 0.5);
  double r = (x - kd * kLn2Hi) - kd * kLn2Lo;
  const double *c = kTables.invFactorial;
  double p = c[13];
  for (int j = 12; j >= 0; --j)
    p = p * r + c[j];
  return std::ldexp(p, int(kd));
}

uint16_t delayToSteps(double seconds, double dt) {
  double steps = std::round(seconds / dt);
  if (!(steps > 0)) // negative, zero or NaN
    return 0;
  return steps >= 65535 ? uint16_t(65535) : uint16_t(steps);
}

namespace detail {

namespace {
/// One attempt of Marsaglia's polar method on one Philox block: false when
/// the point falls outside the unit disc (or on its centre).
bool polarNormal(const ref::PhiloxCounter &w, double &z) {
  // 2u - 1 is exact for u = k * 2^-53.
  double v1 = 2.0 * ref::uniform53(w[0], w[1]) - 1.0;
  double v2 = 2.0 * ref::uniform53(w[2], w[3]) - 1.0;
  double s = v1 * v1 + v2 * v2;
  if (s >= 1.0 || s == 0.0)
    return false;
  z = v1 * std::sqrt(-2.0 * portableLog(s) / s);
  return true;
}
} // namespace

double sampleWithKey(const Distribution &d, ref::PhiloxKey key, uint32_t stream,
                     uint32_t row, uint32_t position) {
  using Kind = Distribution::Kind;
  switch (d.kind) {
  case Kind::Constant:
    return d.a;
  case Kind::Uniform: {
    ref::PhiloxCounter w = ref::philox4x32_10({row, position, 0, stream}, key);
    return d.a + (d.b - d.a) * ref::uniform53(w[0], w[1]);
  }
  case Kind::Normal:
    for (uint32_t attempt = 0; attempt < kMaxAttempts; ++attempt) {
      double z;
      if (!polarNormal(
              ref::philox4x32_10({row, position, attempt, stream}, key), z))
        continue;
      double x = d.a + d.b * z;
      if (x >= d.low && x <= d.high)
        return x;
    }
    return std::min(std::max(d.a, d.low), d.high);
  case Kind::Lognormal:
    for (uint32_t attempt = 0; attempt < kMaxAttempts; ++attempt) {
      double z;
      if (polarNormal(ref::philox4x32_10({row, position, attempt, stream}, key),
                      z))
        return portableExp(d.a + d.b * z);
    }
    return portableExp(d.a);
  }
  return d.a;
}

void fillValues(const ConnectSpec &s, unsigned threads, Synapses &out) {
  using Kind = Distribution::Kind;
  ref::PhiloxKey key = ref::philoxKey(s.seed);
  uint64_t total = out.targets.size();
  bool constW = s.weight.kind == Kind::Constant;
  bool constD = s.delay.kind == Kind::Constant;
  out.weights.assign(constW ? 1 : total, float(s.weight.a));
  out.delaySteps.assign(constD ? 1 : total, delayToSteps(s.delay.a, s.dt));
  if (constW && constD)
    return;
  parallelRows(threads, out.rowStart, [&](uint64_t rb, uint64_t re) {
    for (uint64_t i = rb; i < re; ++i) {
      uint32_t begin = out.rowStart[i], len = out.rowStart[i + 1] - begin;
      for (uint32_t q = 0; q < len; ++q) {
        if (!constW)
          out.weights[begin + q] = float(sampleWithKey(
              s.weight, key, ref::kStreamProceduralWeight, uint32_t(i), q));
        if (!constD)
          out.delaySteps[begin + q] = delayToSteps(
              sampleWithKey(s.delay, key, ref::kStreamProceduralDelay,
                            uint32_t(i), q),
              s.dt);
      }
    }
  });
}

} // namespace detail

double sampleValue(const Distribution &d, uint64_t seed, uint32_t stream,
                   uint32_t row, uint32_t position) {
  return detail::sampleWithKey(d, ref::philoxKey(seed), stream, row, position);
}

} // namespace snnc::procedural
