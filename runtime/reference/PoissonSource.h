//===- PoissonSource.h - The Poisson source's draw, defined once -*- C++
//-*-===//
//
// A PoissonSource neuron with mean lambda = rate * dt events per step emits,
// at step t, count(word) events, where word is one 32-bit Philox output and
// count a lookup in a table of 32-bit CDF thresholds built once per distinct
// lambda when the network is loaded. The step itself is integer-only (a
// quarter of a Philox block and a table search), so the CPU engine in float and
// fixed mode, CUDA and the RTL harness emit the same counts bit for bit, for
// any thread count.
//
// The word: philox4x32_10({neuron >> 2, step & 0xffffffff, step >> 32,
// kPoissonStream}, philoxKey(seed))[neuron & 3], with `seed` the
// population's Population.seed and `neuron` its index within the
// population: one block serves four neighbouring neurons, each taking its
// own output word (the four words of a block are independent uniforms).
//
// The table (poissonTable): weights proportional to the Poisson pmf are
// formed relative to the mode m = floor(lambda) (w_m = 1) by the ratio
// recurrences w_{k+1} = (w_k * lambda) / (k + 1) and w_{k-1} = (w_k * k) /
// lambda, each side stopping before the first weight below 2^-40 (so no
// exp() is needed and lambda up to kPoissonMaxLambda never underflows).
// With S the sum of the kept weights w_first..w_last in ascending k and C_k
// the running sum up to k, threshold k is min(floor(C_k / S * 2^32),
// 2^32 - 1) for k = first .. last - 1. The dropped tails weigh less than
// 2^-40 of the mode, far below the 2^-32 resolution of the word. Only
// IEEE-754 double additions, multiplications and divisions are used, none
// of which a compiler may fuse (no product is added), so every host builds
// the same table.
//
// The count: first + (the number of thresholds <= word). lambda = 0 has an
// empty table (first = 0): the count is always 0 and no word is needed.
//
// Header-only, no state: safe from any thread.
//
//===----------------------------------------------------------------------===//
#ifndef SNNC_RUNTIME_REFERENCE_POISSONSOURCE_H
#define SNNC_RUNTIME_REFERENCE_POISSONSOURCE_H

#include "Philox.h"

#include <cmath>
#include <cstdint>
#include <vector>

namespace snnc::ref {

/// Word 3 of every Poisson source counter ("Pois"), so that these draws
/// never coincide with another use of the same seed.
inline constexpr uint32_t kPoissonStream = 0x506f6973u;

/// Largest mean count per step a PoissonSource may have: the table of a
/// lambda of 1000 holds about 470 thresholds; beyond it a source is better
/// written as a current.
inline constexpr double kPoissonMaxLambda = 1000.0;

/// Weights below this fraction of the mode's are left out of the table.
inline constexpr double kPoissonTailWeight = 0x1p-40;

/// Mean events per step of a rate (Hz) over a step of dt (s), in double.
inline double poissonLambda(float rate, double dt) { return double(rate) * dt; }

/// The block of neurons 4 * quad .. 4 * quad + 3 at `step`.
SNNC_HD inline PhiloxCounter poissonBlock(PhiloxKey key, uint32_t quad,
                                          uint64_t step) {
  return philox4x32_10(
      {quad, uint32_t(step), uint32_t(step >> 32), kPoissonStream}, key);
}

/// The uniform word of `neuron` at `step`.
SNNC_HD inline uint32_t poissonWord(PhiloxKey key, uint32_t neuron,
                                    uint64_t step) {
  return poissonBlock(key, neuron >> 2, step)[neuron & 3];
}

/// The CDF thresholds of one lambda (see the header).
struct PoissonTable {
  uint32_t first = 0; ///< smallest count the table can give
  std::vector<uint32_t> thresholds;
};

/// Builds the table of `lambda` (0 <= lambda <= kPoissonMaxLambda; a value
/// outside, or NaN, gives the empty table of lambda = 0).
inline PoissonTable poissonTable(double lambda) {
  PoissonTable t;
  if (!(lambda > 0) || !(lambda <= kPoissonMaxLambda))
    return t;
  const uint32_t mode = uint32_t(lambda); // floor, lambda > 0
  std::vector<double> below;              // w_{mode-1}, w_{mode-2}, ...
  for (uint32_t k = mode; k > 0; --k) {
    double w = below.empty() ? 1.0 : below.back();
    w = w * double(k);
    w = w / lambda;
    if (w < kPoissonTailWeight)
      break;
    below.push_back(w);
  }
  std::vector<double> weights(below.rbegin(), below.rend());
  weights.push_back(1.0);
  for (uint32_t k = mode + 1;; ++k) {
    double w = weights.back() * lambda;
    w = w / double(k);
    if (w < kPoissonTailWeight)
      break;
    weights.push_back(w);
  }
  t.first = mode - uint32_t(below.size());
  double total = 0;
  for (double w : weights)
    total += w;
  double running = 0;
  t.thresholds.reserve(weights.size() - 1);
  for (size_t i = 0; i + 1 < weights.size(); ++i) {
    running += weights[i];
    const double scaled = std::floor(running / total * 4294967296.0);
    t.thresholds.push_back(scaled >= 4294967295.0 ? 0xffffffffu
                                                  : uint32_t(scaled));
  }
  return t;
}

/// The count for `word` from a table of `n` thresholds (nondecreasing):
/// first + the number of thresholds <= word.
SNNC_HD inline uint32_t poissonCount(const uint32_t *thresholds, uint32_t n,
                                     uint32_t first, uint32_t word) {
  // Branch-free either way: the count is random, so a search that exits
  // early mispredicts about once per neuron. Short tables (lambda up to
  // about 25) are summed whole; long ones halved with conditional moves.
  if (n <= 64) {
    uint32_t below = 0;
    for (uint32_t i = 0; i < n; ++i)
      below += thresholds[i] <= word;
    return first + below;
  }
  const uint32_t *base = thresholds;
  uint32_t len = n;
  while (len > 1) {
    // The answer lies in [base, base + len]; drop the half it is not in.
    const uint32_t half = len / 2;
    base = base[half - 1] <= word ? base + half : base;
    len -= half;
  }
  return first + uint32_t(base - thresholds) + (base[0] <= word ? 1u : 0u);
}

} // namespace snnc::ref

#endif // SNNC_RUNTIME_REFERENCE_POISSONSOURCE_H
