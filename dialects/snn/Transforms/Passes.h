//===- Passes.h - snn dialect passes ----------------------------*- C++ -*-===//
#ifndef SNNC_DIALECTS_SNN_TRANSFORMS_PASSES_H
#define SNNC_DIALECTS_SNN_TRANSFORMS_PASSES_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

#include <memory>

namespace snnc::snn {

#define GEN_PASS_DECL
#include "dialects/snn/Transforms/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "dialects/snn/Transforms/Passes.h.inc"

} // namespace snnc::snn

#endif // SNNC_DIALECTS_SNN_TRANSFORMS_PASSES_H
