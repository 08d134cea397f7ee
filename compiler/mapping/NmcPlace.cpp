//===- NmcPlace.cpp - The nmc-place pass ----------------------------------===//
#include "mapping/NmcMapping.h"
#include "mapping/Passes.h"

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
    snnc::nmc::ProgramOp program;
    snnc::mapping::MapGraph graph;
    snnc::target::Target target;
    snnc::mapping::Mapping mapping;
    if (failed(snnc::mapping::loadMapped(getOperation(), "nmc-place",
                                         snnc::mapping::Stage::Partitioned,
                                         program, graph, target, mapping)))
      return signalPassFailure();
    snnc::mapping::place(graph, target, mapping); // nmc-check reports
    snnc::mapping::writeMapping(program, target, mapping,
                                snnc::mapping::Stage::Placed);
  }
};

} // namespace
