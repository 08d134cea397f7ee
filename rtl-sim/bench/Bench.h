//===- Bench.h - Shared helpers of the snncore RTL benches ------*- C++ -*-===//
//
// Each bench compares a Verilated model with a C++ model built from
// runtime/reference/FixedPoint.h and counts mismatches; it prints the
// first few in full and returns nonzero when there is any.
//
//===----------------------------------------------------------------------===//
#ifndef SNNC_RTL_BENCH_H
#define SNNC_RTL_BENCH_H

#include <cstdint>
#include <cstdio>
#include <random>

namespace snncore {

/// Counts failed checks; prints the first `kShown` of them.
struct Checker {
  static constexpr int kShown = 10;
  const char *bench;
  uint64_t checks = 0, failures = 0;
  explicit Checker(const char *name) : bench(name) {}
  /// Records one comparison; `what` is printed (printf-style) on failure.
  template <typename... A> bool expect(bool ok, const char *what, A... args) {
    ++checks;
    if (ok)
      return true;
    if (failures++ < kShown) {
      std::fprintf(stderr, "%s: mismatch: ", bench);
      std::fprintf(stderr, what, args...);
      std::fputc('\n', stderr);
    }
    return false;
  }
  int finish() const {
    std::printf("%s: %llu checks, %llu mismatches\n", bench,
                (unsigned long long)checks, (unsigned long long)failures);
    return failures == 0 && checks > 0 ? 0 : 1;
  }
};

/// Sign-extends the low `bits` bits of x.
inline int64_t signExtend(uint64_t x, int bits) {
  const uint64_t m = uint64_t(1) << (bits - 1);
  x &= bits == 64 ? ~uint64_t(0) : (uint64_t(1) << bits) - 1;
  return int64_t((x ^ m) - m);
}

/// The low `bits` bits of x, as a port of that width takes it.
inline uint64_t toPort(int64_t x, int bits) {
  return bits == 64 ? uint64_t(x) : uint64_t(x) & ((uint64_t(1) << bits) - 1);
}

/// A value in the signed `bits`-bit range, drawn so that the range's
/// corners (min, max, 0, +-1, min+1, max-1) come up often.
inline int64_t cornerValue(std::mt19937_64 &rng, int bits) {
  const int64_t hi = bits >= 64 ? INT64_MAX : (int64_t(1) << (bits - 1)) - 1;
  const int64_t lo = -hi - 1;
  switch (rng() % 10) {
  case 0:
    return lo;
  case 1:
    return hi;
  case 2:
    return 0;
  case 3:
    return int64_t(rng() % 3) - 1;
  case 4:
    return lo + 1;
  case 5:
    return hi - 1;
  default: {
    const uint64_t span = bits >= 64 ? ~uint64_t(0) : (uint64_t(1) << bits);
    return lo + int64_t(bits >= 64 ? rng() : rng() % span);
  }
  }
}

/// One clock cycle of a Verilated model with a `clk_i` port: a rising
/// edge, then the falling one.
template <typename Model> void clockEdge(Model &m) {
  m.clk_i = 1;
  m.eval();
  m.clk_i = 0;
  m.eval();
}

/// Pulses the active-low `rst_ni` of a Verilated model with the clock low.
template <typename Model> void resetModel(Model &m) {
  m.clk_i = 0;
  m.rst_ni = 0;
  m.eval();
  m.rst_ni = 1;
  m.eval();
}

int neuronBench();
int synapseBench();
int routerBench();
int chipBench();
int poissonBench();

} // namespace snncore

#endif // SNNC_RTL_BENCH_H
