//===- SNNDialect.cpp - snn dialect registration
//----------------------------===//
#include "dialects/snn/IR/SNNDialect.h"

using namespace mlir;
using namespace snnc::snn;

#include "dialects/snn/IR/SNNDialect.cpp.inc"

void SNNDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "dialects/snn/IR/SNNOps.cpp.inc"
      >();
}
