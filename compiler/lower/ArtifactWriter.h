//===- ArtifactWriter.h - NetworkPlan to .snnb ------------------*- C++ -*-===//
#ifndef SNNC_COMPILER_LOWER_ARTIFACTWRITER_H
#define SNNC_COMPILER_LOWER_ARTIFACTWRITER_H

#include "compiler/lower/NetworkPlan.h"

#include <cstdint>
#include <string>
#include <vector>

namespace snnc {

struct ArtifactOptions {
  /// Numeric mode: fixed point (the formats nmc-quantize chose; Quantize.h),
  /// else float.
  bool fixed = false;
  std::string producer = "snnc";
};

/// What quantization did, for --report.
struct QuantizationReport {
  int64_t weights = 0, roundedToZero = 0, clipped = 0;
  std::vector<std::string> notes;
};

/// False, with `error` naming the population or projection, the field and
/// the index, when a weight or parameter is NaN or infinite (the loader
/// refuses such files too; quantization would turn them into garbage).
bool planIsFinite(const NetworkPlan &plan, std::string &error);

/// The totals of a quantized plan (empty for a float one).
QuantizationReport quantizationReport(const NetworkPlan &plan);

/// Serializes `plan`. Fixed mode writes the formats nmc-quantize chose
/// (PlanPopulation::fixed, PlanProjection::fixed) and refuses a plan
/// without them. Returns false and sets `error` when a value cannot be
/// represented.
bool writeArtifact(const NetworkPlan &plan, const ArtifactOptions &options,
                   std::vector<uint8_t> &bytes, QuantizationReport &report,
                   std::string &error);

} // namespace snnc

#endif // SNNC_COMPILER_LOWER_ARTIFACTWRITER_H
