//===- NirDataModule.cpp - libsnnc-nirdata.so, snn-run's NIRData writer ---===//
//
// The one function snn-run looks up after opening this module
// (NirDataPlugin.h): writeNirData behind a C-linkage name.
//
//===----------------------------------------------------------------------===//
#include "NirDataPlugin.h"

#include <type_traits>

extern "C" __attribute__((visibility("default"))) void
snnc_write_nirdata(const std::string &path, double dt,
                   const std::vector<snnc::RecordedNode> &nodes,
                   snnc::Status *result) {
  *result = snnc::writeNirData(path, dt, nodes);
}

// The declaration and the definition must agree, or dlsym's cast lies.
static_assert(
    std::is_same_v<decltype(snnc_write_nirdata), snnc::snnrun::WriteNirDataFn>);
