//===- NpyFuzz.cpp - Fuzz target: the .npy and .npz readers ---------------===//
//
// The first byte picks the reader (even: .npy, odd: .npz); the rest is the
// file.
//
//===----------------------------------------------------------------------===//
#include "FuzzSupport.h"
#include "snnc/runtime/Npy.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1)
    return 0;
  bool npz = data[0] & 1;
  snnc::fuzz::TempFile file(data + 1, size - 1, npz ? ".npz" : ".npy");
  if (!file.ok())
    return 0;
  if (npz) {
    auto r = snnc::readNpz(file.path());
    if (!r)
      snnc::fuzz::requireNamed(r.status().message(), file.path());
  } else {
    auto r = snnc::readNpy(file.path());
    if (!r)
      snnc::fuzz::requireNamed(r.status().message(), file.path());
  }
  return 0;
}
