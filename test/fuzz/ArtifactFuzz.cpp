//===- ArtifactFuzz.cpp - Fuzz target: the .snnb loader -------------------===//
//
// Almost every mutation breaks the seal, which the loader checks first; to
// reach the verifier and the semantic checks behind it, inputs whose first
// byte is odd are re-sealed (without that byte) before loading. A program
// that loads is run for a few steps on the CPU engine, whose indexing trusts
// the loader's checks.
//
//===----------------------------------------------------------------------===//
#include "snnc/runtime/ArtifactSeal.h"
#include "snnc/runtime/Program.h"
#include "snnc/runtime/Session.h"
#include "snnc/schema/snnb_generated.h"

#include <cstdio>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1)
    return 0;
  std::vector<uint8_t> bytes(data + 1, data + size);
  if (data[0] & 1)
    snnc::sealArtifact(bytes);
  snnc::LoadOptions options;
  options.expansionBudgetBytes = uint64_t(64) << 20;
  auto program =
      snnc::Program::fromBytes(std::move(bytes), "fuzz.snnb", options);
  if (!program) {
    if (program.status().message().find("fuzz.snnb") == std::string::npos) {
      std::fprintf(stderr, "message does not name the artifact: %s\n",
                   program.status().message().c_str());
      std::abort();
    }
    return 0;
  }
  // Running costs memory in proportion to neurons and synapses: keep it to
  // small programs, which are what mutations of the seeds produce.
  uint64_t neurons = 0, weights = 0;
  const snnc::snnb::Program &fb = (*program)->fb();
  for (const auto *pop : *fb.populations())
    neurons += pop->size();
  for (const auto *pr : *fb.projections())
    if (auto *d = pr->connectivity_as_Dense())
      weights += d->weights()->size();
  if (neurons > (1 << 16) || weights > (1 << 20) ||
      (*program)->expansionEstimateBytes() > (uint64_t(16) << 20))
    return 0;
  auto device = snnc::Device::open("cpu");
  if (!device)
    return 0;
  auto session = snnc::Session::create(*device, *program);
  if (session)
    (void)(*session)->run(4);
  return 0;
}
