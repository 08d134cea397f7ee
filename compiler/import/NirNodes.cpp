//===- NirNodes.cpp - One NIR node's fields in normal form
//------------------===//
//
// Reads what each kind of node stores, fills NIR's defaults, drops a batch
// dimension of size 1, and resolves integer fields given as scalars or per
// dimension. Shapes that depend on neighbours are left to NirImport.cpp.
//
//===----------------------------------------------------------------------===//
#include "compiler/import/NirImportImpl.h"

#include "llvm/ADT/STLExtras.h"

using namespace mlir;

namespace snnc::nirimport {

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
      {"LIF",
       Kind::LIF,
       "snn.lif",
       {"tau", "r", "v_leak", "v_threshold", "v_reset"}},
      {"CubaLIF",
       Kind::CubaLIF,
       "snn.cuba_lif",
       {"tau_syn", "tau_mem", "r", "v_leak", "v_threshold", "v_reset", "w_in"}},
      {"IF", Kind::IF, "snn.if", {"r", "v_threshold", "v_reset"}},
      {"LI", Kind::LI, "snn.li", {"tau", "r", "v_leak"}},
      {"CubaLI",
       Kind::CubaLI,
       "snn.cuba_li",
       {"tau_syn", "tau_mem", "r", "v_leak", "w_in"}},
      {"I", Kind::I, "snn.integrator", {"r"}},
      {"NIRGraph", Kind::Graph, "snn.graph", {}},
  };
  return table;
}

std::optional<double> defaultFor(StringRef param) {
  if (param == "v_reset")
    return 0.0;
  if (param == "w_in")
    return 1.0;
  return std::nullopt;
}

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

bool sameUpToLeadingOnes(ArrayRef<int64_t> a, ArrayRef<int64_t> b) {
  while (a.size() > 1 && a.front() == 1)
    a = a.drop_front();
  while (b.size() > 1 && b.front() == 1)
    b = b.drop_front();
  return a == b;
}

//===----------------------------------------------------------------------===//
// Reading parameters
//===----------------------------------------------------------------------===//

InFlightDiagnostic GraphImporter::error(const NodeInfo &n) {
  InFlightDiagnostic d = emitError(n.loc);
  d << "node '" << n.node->name << "' (" << n.node->type << ")" << graphLabel()
    << ": ";
  return d;
}

std::string GraphImporter::graphLabel() const {
  return path.empty() ? std::string() : " in subgraph '" + path + "'";
}

// Drops a leading batch dimension of size 1 from per-neuron data when the
// document was written with one.
static void dropBatch(Array &a) {
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
static LogicalResult readInts(const nir::Node &node, StringRef name,
                              size_t count, std::optional<int64_t> fallback,
                              Shape &out, std::string &why) {
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

} // namespace snnc::nirimport
