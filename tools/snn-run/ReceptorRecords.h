//===- ReceptorRecords.h - snn-run --record-receptor ------------*- C++ -*-===//
//
// NODE:RECEPTOR=FILE.npy and NODE:RECEPTOR[i,a:b]=FILE.npy: the state g of
// one receptor of a ReceptorLIF population after every step, written as
// float32 [T, ...shape] or [T, k] ([samples, T, ...] with --batch). Private
// to snn-run.
//
//===----------------------------------------------------------------------===//
#ifndef SNNC_TOOLS_SNN_RUN_RECEPTORRECORDS_H
#define SNNC_TOOLS_SNN_RUN_RECEPTORRECORDS_H

#include "RecordSpec.h"

#include "snnc/runtime/Session.h"

#include <string>
#include <vector>

namespace snnc::snnrun {

class ReceptorRecords {
public:
  /// Parses every argument; false with `error` naming the argument.
  bool parse(const Program &program, const std::vector<std::string> &args,
             std::string &error);
  /// Asks the session to record them.
  Status attach(Session &s) const;
  /// Keeps what the last run recorded.
  Status collect(const Session &s);
  /// Writes one file each; `samples` > 0 adds the sample dimension.
  Status write(int64_t samples) const;

private:
  struct Record {
    RecordSpec spec;
    std::string receptor;
    std::vector<int64_t> shape; ///< of one sample's recording
    std::vector<float> data;    ///< every sample's, one after the other
  };
  std::vector<Record> records_;
};

} // namespace snnc::snnrun

#endif // SNNC_TOOLS_SNN_RUN_RECEPTORRECORDS_H
