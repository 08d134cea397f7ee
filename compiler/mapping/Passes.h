//===- Passes.h - The mapping passes over the nmc dialect -------*- C++ -*-===//
#ifndef SNNC_COMPILER_MAPPING_PASSES_H
#define SNNC_COMPILER_MAPPING_PASSES_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

#include <memory>

namespace snnc::mapping {

#define GEN_PASS_DECL
#include "compiler/mapping/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "compiler/mapping/Passes.h.inc"

} // namespace snnc::mapping

#endif // SNNC_COMPILER_MAPPING_PASSES_H
