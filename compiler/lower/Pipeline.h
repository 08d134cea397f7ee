//===- Pipeline.h - snn IR to .snnb: the steps snnc runs --------*- C++ -*-===//
#ifndef SNNC_COMPILER_LOWER_PIPELINE_H
#define SNNC_COMPILER_LOWER_PIPELINE_H

#include "compiler/lower/ArtifactWriter.h"
#include "compiler/lower/NetworkPlan.h"
#include "compiler/lower/Quantize.h"

#include "mlir/IR/BuiltinOps.h"
#include "llvm/Support/raw_ostream.h"

#include <string>
#include <vector>

namespace snnc {

struct CompileOptions {
  double dt = 1e-4;
  std::string profile = "exact";
  std::string reset; ///< "", "zero" or "subtract"
  ArtifactOptions artifact;
  LowerOptions lower; ///< expansion of procedural connectivity
  /// Fixed mode: the formats nmc-quantize uses (snncore's unless a target
  /// says otherwise: snnc --target sets quantizeOptionsFor(target)).
  QuantizeOptions quantize;
};

/// Runs snn-discretize unless the network already is discretized.
mlir::LogicalResult discretize(mlir::ModuleOp module,
                               const CompileOptions &options);

/// Discretizes, lowers and serializes; `report` (if set) receives a
/// human-readable account of populations, projections and quantization.
/// Discretizes (when not yet done) and lowers the module's snn.network to
/// an nmc.program (snn-to-nmc); a module that holds one already is left
/// as it is. In fixed mode it then runs nmc-quantize with
/// `options.quantize`, unless the program is quantized already.
mlir::LogicalResult lowerToNmc(mlir::ModuleOp module,
                               const CompileOptions &options);

/// lowerToNmc, then the artifact of the nmc.program.
/// `report` receives the text report, `jsonReport` the same as JSON.
mlir::LogicalResult compileToArtifact(mlir::ModuleOp module,
                                      const CompileOptions &options,
                                      std::vector<uint8_t> &bytes,
                                      llvm::raw_ostream *report,
                                      llvm::raw_ostream *jsonReport = nullptr);

/// Writes `bytes` to `path` through a temporary file and a rename.
bool writeFileAtomically(const std::string &path,
                         const std::vector<uint8_t> &bytes, std::string &error);

} // namespace snnc

#endif // SNNC_COMPILER_LOWER_PIPELINE_H
