//===- Quantize.h - Fixed-point formats for a network plan ------*- C++ -*-===//
//
// What nmc-quantize computes (docs/fixed-point.md): per population a state
// scale 2^-frac_bits (the threshold takes about 1/8 of the state range),
// saturated thresholds, resets, biases and initial values, and decays as
// 12-bit fractions; per projection one shared exponent and weight
// mantissas of the target's width, with the target neuron's gains folded
// in. A fixed-mode pool whose scale is not a power of two in state units
// (or that reads a graded source) becomes explicit sparse rows first.
// Everything that loses information is counted per projection and, where a
// user should look, described in the notes.
//
//===----------------------------------------------------------------------===//
#ifndef SNNC_COMPILER_LOWER_QUANTIZE_H
#define SNNC_COMPILER_LOWER_QUANTIZE_H

#include "compiler/lower/NetworkPlan.h"

#include <string>

namespace snnc {

struct QuantizeOptions {
  std::string target = "snncore"; ///< whose formats these are, for reports
  int weightBits = 8;             ///< signed weight mantissas, 2..16
  int stateBits = 24;             ///< saturating u and v, 8..32
  int sourceFracBits = 12;        ///< scale of Source (host-given) values
  int decayBits = 12;             ///< the target's; decays need 12
};

/// Fills every population's and projection's `fixed` and
/// plan.quantization. Returns false with `error` naming the population or
/// projection when something has no fixed-point form (receptor neurons,
/// Poisson sources feeding graded inputs, rules kept for the runtime,
/// decays outside [0, 1], ...).
bool quantizePlan(NetworkPlan &plan, const QuantizeOptions &options,
                  std::string &error);

/// Round half away from zero, as the runtime's toFixed does.
int64_t roundAway(double x);

} // namespace snnc

#endif // SNNC_COMPILER_LOWER_QUANTIZE_H
