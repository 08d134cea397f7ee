//===- NirImport.cpp - NIR document to snn.network --------------------------===//
//
// Import runs in three steps per graph: read every node's parameters into a
// normal form (defaults filled, batch dimensions dropped, scalars kept for
// later broadcast), resolve the edges and infer every node's input and
// output shape by propagation along them (cycles included), then build one
// op per node and wire the edges as operands. Every problem is reported at a
// location naming the file and the node.
//
//===----------------------------------------------------------------------===//
#include "compiler/import/NirImport.h"

#include "compiler/nir/NirModel.h"
#include "dialects/snn/IR/SNNDialect.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Verifier.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/Path.h"

#include <optional>

using namespace mlir;
using snnc::nir::Array;
using Shape = llvm::SmallVector<int64_t, 4>;

namespace snnc {
namespace {

enum class Kind {
  Input, Output, Affine, Linear, Conv1d, Conv2d, SumPool2d, AvgPool2d,
  Flatten, Scale, Threshold, Delay, LIF, CubaLIF, IF, LI, CubaLI, I, Graph
};

struct KindInfo {
  const char *nirType;
  Kind kind;
  const char *opName;
  // Per-element parameters, in NIR's field order (elementwise kinds only).
  std::vector<const char *> params;
};

const std::vector<KindInfo> &kinds() {
  static const std::vector<KindInfo> table = {
      {"Input", Kind::Input, "snn.input", {}},
      {"Output", Kind::Output, "snn.output", {}},
      {"Affine", Kind::Affine, "snn.affine", {}},
      {"Linear", Kind::Linear, "snn.linear", {}},
      {"Conv1d", Kind::Conv1d, "snn.conv1d", {}},
      {"Conv2d", Kind::Conv2d, "snn.conv2d", {}},
      {"SumPool2d", Kind::SumPool2d, "snn.sum_pool2d", {}},
      {"AvgPool2d", Kind::AvgPool2d, "snn.avg_pool2d", {}},
      {"Flatten", Kind::Flatten, "snn.flatten", {}},
      {"Scale", Kind::Scale, "snn.scale", {"scale"}},
      {"Threshold", Kind::Threshold, "snn.threshold", {"threshold"}},
      {"Delay", Kind::Delay, "snn.delay", {"delay"}},
      {"LIF", Kind::LIF, "snn.lif",
       {"tau", "r", "v_leak", "v_threshold", "v_reset"}},
      {"CubaLIF", Kind::CubaLIF, "snn.cuba_lif",
       {"tau_syn", "tau_mem", "r", "v_leak", "v_threshold", "v_reset", "w_in"}},
      {"IF", Kind::IF, "snn.if", {"r", "v_threshold", "v_reset"}},
      {"LI", Kind::LI, "snn.li", {"tau", "r", "v_leak"}},
      {"CubaLI", Kind::CubaLI, "snn.cuba_li",
       {"tau_syn", "tau_mem", "r", "v_leak", "w_in"}},
      {"I", Kind::I, "snn.integrator", {"r"}},
      {"NIRGraph", Kind::Graph, "snn.graph", {}},
  };
  return table;
}

// NIR's documented defaults for fields that older files lack.
std::optional<double> defaultFor(StringRef param) {
  if (param == "v_reset")
    return 0.0;
  if (param == "w_in")
    return 1.0;
  return std::nullopt;
}

bool isElementwise(const KindInfo &k) { return !k.params.empty(); }

std::string shapeStr(ArrayRef<int64_t> s) {
  std::string out = "[";
  for (auto [i, d] : llvm::enumerate(s))
    out += (i ? ", " : "") + std::to_string(d);
  return out + "]";
}

int64_t product(ArrayRef<int64_t> s) {
  int64_t p = 1;
  for (int64_t d : s)
    p *= d;
  return p;
}

// Shapes equal once leading unit dimensions are ignored ([1,1,1] ~ [1]).
bool sameUpToLeadingOnes(ArrayRef<int64_t> a, ArrayRef<int64_t> b) {
  while (a.size() > 1 && a.front() == 1)
    a = a.drop_front();
  while (b.size() > 1 && b.front() == 1)
    b = b.drop_front();
  return a == b;
}

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

//===----------------------------------------------------------------------===//
// Reading parameters
//===----------------------------------------------------------------------===//

InFlightDiagnostic GraphImporter::error(const NodeInfo &n) {
  InFlightDiagnostic d = emitError(n.loc);
  d << "node '" << n.node->name << "' (" << n.node->type << ")"
    << graphLabel() << ": ";
  return d;
}

std::string GraphImporter::graphLabel() const {
  return path.empty() ? std::string() : " in subgraph '" + path + "'";
}

// Drops a leading batch dimension of size 1 from per-neuron data when the
// document was written with one.
void dropBatch(Array &a) {
  if (a.shape.size() >= 2 && a.shape.front() == 1)
    a.shape.erase(a.shape.begin());
}

LogicalResult GraphImporter::readElementwise(NodeInfo &n) {
  const nir::Node &node = *n.node;
  Shape pop;
  std::string popFrom;
  // Defaults take the float width of the parameters the file does store.
  nir::DType width = nir::DType::F64;
  for (const char *p : n.kind->params)
    if (auto it = node.params.find(p);
        it != node.params.end() && it->second.dtype == nir::DType::F32)
      width = nir::DType::F32;
  for (const char *p : n.kind->params) {
    auto it = node.params.find(p);
    Array a;
    if (it != node.params.end()) {
      a = it->second;
    } else if (auto def = defaultFor(p)) {
      a = Array::floats(width, {}, {*def});
    } else {
      return error(n) << "missing parameter '" << p << "'";
    }
    if (doc.batched)
      dropBatch(a);
    if (a.size() == 0)
      return error(n) << "parameter '" << p << "' is empty";
    if (!a.shape.empty()) {
      if (popFrom.empty()) {
        pop.assign(a.shape.begin(), a.shape.end());
        popFrom = p;
      } else if (ArrayRef<int64_t>(a.shape) != ArrayRef<int64_t>(pop)) {
        return error(n) << "parameter '" << p << "' has shape "
                        << shapeStr(a.shape) << " but '" << popFrom
                        << "' has shape " << shapeStr(pop)
                        << "; all parameters of a population share its shape";
      }
    }
    n.params.emplace_back(p, std::move(a));
  }
  if (!popFrom.empty())
    n.in = n.out = pop;
  // Negative time constants make the neuron grow instead of decay: legal to
  // represent, suspicious to run, so say so without refusing the file.
  for (auto &[name, a] : n.params) {
    if (name != "tau" && name != "tau_mem" && name != "tau_syn")
      continue;
    size_t neg = 0;
    for (size_t k = 0; k < a.size(); ++k)
      neg += a.asDouble(k) < 0;
    if (neg)
      emitWarning(n.loc) << "node '" << node.name << "' (" << node.type
                         << "): " << neg << " of " << a.size() << " '" << name
                         << "' values are negative (the state grows instead "
                            "of decaying); kept as stored";
  }
  return success();
}

LogicalResult GraphImporter::readDense(NodeInfo &n) {
  const nir::Node &node = *n.node;
  auto w = node.params.find("weight");
  if (w == node.params.end())
    return error(n) << "missing parameter 'weight'";
  n.weight = w->second;
  // Tolerate leading unit dimensions ([1, out, in]).
  while (n.weight.shape.size() > 2 && n.weight.shape.front() == 1)
    n.weight.shape.erase(n.weight.shape.begin());
  if (n.weight.shape.size() != 2)
    return error(n) << "weight must be a matrix (out, in), got shape "
                    << shapeStr(n.weight.shape);
  if (doc.options.transposeWeights) {
    int64_t rows = n.weight.shape[0], cols = n.weight.shape[1];
    Array t = n.weight;
    t.shape = {cols, rows};
    for (int64_t r = 0; r < rows; ++r)
      for (int64_t c = 0; c < cols; ++c) {
        if (t.isFloat())
          t.f[c * rows + r] = n.weight.f[r * cols + c];
        else
          t.i[c * rows + r] = n.weight.i[r * cols + c];
      }
    n.weight = std::move(t);
  }
  n.in = Shape{n.weight.shape[1]};
  n.out = Shape{n.weight.shape[0]};
  if (n.kind->kind == Kind::Affine) {
    auto b = node.params.find("bias");
    if (b == node.params.end())
      return error(n) << "missing parameter 'bias'";
    n.bias = b->second;
    n.hasBias = true;
    if (n.bias.numElements() != n.weight.shape[0] && n.bias.numElements() != 1)
      return error(n) << "bias has shape " << shapeStr(n.bias.shape)
                      << " but the weight " << shapeStr(n.weight.shape)
                      << " has " << n.weight.shape[0] << " outputs";
  }
  return success();
}

// Reads an integer-valued field given as a scalar or one value per spatial
// dimension (NIR writes both), or falls back to `fallback`.
LogicalResult readInts(const nir::Node &node, StringRef name, size_t count,
                       std::optional<int64_t> fallback, Shape &out,
                       std::string &why) {
  auto it = node.params.find(name.str());
  if (it == node.params.end()) {
    if (!fallback) {
      why = "missing parameter '" + name.str() + "'";
      return failure();
    }
    out.assign(count, *fallback);
    return success();
  }
  const Array &a = it->second;
  if (a.size() != 1 && a.size() != count) {
    why = "'" + name.str() + "' needs 1 or " + std::to_string(count) +
          " values, got " + std::to_string(a.size());
    return failure();
  }
  out.clear();
  for (size_t k = 0; k < count; ++k) {
    double v = a.asDouble(a.size() == 1 ? 0 : k);
    if (v != double(int64_t(v))) {
      why = "'" + name.str() + "' must hold integers";
      return failure();
    }
    out.push_back(int64_t(v));
  }
  return success();
}

LogicalResult GraphImporter::readWindow(NodeInfo &n, size_t spatial) {
  const nir::Node &node = *n.node;
  std::string why;
  bool conv = n.kind->kind == Kind::Conv1d || n.kind->kind == Kind::Conv2d;
  if (conv) {
    auto w = node.params.find("weight");
    if (w == node.params.end())
      return error(n) << "missing parameter 'weight'";
    n.weight = w->second;
    if (n.weight.shape.size() != spatial + 2)
      return error(n) << "weight must have rank " << spatial + 2
                      << " (C_out, C_in/groups, kernel...), got "
                      << shapeStr(n.weight.shape);
    auto b = node.params.find("bias");
    if (b == node.params.end())
      return error(n) << "missing parameter 'bias'";
    n.bias = b->second;
    n.hasBias = true;
    n.kernel.assign(n.weight.shape.begin() + 2, n.weight.shape.end());
    Shape g;
    if (failed(readInts(node, "groups", 1, 1, g, why)) ||
        failed(readInts(node, "dilation", spatial, 1, n.dilation, why)))
      return error(n) << why;
    n.groups = g[0];
    if (n.groups < 1 || n.weight.shape[0] % n.groups != 0)
      return error(n) << "groups = " << n.groups
                      << " must be >= 1 and divide C_out = "
                      << n.weight.shape[0];
    // input_shape, when present, fixes the input's spatial extent.
    auto is = node.params.find("input_shape");
    if (is != node.params.end() && is->second.size() == spatial) {
      Shape in{n.weight.shape[1] * n.groups};
      for (size_t k = 0; k < spatial; ++k)
        in.push_back(int64_t(is->second.asDouble(k)));
      if (llvm::all_of(ArrayRef<int64_t>(in), [](int64_t d) { return d > 0; }))
        n.in = in;
    }
  } else {
    n.dilation.assign(spatial, 1);
    if (failed(readInts(node, "kernel_size", spatial, std::nullopt, n.kernel,
                        why)))
      return error(n) << why;
  }
  if (failed(readInts(node, "stride", spatial, 1, n.stride, why)))
    return error(n) << why;
  auto ps = node.strings.find("padding");
  if (ps != node.strings.end()) {
    if (ps->second != "same" && ps->second != "valid")
      return error(n) << "padding '" << ps->second
                      << "' is neither a number nor \"same\" or \"valid\"";
    n.paddingMode = ps->second;
    n.padding.assign(spatial, 0);
    if (n.paddingMode == "same") {
      for (size_t k = 0; k < spatial; ++k) {
        int64_t span = n.dilation[k] * (n.kernel[k] - 1);
        if (n.stride[k] != 1 || span % 2 != 0)
          return error(n) << "padding \"same\" needs stride 1 and an odd "
                             "effective kernel to be symmetric";
        n.padding[k] = span / 2;
      }
    }
  } else if (failed(readInts(node, "padding", spatial, 0, n.padding, why))) {
    return error(n) << why;
  }
  return success();
}

LogicalResult GraphImporter::readNode(NodeInfo &n) {
  const nir::Node &node = *n.node;
  switch (n.kind->kind) {
  case Kind::Input:
  case Kind::Output: {
    auto it = node.params.find("shape");
    if (it == node.params.end())
      return error(n) << "missing parameter 'shape'";
    Shape s;
    for (size_t k = 0; k < it->second.size(); ++k)
      s.push_back(int64_t(it->second.asDouble(k)));
    if (doc.batched && s.size() >= 2 && s.front() == 1)
      s.erase(s.begin());
    if (s.empty() || llvm::any_of(s, [](int64_t d) { return d < 1; }))
      return error(n) << "shape " << shapeStr(s)
                      << " must have at least one dimension, all positive";
    (n.kind->kind == Kind::Input ? n.out : n.in) = s;
    return success();
  }
  case Kind::Affine:
  case Kind::Linear:
    return readDense(n);
  case Kind::Conv1d:
    return readWindow(n, 1);
  case Kind::Conv2d:
  case Kind::SumPool2d:
  case Kind::AvgPool2d:
    return readWindow(n, 2);
  case Kind::Flatten: {
    std::string why;
    Shape s, e;
    if (failed(readInts(node, "start_dim", 1, 1, s, why)) ||
        failed(readInts(node, "end_dim", 1, -1, e, why)))
      return error(n) << why;
    n.startDim = s[0];
    n.endDim = e[0];
    auto it = node.params.find("input_type");
    if (it != node.params.end()) {
      Shape t;
      for (size_t k = 0; k < it->second.size(); ++k)
        t.push_back(int64_t(it->second.asDouble(k)));
      if (doc.batched && t.size() >= 2)
        t.erase(t.begin());
      // Some writers store placeholders ([0, 0, 0, 0]); infer those instead.
      if (!t.empty() && llvm::all_of(t, [](int64_t d) { return d > 0; }))
        n.in = t;
    }
    if (doc.batched) {
      if (n.startDim == 0)
        return error(n) << "flattens the batch dimension";
      if (n.startDim > 0)
        --n.startDim;
      if (n.endDim > 0)
        --n.endDim;
    }
    return success();
  }
  case Kind::Graph: {
    if (!node.graph)
      return error(n) << "NIRGraph node has no nodes";
    n.sub = std::make_unique<GraphImporter>(
        doc, *node.graph, path.empty() ? node.name : path + "/" + node.name);
    return n.sub->analyze();
  }
  default:
    return readElementwise(n);
  }
}

//===----------------------------------------------------------------------===//
// Edges and shapes
//===----------------------------------------------------------------------===//

std::vector<std::string> GraphImporter::portNames(Kind k) const {
  std::vector<std::string> names;
  for (const NodeInfo &n : nodes)
    if (n.kind->kind == k)
      names.push_back(n.node->name);
  return names;
}

std::optional<Shape> GraphImporter::inputPortShape(StringRef port) const {
  auto it = index.find(port);
  return it == index.end() ? std::nullopt : nodes[it->second].out;
}

std::optional<Shape> GraphImporter::outputPortShape(StringRef port) const {
  auto it = index.find(port);
  return it == index.end() ? std::nullopt : nodes[it->second].in;
}

// An edge names a node of this graph, or "<subgraph>.<port>" for one of a
// subgraph's Input/Output nodes, or a subgraph alone when it has one port
// in that direction. Exact node names win, since names may contain dots.
std::optional<Endpoint> GraphImporter::resolve(const std::string &name,
                                               bool asSource) {
  Kind portKind = asSource ? Kind::Output : Kind::Input;
  auto it = index.find(name);
  if (it != index.end()) {
    NodeInfo &n = nodes[it->second];
    if (!n.sub)
      return Endpoint{it->second, ""};
    auto ports = n.sub->portNames(portKind);
    if (ports.size() != 1)
      return std::nullopt;
    return Endpoint{it->second, ports.front()};
  }
  for (size_t dot = name.find('.'); dot != std::string::npos;
       dot = name.find('.', dot + 1)) {
    auto g = index.find(name.substr(0, dot));
    if (g == index.end() || !nodes[g->second].sub)
      continue;
    std::string port = name.substr(dot + 1);
    auto ports = nodes[g->second].sub->portNames(portKind);
    if (llvm::is_contained(ports, port))
      return Endpoint{g->second, port};
  }
  return std::nullopt;
}

LogicalResult GraphImporter::resolveEdges() {
  // Nodes that some edge names exactly: candidates for dangling-edge repair
  // are the ones no edge reaches.
  llvm::StringMap<bool> named;
  for (auto &[s, d] : graph.edges) {
    named[s] = true;
    named[d] = true;
  }
  for (auto &[s, d] : graph.edges) {
    Endpoint ends[2];
    for (int side = 0; side < 2; ++side) {
      const std::string &name = side == 0 ? s : d;
      std::optional<Endpoint> e = resolve(name, side == 0);
      if (!e && index.count(name)) {
        emitError(doc.nodeLoc(path.empty() ? name : path + "/" + name))
            << "edge '" << s << "' -> '" << d << "'" << graphLabel()
            << " connects subgraph '" << name
            << "', which has several ports; name one as '" << name
            << ".<port>'";
        return failure();
      }
      if (!e) {
        std::vector<std::string> unreached;
        for (const NodeInfo &n : nodes)
          if (!named.count(n.node->name) &&
              StringRef(n.node->name).starts_with(name))
            unreached.push_back(n.node->name);
        if (doc.options.repairDanglingEdges && unreached.size() == 1) {
          emitWarning(doc.fileLoc())
              << "repaired edge '" << s << "' -> '" << d << "'"
              << graphLabel() << ": node '" << name
              << "' does not exist, rebound to '" << unreached.front() << "'";
          e = resolve(unreached.front(), side == 0);
        }
        if (!e) {
          InFlightDiagnostic diag = emitError(doc.fileLoc());
          diag << "edge '" << s << "' -> '" << d << "'"
               << (path.empty() ? " in the top-level graph"
                                : " in subgraph '" + path + "'")
               << " names node '" << name << "', which does not exist";
          if (unreached.size() == 1)
            diag << " (did you mean '" << unreached.front()
                 << "', which no edge reaches? --nir-repair-edges rebinds "
                    "such edges)";
          return failure();
        }
      }
      ends[side] = *e;
    }
    if (nodes[ends[1].node].kind->kind == Kind::Input)
      return error(nodes[ends[1].node]) << "edge '" << s << "' -> '" << d
                                        << "' ends at an Input node";
    if (nodes[ends[0].node].kind->kind == Kind::Output)
      return error(nodes[ends[0].node]) << "edge '" << s << "' -> '" << d
                                        << "' starts at an Output node";
    edges.push_back({ends[0], ends[1]});
  }
  return success();
}

std::optional<Shape> GraphImporter::outShape(const Endpoint &e) const {
  const NodeInfo &n = nodes[e.node];
  return n.sub ? n.sub->outputPortShape(e.port) : n.out;
}

std::optional<Shape> GraphImporter::inShape(const Endpoint &e) const {
  const NodeInfo &n = nodes[e.node];
  return n.sub ? n.sub->inputPortShape(e.port) : n.in;
}

// Computes a node's output shape from its input shape where the kind allows.
bool GraphImporter::deriveOut(NodeInfo &n) {
  if (n.out || !n.in)
    return false;
  const Shape &in = *n.in;
  switch (n.kind->kind) {
  case Kind::Conv1d:
  case Kind::Conv2d:
  case Kind::SumPool2d:
  case Kind::AvgPool2d: {
    size_t spatial = n.kernel.size();
    if (in.size() != spatial + 1)
      return false; // reported by the verifier with the node's name
    bool conv = n.kind->kind == Kind::Conv1d || n.kind->kind == Kind::Conv2d;
    Shape out{conv ? n.weight.shape[0] : in[0]};
    for (size_t k = 0; k < spatial; ++k) {
      int64_t span = n.dilation[k] * (n.kernel[k] - 1) + 1;
      int64_t padded = in[k + 1] + 2 * n.padding[k];
      out.push_back(padded < span ? 0 : (padded - span) / n.stride[k] + 1);
    }
    n.out = out;
    return true;
  }
  case Kind::Flatten: {
    int64_t rank = in.size();
    int64_t s = n.startDim < 0 ? n.startDim + rank : n.startDim;
    int64_t e = n.endDim < 0 ? n.endDim + rank : n.endDim;
    if (s < 0 || e >= rank || s > e)
      return false;
    Shape out(in.begin(), in.begin() + s);
    out.push_back(product(ArrayRef<int64_t>(in).slice(s, e - s + 1)));
    out.append(in.begin() + e + 1, in.end());
    n.out = out;
    return true;
  }
  case Kind::Output:
  case Kind::Graph:
    return false;
  default:
    if (isElementwise(*n.kind)) {
      n.out = in;
      return true;
    }
    return false;
  }
}

LogicalResult GraphImporter::inferShapes() {
  for (NodeInfo &n : nodes)
    deriveOut(n);
  // Propagate along edges until nothing changes: forward into nodes whose
  // input is free, backward into scalar-parameter populations.
  for (bool changed = true; changed;) {
    changed = false;
    for (const Edge &e : edges) {
      NodeInfo &src = nodes[e.src.node], &dst = nodes[e.dst.node];
      std::optional<Shape> so = outShape(e.src);
      if (so && !dst.in && !dst.sub) {
        dst.in = so;
        deriveOut(dst);
        changed = true;
      }
      std::optional<Shape> di = inShape(e.dst);
      if (di && !src.out && !src.sub && isElementwise(*src.kind)) {
        src.in = src.out = di;
        changed = true;
      }
    }
  }
  for (NodeInfo &n : nodes) {
    if (n.sub)
      continue;
    bool needsOut = n.kind->kind != Kind::Output;
    if ((needsOut && !n.out) || (!n.in && n.kind->kind != Kind::Input)) {
      if (isElementwise(*n.kind) && !n.in && !n.out)
        return error(n) << "cannot infer the population's shape: all "
                           "parameters are scalars and no edge fixes it";
      if (!n.in && n.kind->kind != Kind::Input)
        return error(n) << "cannot infer the input shape: no edge reaches "
                           "this node and the file does not store it";
      return error(n) << "input shape " << shapeStr(*n.in)
                      << " does not fit this node";
    }
  }
  return success();
}

LogicalResult GraphImporter::checkEdges() {
  for (const Edge &e : edges) {
    NodeInfo &src = nodes[e.src.node], &dst = nodes[e.dst.node];
    Shape so = *outShape(e.src), di = *inShape(e.dst);
    if (so == di)
      continue;
    // Output/Input nodes of some writers carry extra unit dimensions
    // (Rockpool writes [1, 1, 1] for a single neuron): adopt the other end.
    if (sameUpToLeadingOnes(so, di) && !dst.sub &&
        dst.kind->kind == Kind::Output) {
      emitWarning(dst.loc) << "Output '" << dst.node->name
                           << "' declares shape " << shapeStr(di)
                           << " but receives " << shapeStr(so) << " from '"
                           << src.node->name << "'; using " << shapeStr(so);
      dst.in = so;
      continue;
    }
    if (sameUpToLeadingOnes(so, di) && !src.sub &&
        src.kind->kind == Kind::Input) {
      emitWarning(src.loc) << "Input '" << src.node->name
                           << "' declares shape " << shapeStr(so)
                           << " but feeds " << shapeStr(di) << " to '"
                           << dst.node->name << "'; using " << shapeStr(di);
      src.out = di;
      continue;
    }
    InFlightDiagnostic d = error(dst);
    d << "receives shape " << shapeStr(so) << " from '" << src.node->name
      << (e.src.port.empty() ? "" : "." + e.src.port) << "' but "
      << (e.dst.port.empty() ? "expects " : "port '" + e.dst.port + "' expects ")
      << shapeStr(di);
    if (!src.sub && src.kind->kind == Kind::Input)
      d << " (Input '" << src.node->name << "' declares shape "
        << shapeStr(so) << ")";
    bool dense = dst.kind->kind == Kind::Affine || dst.kind->kind == Kind::Linear;
    if (dense && so == Shape{dst.weight.shape[0]})
      d << "; its weight " << shapeStr(dst.weight.shape)
        << " looks stored transposed as (in, out) instead of NIR's (out, "
           "in) — pass --nir-transpose-weights to transpose every "
           "Affine/Linear weight of the file";
    return failure();
  }
  return success();
}

LogicalResult GraphImporter::analyze() {
  if (graph.nodes.empty()) {
    emitError(doc.fileLoc()) << (path.empty() ? std::string("the top-level graph")
                                              : "subgraph '" + path + "'")
                             << " has no nodes";
    return failure();
  }
  nodes.reserve(graph.nodes.size());
  for (const nir::Node &node : graph.nodes) {
    NodeInfo &n = nodes.emplace_back(
        doc.nodeLoc(path.empty() ? node.name : path + "/" + node.name));
    n.node = &node;
    index[node.name] = nodes.size() - 1;
    auto k = llvm::find_if(
        kinds(), [&](const KindInfo &ki) { return node.type == ki.nirType; });
    if (k == kinds().end()) {
      InFlightDiagnostic d = emitError(n.loc);
      d << "node '" << node.name << "'" << graphLabel()
        << " has unknown NIR type '" << node.type << "'; supported types:";
      for (const KindInfo &ki : kinds())
        d << " " << ki.nirType;
      return failure();
    }
    n.kind = &*k;
  }
  for (NodeInfo &n : nodes)
    if (failed(readNode(n)))
      return failure();
  if (failed(resolveEdges()) || failed(inferShapes()))
    return failure();
  return checkEdges();
}

//===----------------------------------------------------------------------===//
// Building ops
//===----------------------------------------------------------------------===//

// Dense attribute of `shape` from `a` (broadcasting a scalar), keeping the
// file's float width; integer data becomes f64.
DenseFPElementsAttr toAttr(MLIRContext *ctx, const Array &a,
                           ArrayRef<int64_t> shape) {
  bool f32 = a.dtype == nir::DType::F32;
  Type et = f32 ? Type(Float32Type::get(ctx)) : Type(Float64Type::get(ctx));
  auto type = RankedTensorType::get(shape, et);
  bool splat = true;
  for (size_t k = 1; k < a.size() && splat; ++k)
    splat = a.asDouble(k) == a.asDouble(0);
  if (splat) {
    double v = a.asDouble(0);
    return cast<DenseFPElementsAttr>(
        f32 ? DenseElementsAttr::get(type, float(v))
            : DenseElementsAttr::get(type, v));
  }
  if (f32) {
    std::vector<float> v(a.f.begin(), a.f.end());
    return cast<DenseFPElementsAttr>(
        DenseElementsAttr::get(type, ArrayRef<float>(v)));
  }
  std::vector<double> v(a.size());
  for (size_t k = 0; k < a.size(); ++k)
    v[k] = a.asDouble(k);
  return cast<DenseFPElementsAttr>(
      DenseElementsAttr::get(type, ArrayRef<double>(v)));
}

Operation *GraphImporter::buildNode(OpBuilder &b, NodeInfo &n) {
  MLIRContext *ctx = b.getContext();
  OperationState st(n.loc, n.kind->opName);
  st.addAttribute("name", b.getStringAttr(n.node->name));
  auto f32Tensor = [&](ArrayRef<int64_t> s) {
    return RankedTensorType::get(s, b.getF32Type());
  };
  switch (n.kind->kind) {
  case Kind::Input:
    st.addTypes(f32Tensor(*n.out));
    break;
  case Kind::Output:
    st.addAttribute("type", TypeAttr::get(f32Tensor(*n.in)));
    break;
  case Kind::Graph: {
    std::vector<Attribute> outs;
    for (const std::string &p : n.sub->portNames(Kind::Output)) {
      outs.push_back(b.getStringAttr(p));
      st.addTypes(f32Tensor(*n.sub->outputPortShape(p)));
    }
    st.addAttribute("input_ports", b.getArrayAttr({}));
    st.addAttribute("output_ports", b.getArrayAttr(outs));
    Region *body = st.addRegion();
    n.sub->build(body->emplaceBlock());
    break;
  }
  default:
    st.addTypes(f32Tensor(*n.out));
    break;
  }
  switch (n.kind->kind) {
  case Kind::Affine:
  case Kind::Linear:
    st.addAttribute("weight", toAttr(ctx, n.weight, n.weight.shape));
    if (n.hasBias)
      st.addAttribute("bias", toAttr(ctx, n.bias, {n.weight.shape[0]}));
    break;
  case Kind::Conv1d:
  case Kind::Conv2d:
    st.addAttribute("weight", toAttr(ctx, n.weight, n.weight.shape));
    st.addAttribute("bias", toAttr(ctx, n.bias, {n.weight.shape[0]}));
    st.addAttribute("dilation", b.getDenseI64ArrayAttr(n.dilation));
    st.addAttribute("groups", b.getI64IntegerAttr(n.groups));
    st.addAttribute("stride", b.getDenseI64ArrayAttr(n.stride));
    st.addAttribute("padding", b.getDenseI64ArrayAttr(n.padding));
    break;
  case Kind::SumPool2d:
  case Kind::AvgPool2d:
    st.addAttribute("kernel_size", b.getDenseI64ArrayAttr(n.kernel));
    st.addAttribute("stride", b.getDenseI64ArrayAttr(n.stride));
    st.addAttribute("padding", b.getDenseI64ArrayAttr(n.padding));
    break;
  case Kind::Flatten:
    st.addAttribute("start_dim", b.getI64IntegerAttr(n.startDim));
    st.addAttribute("end_dim", b.getI64IntegerAttr(n.endDim));
    break;
  default:
    for (auto &[name, a] : n.params)
      st.addAttribute(name, toAttr(ctx, a, *n.out));
    break;
  }
  return b.create(st);
}

void GraphImporter::build(Block &block) {
  OpBuilder b(doc.ctx); // the block is not attached to an op yet
  b.setInsertionPointToEnd(&block);
  for (NodeInfo &n : nodes)
    ops.push_back(buildNode(b, n));
  // Operands are wired after every op exists, since edges may point back
  // (recurrence). Their order is canonical — by source node, then port — so
  // the same graph always imports to the same module, whatever the file's
  // edge order.
  std::vector<std::vector<const Edge *>> incoming(nodes.size());
  for (const Edge &e : edges)
    incoming[e.dst.node].push_back(&e);
  for (size_t i = 0; i < nodes.size(); ++i) {
    auto &in = incoming[i];
    llvm::stable_sort(in, [](const Edge *a, const Edge *c) {
      return std::tie(a->dst.port, a->src.node, a->src.port) <
             std::tie(c->dst.port, c->src.node, c->src.port);
    });
    SmallVector<Value> operands;
    SmallVector<Attribute> ports;
    for (const Edge *e : in) {
      Operation *src = ops[e->src.node];
      unsigned result = 0;
      if (nodes[e->src.node].sub) {
        auto names = nodes[e->src.node].sub->portNames(Kind::Output);
        result = llvm::find(names, e->src.port) - names.begin();
      }
      operands.push_back(src->getResult(result));
      ports.push_back(b.getStringAttr(e->dst.port));
    }
    ops[i]->setOperands(operands);
    if (nodes[i].sub)
      ops[i]->setAttr("input_ports", b.getArrayAttr(ports));
  }
}

//===----------------------------------------------------------------------===//
// Documents
//===----------------------------------------------------------------------===//

// A file written with a batch size of 1 gives every Input shape a leading 1
// and every per-neuron parameter one too (NIR's scnn_mnist_batches.nir).
bool DocumentImporter::detectBatch() const {
  bool anyInput = false;
  for (const nir::Node &n : document.root.nodes) {
    if (n.type != "Input")
      continue;
    anyInput = true;
    auto it = n.params.find("shape");
    if (it == n.params.end() || it->second.size() < 2 ||
        it->second.asDouble(0) != 1)
      return false;
  }
  if (!anyInput)
    return false;
  for (const nir::Node &n : document.root.nodes) {
    auto k = llvm::find_if(
        kinds(), [&](const KindInfo &ki) { return n.type == ki.nirType; });
    if (k == kinds().end() || !isElementwise(*k))
      continue;
    for (auto &[name, a] : n.params)
      if (!a.shape.empty() && (a.shape.size() < 2 || a.shape.front() != 1))
        return false;
  }
  return true;
}

OwningOpRef<ModuleOp> DocumentImporter::run() {
  batched = detectBatch();
  if (batched)
    emitWarning(fileLoc())
        << "every Input shape and per-neuron parameter has a leading "
           "dimension of size 1: treating it as a batch dimension and "
           "dropping it";
  GraphImporter root(*this, document.root, "");
  if (failed(root.analyze()))
    return nullptr;
  OpBuilder b(ctx);
  OwningOpRef<ModuleOp> module = ModuleOp::create(fileLoc());
  b.setInsertionPointToEnd(module->getBody());
  std::string name = options.networkName;
  if (name.empty()) {
    name = llvm::sys::path::stem(file).str();
    for (char &c : name)
      if (!isalnum(static_cast<unsigned char>(c)) && c != '_')
        c = '_';
    if (name.empty())
      name = "network";
  }
  OperationState st(fileLoc(), snn::NetworkOp::getOperationName());
  st.addAttribute("sym_name", b.getStringAttr(name));
  if (!document.version.empty())
    st.addAttribute("nir_version", b.getStringAttr(document.version));
  root.build(st.addRegion()->emplaceBlock());
  b.create(st);
  if (failed(verify(*module)))
    return nullptr;
  return module;
}

} // namespace

OwningOpRef<ModuleOp> importNir(const nir::Document &doc,
                                const std::string &path, MLIRContext *ctx,
                                const NirImportOptions &options) {
  ctx->loadDialect<snn::SNNDialect>();
  return DocumentImporter(doc, path, ctx, options).run();
}

OwningOpRef<ModuleOp> importNirFile(const std::string &path, MLIRContext *ctx,
                                    const NirImportOptions &options) {
  nir::Document doc;
  std::string err;
  if (!nir::readNirFile(path, doc, err)) {
    emitError(FileLineColLoc::get(ctx, path, 0, 0)) << err;
    return nullptr;
  }
  return importNir(doc, path, ctx, options);
}

} // namespace snnc
