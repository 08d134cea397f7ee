//===- Estimate.cpp - Events and energy per timestep ----------------------===//
//
// Expected counts per step from the populations' activities (spikes per
// neuron per step): synaptic events = source activity x synapses, summed
// over projections; neuron updates = every neuron, every step (cores update
// all their neurons each tick); routed hops = each core's spikes x the
// routers on its multicast tree (one packet a spike, copied at branches,
// one router visit per tree node). Energy adds the target's per-event costs
// and the static power of the chips the mapping uses (a chip that holds no
// core can be left unpowered).
//
//===----------------------------------------------------------------------===//
#include "mapping/Mapping.h"

#include <vector>

namespace snnc::mapping {

Estimate estimate(const MapGraph &graph, const target::Target &target,
                  const Mapping &mapping, double dtSeconds) {
  Estimate e;
  for (const MapProjection &proj : graph.projections)
    e.synapticOps +=
        graph.populations[proj.source].activity * double(proj.synapses());
  for (const MapPopulation &pop : graph.populations)
    e.neuronUpdates += pop.size;

  std::vector<char> used(target.chips(), 0);
  uint64_t chips = 0;
  for (const Core &core : mapping.cores) {
    double spikes = 0;
    for (const CoreSlice &sl : core.slices)
      spikes += graph.populations[sl.population].activity * sl.size();
    e.routedHops += spikes * core.treeRouters;
    if (core.chip < used.size() && !used[core.chip]) {
      used[core.chip] = 1;
      ++chips;
    }
  }

  const target::EnergyModel &m = target.energy;
  // mW x s = 1e-3 J = 1e9 pJ.
  const double staticPj = m.staticMwPerChip * double(chips) * dtSeconds * 1e9;
  e.energyPj = e.synapticOps * m.synapticOpPj +
               e.neuronUpdates * m.neuronUpdatePj +
               e.routedHops * m.routedSpikePj + staticPj;
  return e;
}

} // namespace snnc::mapping
