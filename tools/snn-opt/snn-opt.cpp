//===- snn-opt.cpp - mlir-opt with snnc's dialects and passes ------------===//
#include "compiler/lower/Passes.h"
#include "dialects/nmc/IR/NMCDialect.h"
#include "dialects/snn/IR/SNNDialect.h"
#include "dialects/snn/Transforms/Passes.h"
#include "mapping/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"
#include "mlir/Transforms/Passes.h"

int main(int argc, char **argv) {
  mlir::registerTransformsPasses();
  snnc::snn::registerSNNPasses();
  snnc::lower::registerSNNLowerPasses();
  snnc::mapping::registerNMCMappingPasses();
  mlir::DialectRegistry registry;
  // func + TOSA: what the ONNX importer prints (snnc MODEL.onnx).
  registry.insert<snnc::snn::SNNDialect, snnc::nmc::NMCDialect,
                  mlir::func::FuncDialect, mlir::tosa::TosaDialect>();
  return mlir::asMainReturnCode(mlir::MlirOptMain(
      argc, argv, "snnc optimizer driver: snn dialect IR in, IR out\n",
      registry));
}
