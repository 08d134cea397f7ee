//===- NirFuzz.cpp - Fuzz target: the NIR (HDF5) reader -------------------===//
//
// Each input is a file given to the contained reader first (a child process,
// as the CLI reads); only when libhdf5 survives it there is it read in this
// process, so the fuzzer explores our reader and reports our crashes, while
// the ones inside libhdf5 end, as in snnc, in an error.
//
//===----------------------------------------------------------------------===//
#include "FuzzSupport.h"
#include "compiler/nir/NirModel.h"

#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  snnc::fuzz::TempFile file(data, size, ".nir");
  if (!file.ok())
    return 0;
  snnc::nir::Document doc;
  std::string error;
  // SNNC_FUZZ_NIR_DIRECT=1 reads in this process instead, to see where an
  // input that the child died on fails (tools/fuzz.sh sorts them by that).
  static const bool direct = std::getenv("SNNC_FUZZ_NIR_DIRECT") != nullptr;
  if (!(direct ? snnc::nir::readNirFile(file.path(), doc, error)
               : snnc::nir::readNirFileIsolated(file.path(), doc, error)))
    snnc::fuzz::requireNamed(error, file.path());
  return 0;
}
