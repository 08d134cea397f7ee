//===- ConvertAnn.h - ANN (func + TOSA) to a discrete spiking network -*- C++
//-*-===//
//
// Rate-coded ANN-to-SNN conversion of what the ONNX importer produces:
// every ReLU becomes a population of integrate-and-fire neurons with reset
// by subtraction, every weighted layer an snn.affine / snn.conv2d whose
// weights are rescaled layer by layer from calibration activations
// (data-based normalization, Rueckauer et al. 2017). The result is already
// discrete (snn.discrete_neuron + snn.discretization), so compileToArtifact
// lowers it without running snn-discretize. docs/ann-conversion.md.
//
//===----------------------------------------------------------------------===//
#ifndef SNNC_COMPILER_ANN_CONVERTANN_H
#define SNNC_COMPILER_ANN_CONVERTANN_H

#include "compiler/ann/TosaEval.h"

#include "mlir/IR/BuiltinOps.h"
#include "llvm/Support/raw_ostream.h"

#include <string>
#include <vector>

namespace snnc::ann {

struct ConvertOptions {
  std::string norm = "p99.9";            ///< "max" or "p99.9"
  std::string readout = "membrane";      ///< "membrane" or "count"
  std::string inputEncoding = "current"; ///< "current" or "rate"
  bool qcfs = false;      ///< IF neurons start at half the threshold
  int64_t timesteps = 32; ///< what the synaptic-operation estimate assumes
  int64_t maxCalibrationSamples = 1000;
};

/// One population of the converted network (index 0 is the input).
struct LayerReport {
  std::string name;
  std::string kind; ///< "input", "if", "integrator"
  int64_t neurons = 0;
  double lambda = 1;          ///< the layer's normalization scale
  double clippedFraction = 0; ///< of the non-zero calibration activations
  double meanRate = 0;        ///< estimated spikes per neuron per step
  int64_t synapses = 0;       ///< outgoing synapses of the whole population
  double synOps = 0;          ///< estimated per inference (T steps)
  std::string note;
};

struct ConvertReport {
  std::string norm;
  std::string readout;
  std::string inputEncoding;
  bool qcfs = false;
  int64_t timesteps = 0;
  int64_t calibrationSamples = 0; ///< 0: no calibration (all lambda = 1)
  std::vector<LayerReport> layers;
  std::vector<std::string> warnings;
  double synOps = 0; ///< total estimate per inference
};

/// Replaces the func.func @main of `module` (as importOnnxFile makes it) by
/// an snn.network. `calibration` holds samples [N, ...input shape without
/// batch] for the single input; null means no normalization (lambda = 1,
/// with a warning in the report). Errors are emitted at the offending op
/// (or the func) and leave the module unusable.
mlir::LogicalResult convertAnn(mlir::ModuleOp module,
                               const ConvertOptions &options,
                               const Array *calibration,
                               ConvertReport *report = nullptr);

void printReport(const ConvertReport &report, llvm::raw_ostream &os);

} // namespace snnc::ann

#endif // SNNC_COMPILER_ANN_CONVERTANN_H
