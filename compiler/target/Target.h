//===- Target.h - Target descriptions: what a chip and a core hold -*- C++
//-*-===//
//
// A target description gives the limits the mapping passes (nmc-partition,
// nmc-place, nmc-route, nmc-check) respect and the energy model the report
// uses. It comes from a built-in preset (presetNames()) or from a JSON file
// (docs/targets.md describes the format key by key). Every limit is a
// positive integer; loading refuses anything else before mapping starts.
//
//===----------------------------------------------------------------------===//
#ifndef SNNC_COMPILER_TARGET_TARGET_H
#define SNNC_COMPILER_TARGET_TARGET_H

#include "llvm/Support/Error.h"

#include <cstdint>
#include <string>
#include <vector>

namespace snnc::target {

/// Energy per event and static power, for the report's estimates.
struct EnergyModel {
  double synapticOpPj = 0;    ///< one synaptic event delivered
  double neuronUpdatePj = 0;  ///< one neuron updated for one step
  double routedSpikePj = 0;   ///< one spike packet through one router (hop)
  double staticMwPerChip = 0; ///< static power of one chip, mW
};

struct Target {
  std::string name;   ///< preset name or the file's "name"
  std::string origin; ///< "preset" or the file path, for messages
  /// Chips form a meshWidth x meshHeight mesh; routers are one per chip.
  uint32_t meshWidth = 1, meshHeight = 1;
  uint32_t coresPerChip = 1;
  uint32_t neuronsPerCore = 1;
  /// Synapse memory per core in words; a word holds synapsesPerWord
  /// synapses (weight, target, delay).
  uint64_t synapseWordsPerCore = 1;
  uint32_t synapsesPerWord = 1;
  /// Distinct presynaptic neurons (axons) whose synapses one core holds.
  uint32_t fanInPerCore = 1;
  /// Distinct destination cores the spikes of one core may reach.
  uint32_t fanOutPerCore = 1;
  uint32_t weightBits = 8, stateBits = 24, decayBits = 12;
  /// Multicast routing-table entries per router.
  uint32_t routingEntriesPerRouter = 1;
  /// Synaptic delays the core can hold: 1 .. delaySlots steps.
  uint32_t delaySlots = 1;
  /// Input-key entries per core, where a core hears each source core
  /// through entries that cover aligned blocks of its neurons and gives
  /// every neuron of a block an axon (snncore; ref::axonBlocks): the
  /// design-rule check then counts fan-in as those axons. 0: not modelled
  /// (fan-in counts distinct source neurons).
  uint32_t inputKeysPerCore = 0;
  /// Neuron kinds a core implements, by the names of popKindId()
  /// ("LIF", "CubaLIF", "IF", ...).
  std::vector<std::string> neuronKinds;
  EnergyModel energy;

  uint32_t chips() const { return meshWidth * meshHeight; }
  uint64_t cores() const { return uint64_t(chips()) * coresPerChip; }
  bool supports(const std::string &kind) const {
    for (const std::string &k : neuronKinds)
      if (k == kind)
        return true;
    return false;
  }
};

/// Names of the built-in presets ("loihi-like", "spinnaker-like",
/// "snncore").
std::vector<std::string> presetNames();
/// A preset by name; an error listing the presets for an unknown one.
llvm::Expected<Target> presetTarget(const std::string &name);
/// Parses a JSON description. Errors name `origin`, the key and the
/// problem ("t.json: 'cores_per_chip': must be a positive integer, got 0").
llvm::Expected<Target> parseTarget(const std::string &json,
                                   const std::string &origin);
/// A preset name, or else a path to a JSON file.
llvm::Expected<Target> loadTarget(const std::string &nameOrPath);
/// The JSON form parseTarget reads back to an equal Target.
std::string toJson(const Target &target);

} // namespace snnc::target

#endif // SNNC_COMPILER_TARGET_TARGET_H
