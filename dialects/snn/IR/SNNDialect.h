//===- SNNDialect.h - The snn dialect ---------------------------*- C++ -*-===//
#ifndef SNNC_DIALECTS_SNN_IR_SNNDIALECT_H
#define SNNC_DIALECTS_SNN_IR_SNNDIALECT_H

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Dialect.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/IR/RegionKindInterface.h"
#include "mlir/IR/SymbolTable.h"

#include "dialects/snn/IR/SNNDialect.h.inc"

#define GET_OP_CLASSES
#include "dialects/snn/IR/SNNOps.h.inc"

#endif // SNNC_DIALECTS_SNN_IR_SNNDIALECT_H
