//===- NetworkPlan.h - A discretized network as populations -----*- C++ -*-===//
//
// The lowering of a discretized snn.network (snn-discretize has run) to what
// an engine executes: populations of neurons and projections between them,
// convolutions and pools kept as kernels. It is the in-memory form of a
// .snnb artifact before the numeric mode is applied (ArtifactWriter.cpp).
//
//===----------------------------------------------------------------------===//
#ifndef SNNC_COMPILER_LOWER_NETWORKPLAN_H
#define SNNC_COMPILER_LOWER_NETWORKPLAN_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Support/LogicalResult.h"

#include <cstdint>
#include <string>
#include <vector>

namespace snnc {

enum class PopKind {
  Source,
  Relay,
  LIF,
  CubaLIF,
  IF,
  LI,
  CubaLI,
  Integrator,
  Threshold
};

const char *popKindName(PopKind k);
bool isSpiking(PopKind k);
bool isCurrentBased(PopKind k);

struct PlanPopulation {
  std::string name;
  PopKind kind = PopKind::Relay;
  std::vector<int64_t> shape;
  int64_t size = 0;
  // One value (shared) or `size` values each; see runtime/schema/snnb.fbs.
  std::vector<float> alpha{0.f}, beta{1.f}, gainSyn{1.f}, gainMem{1.f},
      gainDirect{0.f}, leak{0.f}, bias{0.f}, vThreshold{1.f}, vReset{0.f},
      vInit{0.f};
};

struct PlanProjection {
  enum Kind { Dense, Sparse, Conv, Pool };
  std::string name;
  uint32_t source = 0, target = 0;
  Kind kind = Dense;
  std::vector<float> weights; ///< dense [pre][post], sparse values, kernel
  std::vector<uint32_t> rowStart, targets; ///< sparse CSR by source neuron
  std::vector<int64_t> inShape, outShape, kernelShape, stride, padding,
      dilation;
  int64_t groups = 1;
  float poolScale = 1.f;
  std::vector<uint32_t> delaySteps{0}; ///< one value or one per source
  bool recurrent = false;
  /// Synapses this projection holds (kernel positions count once).
  int64_t synapses() const;
};

struct PlanPort {
  std::string name;
  uint32_t population = 0;
  std::vector<int64_t> shape;
};

struct Discretization {
  std::string profile = "exact";
  double dt = 1e-4;
  bool resetSubtract = false;
  bool resetNextStep = false;
  bool resetCarry = false;
  /// Extra steps on every non-recurrent projection (Lava's channel delay).
  int projectionDelay = 0;
  bool greaterEqual = false;
  bool synapseFirst = false;
};

struct NetworkPlan {
  std::string network;
  Discretization discretization;
  std::vector<PlanPopulation> populations; ///< in evaluation order
  std::vector<PlanProjection> projections;
  std::vector<PlanPort> inputs, outputs;
};

/// Lowers the first snn.network of `module`, which must be discretized.
/// Errors are emitted at the offending op.
mlir::LogicalResult lowerToPlan(mlir::ModuleOp module, NetworkPlan &plan);

} // namespace snnc

#endif // SNNC_COMPILER_LOWER_NETWORKPLAN_H
