//===- Info.h - snn-run --info: what an artifact holds ----------*- C++ -*-===//
//
// Prints a loaded (verified) program: network, producer, schema version,
// numeric mode and discretization, populations, projections, ports and,
// for a mapped program, the target, the chips in use with their routing
// entries and every core with the neuron ranges it holds.
//
//===----------------------------------------------------------------------===//
#ifndef SNNC_SNNRUN_INFO_H
#define SNNC_SNNRUN_INFO_H

#include "snnc/runtime/Program.h"

#include <ostream>

namespace snnc::snnrun {

void printInfo(const Program &program, std::ostream &os);

} // namespace snnc::snnrun

#endif // SNNC_SNNRUN_INFO_H
