//===- BenchNetworks.h - The simulator-comparison networks ------*- C++ -*-===//
//
// The networks the CPU engine is measured on, defined once and written two
// ways: as a .snnb artifact for our runtime, and as a plain description
// (network.json plus .npy arrays, docs/benchmarks.md) from which the peer
// simulator builds the very same network: same neurons, same synapses,
// same initial membrane potentials.
//
//   cuba    Vogels-Abbott CUBA as in Brian2's example: 4000 LIF (3200 exc,
//           800 inh), exponential current synapses (5 / 10 ms), 2 %
//           connectivity, refractory 5 ms; exact integration.
//   coba    Vogels-Abbott COBA in the variant the Brian2CUDA benchmarks use:
//           conductances relative to the leak (0.6 / 6.7), reversal 0 /
//           -80 mV, a constant 20 mV drive (rest -40 mV); forward Euler,
//           as Brian2 chooses for it.
//   sparseN random E/I network of N delta-synapse LIF neurons (80/20),
//           K synapses per neuron on average, driven above threshold by a
//           constant leak target, no refractory period. A suffix "/sD"
//           delays every synapse by D steps (the projections' delay_steps),
//           "/dD" each synapse by its own delay drawn uniformly from 1..D
//           steps (Sparse.delays); both exist for the engine only (no
//           description for the peer simulator).
//
// Units: volts and seconds.
//
//===----------------------------------------------------------------------===//
#ifndef SNNC_TEST_BENCH_BENCHNETWORKS_H
#define SNNC_TEST_BENCH_BENCHNETWORKS_H

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace snnc::bench {

struct ReceptorSpec {
  std::string name;
  bool conductance = false;
  double tau = 0;      ///< s
  double reversal = 0; ///< V, conductance only
};

/// One neuron model shared by every population.
struct NeuronSpec {
  double tauM = 0.02, vRest = 0, vThreshold = 0, vReset = 0;
  double refractory = 0; ///< s
  /// Empty: delta synapses (a spike adds its weight to v).
  std::vector<ReceptorSpec> receptors;
  /// "exact" (exponential integrator) or "euler".
  std::string method = "exact";
};

struct PopulationSpec {
  std::string name;
  uint32_t size = 0;
  std::vector<double> vInit;
};

struct ProjectionSpec {
  uint32_t source = 0, target = 0;
  int receptor = -1; ///< index into NeuronSpec::receptors; -1 for delta
  double weight = 0; ///< V (current, delta) or relative conductance
  std::vector<int32_t> pre, post; ///< local indices, sorted by pre
  /// Read from an artifact: its name, one weight per synapse when they
  /// differ (else empty and `weight` holds the shared one), and the peer's
  /// delay in steps, one for all (`delay`) or one per synapse (`delays`).
  /// Delay 0 reaches the target's next update, as a spike of a
  /// recurrent projection without delays does in our engine.
  std::string name;
  std::vector<double> weights;
  uint32_t delay = 0;
  std::vector<int32_t> delays;
};

struct NetworkSpec {
  std::string name;
  double dt = 1e-4, duration = 1.0;
  NeuronSpec neuron;
  std::vector<PopulationSpec> populations;
  std::vector<ProjectionSpec> projections;
  /// Extra delay in steps of every synapse (delay_steps), and the largest
  /// of the per-synapse delays drawn in 1..maxSynapseDelay (0: none).
  uint32_t delaySteps = 0;
  uint32_t maxSynapseDelay = 0;
  uint64_t synapses() const;
  uint32_t neurons() const;
};

/// Builds network `name` ("cuba", "coba", "sparse10k", "sparse100k",
/// "sparse1m", or "sparseN" for any N >= 100 with an optional K as
/// "sparseN:K", and an optional delay suffix "/sD" or "/dD"); nullopt with
/// `error` set for an unknown name.
std::optional<NetworkSpec> makeNetwork(const std::string &name, uint64_t seed,
                                       std::string *error);

/// The names makeNetwork knows, for help texts.
const char *networkNames();

/// Writes `dir`/network.json and its .npy arrays. Returns "" or an error.
std::string writeDescription(const NetworkSpec &net, const std::string &dir);

/// Writes a one-dimensional little-endian NumPy array (`descr` e.g.
/// "<i4", "<f8") of `count` items of `itemSize` bytes; false on failure.
bool writeNpy1d(const std::string &path, const char *descr, size_t count,
                size_t itemSize, const void *data);

/// The .snnb artifact of `net` (float mode), as bytes: one population
/// "neurons" holding all populations as consecutive ranges (global indices
/// as in the description), one projection per source population, receptor
/// and weight.
std::vector<uint8_t> buildArtifact(const NetworkSpec &net);

} // namespace snnc::bench

#endif // SNNC_TEST_BENCH_BENCHNETWORKS_H
