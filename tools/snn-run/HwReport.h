//===- HwReport.h - snn-run --hw-report: the rtl backend's counters -*- C++
//-*-//
//
// Sums the HardwareReport (Engine.h) of every sample's run and prints
// cycles per timestep, synaptic events per cycle, per-core activity and the
// energy estimate of the target's model (docs/rtl-backend.md).
//
//===----------------------------------------------------------------------===//
#ifndef SNNC_TOOLS_SNNRUN_HWREPORT_H
#define SNNC_TOOLS_SNNRUN_HWREPORT_H

#include "snnc/runtime/Engine.h"

#include <ostream>

namespace snnc::snnrun {

/// Adds `sample` (one sample's report) into `total`.
void addHardwareReport(HardwareReport &total, const HardwareReport &sample);

/// The report, with the simulation's speed (`wallSeconds` of the runs).
void printHardwareReport(std::ostream &os, const HardwareReport &r,
                         double wallSeconds);

} // namespace snnc::snnrun

#endif // SNNC_TOOLS_SNNRUN_HWREPORT_H
