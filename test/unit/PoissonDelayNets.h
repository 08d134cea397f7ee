//===- PoissonDelayNets.h - Artifacts with Poisson sources and delays -*- C++
//-*-===//
//
// Builders of .snnb artifacts for the PoissonSource and per-synapse delay
// tests, written with the FlatBuffers API so that tests can also write what
// the compiler never would (older schema versions, bad rates, delays
// arrays of the wrong length).
//
//===----------------------------------------------------------------------===//
#ifndef SNNC_TEST_UNIT_POISSONDELAYNETS_H
#define SNNC_TEST_UNIT_POISSONDELAYNETS_H

#include "snnc/runtime/Engine.h"
#include "snnc/runtime/Program.h"
#include "snnc/schema/snnb_generated.h"

#include <memory>
#include <string>
#include <vector>

namespace snnc::pdtest {

namespace sb = snnc::snnb;
using sb::NeuronKind;

struct Rec {
  std::vector<float> decay, gain;
};

struct Pop {
  std::string name;
  NeuronKind kind = NeuronKind::Relay;
  uint32_t size = 1;
  std::vector<float> rate; ///< PoissonSource, Hz
  uint64_t seed = 0;
  std::vector<float> beta, th, leak;
  std::vector<Rec> receptors; ///< ReceptorLIF (current receptors)
  // Fixed mode.
  uint8_t fracBits = 0;
  std::vector<int32_t> fThreshold;
};

struct Proj {
  uint32_t source = 0, target = 0;
  /// Sparse rows; dense when `dense` holds the [pre][post] weights.
  std::vector<uint32_t> rowStart, targets;
  std::vector<float> weights, dense;
  std::vector<uint16_t> delays; ///< Sparse.delays; written when non-empty
  std::vector<uint32_t> delaySteps;
  bool recurrent = false;
  uint8_t receptor = 0;
  uint8_t exponent = 0;
  std::vector<int16_t> mantissas; ///< fixed mode
};

struct Net {
  std::vector<Pop> pops;
  std::vector<Proj> projs;
  uint32_t version = snnc::kSnnbSchemaVersion;
  sb::NumericMode mode = sb::NumericMode::Float;
  double dt = 1e-3;

  uint32_t add(Pop p) {
    if (p.name.empty())
      p.name = "p" + std::to_string(pops.size());
    pops.push_back(std::move(p));
    return uint32_t(pops.size() - 1);
  }
};

/// The artifact's bytes (Source populations become input ports).
std::vector<uint8_t> bytes(const Net &net);
snnc::StatusOr<std::shared_ptr<const snnc::Program>> load(const Net &net);
/// A CPU engine for `net`; null (with a test failure) when it cannot load.
std::unique_ptr<snnc::Engine> engine(const Net &net, int threads = 1);

/// A PoissonSource of `n` neurons sharing `rate` Hz.
Pop poisson(uint32_t n, float rate, uint64_t seed = 7);
/// A sparse projection with one synapse per (pre, post, weight) triple,
/// given sorted by pre.
Proj sparse(uint32_t from, uint32_t to, uint32_t sourceSize,
            const std::vector<uint32_t> &pre, const std::vector<uint32_t> &post,
            std::vector<float> weights);

/// Every neuron's state after each of `steps` steps: [step][neuron].
std::vector<std::vector<float>> states(snnc::Engine &e, uint32_t population,
                                       uint32_t size, int steps);

/// A random recurrent network: a PoissonSource of 200 neurons and a LIF
/// population of `n` neurons (per-synapse delays 0..maxDelay on every
/// sparse projection, plus delay_steps on the input), in `mode`.
Net randomNet(sb::NumericMode mode, uint32_t n, uint16_t maxDelay,
              uint32_t seed);

} // namespace snnc::pdtest

#endif // SNNC_TEST_UNIT_POISSONDELAYNETS_H
