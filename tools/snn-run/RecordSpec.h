//===- RecordSpec.h - snn-run's NODE[i,j,a:b]=FILE arguments ----*- C++ -*-===//
//
// Parses the node part of --record and --record-events arguments: a node
// name, optionally followed by a neuron list in brackets. Private to
// snn-run.
//
//===----------------------------------------------------------------------===//
#ifndef SNNC_TOOLS_SNN_RUN_RECORDSPEC_H
#define SNNC_TOOLS_SNN_RUN_RECORDSPEC_H

#include "snnc/runtime/Program.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace snnc::snnrun {

struct RecordSpec {
  std::string node, file;
  /// Flat neuron indices in the order given; empty = the whole node.
  std::vector<int64_t> neurons;
  bool chosen = false; ///< a bracketed list was given
};

/// Neurons of the output or population `name`, or -1 when there is none
/// (Session reports that with the list of known names).
int64_t nodeSize(const Program &program, const std::string &name);

/// Parses `arg` = NODE=FILE or NODE[list]=FILE, where list is a comma
/// separated list of flat indices `i` and half-open ranges `a:b` (`a`
/// defaults to 0 and `b` to the node's size). Returns the spec, or an
/// error message naming `option`, the node and the offending item.
std::optional<RecordSpec> parseRecordSpec(const Program &program,
                                          const std::string &option,
                                          const std::string &arg,
                                          std::string &error);

} // namespace snnc::snnrun

#endif // SNNC_TOOLS_SNN_RUN_RECORDSPEC_H
