//===- Passes.h - Passes of the compiler's lowering -------------*- C++ -*-===//
//
// Passes over snn IR that need the runtime's libraries (the procedural
// generator), so they live with the lowering rather than in the dialect,
// which depends on MLIR only.
//
//===----------------------------------------------------------------------===//
#ifndef SNNC_COMPILER_LOWER_PASSES_H
#define SNNC_COMPILER_LOWER_PASSES_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

#include <memory>

namespace snnc::lower {

#define GEN_PASS_DECL
#include "compiler/lower/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "compiler/lower/Passes.h.inc"

} // namespace snnc::lower

#endif // SNNC_COMPILER_LOWER_PASSES_H
