//===- Encoders.h - Data to input time series -------------------*- C++ -*-===//
//
// Encoders turn static data (an image, a feature vector) or recorded
// signals (EEG, event cameras) into the [T, ...shape] time series a session
// feeds to a network's input, one row per simulation step. Spikes are
// float 0/1 values (counts for eventsToFrames, signed counts for
// encodeDelta) so every encoder's output can go to any input.
//
// Every function is pure: no shared state, safe to call from any thread.
// Outputs are capped at 2^31 elements; bigger requests are refused
// (encodeCurrent, which cannot fail, only needs the memory).
//
//===----------------------------------------------------------------------===//
#ifndef SNNC_RUNTIME_ENCODERS_H
#define SNNC_RUNTIME_ENCODERS_H

#include "snnc/runtime/Status.h"
#include "snnc/runtime/Tensor.h"

#include <cstdint>
#include <string>
#include <vector>

namespace snnc {

/// out[t, i] = x[i] for every step t: a constant input current. Output
/// shape [steps, ...x.shape]. Cannot fail; steps <= 0 gives zero steps
/// (shape [0, ...x.shape]).
Tensor encodeCurrent(const Tensor &x, int64_t steps);

/// Bernoulli spikes: out[t, i] = 1 when u < clamp(x[i], 0, 1) * maxRate,
/// else 0, where u is uniform in [0, 1). Values below 0 clamp to 0 (never
/// spike) and above 1 clamp to 1. maxRate, the firing probability per step
/// of an input at 1, must lie in [0, 1].
///
/// Reproducible across platforms and compilers: u comes from
/// std::mt19937_64 seeded with `seed`, drawn once per element in row-major
/// order, step by step (every element draws, whatever its value), as
/// (draw >> 11) * 2^-53. NaN inputs are refused.
StatusOr<Tensor> encodeRate(const Tensor &x, int64_t steps, uint64_t seed,
                            double maxRate = 1.0);

/// Time to first spike: each element spikes once, at step
///   round((1 - (x - xMin) / (xMax - xMin)) * (steps - 1))
/// (round half away from zero), so large values spike early. x <= xMin
/// never spikes; x >= xMax spikes at step 0. Needs xMin < xMax, both
/// finite; NaN inputs are refused.
StatusOr<Tensor> encodeLatency(const Tensor &x, int64_t steps, double xMin = 0,
                               double xMax = 1);

/// Delta (send-on-delta) modulation of a time series [T, ...] (e.g. EEG
/// channels): each channel keeps a reference level, starting at its value
/// at step 0. At step t >= 1, with d = series[t] - ref, k = floor(|d| /
/// threshold); when k >= 1 the output is sign(d) * k and ref moves by
/// sign(d) * k * threshold, otherwise the output is 0. Step 0 is always 0.
/// Output shape = series.shape. threshold must be positive and finite;
/// NaN samples are refused.
StatusOr<Tensor> encodeDelta(const Tensor &series, double threshold);

/// Address events (one entry per event in each vector).
struct EventStream {
  std::vector<int64_t> x, y; ///< pixel column and row
  std::vector<int64_t> p;    ///< polarity: 0 = OFF, 1 = ON
  std::vector<int64_t> t_us; ///< timestamp, microseconds
};

/// Bins events into spike counts of shape [steps, 2, height, width]:
/// event i adds 1 at [floor(t_us[i] / (dt_seconds * 1e6)), p[i], y[i],
/// x[i]]. Time 0 is t_us = 0 (not the first event). Events at or past
/// steps * dt are dropped. Coordinates outside the sensor, polarities
/// other than 0/1 and negative timestamps are errors naming the event.
StatusOr<Tensor>
eventsToFrames(const std::vector<int64_t> &x, const std::vector<int64_t> &y,
               const std::vector<int64_t> &p, const std::vector<int64_t> &t_us,
               int64_t width, int64_t height, double dt_seconds, int64_t steps);

/// Reads an N-MNIST / N-Caltech101 .bin file: 5 bytes per event, bits
/// 39-32 x, 31-24 y, bit 23 polarity, bits 22-0 timestamp in microseconds
/// (big-endian). Events with y == 240 are timestamp-overflow markers, as in
/// the dataset's reference reader: they are not returned, and add 2^13 us
/// to every later timestamp. N-MNIST's sensor is 34 x 34.
StatusOr<EventStream> readNmnistBin(const std::string &path);

} // namespace snnc

#endif // SNNC_RUNTIME_ENCODERS_H
