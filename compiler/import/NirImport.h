//===- NirImport.h - NIR graphs to and from the snn dialect -----*- C++ -*-===//
//
// The importer interprets a NIR document (compiler/nir) as an `snn.network`:
// it resolves edges (including into and out of subgraphs), infers every
// node's shape, fills NIR's defaults and reports each quirk of real files.
// The exporter writes the inverse, so import -> export -> import is the
// identity on modules.
//
//===----------------------------------------------------------------------===//
#ifndef SNNC_COMPILER_IMPORT_NIRIMPORT_H
#define SNNC_COMPILER_IMPORT_NIRIMPORT_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include "mlir/Support/LogicalResult.h"

#include <string>

namespace snnc {
namespace nir {
struct Document;
}

struct NirImportOptions {
  /// Rebind an edge that names a missing node to the one node of the same
  /// graph that no edge reaches and whose name extends the missing one (the
  /// `lif` / `lif1` slip of some published subgraph files). Each repair is
  /// reported as a warning. Off: such an edge is an error.
  bool repairDanglingEdges = false;
  /// The file stores every Affine/Linear weight as (in, out), against NIR's
  /// (out, in) convention (as spyx's exporter did): transpose them all.
  bool transposeWeights = false;
  /// Symbol name of the `snn.network`; empty: derived from the file name.
  std::string networkName;
  /// importNirFile reads the file with libhdf5 contained in a child process
  /// (nir::readNirFileIsolated), so that a corrupt file that crashes
  /// libhdf5 ends in an error instead of a crash. Off: read in-process.
  bool isolateHdf5 = true;
};

/// Imports `doc`, read from `path` (used in locations and messages). Errors
/// and warnings go to the context's diagnostic engine; returns null on error.
mlir::OwningOpRef<mlir::ModuleOp> importNir(const nir::Document &doc,
                                            const std::string &path,
                                            mlir::MLIRContext *ctx,
                                            const NirImportOptions &options);

/// Reads and imports the NIR file at `path`.
mlir::OwningOpRef<mlir::ModuleOp>
importNirFile(const std::string &path, mlir::MLIRContext *ctx,
              const NirImportOptions &options);

/// Converts the first `snn.network` of `module` to a NIR document. Emits an
/// error on `module` and fails if it holds no network.
mlir::LogicalResult exportNir(mlir::ModuleOp module, nir::Document &out);

/// Exports and writes `path` (gzip-compressed datasets).
mlir::LogicalResult exportNirFile(mlir::ModuleOp module,
                                  const std::string &path);

} // namespace snnc

#endif // SNNC_COMPILER_IMPORT_NIRIMPORT_H
