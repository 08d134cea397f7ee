//===- MappingChecks.h - Checks of the artifact's mapping table -*- C++ -*-===//
//
// Program.mapping (schema version 4): where each neuron lives on a target
// and how spikes are routed. Run after the FlatBuffers verifier and the
// population checks, so population sizes are known good. A backend that
// loads the mapping (rtl) may then index chips, cores and slices without
// checking again.
//
//===----------------------------------------------------------------------===//
#ifndef SNNC_RUNTIME_SRC_MAPPINGCHECKS_H
#define SNNC_RUNTIME_SRC_MAPPINGCHECKS_H

#include "snnc/runtime/Status.h"
#include "snnc/schema/snnb_generated.h"

#include <string>

namespace snnc::check {

/// Largest mesh side and cores per chip an artifact may name (the compiler
/// refuses larger targets before mapping: docs/targets.md).
inline constexpr uint32_t kMaxMeshSide = 1u << 12;
inline constexpr uint32_t kMaxCoresPerChip = 1u << 12;

/// Refuses, naming the chip, core or population: a mapping in a file
/// older than version 4; an empty or oversized mesh; chips outside the
/// mesh or twice at one position; cores out of order, off their chip or
/// two at one position; slices of unknown populations or outside them; a
/// neuron on no core or on two; a key with bits outside its mask; routing
/// entries naming links or core positions that do not exist.
Status mappingTable(const snnb::Program &p, const std::string &origin);

} // namespace snnc::check

#endif // SNNC_RUNTIME_SRC_MAPPINGCHECKS_H
