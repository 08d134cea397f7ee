//===- NmcCheck.cpp - The nmc-check pass (the design-rule check) ----------===//
#include "mapping/NmcMapping.h"
#include "mapping/Passes.h"

#include "dialects/nmc/IR/NMCDialect.h"

namespace snnc::mapping {
#define GEN_PASS_DEF_NMCCHECK
#include "compiler/mapping/Passes.h.inc"
} // namespace snnc::mapping

using namespace mlir;

namespace {

struct NMCCheckPass : public snnc::mapping::impl::NMCCheckBase<NMCCheckPass> {
  using NMCCheckBase::NMCCheckBase;

  void runOnOperation() override {
    snnc::nmc::ProgramOp program;
    snnc::mapping::MapGraph graph;
    snnc::target::Target target;
    snnc::mapping::Mapping mapping;
    if (failed(snnc::mapping::loadMapped(getOperation(), "nmc-check",
                                         snnc::mapping::Stage::Routed, program,
                                         graph, target, mapping)) ||
        failed(snnc::mapping::emitViolations(
            program, snnc::mapping::check(graph, target, mapping))))
      return signalPassFailure();
  }
};

} // namespace
