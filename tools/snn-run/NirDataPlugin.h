//===- NirDataPlugin.h - The NIRData writer, loaded when asked for -*- C++
//-*-===//
//
// snn-run writes NIRData (HDF5) only with --nirdata, yet linking the writer
// makes every run load libhdf5 and the chain behind it (libcurl, OpenSSL,
// Kerberos, LDAP: 39 shared libraries against 6), several milliseconds of
// start-up on every invocation. So the writer lives in a small module,
// lib/libsnnc-nirdata.so beside bin/snn-run, that snn-run opens only when
// --nirdata is given, before the run, so that a missing module costs no
// simulation. The module is built from the same sources in the same build,
// so C++ types cross the boundary as they are.
//
//===----------------------------------------------------------------------===//
#ifndef SNNC_SNNRUN_NIRDATAPLUGIN_H
#define SNNC_SNNRUN_NIRDATAPLUGIN_H

#include "snnc/runtime/NirData.h"

namespace snnc::snnrun {

/// The module's entry point (C linkage, so dlsym finds it by this name).
using WriteNirDataFn = void(const std::string &path, double dt,
                            const std::vector<RecordedNode> &nodes,
                            Status *result);
inline constexpr const char *kWriteNirDataSymbol = "snnc_write_nirdata";

/// Opens the module (once; later calls return the same function) from
/// `../lib/` relative to the running executable, or $SNNC_NIRDATA_MODULE
/// when set. The error names the path tried and the loader's reason.
StatusOr<WriteNirDataFn *> loadNirDataWriter();

} // namespace snnc::snnrun

#endif // SNNC_SNNRUN_NIRDATAPLUGIN_H
