//===- RtlDriver.h - The snncore RTL backend (Verilator) --------*- C++ -*-===//
//
// Runs a mapped fixed-mode artifact on the Verilated snncore chip
// (rtl-sim/rtl, docs/rtl-core.md), one model per chip of the mapping,
// loaded through the host bus; docs/rtl-backend.md.
//
//===----------------------------------------------------------------------===//
#ifndef SNNC_BACKENDS_RTL_RTLDRIVER_H
#define SNNC_BACKENDS_RTL_RTLDRIVER_H

#include "snnc/runtime/Engine.h"

#include <memory>

namespace snnc {

std::unique_ptr<Driver> makeRtlDriver();

} // namespace snnc

#endif // SNNC_BACKENDS_RTL_RTLDRIVER_H
