//===- NetworkSummary.h - What a compiled network holds ---------*- C++ -*-===//
//
// The figures `snnc --report` prints: nodes by kind, neurons, synapses,
// edges and the recurrent cycles of an snn.network.
//
//===----------------------------------------------------------------------===//
#ifndef SNNC_COMPILER_ANALYSIS_NETWORKSUMMARY_H
#define SNNC_COMPILER_ANALYSIS_NETWORKSUMMARY_H

#include "mlir/IR/BuiltinOps.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace snnc {

struct NetworkSummary {
  std::string name;
  std::string nirVersion;
  std::map<std::string, int64_t> opsByKind; ///< "snn.lif" -> count
  int64_t neurons = 0;    ///< elements of spiking and integrating nodes
  int64_t parameters = 0; ///< stored weight values (dense and kernels)
  int64_t edges = 0;      ///< operands, i.e. NIR edges
  std::vector<std::string> inputs, outputs; ///< "name: tensor<...>"
  /// Each recurrent cycle as the node names along it (strongly connected
  /// components with more than one node, or a node feeding itself).
  std::vector<std::vector<std::string>> cycles;
};

/// Summarizes every snn.network in `module` (nested graphs included).
std::vector<NetworkSummary> summarize(mlir::ModuleOp module);

/// Human-readable report, several lines per network.
void printSummary(const NetworkSummary &s, llvm::raw_ostream &os);

} // namespace snnc

#endif // SNNC_COMPILER_ANALYSIS_NETWORKSUMMARY_H
