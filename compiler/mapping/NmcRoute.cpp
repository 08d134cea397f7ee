//===- NmcRoute.cpp - The nmc-route pass ----------------------------------===//
#include "mapping/NmcMapping.h"
#include "mapping/Passes.h"

#include "compiler/lower/NmcConvert.h"
#include "dialects/nmc/IR/NMCDialect.h"

namespace snnc::mapping {
#define GEN_PASS_DEF_NMCROUTE
#include "compiler/mapping/Passes.h.inc"
} // namespace snnc::mapping

using namespace mlir;

namespace {

struct NMCRoutePass : public snnc::mapping::impl::NMCRouteBase<NMCRoutePass> {
  using NMCRouteBase::NMCRouteBase;

  void runOnOperation() override {
    snnc::nmc::ProgramOp program = snnc::findProgram(getOperation());
    if (!program) {
      getOperation().emitError()
          << "nmc-route: the module holds no nmc.program (run snn-to-nmc)";
      return signalPassFailure();
    }
    snnc::mapping::MapGraph graph;
    snnc::target::Target target;
    snnc::mapping::Mapping mapping;
    if (failed(snnc::mapping::buildGraph(program, graph)) ||
        failed(snnc::mapping::readMapping(program, graph,
                                          snnc::mapping::Stage::Placed,
                                          "nmc-route", target, mapping)))
      return signalPassFailure();
    snnc::mapping::route(graph, target, mapping); // nmc-check reports
    snnc::mapping::writeMapping(program, target, mapping,
                                snnc::mapping::Stage::Routed);
  }
};

} // namespace
