//===- NirModel.h - In-memory form of a NIR HDF5 file -----------*- C++ -*-===//
//
// A faithful, MLIR-free picture of what a NIR file holds: a tree of graphs
// whose nodes carry a type string and named parameter arrays. It knows the
// HDF5 layout written by NIR's `nir.write` but nothing about the meaning of
// the nodes; the importer (compiler/import) interprets them. Keeping this
// layer free of MLIR lets it be tested and sanitized on its own.
//
//===----------------------------------------------------------------------===//
#ifndef SNNC_COMPILER_NIR_NIRMODEL_H
#define SNNC_COMPILER_NIR_NIRMODEL_H

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace snnc::nir {

/// Element type of a parameter dataset as stored in the file.
enum class DType { F32, F64, I64 };

const char *dtypeName(DType t);

/// One numeric dataset. Floating values live in `f` (float32 data is
/// widened exactly), integer values in `i`; exactly one of them is used,
/// chosen by `dtype`. A scalar dataset has an empty `shape` and one value.
struct Array {
  DType dtype = DType::F64;
  std::vector<int64_t> shape;
  std::vector<double> f;
  std::vector<int64_t> i;

  bool isFloat() const { return dtype != DType::I64; }
  int64_t numElements() const;
  /// Value `k` converted to double, whatever the dtype.
  double asDouble(size_t k) const { return isFloat() ? f[k] : double(i[k]); }
  size_t size() const { return isFloat() ? f.size() : i.size(); }

  static Array floats(DType t, std::vector<int64_t> shape,
                      std::vector<double> values);
  static Array ints(std::vector<int64_t> shape, std::vector<int64_t> values);
};

struct Graph;

/// One entry of a graph's `nodes/` group.
struct Node {
  std::string name; ///< key in the parent's `nodes/` group (may contain dots)
  std::string type; ///< NIR type string, e.g. "LIF", "Conv2d", "NIRGraph"
  std::map<std::string, Array> params;        ///< numeric datasets
  std::map<std::string, std::string> strings; ///< string datasets (not type)
  std::unique_ptr<Graph> graph;               ///< set iff type == "NIRGraph"
  std::string h5path; ///< HDF5 path of the node group, for diagnostics

  Node() = default;
  Node(const Node &other); ///< deep copy, subgraph included
  Node &operator=(const Node &other);
  Node(Node &&) = default;
  Node &operator=(Node &&) = default;
};

/// A NIR graph: nodes in the file's (alphabetical) order and edges in the
/// order of the `edges` dataset (arbitrary, not topological).
struct Graph {
  std::vector<Node> nodes;
  std::vector<std::pair<std::string, std::string>> edges;
  std::string h5path; ///< HDF5 path of the graph group

  const Node *find(const std::string &name) const;
};

inline Node::Node(const Node &o)
    : name(o.name), type(o.type), params(o.params), strings(o.strings),
      graph(o.graph ? std::make_unique<Graph>(*o.graph) : nullptr),
      h5path(o.h5path) {}

inline Node &Node::operator=(const Node &o) {
  if (this != &o)
    *this = Node(o);
  return *this;
}

/// A whole file: the `/version` string and the root graph `/node`.
struct Document {
  std::string version;
  Graph root;
};

/// Reads `path`. Returns false and fills `error` with a message that names
/// the file and the offending HDF5 object when the file is missing, is not
/// HDF5 (e.g. a torch pickle), is truncated, or does not have NIR's layout.
/// Never aborts the process; HDF5's own error printing is silenced.
/// libhdf5 itself trusts some fields of the file (B-tree and local-heap
/// addresses and sizes of a group, among others), and a corrupt one can
/// crash it with a segfault or an abort; this reader guards what it can
/// (the global heap, dataset sizes) but not those. Use readNirFileIsolated
/// for files from elsewhere.
bool readNirFile(const std::string &path, Document &out, std::string &error);

/// readNirFile, with libhdf5 contained: a child process (fork) reads the
/// file first; if libhdf5 crashes there, `error` names the file, the HDF5
/// object being read and the signal, and this process never touches the
/// file with libhdf5. Otherwise the file is read here as well and the result
/// is the same as readNirFile's (the file must not change in between). POSIX
/// only; costs one fork and a second read. Safe in a multithreaded process:
/// the child only reads the file and writes to a pipe.
bool readNirFileIsolated(const std::string &path, Document &out,
                         std::string &error);

/// Writes `doc` in NIR's HDF5 layout: `/version`, `/node` with `type`,
/// `nodes/<name>/…` and an (N,2) variable-length UTF-8 `edges` dataset per
/// graph. Non-scalar numeric datasets are gzip-compressed at `gzipLevel`
/// (0 = no compression), as NIR's own writer does. Returns false and fills
/// `error` on failure; a failed write leaves no partial file behind.
bool writeNirFile(const Document &doc, const std::string &path,
                  std::string &error, int gzipLevel = 4);

} // namespace snnc::nir

#endif // SNNC_COMPILER_NIR_NIRMODEL_H
