//===- Driver.h - What `snnc` does, as a library call -----------*- C++ -*-===//
//
// One entry point behind the snnc command line and the Python bindings
// (snnc.compile): read a NIR file, an ONNX model or snn dialect IR (a file or
// text in memory), optionally convert an ANN, discretize, lower, map onto a
// target and serialize. Where the result goes is the caller's business: the
// artifact comes back as bytes and printed IR as text, so that the CLI
// writes files and Python keeps them in memory.
//
// Errors are MLIR diagnostics (file:line:col for IR, the file and node for
// NIR) and the driver's own "snnc: error: ..." lines, written to the `diag`
// stream in the order they happen, exactly as the CLI prints them.
//
// Thread safety: each call builds its own MLIRContext; concurrent calls are
// independent.
//
//===----------------------------------------------------------------------===//
#ifndef SNNC_COMPILER_DRIVER_DRIVER_H
#define SNNC_COMPILER_DRIVER_DRIVER_H

#include "compiler/ann/ConvertAnn.h"
#include "compiler/import/NirImport.h"
#include "compiler/lower/Pipeline.h"

#include "mlir/Support/LogicalResult.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace snnc::driver {

/// The command line's options (docs/building.md lists them; `snnc --help`).
struct Options {
  /// The model's path: .nir/.h5/.hdf5 (NIR), .onnx or .mlir. With `text`
  /// set, only the name that messages and locations give the text.
  std::string input;
  /// snn dialect IR (or func + TOSA IR) held in memory instead of a file.
  std::optional<std::string> text;
  /// The CLI's -o: "-" is stdout, where an artifact or a NIR file cannot go.
  /// Empty: in memory (the bindings). emit "nir" writes this file.
  std::string output;
  std::string emit = "snnb"; ///< snnb, mlir, nmc or nir
  std::string mode = "float";
  std::string expand = "auto"; ///< auto, compile or load
  uint64_t memoryBudgetMiB = 8192;
  bool report = false;
  bool jsonReport = false; ///< with report: as JSON, to the `json` stream
  std::string target;      ///< preset or description file; empty: unmapped
  bool locations = false;  ///< printed IR carries each op's location
  bool discretizeRequested = false; ///< dt, profile or reset given
  NirImportOptions nir;
  CompileOptions compile;
  bool convert = false;
  bool convertOptionGiven = false; ///< any ANN-conversion option
  std::string calibration;         ///< .npy samples for --convert
  ann::ConvertOptions ann;
};

/// What a successful call produced.
struct Result {
  std::vector<uint8_t> artifact; ///< emit snnb: the .snnb bytes
  std::string ir;                ///< emit mlir or nmc: the printed module
};

/// Runs the compiler as `snnc` does. `diag` receives diagnostics, warnings
/// and the text report; `json` the JSON report. Failure: the reasons are in
/// `diag`, and nothing was written.
mlir::LogicalResult compile(const Options &options, Result &result,
                            llvm::raw_ostream &diag, llvm::raw_ostream &json);

} // namespace snnc::driver

#endif // SNNC_COMPILER_DRIVER_DRIVER_H
