//===- NMCDialect.h - The nmc dialect ---------------------------*- C++ -*-===//
#ifndef SNNC_DIALECTS_NMC_IR_NMCDIALECT_H
#define SNNC_DIALECTS_NMC_IR_NMCDIALECT_H

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Dialect.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/OpImplementation.h"

#include "dialects/nmc/IR/NMCDialect.h.inc"

#define GET_OP_CLASSES
#include "dialects/nmc/IR/NMCOps.h.inc"

#endif // SNNC_DIALECTS_NMC_IR_NMCDIALECT_H
