//===- NmcPlace.cpp - The nmc-place pass ----------------------------------===//
#include "mapping/NmcMapping.h"
#include "mapping/Passes.h"

#include "compiler/lower/NmcConvert.h"
#include "dialects/nmc/IR/NMCDialect.h"

namespace snnc::mapping {
#define GEN_PASS_DEF_NMCPLACE
#include "compiler/mapping/Passes.h.inc"
} // namespace snnc::mapping

using namespace mlir;

namespace {

struct NMCPlacePass : public snnc::mapping::impl::NMCPlaceBase<NMCPlacePass> {
  using NMCPlaceBase::NMCPlaceBase;

  void runOnOperation() override {
    snnc::nmc::ProgramOp program = snnc::findProgram(getOperation());
    if (!program) {
      getOperation().emitError()
          << "nmc-place: the module holds no nmc.program (run snn-to-nmc)";
      return signalPassFailure();
    }
    snnc::mapping::MapGraph graph;
    snnc::target::Target target;
    snnc::mapping::Mapping mapping;
    if (failed(snnc::mapping::buildGraph(program, graph)) ||
        failed(snnc::mapping::readMapping(program, graph,
                                          snnc::mapping::Stage::Partitioned,
                                          "nmc-place", target, mapping)))
      return signalPassFailure();
    snnc::mapping::place(graph, target, mapping); // nmc-check reports
    snnc::mapping::writeMapping(program, target, mapping,
                                snnc::mapping::Stage::Placed);
  }
};

} // namespace
