//===- DriverImpl.h - Between the driver's files ----------------*- C++ -*-===//
#ifndef SNNC_COMPILER_DRIVER_DRIVERIMPL_H
#define SNNC_COMPILER_DRIVER_DRIVERIMPL_H

#include "compiler/driver/Driver.h"

#include "mlir/IR/BuiltinOps.h"

namespace snnc::driver {

/// From the loaded (and, if asked, converted) module to `options.emit`:
/// the artifact, the nmc program or the IR in `result`, or a NIR file.
mlir::LogicalResult emit(const Options &options, mlir::ModuleOp module,
                         Result &result, llvm::raw_ostream &diag,
                         llvm::raw_ostream &json);

} // namespace snnc::driver

#endif // SNNC_COMPILER_DRIVER_DRIVERIMPL_H
