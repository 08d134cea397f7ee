//===- ArtifactWriter.h - NetworkPlan to .snnb ------------------*- C++ -*-===//
#ifndef SNNC_COMPILER_LOWER_ARTIFACTWRITER_H
#define SNNC_COMPILER_LOWER_ARTIFACTWRITER_H

#include "compiler/lower/NetworkPlan.h"

#include <cstdint>
#include <string>
#include <vector>

namespace snnc {

struct ArtifactOptions {
  bool fixed = false;      ///< numeric mode: fixed point (else float)
  int weightBits = 8;      ///< fixed mode: signed weight mantissa bits
  int stateBits = 24;      ///< fixed mode: saturating u and v
  int sourceFracBits = 12; ///< fixed mode: scale of Source values
  std::string producer = "snnc";
};

/// What quantization did, for --report.
struct QuantizationReport {
  int64_t weights = 0, roundedToZero = 0, clipped = 0;
  std::vector<std::string> notes;
};

/// Serializes `plan` (fixed mode: quantized per docs/fixed-point.md).
/// Returns false and sets `error` when a value cannot be represented.
bool writeArtifact(const NetworkPlan &plan, const ArtifactOptions &options,
                   std::vector<uint8_t> &bytes, QuantizationReport &report,
                   std::string &error);

} // namespace snnc

#endif // SNNC_COMPILER_LOWER_ARTIFACTWRITER_H
