//===- CpuDriver.h - The "cpu" device driver --------------------*- C++ -*-===//
//
// The CPU backend: always available, runs float and fixed artifacts with
// the event engine of CpuEngine.h. Thread safety: a Driver is stateless and
// may be shared; each instantiated Engine belongs to one caller at a time.
//
//===----------------------------------------------------------------------===//
#ifndef SNNC_BACKENDS_CPU_CPUDRIVER_H
#define SNNC_BACKENDS_CPU_CPUDRIVER_H

#include "snnc/runtime/Engine.h"

#include <memory>

namespace snnc {

/// The driver named "cpu". DeviceOptions::threads picks the worker count
/// (0: hardware threads, but one thread for networks under 2048 neurons).
std::unique_ptr<Driver> makeCpuDriver();

} // namespace snnc

#endif // SNNC_BACKENDS_CPU_CPUDRIVER_H
