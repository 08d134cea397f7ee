//===- ArtifactSeal.h - The integrity seal of a .snnb file ------*- C++ -*-===//
//
// A .snnb file is a FlatBuffer followed by an 8-byte seal: the CRC-32
// (zlib's polynomial, stored little-endian) of every byte before the seal,
// then the tag "SNBS". FlatBuffers readers ignore bytes past the buffer, so
// `flatc --json` still reads a sealed file. Program::load checks the seal
// before anything else: a file that was modified, truncated or damaged after
// snnc wrote it is refused with a message that says so. The seal guards
// against accidents (bad disks, truncated copies, hand edits), not against an
// attacker, who can recompute a CRC: the verifier and the semantic checks
// behind it are what keep a hostile file from crashing the runtime.
//
// Thread safety: all functions are pure.
//
//===----------------------------------------------------------------------===//
#ifndef SNNC_RUNTIME_ARTIFACTSEAL_H
#define SNNC_RUNTIME_ARTIFACTSEAL_H

#include <cstddef>
#include <cstdint>
#include <vector>

namespace snnc {

/// Bytes the seal adds at the end of the file.
constexpr size_t kArtifactSealBytes = 8;

/// CRC-32 of `n` bytes (zlib's crc32).
uint32_t artifactCrc32(const uint8_t *data, size_t n);

/// Appends the seal to a finished FlatBuffer.
void sealArtifact(std::vector<uint8_t> &bytes);

/// A sealed copy of the `n` bytes of a finished FlatBuffer at `data`.
std::vector<uint8_t> sealedCopy(const uint8_t *data, size_t n);

/// What checkArtifactSeal found.
struct SealCheck {
  enum Kind {
    kOk,       ///< the seal matches: `payload` bytes precede it
    kMissing,  ///< no "SNBS" tag at the end (truncated, or not sealed)
    kMismatch, ///< the tag is there but the CRC differs
  } kind = kMissing;
  size_t payload = 0; ///< bytes before the seal (when the tag is present)
  uint32_t stored = 0, computed = 0;
};

/// Checks the seal of the `n` bytes at `data`.
SealCheck checkArtifactSeal(const uint8_t *data, size_t n);

} // namespace snnc

#endif // SNNC_RUNTIME_ARTIFACTSEAL_H
