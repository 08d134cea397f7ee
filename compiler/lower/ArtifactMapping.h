//===- ArtifactMapping.h - The mapping table of a .snnb ---------*- C++ -*-===//
//
// Serializes a routed PlanMapping into the artifact's Mapping table (schema
// version 4, runtime/schema/snnb.fbs): chips with their routing entries,
// cores with their neuron slices and routing keys. Kept apart from
// ArtifactWriter.cpp, which calls it, so that the two change independently.
//
//===----------------------------------------------------------------------===//
#ifndef SNNC_COMPILER_LOWER_ARTIFACTMAPPING_H
#define SNNC_COMPILER_LOWER_ARTIFACTMAPPING_H

#include "compiler/lower/NetworkPlan.h"
#include "snnc/schema/snnb_generated.h"

#include <string>

namespace snnc {

/// Checks `mapping` against the plan it maps (routed, every population
/// index and neuron range valid, every neuron on exactly one core) and
/// writes it with `b`. On failure returns false with `error` saying what
/// is wrong, naming the core or chip.
bool writeMappingTable(flatbuffers::FlatBufferBuilder &b,
                       const NetworkPlan &plan, const PlanMapping &mapping,
                       flatbuffers::Offset<snnb::Mapping> &out,
                       std::string &error);

} // namespace snnc

#endif // SNNC_COMPILER_LOWER_ARTIFACTMAPPING_H
