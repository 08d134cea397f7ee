//===- ReceptorRecords.h - snn-run --record-receptor ------------*- C++ -*-===//
//
// NODE:RECEPTOR=FILE.npy and NODE:RECEPTOR[i,a:b]=FILE.npy: the state g of
// one receptor of a ReceptorLIF population after every step, written as
// float32 [T, ...shape] or [T, k] ([samples, T, ...] with --batch). The
// session records one selection per receptor: when two arguments choose
// different neurons of the same receptor, every neuron is recorded and each
// file gets its columns. Private to snn-run.
//
//===----------------------------------------------------------------------===//
#ifndef SNNC_TOOLS_SNN_RUN_RECEPTORRECORDS_H
#define SNNC_TOOLS_SNN_RUN_RECEPTORRECORDS_H

#include "RecordSpec.h"

#include "snnc/runtime/Session.h"

#include <map>
#include <string>
#include <utility>
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
  using Key = std::pair<std::string, std::string>; ///< node, receptor
  struct Record {
    RecordSpec spec;
    std::string receptor;
  };
  /// What the session records for one receptor, and every sample of it.
  struct Recording {
    std::vector<int64_t> neurons; ///< empty: every neuron
    std::vector<int64_t> shape;   ///< of one sample's recording
    std::vector<float> data;      ///< every sample's, one after the other
  };
  std::vector<Record> records_;
  std::map<Key, Recording> recordings_;
};

} // namespace snnc::snnrun

#endif // SNNC_TOOLS_SNN_RUN_RECEPTORRECORDS_H
