//===- Procedural.h - Synapses expanded from connection rules ---*- C++ -*-===//
//
// Networks written for PyNN, NEST, GeNN or SpiNNaker give connectivity as a
// rule (all-to-all, fixed probability, fixed in-degree, ...) with weight and
// delay distributions and a seed, not as a synapse list. This library turns
// such a rule into CSR synapses. The compiler (snn.connect) and the runtime
// (at load time) both call it and must agree exactly, so every random draw is
// a pure function of (seed, stream, element, draw) through Philox4x32-10
// (runtime/reference/Philox.h), and the transcendental functions the draws
// need are computed here from IEEE-754 +, -, *, /, sqrt only: the synapses are
// bit-identical for any thread count, run and IEEE-754 platform. The bit-level
// recipe, which another implementation (CUDA, an RTL host) can follow, is in
// docs/procedural.md.
//
// Thread safety: every function is reentrant; expand() starts and joins its
// own std::threads and shares nothing between calls.
//
//===----------------------------------------------------------------------===//
#ifndef SNNC_RUNTIME_PROCEDURAL_H
#define SNNC_RUNTIME_PROCEDURAL_H

#include "snnc/runtime/Status.h"

#include <cmath>
#include <cstdint>
#include <vector>

namespace snnc::ref {
struct ValueDistribution; // runtime/reference/ProceduralRow.h
} // namespace snnc::ref

namespace snnc::procedural {

/// Connection rules, with PyNN / NEST names in docs/procedural.md.
enum class Rule {
  AllToAll,         ///< every (source, target) pair
  OneToOne,         ///< source i to target i; nPre == nPost
  FixedProbability, ///< each pair independently with probability p
  FixedInDegree,    ///< each target gets n sources
  FixedTotalNumber, ///< n synapses in all, pairs drawn uniformly
  FixedOutDegree,   ///< each source gets n targets
};

/// A value per synapse (weight, or delay in seconds).
struct Distribution {
  enum class Kind {
    Constant,
    Normal,
    Lognormal,
    Uniform
  } kind = Kind::Constant;
  /// Constant: the value a. Normal: mean a, standard deviation b.
  /// Lognormal: mu a and sigma b of log(value). Uniform: [a, b).
  double a = 0, b = 0;
  /// Normal only: values outside [low, high] are redrawn (PyNN's
  /// normal_clipped). validate() refuses a window that keeps less than 0.1%
  /// of the distribution's mass; after 100000 attempts (which then happens
  /// with probability below 1e-34 per value) the value is the mean a clamped
  /// into [low, high].
  double low = -INFINITY, high = INFINITY;
};

/// One procedural projection.
struct ConnectSpec {
  Rule rule = Rule::AllToAll;
  double p = 0;   ///< FixedProbability: probability of each pair, in [0, 1]
  uint64_t n = 0; ///< FixedInDegree: sources per target;
                  ///< FixedOutDegree: targets per source;
                  ///< FixedTotalNumber: synapses in all
  /// Whether source i may connect to target i; meaningful only when
  /// samePopulation.
  bool allowAutapses = true;
  /// FixedIn/OutDegree, FixedTotalNumber: whether a pair may be drawn more than
  /// once (NEST's default: true). false = every pair at most once.
  bool allowMultapses = true;
  /// Source and target are the same population (nPre == nPost).
  bool samePopulation = false;
  uint32_t nPre = 0, nPost = 0; ///< population sizes, >= 1
  Distribution weight;          ///< weight (unit of the target's input)
  Distribution delay;           ///< seconds, >= 0
  /// Seconds per step: delay_steps = round(delay / dt), half away from zero;
  /// 0 steps is allowed (same-step delivery), at most 65535.
  double dt = 1e-4;
  uint64_t seed = 0; ///< Philox key
};

/// CSR synapses by presynaptic neuron. Targets ascend within a row; a pair
/// drawn k times (multapses) appears k times in a row, side by side.
struct Synapses {
  std::vector<uint32_t> rowStart; ///< nPre + 1 offsets into targets
  std::vector<uint32_t> targets;  ///< postsynaptic index per synapse
  /// One per synapse, or ONE value when the weight is Constant.
  std::vector<float> weights;
  /// Steps, one per synapse, or ONE value when the delay is Constant.
  std::vector<uint16_t> delaySteps;
};

/// Checks every field the rule uses; each error names the parameter, its
/// value and what to do.
Status validate(const ConnectSpec &spec);

/// Synapses the spec yields: exact for AllToAll, OneToOne, FixedInDegree,
/// FixedOutDegree and FixedTotalNumber; for FixedProbability an upper bound,
/// nPre times the targets each row may reach (use synapseCount() for the exact
/// number). Validates first.
StatusOr<uint64_t> synapseBound(const ConnectSpec &spec);

/// Exact synapse count for every rule. FixedProbability costs one pass of
/// draws (O(synapses) time, no memory beyond threads); the others are O(1).
StatusOr<uint64_t> synapseCount(const ConnectSpec &spec, unsigned threads);

/// Bytes of the Synapses holding `synapses` synapses of this spec: row
/// offsets, targets, weights and delays (one value when Constant).
uint64_t bytesFor(uint64_t synapses, const ConnectSpec &spec);

/// Expands the rule into synapses with `threads` std::threads (0 = as many
/// as the hardware has; at most 256 are used). Bit-identical for every thread
/// count. Refuses, before allocating the synapse arrays, a result larger than
/// memoryBudgetBytes (bytesFor), naming the bytes needed and the budget.
/// Working memory beyond the result is described in docs/procedural.md.
StatusOr<Synapses> expand(const ConnectSpec &spec, unsigned threads,
                          uint64_t memoryBudgetBytes);

//===----------------------------------------------------------------------===//
// The building blocks, public so other implementations can be checked
// against them value by value.
//===----------------------------------------------------------------------===//

/// Natural logarithm of a positive normal double from +, -, *, / only
/// (docs/procedural.md gives the exact operations); relative error below
/// 5e-16.
double portableLog(double x);
/// e^x from +, -, *, / and ldexp only; relative error below 5e-16; 0 below
/// -745.2, infinity above 709.78.
double portableExp(double x);

/// The value of synapse `position` (0-based, in the final sorted row) of
/// presynaptic neuron `row`, drawn on Philox stream `stream`
/// (ref::kStreamProceduralWeight or ref::kStreamProceduralDelay), before
/// rounding to float or to steps.
double sampleValue(const Distribution &d, uint64_t seed, uint32_t stream,
                   uint32_t row, uint32_t position);

/// round(seconds / dt) half away from zero, clamped to [0, 65535].
uint16_t delayToSteps(double seconds, double dt);

/// `d` as the plain struct the host/device row code reads
/// (runtime/reference/ProceduralRow.h, which callers include for the
/// complete type).
ref::ValueDistribution plainDistribution(const Distribution &d);

} // namespace snnc::procedural

#endif // SNNC_RUNTIME_PROCEDURAL_H
