//===- NirImportImpl.h - Internals of the NIR importer ----------*- C++ -*-===//
//
// Shared by NirNodes.cpp (reading each node's fields into a normal form) and
// NirImport.cpp (edges, shape inference, building ops). Not a public header.
//
//===----------------------------------------------------------------------===//
#ifndef SNNC_COMPILER_IMPORT_NIRIMPORTIMPL_H
#define SNNC_COMPILER_IMPORT_NIRIMPORTIMPL_H

#include "compiler/import/NirImport.h"
#include "compiler/nir/NirModel.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/Diagnostics.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringMap.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace snnc::nirimport {

using mlir::ArrayRef;
using mlir::Block;
using mlir::FileLineColLoc;
using mlir::InFlightDiagnostic;
using mlir::Location;
using mlir::LogicalResult;
using mlir::MLIRContext;
using mlir::ModuleOp;
using mlir::NameLoc;
using mlir::OpBuilder;
using mlir::Operation;
using mlir::OwningOpRef;
using mlir::StringAttr;
using mlir::StringRef;
using snnc::nir::Array;
using Shape = llvm::SmallVector<int64_t, 4>;

enum class Kind {
  Input,
  Output,
  Affine,
  Linear,
  Conv1d,
  Conv2d,
  SumPool2d,
  AvgPool2d,
  Flatten,
  Scale,
  Threshold,
  Delay,
  LIF,
  CubaLIF,
  IF,
  LI,
  CubaLI,
  I,
  Graph
};

struct KindInfo {
  const char *nirType;
  Kind kind;
  const char *opName;
  // Per-element parameters, in NIR's field order (elementwise kinds only).
  std::vector<const char *> params;
};

/// The table of NIR node types snnc knows, in NIR's order.
const std::vector<KindInfo> &kinds();
/// NIR's documented default for a field older files lack (v_reset, w_in).
std::optional<double> defaultFor(StringRef param);
inline bool isElementwise(const KindInfo &k) { return !k.params.empty(); }
std::string shapeStr(ArrayRef<int64_t> s);
int64_t product(ArrayRef<int64_t> s);
/// Shapes equal once leading unit dimensions are ignored ([1,1,1] ~ [1]).
bool sameUpToLeadingOnes(ArrayRef<int64_t> a, ArrayRef<int64_t> b);

class DocumentImporter;

// One end of an edge: a node of the graph and, for subgraph nodes, the name
// of the inner Input/Output node it connects to.
struct Endpoint {
  int node = -1;
  std::string port;
};

struct Edge {
  Endpoint src, dst;
};

class GraphImporter;

// Everything known about one node while its graph is imported.
struct NodeInfo {
  const nir::Node *node = nullptr;
  const KindInfo *kind = nullptr;
  Location loc;
  std::optional<Shape> in, out;
  // Elementwise parameters in normal form; scalars are broadcast at build.
  std::vector<std::pair<std::string, Array>> params;
  Array weight, bias;
  bool hasBias = false;
  Shape kernel, stride, padding, dilation;
  int64_t groups = 1;
  std::string paddingMode; // "same" / "valid" for string padding
  int64_t startDim = 1, endDim = -1;
  std::unique_ptr<GraphImporter> sub;
  explicit NodeInfo(Location l) : loc(l) {}
};

class GraphImporter {
public:
  GraphImporter(DocumentImporter &doc, const nir::Graph &graph,
                std::string path)
      : doc(doc), graph(graph), path(std::move(path)) {}

  /// Reads nodes, resolves edges and infers shapes.
  LogicalResult analyze();
  /// Creates the ops into `block`.
  void build(Block &block);

  /// Subgraph port types, valid after analyze().
  std::optional<Shape> inputPortShape(StringRef port) const;
  std::optional<Shape> outputPortShape(StringRef port) const;
  std::vector<std::string> portNames(Kind k) const;

private:
  LogicalResult readNode(NodeInfo &info);
  LogicalResult readElementwise(NodeInfo &info);
  LogicalResult readDense(NodeInfo &info);
  LogicalResult readWindow(NodeInfo &info, size_t spatial);
  LogicalResult resolveEdges();
  std::optional<Endpoint> resolve(const std::string &name, bool asSource);
  LogicalResult inferShapes();
  bool deriveOut(NodeInfo &n);
  std::optional<Shape> outShape(const Endpoint &e) const;
  std::optional<Shape> inShape(const Endpoint &e) const;
  LogicalResult checkEdges();
  LogicalResult checkTopology();
  Operation *buildNode(OpBuilder &b, NodeInfo &n);
  InFlightDiagnostic error(const NodeInfo &n);
  std::string graphLabel() const;

  DocumentImporter &doc;
  const nir::Graph &graph;
  std::string path; // node path prefix, "" for the root
  std::vector<NodeInfo> nodes;
  llvm::StringMap<int> index;
  std::vector<Edge> edges;
  std::vector<Operation *> ops;
};

class DocumentImporter {
public:
  DocumentImporter(const nir::Document &doc, const std::string &file,
                   MLIRContext *ctx, const NirImportOptions &opts)
      : document(doc), file(file), ctx(ctx), options(opts) {}

  OwningOpRef<ModuleOp> run();

  Location nodeLoc(StringRef nodePath) {
    return NameLoc::get(StringAttr::get(ctx, nodePath),
                        FileLineColLoc::get(ctx, file, 0, 0));
  }
  Location fileLoc() { return FileLineColLoc::get(ctx, file, 0, 0); }

  const nir::Document &document;
  std::string file;
  MLIRContext *ctx;
  const NirImportOptions &options;
  bool batched = false;

private:
  bool detectBatch() const;
};

} // namespace snnc::nirimport

#endif // SNNC_COMPILER_IMPORT_NIRIMPORTIMPL_H
