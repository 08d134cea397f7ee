//===- ConvertAnnImpl.h - Shared between the conversion's parts -*- C++ -*-===//
#ifndef SNNC_COMPILER_ANN_CONVERTANNIMPL_H
#define SNNC_COMPILER_ANN_CONVERTANNIMPL_H

#include "compiler/ann/ConvertAnn.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/ADT/SmallVector.h"

namespace snnc::ann::detail {

/// A population of the converted network and the linear ops that feed it.
/// layers[0] is the network input (its "activations" are the inputs).
struct Layer {
  std::string name;
  std::string kind; ///< "input", "if", "integrator"
  mlir::Operation *neuron = nullptr;
  /// The ANN value whose calibration activations give lambda.
  mlir::Value annValue;
  /// Weighted ops (snn.affine / snn.conv2d) whose output feeds this layer.
  llvm::SmallVector<mlir::Operation *, 1> weighted;
  int src = 0; ///< the layer whose spikes `weighted` read
  int64_t neurons = 0;
  bool readout = false;
  std::string note;
};

struct Structure {
  mlir::func::FuncOp func;
  std::vector<Layer> layers;
  std::vector<std::string> warnings;
};

/// Builds the snn.network next to the func (weights as in the ANN).
mlir::FailureOr<Structure> buildNetwork(mlir::ModuleOp module,
                                        const ConvertOptions &options);

/// Calibrates, rescales the weighted ops in place and fills `report`.
mlir::LogicalResult normalize(Structure &s, const ConvertOptions &options,
                              const Array *calibration, ConvertReport &report);

/// Synapses of one weighted op (for the synaptic-operation estimate).
int64_t synapseCount(mlir::Operation *weighted);

} // namespace snnc::ann::detail

#endif // SNNC_COMPILER_ANN_CONVERTANNIMPL_H
