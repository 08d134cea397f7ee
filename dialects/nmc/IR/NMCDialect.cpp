//===- NMCDialect.cpp - The nmc dialect -----------------------------------===//
#include "dialects/nmc/IR/NMCDialect.h"

#include "dialects/nmc/IR/NMCDialect.cpp.inc"

namespace snnc::nmc {

void NMCDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "dialects/nmc/IR/NMCOps.cpp.inc"
      >();
}

} // namespace snnc::nmc
