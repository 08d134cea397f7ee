//===- OnnxImport.h - ONNX models to func + TOSA IR -------------*- C++ -*-===//
//
// Trained ANNs enter snnc as ONNX files (what torch.onnx.export writes for
// MLPs and CNNs) and leave the importer as one `func.func @main` made of
// upstream TOSA ops, the form the ANN-to-SNN conversion starts from.
// docs/onnx-import.md lists the supported ops and their TOSA spelling.
//
//===----------------------------------------------------------------------===//
#ifndef SNNC_COMPILER_ONNX_ONNXIMPORT_H
#define SNNC_COMPILER_ONNX_ONNXIMPORT_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"

#include <string>

namespace snnc {

/// Reads, checks and shape-infers the ONNX model at `path` and converts its
/// graph to `func.func @main` over TOSA ops with static shapes. Graph inputs
/// and outputs keep their ONNX names as `snn.name` argument/result
/// attributes. Errors go to the context's diagnostic engine, located at
/// NameLoc(node, FileLineColLoc(path, 0, 0)); returns null on error.
mlir::OwningOpRef<mlir::ModuleOp> importOnnxFile(const std::string &path,
                                                 mlir::MLIRContext *ctx);

} // namespace snnc

#endif // SNNC_COMPILER_ONNX_ONNXIMPORT_H
