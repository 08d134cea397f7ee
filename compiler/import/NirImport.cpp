//===- NirImport.cpp - NIR document to snn.network
//--------------------------===//
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
#include "compiler/import/NirImportImpl.h"

#include "dialects/snn/IR/SNNDialect.h"

#include "mlir/IR/Verifier.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/Path.h"

#include <set>
#include <tuple>

using namespace mlir;

namespace snnc {
namespace nirimport {

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
              << "repaired edge '" << s << "' -> '" << d << "'" << graphLabel()
              << ": node '" << name << "' does not exist, rebound to '"
              << unreached.front() << "'";
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
      return error(nodes[ends[1].node])
             << "edge '" << s << "' -> '" << d << "' ends at an Input node";
    if (nodes[ends[0].node].kind->kind == Kind::Output)
      return error(nodes[ends[0].node])
             << "edge '" << s << "' -> '" << d << "' starts at an Output node";
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
      emitWarning(src.loc) << "Input '" << src.node->name << "' declares shape "
                           << shapeStr(so) << " but feeds " << shapeStr(di)
                           << " to '" << dst.node->name << "'; using "
                           << shapeStr(di);
      src.out = di;
      continue;
    }
    InFlightDiagnostic d = error(dst);
    d << "receives shape " << shapeStr(so) << " from '" << src.node->name
      << (e.src.port.empty() ? "" : "." + e.src.port) << "' but "
      << (e.dst.port.empty() ? "expects "
                             : "port '" + e.dst.port + "' expects ")
      << shapeStr(di);
    if (!src.sub && src.kind->kind == Kind::Input)
      d << " (Input '" << src.node->name << "' declares shape " << shapeStr(so)
        << ")";
    bool dense =
        dst.kind->kind == Kind::Affine || dst.kind->kind == Kind::Linear;
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
    emitError(doc.fileLoc())
        << (path.empty() ? std::string("the top-level graph")
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
  if (failed(resolveEdges()) || failed(checkTopology()) ||
      failed(inferShapes()))
    return failure();
  return checkEdges();
}

// Graph sanity (docs/hardening.md): a duplicated edge makes its target sum
// the same input twice, and an Output that no Input reaches computes
// nothing from the network's input: both are errors. A node that no Input
// reaches is a warning (it may still act through biases or leaks, but it is
// more likely a missing edge).
LogicalResult GraphImporter::checkTopology() {
  std::set<std::tuple<int, std::string, int, std::string>> seen;
  for (const Edge &e : edges)
    if (!seen.emplace(e.src.node, e.src.port, e.dst.node, e.dst.port).second) {
      auto end = [&](const Endpoint &p) {
        return nodes[p.node].node->name + (p.port.empty() ? "" : "." + p.port);
      };
      return error(nodes[e.dst.node])
             << "edge '" << end(e.src) << "' -> '" << end(e.dst) << "'"
             << graphLabel() << " appears more than once; '"
             << nodes[e.dst.node].node->name
             << "' would sum the same input twice (remove the duplicate "
                "edge from the file)";
    }
  std::vector<std::vector<int>> out(nodes.size());
  for (const Edge &e : edges)
    out[e.src.node].push_back(e.dst.node);
  std::vector<bool> reached(nodes.size(), false);
  std::vector<int> work;
  for (size_t i = 0; i < nodes.size(); ++i)
    if (!nodes[i].sub && nodes[i].kind->kind == Kind::Input) {
      reached[i] = true;
      work.push_back(int(i));
    }
  while (!work.empty()) {
    int n = work.back();
    work.pop_back();
    for (int d : out[n])
      if (!reached[d]) {
        reached[d] = true;
        work.push_back(d);
      }
  }
  std::vector<std::string> dead;
  for (size_t i = 0; i < nodes.size(); ++i) {
    if (reached[i])
      continue;
    const NodeInfo &n = nodes[i];
    if (!n.sub && n.kind->kind == Kind::Output)
      return error(n) << "Output '" << n.node->name << "'" << graphLabel()
                      << " is reachable from no Input node"
                      << (edges.empty() ? " (the graph has no edges)" : "")
                      << "; it would never receive anything from the "
                         "network's input (add the missing edges)";
    if (n.sub || n.kind->kind != Kind::Input)
      dead.push_back(n.node->name);
  }
  if (!dead.empty()) {
    InFlightDiagnostic w = emitWarning(doc.fileLoc());
    w << dead.size() << (dead.size() == 1 ? " node" : " nodes") << graphLabel()
      << " reachable from no Input node:";
    for (size_t k = 0; k < dead.size() && k < 8; ++k)
      w << (k ? ", '" : " '") << dead[k] << "'";
    if (dead.size() > 8)
      w << " and " << dead.size() - 8 << " more";
    w << "; they take no part in what the network computes from its input";
  }
  return success();
}

//===----------------------------------------------------------------------===//
// Building ops
//===----------------------------------------------------------------------===//

// Dense attribute of `shape` from `a` (broadcasting a scalar), keeping the
// file's float width; integer data becomes f64.
static DenseFPElementsAttr toAttr(MLIRContext *ctx, const Array &a,
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

// NIR files so far carry versions 0.x and 1.x ("0.2.0", "1.0.7.dev8+g...").
// Another major version, or a string that is no version at all, may mean a
// layout this importer misreads: say so, and import anyway.
static bool knownNirVersion(StringRef v) {
  unsigned major = 0, minor = 0;
  StringRef rest = v;
  if (rest.consumeInteger(10, major) || !rest.consume_front(".") ||
      rest.consumeInteger(10, minor))
    return false;
  return major <= 1;
}

OwningOpRef<ModuleOp> DocumentImporter::run() {
  if (!document.version.empty() && !knownNirVersion(document.version))
    emitWarning(fileLoc()) << "unknown NIR version '" << document.version
                           << "' (this importer knows NIR 0.x and 1.x); "
                              "importing it as NIR 1.x, check the result";
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

} // namespace nirimport

using namespace nirimport;

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
  if (!(options.isolateHdf5 ? nir::readNirFileIsolated(path, doc, err)
                            : nir::readNirFile(path, doc, err))) {
    emitError(FileLineColLoc::get(ctx, path, 0, 0)) << err;
    return nullptr;
  }
  return importNir(doc, path, ctx, options);
}

} // namespace snnc
