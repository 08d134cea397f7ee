//===- ArtifactVerify.h - Where the FlatBuffers verifier fails -*- C++ -*-===//
//
// The generated verifier says only yes or no. When it says no, this walks
// the buffer again, field by field, guided by the reflection schema of
// snnb.fbs (embedded at build time), and names the first table or field that
// is bad, e.g. "Program.populations[2].alpha: vector extends past the end of
// the buffer". Internal to the runtime.
//
//===----------------------------------------------------------------------===//
#ifndef SNNC_RUNTIME_SRC_ARTIFACTVERIFY_H
#define SNNC_RUNTIME_SRC_ARTIFACTVERIFY_H

#include <cstddef>
#include <cstdint>
#include <string>

namespace snnc::detail {

/// Where and why the `n` bytes at `buf` (an unsealed FlatBuffer) fail
/// verification; "" when the walk finds nothing wrong (it checks what the
/// generated verifier checks, so that should not happen).
std::string locateVerifierFailure(const uint8_t *buf, size_t n);

} // namespace snnc::detail

#endif // SNNC_RUNTIME_SRC_ARTIFACTVERIFY_H
