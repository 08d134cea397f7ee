//===- ArtifactExport.h - A compiled network as a peer's description -*- C++
//-*-===//
//
// Reads a float-mode .snnb artifact (as `snnc NET.mlir -o NET.snnb` writes
// it) back into the NetworkSpec that BenchNetworks writes for the peer
// simulator: the synapse lists, per-synapse weights and delays and initial
// potentials exactly as the artifact holds them, and the CONTINUOUS neuron
// parameters (tau_m, v_rest, receptor taus) derived from the artifact's
// per-step constants by inverting the profile's discretization
// (docs/benchmarks.md, "Networks from the compiler").
//
// Units: volts and seconds; delays in steps of the artifact's dt.
//
//===----------------------------------------------------------------------===//
#ifndef SNNC_TEST_BENCH_ARTIFACTEXPORT_H
#define SNNC_TEST_BENCH_ARTIFACTEXPORT_H

#include "BenchNetworks.h"

#include "snnc/runtime/Program.h"

#include <optional>
#include <string>
#include <vector>

namespace snnc::bench {

/// The network `program` holds, for a simulation of `duration` seconds.
/// Refuses (nullopt, `error` naming the population or projection, the
/// parameter and its value) what the description cannot hold: fixed mode,
/// profiles other than exact and euler, neuron kinds other than LIF and
/// ReceptorLIF, parameters that differ between neurons or populations,
/// biases, subtractive resets, connectivity other than Sparse. `notes`
/// receives one line per approximation made (a projection that our engine
/// delivers in the step its source spiked, which the peer delivers one step
/// later).
std::optional<NetworkSpec> networkFromArtifact(const Program &program,
                                               double duration,
                                               std::string *error,
                                               std::vector<std::string> *notes);

} // namespace snnc::bench

#endif // SNNC_TEST_BENCH_ARTIFACTEXPORT_H
