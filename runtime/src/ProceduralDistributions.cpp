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

#include <cmath>

namespace snnc::procedural {

namespace {
// The coefficient tables of ProceduralRow.h are written as hexadecimal
// literals so that nvcc needs no constant folding; they must be the
// correctly rounded quotients the recipe names.
constexpr bool tablesMatch() {
  for (int k = 0; k < 11; ++k)
    if (ref::oddReciprocal(k) != 1.0 / double(2 * k + 1))
      return false;
  double factorial = 1;
  for (int j = 0; j < 14; ++j) {
    if (j > 0)
      factorial *= double(j);
    if (ref::factorialReciprocal(j) != 1.0 / factorial)
      return false;
  }
  return true;
}
static_assert(tablesMatch(), "ProceduralRow.h's coefficient tables");
} // namespace

double portableLog(double x) { return ref::portableLog(x); }

double portableExp(double x) { return ref::portableExp(x); }

uint16_t delayToSteps(double seconds, double dt) {
  return ref::delayToSteps(seconds, dt);
}

ref::ValueDistribution plainDistribution(const Distribution &d) {
  ref::ValueDistribution v;
  v.kind = uint32_t(d.kind);
  v.a = d.a;
  v.b = d.b;
  v.low = d.low;
  v.high = d.high;
  return v;
}

namespace detail {

double sampleWithKey(const Distribution &d, ref::PhiloxKey key, uint32_t stream,
                     uint32_t row, uint32_t position) {
  return ref::sampleValue(plainDistribution(d), key, stream, row, position);
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
