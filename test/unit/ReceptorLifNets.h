//===- ReceptorLifNets.h - Small ReceptorLIF artifacts for tests -*- C++
//-*-===//
//
// Builders of .snnb artifacts with ReceptorLIF populations, written with the
// FlatBuffers API so that tests can also write what the compiler never
// would (missing fields, wrong indices, other schema versions).
//
//===----------------------------------------------------------------------===//
#ifndef SNNC_TEST_UNIT_RECEPTORLIFNETS_H
#define SNNC_TEST_UNIT_RECEPTORLIFNETS_H

#include "snnc/runtime/Engine.h"
#include "snnc/runtime/Program.h"
#include "snnc/schema/snnb_generated.h"

#include <memory>
#include <string>
#include <vector>

namespace snnc::receptortest {

namespace sb = snnc::snnb;

struct Rec {
  std::string name;
  bool conductance = false;
  std::vector<float> decay, gain, reversal;
  bool alpha = false;                ///< ReceptorType::Alpha (schema version 5)
  std::vector<float> gainRise, rise; ///< alpha receptors
};

struct Pop {
  std::string name;
  sb::NeuronKind kind = sb::NeuronKind::ReceptorLIF;
  uint32_t size = 1;
  std::vector<float> beta, leak, th, reset, init, alpha;
  std::vector<Rec> receptors;
  uint32_t refractory = 0;
};

struct Proj {
  uint32_t source = 0, target = 0;
  std::vector<uint32_t> rowStart, targets;
  std::vector<float> weights;
  bool recurrent = false;
  uint8_t receptor = 0;
};

struct Net {
  std::vector<Pop> pops;
  std::vector<Proj> projs;
  uint32_t version = snnc::kSnnbSchemaVersion;
  sb::NumericMode mode = sb::NumericMode::Float;
  sb::ResetTiming timing = sb::ResetTiming::SameStep;
};

/// The artifact's bytes (Source populations become input ports).
std::vector<uint8_t> bytes(const Net &net);
snnc::StatusOr<std::shared_ptr<const snnc::Program>> load(const Net &net);
/// A CPU engine for `net`; null (with a test failure) when it cannot load.
std::unique_ptr<snnc::Engine> engine(const Net &net, int threads = 1);

/// One source neuron per receptor, each feeding neuron 0 of the last
/// population on that receptor with `weight`.
Net singleNeuron(const Pop &target, float weight);
/// A neuron with a current (exc) and a conductance (inh) receptor and a
/// refractory period of 3 steps.
Pop excInhNeuron();
/// A random recurrent network of `n` ReceptorLIF neurons (first 20 %
/// inhibitory) driven by a Source of 50 neurons.
Net randomNetwork(uint32_t n, bool conductance, bool perNeuronReceptors,
                  bool extraReceptor, uint32_t seed);

} // namespace snnc::receptortest

#endif // SNNC_TEST_UNIT_RECEPTORLIFNETS_H
