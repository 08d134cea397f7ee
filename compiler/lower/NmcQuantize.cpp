//===- NmcQuantize.cpp - The nmc-quantize pass ----------------------------===//
//
// The formats themselves are chosen by quantizePlan (Quantize.cpp); this
// pass reads the program, runs it, and writes the result onto the ops
// (writeQuantized, NmcConvert.cpp), so that every later step and the
// artifact writer see the same integers.
//
//===----------------------------------------------------------------------===//
#include "compiler/lower/NmcQuantize.h"
#include "compiler/lower/NmcConvert.h"
#include "compiler/lower/Passes.h"
#include "dialects/nmc/IR/NMCDialect.h"
#include "target/Target.h"

namespace snnc::lower {
#define GEN_PASS_DEF_NMCQUANTIZE
#include "compiler/lower/Passes.h.inc"
} // namespace snnc::lower

using namespace mlir;

namespace snnc {

QuantizeOptions quantizeOptionsFor(const target::Target &t) {
  QuantizeOptions o;
  o.target = t.name;
  o.weightBits = int(t.weightBits);
  o.stateBits = int(t.stateBits);
  o.decayBits = int(t.decayBits);
  return o;
}

LogicalResult quantizeNmcProgram(nmc::ProgramOp program,
                                 const QuantizeOptions &options) {
  NetworkPlan plan;
  if (failed(nmcToPlan(program, plan)))
    return failure();
  std::string error;
  if (!quantizePlan(plan, options, error))
    return program.emitError() << error;
  writeQuantized(program, std::move(plan));
  return success();
}

} // namespace snnc

namespace {

struct NMCQuantizePass
    : public snnc::lower::impl::NMCQuantizeBase<NMCQuantizePass> {
  using NMCQuantizeBase::NMCQuantizeBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    snnc::nmc::ProgramOp program = snnc::findProgram(module);
    if (!program) {
      module.emitError()
          << "nmc-quantize: the module holds no nmc.program (run snn-to-nmc)";
      return signalPassFailure();
    }
    auto t = snnc::target::loadTarget(target);
    if (!t) {
      module.emitError() << "nmc-quantize: target: "
                         << llvm::toString(t.takeError());
      return signalPassFailure();
    }
    snnc::QuantizeOptions o = snnc::quantizeOptionsFor(*t);
    o.sourceFracBits = sourceFracBits;
    if (sourceFracBits < 0 || sourceFracBits > 30) {
      module.emitError() << "nmc-quantize: source-frac-bits is "
                         << sourceFracBits << "; use 0 to 30";
      return signalPassFailure();
    }
    if (failed(snnc::quantizeNmcProgram(program, o)))
      return signalPassFailure();
  }
};

} // namespace
