//===- NmcRoute.cpp - The nmc-route pass ----------------------------------===//
#include "mapping/NmcMapping.h"
#include "mapping/Passes.h"

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
    snnc::nmc::ProgramOp program;
    snnc::mapping::MapGraph graph;
    snnc::target::Target target;
    snnc::mapping::Mapping mapping;
    if (failed(snnc::mapping::loadMapped(getOperation(), "nmc-route",
                                         snnc::mapping::Stage::Placed, program,
                                         graph, target, mapping)))
      return signalPassFailure();
    snnc::mapping::route(graph, target, mapping); // nmc-check reports
    snnc::mapping::writeMapping(program, target, mapping,
                                snnc::mapping::Stage::Routed);
  }
};

} // namespace
