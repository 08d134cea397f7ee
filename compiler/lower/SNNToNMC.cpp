//===- SNNToNMC.cpp - The snn-to-nmc pass ---------------------------------===//
//
// The lowering itself (populations, projections, connection rules) is
// lowerToPlan (Lowering.cpp, LowerExtensions.cpp); this pass puts its
// result into the IR as an nmc.program, in the place of the network.
//
//===----------------------------------------------------------------------===//
#include "compiler/lower/NmcConvert.h"
#include "compiler/lower/Passes.h"
#include "dialects/nmc/IR/NMCDialect.h"
#include "dialects/snn/IR/SNNDialect.h"

namespace snnc::lower {
#define GEN_PASS_DEF_SNNTONMC
#include "compiler/lower/Passes.h.inc"
} // namespace snnc::lower

using namespace mlir;

namespace {

struct SNNToNMCPass : public snnc::lower::impl::SNNToNMCBase<SNNToNMCPass> {
  using SNNToNMCBase::SNNToNMCBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    snnc::snn::NetworkOp network;
    module.walk([&](snnc::snn::NetworkOp n) {
      network = n;
      return WalkResult::interrupt();
    });
    if (!network) {
      module.emitError() << "snn-to-nmc: the module holds no snn.network";
      return signalPassFailure();
    }
    snnc::LowerOptions o;
    o.threads = threads;
    o.memoryBudgetBytes = memoryBudgetMiB << 20;
    if (expandConnectivity == "auto")
      o.expand = snnc::LowerOptions::Expand::Auto;
    else if (expandConnectivity == "compile")
      o.expand = snnc::LowerOptions::Expand::Compile;
    else if (expandConnectivity == "load")
      o.expand = snnc::LowerOptions::Expand::Load;
    else {
      module.emitError() << "snn-to-nmc: expand-connectivity is '"
                         << expandConnectivity
                         << "'; use auto, compile or load";
      return signalPassFailure();
    }
    snnc::NetworkPlan plan;
    if (failed(snnc::lowerToPlan(module, plan, o)))
      return signalPassFailure();
    OpBuilder b(network);
    snnc::planToNmc(b, network.getLoc(), std::move(plan));
    network.erase();
  }
};

} // namespace
