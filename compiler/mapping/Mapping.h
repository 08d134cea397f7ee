//===- Mapping.h - Partitioning, placement and routing onto cores -*- C++
//-*-===//
//
// The algorithms behind the nmc-partition, nmc-place, nmc-route and
// nmc-check passes, on a plain graph (no MLIR): populations of neurons and
// projections as CSR synapse lists by source neuron. Each step fills part of
// a Mapping; problems are collected as Violations (all of them, each naming
// the node, the limit and the number) rather than stopping at the first.
// No step allocates more than a few arrays of the graph's size, and every
// one is near-linear in neurons + synapses (docs/mapping.md).
//
//===----------------------------------------------------------------------===//
#ifndef SNNC_COMPILER_MAPPING_MAPPING_H
#define SNNC_COMPILER_MAPPING_MAPPING_H

#include "target/Target.h"

#include <cstdint>
#include <string>
#include <vector>

namespace snnc::mapping {

struct MapPopulation {
  std::string name;
  std::string kind; ///< popKindName(): "LIF", "Source", ...
  uint32_t size = 0;
  bool spiking = true;
  /// Expected spikes per neuron per step (for traffic and energy), >= 0.
  double activity = 0.01;
};

struct MapProjection {
  std::string name;
  uint32_t source = 0, target = 0; ///< population indices
  /// CSR by source neuron: synapses of source neuron i are
  /// targets[rowStart[i] .. rowStart[i + 1]) (target population indices).
  std::vector<uint64_t> rowStart;
  std::vector<uint32_t> targets;
  /// Largest synaptic delay in steps (>= 1 where the target executes it).
  uint32_t maxDelay = 1;
  /// Bits the quantized weights need (0: not quantized yet, not checked).
  uint32_t weightBits = 0;
  uint64_t synapses() const { return targets.size(); }
};

struct MapGraph {
  std::vector<MapPopulation> populations;
  std::vector<MapProjection> projections;
};

/// A contiguous neuron range of one population held by one core.
struct CoreSlice {
  uint32_t population = 0;
  uint32_t lo = 0, hi = 0; ///< [lo, hi)
  uint32_t size() const { return hi - lo; }
};

struct Core {
  uint32_t chip = 0;  ///< set by place(); chip = y * meshWidth + x
  uint32_t index = 0; ///< core within its chip, set by place()
  std::vector<CoreSlice> slices;
  uint32_t neurons = 0;
  uint64_t synapses = 0;     ///< synapses whose target neuron is here
  uint64_t synapseWords = 0; ///< ceil(synapses / synapsesPerWord)
  uint32_t fanIn = 0;        ///< distinct source neurons of those synapses
  uint32_t fanOut = 0;       ///< distinct cores this core's spikes reach
  /// Routing key of the core's first neuron and the mask covering all its
  /// neurons: neuron j of the core (counting through its slices in
  /// order) sends key | j. Set by route().
  uint32_t key = 0, mask = 0;
  /// Routers on this core's multicast tree (source chip included), set by
  /// route(); estimate() counts a spike's hops with it.
  uint32_t treeRouters = 0;
};

/// One multicast entry: packets with (packet & mask) == key leave through
/// `links` (bit i: link i of the mesh, 0 = +x, 1 = +y, 2 = -x, 3 = -y) and
/// reach the chip's cores listed in `cores` (positions on the chip,
/// ascending; any number of cores per chip).
struct RouteEntry {
  uint32_t key = 0, mask = 0;
  uint32_t links = 0;
  std::vector<uint32_t> cores;
};

struct Router {
  uint32_t chip = 0;
  /// In priority order: the first matching entry routes a packet. A
  /// packet that matches none goes straight on (default routing), and is
  /// an error at a chip where it arrived from no link (its source).
  std::vector<RouteEntry> entries;
  uint32_t entriesBeforeCompression = 0;
};

struct Mapping {
  std::vector<Core> cores;
  std::vector<Router> routers; ///< one per chip, by chip number
  /// Per population, per neuron: the core that holds it (partition()).
  std::vector<std::vector<uint32_t>> coreOf;
};

struct Violation {
  std::string node;  ///< population, projection, core or router
  std::string limit; ///< the target key ("neurons_per_core", ...)
  uint64_t allowed = 0, actual = 0;
  std::string detail; ///< what exceeds it, in words
  /// "'exc' (core 3): neurons_per_core 256 exceeded: 300 (...)".
  std::string message() const;
};

/// For targets with Target::inputKeysPerCore: per core, the input-key
/// entries and axons of the source-core blocks it hears, as the chip lays
/// them out (AxonCheck.cpp); appends a Violation for each core over
/// input_keys_per_core or fan_in_per_core. Called by check().
void checkAxonTables(const MapGraph &graph, const target::Target &target,
                     const Mapping &mapping, std::vector<Violation> &out);

/// Splits populations into core slices and bin-packs them (several small
/// populations may share a core) against neurons_per_core,
/// synapse_words_per_core and fan_in_per_core. A single neuron that alone
/// exceeds a limit gets a core of its own and a Violation.
std::vector<Violation> partition(const MapGraph &graph,
                                 const target::Target &target,
                                 Mapping &mapping);
/// Assigns the cores to chips of the mesh and positions on them, keeping
/// cores that exchange many spikes close. More cores than the target has
/// is a Violation (cores_per_chip x chips).
std::vector<Violation> place(const MapGraph &graph,
                             const target::Target &target, Mapping &mapping);
/// Allocates keys and masks, builds the multicast trees (dimension-order
/// paths between chips), writes routing entries, then compresses each
/// table (ordered covering); sets fan_out. Needs place().
std::vector<Violation> route(const MapGraph &graph,
                             const target::Target &target, Mapping &mapping);

struct RouteOptions {
  /// false keeps the tables as written (after default-route elision), for
  /// comparing routes before and after compression.
  bool compress = true;
};
std::vector<Violation> route(const MapGraph &graph,
                             const target::Target &target, Mapping &mapping,
                             const RouteOptions &options);

/// A key block (packets with (packet & mask) == key) that passes a router
/// by default routing.
struct KeyBlock {
  uint32_t key = 0, mask = 0;
  /// The link it leaves by (one bit, as in RouteEntry::links): an entry
  /// sending it there and to no core routes it as default routing does.
  /// 0: it must match no entry at all.
  uint32_t links = 0;
};
/// Minimises one router's table in place by ordered covering: entries with
/// the same route merge into one entry whose key/mask covers them, placed
/// by generality, where that changes the route of no packet that reaches
/// the router. `entries` must route disjoint key blocks; `passing` are the
/// blocks that reach the router and match no entry (default-routed): after
/// compression they match no entry, or one that routes them the same way.
void compressTable(std::vector<RouteEntry> &entries,
                   const std::vector<KeyBlock> &passing);

/// Every design rule against the finished mapping and the graph: neuron
/// kinds, weight bits, delays, per-core limits, fan-out, routing entries.
/// All violations, in a stable order.
std::vector<Violation> check(const MapGraph &graph,
                             const target::Target &target,
                             const Mapping &mapping);

/// Estimates per timestep from the populations' activities.
struct Estimate {
  double synapticOps = 0, neuronUpdates = 0, routedHops = 0;
  double energyPj = 0; ///< dynamic energy + static power x dt
};
Estimate estimate(const MapGraph &graph, const target::Target &target,
                  const Mapping &mapping, double dtSeconds);

} // namespace snnc::mapping

#endif // SNNC_COMPILER_MAPPING_MAPPING_H
