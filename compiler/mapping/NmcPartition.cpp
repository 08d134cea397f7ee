//===- NmcPartition.cpp - The nmc-partition pass --------------------------===//
#include "mapping/NmcMapping.h"
#include "mapping/Passes.h"

#include "compiler/lower/NmcConvert.h"
#include "dialects/nmc/IR/NMCDialect.h"

namespace snnc::mapping {
#define GEN_PASS_DEF_NMCPARTITION
#include "compiler/mapping/Passes.h.inc"
} // namespace snnc::mapping

using namespace mlir;

namespace {

struct NMCPartitionPass
    : public snnc::mapping::impl::NMCPartitionBase<NMCPartitionPass> {
  using NMCPartitionBase::NMCPartitionBase;

  void runOnOperation() override {
    snnc::nmc::ProgramOp program = snnc::findProgram(getOperation());
    if (!program) {
      getOperation().emitError()
          << "nmc-partition: the module holds no nmc.program (run snn-to-nmc)";
      return signalPassFailure();
    }
    auto t = snnc::target::loadTarget(target);
    if (!t) {
      program.emitError() << llvm::toString(t.takeError());
      return signalPassFailure();
    }
    snnc::mapping::MapGraph graph;
    if (failed(snnc::mapping::buildGraph(program, graph)))
      return signalPassFailure();
    snnc::mapping::Mapping mapping;
    snnc::mapping::partition(graph, *t, mapping); // nmc-check reports
    snnc::mapping::writeMapping(program, *t, mapping,
                                snnc::mapping::Stage::Partitioned);
  }
};

} // namespace
