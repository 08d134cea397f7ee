//===- RtlImage.h - A mapped artifact as snncore memory images --*- C++ -*-===//
//
// What the rtl backend writes into the chips over their host buses, derived
// from a fixed-mode Program and its Mapping (docs/rtl-backend.md): per core
// the neuron parameter and state words, the phase table, the input key
// table, the axon table and the synapse memory; per chip the router table.
// Built and checked before any simulation starts, so that an artifact that
// does not fit this build's parameters is refused with the memory and both
// sizes named. No Verilator here: the image is plain data.
//
//===----------------------------------------------------------------------===//
#ifndef SNNC_BACKENDS_RTL_RTLIMAGE_H
#define SNNC_BACKENDS_RTL_RTLIMAGE_H

#include "snnc/runtime/Program.h"

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace snnc::rtl {

/// The parameters the Verilated chip was built with (snncore_pkg CFG_*,
/// docs/rtl-core.md §1); the engine checks them against the chip's CONFIG
/// register when it starts.
struct ChipParams {
  static constexpr uint32_t kCores = 4, kNeurons = 256, kSynWords = 16384,
                            kFanIn = 1024, kDelaySlots = 16, kWeightBits = 8,
                            kStateBits = 24, kRouteEntries = 256, kInKeys = 16,
                            kMaxPhases = 16, kDecayBits = 12,
                            kPoissonWords = 1024;
};

/// The target's energy model (docs/targets.md), read from the mapping's
/// target description.
struct EnergyModel {
  double synapticOpPj = 0, neuronUpdatePj = 0, routedSpikePj = 0,
         staticMwPerChip = 0;
};

struct KeyEntry {
  uint32_t key = 0, mask = 0, base = 0;
};

struct CoreImage {
  uint32_t id = 0;    ///< Mapping.cores index
  uint32_t chip = 0;  ///< index into Image::chips
  uint32_t index = 0; ///< position on the chip
  uint32_t key = 0, mask = 0;
  /// Per local neuron j: (population, neuron), in slice order.
  std::vector<std::pair<uint32_t, uint32_t>> neurons;
  /// Per local neuron: P0..P6 (docs/rtl-core.md §3, a PoissonSource's
  /// §3.1); zero for Sources.
  std::vector<std::array<uint32_t, 7>> params;
  std::vector<int32_t> vInit; ///< S0 at reset
  /// Phase table: [first, end) per phase (empty ranges where the core
  /// holds nothing of that phase).
  std::vector<std::pair<uint32_t, uint32_t>> phases;
  std::vector<KeyEntry> keys;
  /// Axon table: A0 (first word | count << 16) and A1 (frac_bits).
  std::vector<std::pair<uint32_t, uint32_t>> axons;
  std::vector<uint32_t> synapses; ///< synapse words
  /// The Poisson threshold memory: the tables of the PoissonSource neurons
  /// the core holds, each once.
  std::vector<uint32_t> poissonThresholds;
  uint64_t synapseCount = 0;
};

struct RouteWord {
  uint32_t key = 0, mask = 0, route = 0; ///< route: links [3:0], cores [7:4]
};

struct ChipImage {
  uint32_t x = 0, y = 0;
  bool used = false; ///< holds a mapped chip (else it only forwards)
  std::vector<RouteWord> routes;
};

struct Image {
  std::string target;
  EnergyModel energy;
  uint32_t meshX0 = 0, meshY0 = 0, width = 1, height = 1; ///< simulated box
  uint32_t chipsUsed = 0;
  std::vector<ChipImage> chips; ///< width x height, row-major from (x0, y0)
  std::vector<CoreImage> cores; ///< by Mapping core id
  uint32_t phases = 0;
  /// Per population, per neuron: index into `cores`, and local neuron.
  std::vector<std::vector<uint32_t>> coreOf, localOf;
  std::vector<int> fracBits; ///< per population
  std::vector<bool> spiking; ///< per population: emits spike events
  std::vector<bool> source;  ///< per population: a host-driven Source
  /// Per population: a PoissonSource, whose graded events (its counts)
  /// are its spikes.
  std::vector<bool> poisson;
  double dt = 0;
};

/// Builds and checks the image of `program`; every refusal begins with
/// "rtl: " and names what does not fit (the memory, the population or the
/// projection) and both sizes.
StatusOr<Image> buildImage(const Program &program);

} // namespace snnc::rtl

#endif // SNNC_BACKENDS_RTL_RTLIMAGE_H
