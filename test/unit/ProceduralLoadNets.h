//===- ProceduralLoadNets.h - Artifacts with Procedural projections -*- C++
//-*-//
//
// Builders of .snnb artifacts that carry connection rules unexpanded, and
// of their twins with the same synapses expanded by procedural::expand and
// written as Sparse, so that tests can hold the two to the same spikes.
// Written with the FlatBuffers API, so tests can also write what the
// compiler never would (unknown rules, missing distributions).
//
//===----------------------------------------------------------------------===//
#ifndef SNNC_TEST_UNIT_PROCEDURALLOADNETS_H
#define SNNC_TEST_UNIT_PROCEDURALLOADNETS_H

#include "snnc/runtime/Engine.h"
#include "snnc/runtime/Procedural.h"
#include "snnc/runtime/Program.h"
#include "snnc/schema/snnb_generated.h"

#include <memory>
#include <string>
#include <vector>

namespace snnc::pltest {

namespace sb = snnc::snnb;
using sb::NeuronKind;

struct Pop {
  NeuronKind kind = NeuronKind::LIF;
  uint32_t size = 1;
  float rate = 0;         ///< PoissonSource, Hz
  uint32_t receptors = 0; ///< ReceptorLIF: current receptors
};

struct Proj {
  uint32_t source = 0, target = 0;
  /// The rule; nPre, nPost and dt are filled in from the network.
  procedural::ConnectSpec spec;
  std::vector<uint32_t> delaySteps;
  bool recurrent = false;
  uint8_t receptor = 0;
  // What the compiler never writes: an unknown rule or kind (when not 0),
  // no weight distribution, no delay distribution.
  uint8_t rawRule = 0, rawWeightKind = 0;
  bool noWeight = false, noDelay = false;
};

struct Net {
  std::vector<Pop> pops;
  std::vector<Proj> projs;
  uint32_t version = snnc::kSnnbSchemaVersion;
  sb::NumericMode mode = sb::NumericMode::Float;
  double dt = 1e-4;
};

/// The spec of `p` in `net`, with the sizes and dt filled in.
procedural::ConnectSpec specOf(const Net &net, const Proj &p);
/// The artifact with every projection Procedural (`expanded` false) or
/// expanded by procedural::expand into Sparse (a Constant delay added to
/// delay_steps, other delays in Sparse.delays).
std::vector<uint8_t> bytes(const Net &net, bool expanded);
snnc::StatusOr<std::shared_ptr<const snnc::Program>>
load(const Net &net, bool expanded, snnc::LoadOptions options = {});

/// Every spike of every spiking population over `steps` steps, as
/// (step, population, neuron) triples in order, and the final membrane of
/// every population, for exact comparison.
struct Trace {
  std::vector<uint64_t> spikes;
  std::vector<std::vector<float>> state;
};
Trace run(const snnc::Program &program, int threads, int steps);

/// A network of a PoissonSource (400), a LIF (300) and a ReceptorLIF (250,
/// two receptors) population with one projection per rule, each with
/// different weight and delay distributions (per-synapse delays, Constant
/// delays on top of delay_steps, recurrent edges, both receptors).
Net mixedNet(uint64_t seed);

} // namespace snnc::pltest

#endif // SNNC_TEST_UNIT_PROCEDURALLOADNETS_H
