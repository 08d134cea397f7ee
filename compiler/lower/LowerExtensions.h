//===- LowerExtensions.h - snnc's extension ops to the plan -----*- C++ -*-===//
//
// Internal to the lowering (Lowering.cpp): receptor LIF and Poisson
// populations, explicit (snn.sparse) and procedural (snn.connect)
// projections.
//
//===----------------------------------------------------------------------===//
#ifndef SNNC_COMPILER_LOWER_LOWEREXTENSIONS_H
#define SNNC_COMPILER_LOWER_LOWEREXTENSIONS_H

#include "compiler/lower/NetworkPlan.h"

#include "mlir/IR/Operation.h"

namespace snnc {

namespace snn {
class ConnectOp;
}

/// The generator's description of an snn.connect (verified) for one target:
/// `samePopulation` when the target is the rule's source population.
procedural::ConnectSpec connectSpec(snn::ConnectOp op, bool samePopulation,
                                    double dt);

/// Fills the ReceptorLIF or PoissonSource fields of `p` from its op.
void lowerExtensionPopulation(mlir::Operation *op, PlanPopulation &p);

/// Sets pr's receptor index from the op's `receptor` name and the target
/// (an error when a named receptor meets a target without receptors), and
/// the timing of snn.sparse / snn.connect: an event takes effect in the
/// step after the spike plus its delay, whatever the evaluation order
/// (Brian2's rule, pr.previousStep), except a current an input `source`
/// injects into an injection receptor, which flows in the step it is given.
mlir::LogicalResult lowerReceptor(mlir::Operation *w,
                                  const PlanPopulation &source,
                                  const PlanPopulation &target,
                                  PlanProjection &pr);

/// snn.sparse or snn.connect -> sparse rows with per-synapse delays added
/// to pr.delaySteps (folded into it when all synapses share one delay).
/// `samePopulation`: source and target are one population (autapses).
mlir::LogicalResult lowerSynapses(mlir::Operation *w, bool samePopulation,
                                  const LowerOptions &options, double dt,
                                  PlanProjection &pr);

} // namespace snnc

#endif // SNNC_COMPILER_LOWER_LOWEREXTENSIONS_H
