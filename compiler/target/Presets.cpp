//===- Presets.cpp - The built-in target descriptions ---------------------===//
//
// loihi-like, spinnaker-like and snncore as Target values. Each figure's
// source, or the note that it is this project's assumption, is in
// docs/targets.md ("Presets"); the comments here say only how a number
// follows from a published one where it is not copied as is.
//
//===----------------------------------------------------------------------===//
#include "target/Target.h"

#include "llvm/ADT/StringExtras.h"

namespace snnc::target {
namespace {

Target makePreset(const char *name) {
  Target t;
  t.name = name;
  t.origin = std::string("preset ") + name;
  return t;
}

Target loihiLike() {
  Target t = makePreset("loihi-like");
  t.meshWidth = 1, t.meshHeight = 1; // one chip
  t.coresPerChip = 128;
  t.neuronsPerCore = 1024;
  // 128 KiB of synapse memory as 32-bit words, one synapse each (8-bit
  // weight, 6-bit delay, 10-bit compartment index, padded).
  t.synapseWordsPerCore = 128 * 1024 / 4;
  t.synapsesPerWord = 1;
  t.fanInPerCore = 4096;
  t.fanOutPerCore = 4096;
  t.weightBits = 8, t.stateBits = 24, t.decayBits = 12;
  // Loihi routes by destination addresses in the output axons, not by
  // router tables: every output axon of every core may be one entry.
  t.routingEntriesPerRouter = 128 * 4096;
  t.delaySlots = 62;
  t.neuronKinds = {"LIF", "CubaLIF", "IF", "Source", "Relay", "Threshold"};
  t.energy = {23.6, 52, 3.5, 20};
  return t;
}

Target snncore() {
  Target t = makePreset("snncore");
  t.meshWidth = 2, t.meshHeight = 2;
  t.coresPerChip = 4;
  t.neuronsPerCore = 256;
  t.synapseWordsPerCore = 16384;
  t.synapsesPerWord = 1;
  t.fanInPerCore = 1024;
  t.fanOutPerCore = 16; // every core of the 2x2 mesh
  t.weightBits = 8, t.stateBits = 24, t.decayBits = 12;
  t.routingEntriesPerRouter = 256;
  t.delaySlots = 16;
  t.inputKeysPerCore = 16;
  t.neuronKinds = {"LIF", "CubaLIF", "IF", "Source", "Relay"};
  t.energy = {10, 20, 5, 10};
  return t;
}

Target spinnakerLike() {
  Target t = makePreset("spinnaker-like");
  t.meshWidth = 8, t.meshHeight = 6; // a 48-chip board
  t.coresPerChip = 16;               // application cores of 18
  t.neuronsPerCore = 256;
  // 128 MiB of SDRAM shared by 16 cores, one 32-bit word per synapse.
  t.synapseWordsPerCore = (uint64_t(128) << 20) / 16 / 4;
  t.synapsesPerWord = 1;
  t.fanInPerCore = 65536;
  t.fanOutPerCore = 48 * 16; // multicast can reach every core of the board
  t.weightBits = 16, t.stateBits = 32, t.decayBits = 32;
  t.routingEntriesPerRouter = 1023;
  t.delaySlots = 16;
  t.neuronKinds = {"LIF", "CubaLIF", "IF", "Source", "Relay", "PoissonSource"};
  t.energy = {8000, 28000, 1000, 1000};
  return t;
}

} // namespace

std::vector<std::string> presetNames() {
  return {"loihi-like", "snncore", "spinnaker-like"};
}

llvm::Expected<Target> presetTarget(const std::string &name) {
  if (name == "loihi-like")
    return loihiLike();
  if (name == "snncore")
    return snncore();
  if (name == "spinnaker-like")
    return spinnakerLike();
  return llvm::createStringError(
      llvm::inconvertibleErrorCode(), "unknown target preset '%s'; presets: %s",
      name.c_str(), llvm::join(presetNames(), ", ").c_str());
}

} // namespace snnc::target
