//===- OnnxImport.cpp - ONNX file -> func.func @main over TOSA ------------===//
//
// Reading, checking and shape inference happen here, before any IR exists,
// so that every value the converters create has a static type taken from
// ONNX's own inference rather than re-derived per op.
//
//===----------------------------------------------------------------------===//
#include "compiler/onnx/OnnxImportImpl.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "llvm/ADT/STLExtras.h"

#include <onnx/checker.h>
#include <onnx/shape_inference/implementation.h>

#include <fstream>
#include <map>
#include <set>
#include <sstream>

using namespace mlir;

namespace snnc::onnximport {

namespace {

using Converter = LogicalResult (Importer::*)();

// One table: dispatch and the "supported ops" list in messages agree.
const std::map<std::string, Converter> &converters() {
  static const std::map<std::string, Converter> table = {
      {"Abs", &Importer::convertAbs},
      {"Add", &Importer::convertBinary},
      {"AveragePool", &Importer::convertPool},
      {"BatchNormalization", &Importer::convertBatchNorm},
      {"Clip", &Importer::convertClip},
      {"Constant", &Importer::convertConstant},
      {"Conv", &Importer::convertConv},
      {"Div", &Importer::convertDiv},
      {"Flatten", &Importer::convertFlatten},
      {"Gemm", &Importer::convertGemm},
      {"Identity", &Importer::convertIdentity},
      {"LpPool", &Importer::convertLpPool},
      {"MatMul", &Importer::convertMatMul},
      {"MaxPool", &Importer::convertPool},
      {"Mul", &Importer::convertBinary},
      {"Pad", &Importer::convertPad},
      {"Pow", &Importer::convertPow},
      {"Relu", &Importer::convertRelu},
      {"Reshape", &Importer::convertReshape},
      {"Sign", &Importer::convertSign},
      {"Sqrt", &Importer::convertSqrt},
      {"Sub", &Importer::convertBinary},
  };
  return table;
}

std::string supportedOps() {
  std::string s;
  for (const auto &entry : converters())
    s += (s.empty() ? "" : " ") + entry.first;
  return s;
}

} // namespace

std::string oneLine(StringRef text) {
  std::string r;
  for (char c : text.trim()) {
    if (c == '\n')
      c = ' ';
    if (c == ' ' && !r.empty() && r.back() == ' ')
      continue;
    r += c;
  }
  return r;
}

std::string formatShape(ArrayRef<int64_t> shape) {
  std::string s = "[";
  for (size_t i = 0; i < shape.size(); ++i)
    s += (i ? ", " : "") + std::to_string(shape[i]);
  return s + "]";
}

Importer::Importer(MLIRContext *ctx, std::string file)
    : ctx(ctx), file(std::move(file)), b(ctx) {}

std::string Importer::nodeName() const {
  if (!node->name().empty())
    return node->name();
  // Names are optional in ONNX; the first output is unique in the graph.
  return node->output_size() ? node->output(0) : node->op_type();
}

Location Importer::nodeLoc() {
  Location fileLoc = FileLineColLoc::get(ctx, file, 0, 0);
  if (!node)
    return fileLoc;
  return NameLoc::get(StringAttr::get(ctx, nodeName()), fileLoc);
}

InFlightDiagnostic Importer::error() {
  InFlightDiagnostic d = emitError(nodeLoc());
  if (node)
    d << "node '" << nodeName() << "' (" << node->op_type() << "): ";
  return d;
}

size_t Importer::numInputs() const { return node->input_size(); }

bool Importer::hasInput(unsigned i) const {
  return i < numInputs() && !node->input(i).empty();
}

FailureOr<Value> Importer::input(unsigned i) {
  if (!hasInput(i)) {
    error() << "missing input " << i;
    return failure();
  }
  const std::string &name = node->input(i);
  auto it = values.find(name);
  if (it != values.end())
    return it->second;
  auto c = consts.find(name);
  if (c == consts.end()) {
    error() << "input '" << name << "' is not defined";
    return failure();
  }
  Value v = constant(c->second);
  values[name] = v; // one tosa.const per ONNX constant
  return v;
}

std::optional<DenseElementsAttr> Importer::constInput(unsigned i) {
  if (!hasInput(i))
    return std::nullopt;
  auto c = consts.find(node->input(i));
  if (c == consts.end())
    return std::nullopt;
  return c->second;
}

FailureOr<Shape> Importer::inputShape(unsigned i) {
  if (std::optional<DenseElementsAttr> c = constInput(i))
    return Shape(c->getType().getShape());
  FailureOr<Value> v = input(i);
  if (failed(v))
    return failure();
  return Shape(cast<RankedTensorType>(v->getType()).getShape());
}

FailureOr<RankedTensorType> Importer::outputType(unsigned i) {
  auto it = types.find(node->output(i));
  if (it == types.end()) {
    error() << "ONNX shape inference gives no static shape for output '"
            << node->output(i) << "'";
    return failure();
  }
  // Far beyond any network snnc converts; keeps every buffer of the
  // importer and the calibration evaluator small enough to allocate.
  constexpr int64_t kMaxValues = int64_t(1) << 28;
  int64_t values = 1;
  for (int64_t d : it->second.getShape())
    values = d > 0 && values > kMaxValues / d ? kMaxValues + 1 : values * d;
  if (values > kMaxValues) {
    error() << "output '" << node->output(i) << "' of type " << it->second
            << " holds more than " << kMaxValues << " values";
    return failure();
  }
  return it->second;
}

void Importer::setOutput(unsigned i, Value v) { values[node->output(i)] = v; }

void Importer::setConstOutput(unsigned i, DenseElementsAttr a) {
  consts[node->output(i)] = a;
}

const onnx::AttributeProto *Importer::attr(StringRef name) const {
  for (const onnx::AttributeProto &a : node->attribute())
    if (a.name() == name)
      return &a;
  return nullptr;
}

int64_t Importer::attrInt(StringRef name, int64_t dflt) const {
  const onnx::AttributeProto *a = attr(name);
  return a ? a->i() : dflt;
}

float Importer::attrFloat(StringRef name, float dflt) const {
  const onnx::AttributeProto *a = attr(name);
  return a ? a->f() : dflt;
}

std::string Importer::attrString(StringRef name, StringRef dflt) const {
  const onnx::AttributeProto *a = attr(name);
  return a ? a->s() : dflt.str();
}

Shape Importer::attrInts(StringRef name, ArrayRef<int64_t> dflt) const {
  const onnx::AttributeProto *a = attr(name);
  if (!a)
    return Shape(dflt);
  return Shape(a->ints().begin(), a->ints().end());
}

LogicalResult Importer::collectTypes(const onnx::GraphProto &g) {
  auto add = [&](const onnx::ValueInfoProto &vi) {
    if (!vi.type().has_tensor_type())
      return;
    const onnx::TypeProto_Tensor &t = vi.type().tensor_type();
    Type elem = elementType(ctx, t.elem_type());
    if (!elem || !t.has_shape())
      return;
    Shape shape;
    for (const onnx::TensorShapeProto_Dimension &d : t.shape().dim()) {
      if (!d.has_dim_value() || d.dim_value() < 0)
        return;
      shape.push_back(d.dim_value());
    }
    types[vi.name()] = RankedTensorType::get(shape, elem);
  };
  for (const onnx::ValueInfoProto &vi : g.input())
    add(vi);
  for (const onnx::ValueInfoProto &vi : g.value_info())
    add(vi);
  for (const onnx::ValueInfoProto &vi : g.output())
    add(vi);
  return success();
}

LogicalResult Importer::convertNode(const onnx::NodeProto &n) {
  node = &n;
  const auto &table = converters();
  auto it = table.find(n.op_type());
  bool defaultDomain = n.domain().empty() || n.domain() == "ai.onnx";
  if (it == table.end() || !defaultDomain) {
    error() << "unsupported ONNX op '"
            << (defaultDomain ? "" : n.domain() + ".") << n.op_type()
            << "'; supported ops: " << supportedOps();
    return failure();
  }
  return (this->*(it->second))();
}

LogicalResult Importer::importGraph(const onnx::GraphProto &g,
                                    ModuleOp module) {
  if (failed(collectTypes(g)))
    return failure();
  for (const onnx::TensorProto &t : g.initializer()) {
    FailureOr<DenseElementsAttr> a = tensorToAttr(t, ctx, [&] {
      return emitError(FileLineColLoc::get(ctx, file, 0, 0))
             << "initializer '" << t.name() << "': ";
    });
    if (failed(a))
      return failure();
    consts[t.name()] = *a;
  }

  Location fileLoc = FileLineColLoc::get(ctx, file, 0, 0);
  SmallVector<Type> argTypes;
  SmallVector<std::string> argNames;
  for (const onnx::ValueInfoProto &vi : g.input()) {
    if (consts.count(vi.name()))
      continue; // old exporters list initializers as inputs too
    auto it = types.find(vi.name());
    if (it == types.end() || !isa<FloatType>(it->second.getElementType())) {
      emitError(fileLoc) << "graph input '" << vi.name()
                         << "' is not a float tensor of static shape";
      return failure();
    }
    argTypes.push_back(it->second);
    argNames.push_back(vi.name());
  }

  b.setInsertionPointToEnd(module.getBody());
  auto func =
      b.create<func::FuncOp>(fileLoc, "main", b.getFunctionType(argTypes, {}));
  Block *body = func.addEntryBlock();
  for (auto [i, name] : llvm::enumerate(argNames)) {
    values[name] = body->getArgument(i);
    func.setArgAttr(i, "snn.name", b.getStringAttr(name));
  }
  b.setInsertionPointToEnd(body);

  for (const onnx::NodeProto &n : g.node())
    if (failed(convertNode(n)))
      return failure();
  node = nullptr;

  SmallVector<Value> results;
  for (const onnx::ValueInfoProto &vi : g.output()) {
    auto it = values.find(vi.name());
    if (it != values.end()) {
      results.push_back(it->second);
      continue;
    }
    auto c = consts.find(vi.name());
    if (c == consts.end()) {
      emitError(fileLoc) << "graph output '" << vi.name()
                         << "' is produced by no node";
      return failure();
    }
    results.push_back(constant(c->second));
  }
  b.create<func::ReturnOp>(fileLoc, results);
  // Constants nothing reads and transposes that cancelled out.
  for (Operation &op : llvm::make_early_inc_range(llvm::reverse(*body)))
    if (isOpTriviallyDead(&op))
      op.erase();
  func.setType(b.getFunctionType(argTypes, ValueRange(results).getTypes()));
  for (auto [i, vi] : llvm::enumerate(g.output()))
    func.setResultAttr(i, "snn.name", b.getStringAttr(vi.name()));
  return success();
}

} // namespace snnc::onnximport

namespace snnc {

namespace {

constexpr int64_t kMaxDim = int64_t(1) << 24, kMaxElements = int64_t(1) << 31;

// Fixes a dynamic batch dimension to 1 (with a remark) so that shape
// inference yields static shapes throughout; any other dynamic dimension
// has no sensible default.
LogicalResult fixBatch(onnx::ModelProto &model, const std::string &path,
                       MLIRContext *ctx) {
  Location loc = FileLineColLoc::get(ctx, path, 0, 0);
  std::set<std::string> inits;
  for (const onnx::TensorProto &t : model.graph().initializer())
    inits.insert(t.name());
  for (onnx::ValueInfoProto &vi : *model.mutable_graph()->mutable_input()) {
    if (inits.count(vi.name()))
      continue;
    if (!vi.type().has_tensor_type() || !vi.type().tensor_type().has_shape()) {
      emitError(loc) << "graph input '" << vi.name() << "' has no tensor shape";
      return failure();
    }
    auto *dims = vi.mutable_type()->mutable_tensor_type()->mutable_shape();
    for (int k = 0; k < dims->dim_size(); ++k) {
      onnx::TensorShapeProto_Dimension *d = dims->mutable_dim(k);
      if (d->has_dim_value() && d->dim_value() >= 0)
        continue;
      std::string sym = d->has_dim_param() ? "'" + d->dim_param() + "'" : "?";
      if (k != 0) {
        emitError(loc) << "graph input '" << vi.name() << "' has dynamic "
                       << "dimension " << k << " (" << sym
                       << "); only the batch dimension (0) may be dynamic";
        return failure();
      }
      emitRemark(loc) << "graph input '" << vi.name()
                      << "' has a dynamic batch dimension (" << sym
                      << "); importing with batch size 1";
      d->set_dim_value(1);
    }
    // Bounded so that no shape computation (ONNX's inference, the
    // calibration evaluator's buffers) can overflow.
    int64_t elements = 1;
    for (int k = 0; k < dims->dim_size(); ++k) {
      int64_t v = dims->dim(k).dim_value();
      if (v > kMaxDim || (v > 0 && elements > kMaxElements / v)) {
        emitError(loc) << "graph input '" << vi.name() << "' has dimension "
                       << k << " of " << v << ", beyond what snnc imports ("
                       << kMaxElements << " values per tensor)";
        return failure();
      }
      elements *= v;
    }
  }
  return success();
}

// Attributes that size windows, checked before ONNX's shape inference
// computes with them (it trusts them, and so would the calibration
// evaluator): far out-of-range values overflow int64 arithmetic.
LogicalResult checkAttributes(const onnx::ModelProto &model,
                              const std::string &path, MLIRContext *ctx) {
  struct Range {
    const char *name;
    int64_t lo, hi;
  };
  static const Range ranges[] = {{"kernel_shape", 1, 1 << 16},
                                 {"strides", 1, 1 << 16},
                                 {"dilations", 1, 1 << 16},
                                 {"pads", 0, 1 << 16},
                                 {"group", 1, 1 << 16}};
  for (const onnx::NodeProto &n : model.graph().node())
    for (const onnx::AttributeProto &a : n.attribute())
      for (const Range &r : ranges) {
        if (a.name() != r.name)
          continue;
        std::vector<int64_t> values(a.ints().begin(), a.ints().end());
        if (a.type() == onnx::AttributeProto::INT)
          values.push_back(a.i());
        for (int64_t v : values)
          if (v < r.lo || v > r.hi) {
            Location loc = NameLoc::get(
                StringAttr::get(ctx, n.name().empty() ? n.op_type() : n.name()),
                FileLineColLoc::get(ctx, path, 0, 0));
            emitError(loc) << "node '" << n.name() << "' (" << n.op_type()
                           << "): attribute '" << r.name << "' value " << v
                           << " is out of range (" << r.lo << " to " << r.hi
                           << ")";
            return failure();
          }
      }
  return success();
}

} // namespace

OwningOpRef<ModuleOp> importOnnxFile(const std::string &path,
                                     MLIRContext *ctx) {
  ctx->loadDialect<func::FuncDialect, tosa::TosaDialect>();
  Location loc = FileLineColLoc::get(ctx, path, 0, 0);
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    emitError(loc) << "cannot open the file";
    return nullptr;
  }
  onnx::ModelProto model;
  if (!model.ParseFromIstream(&in)) {
    emitError(loc) << "not an ONNX model (the file does not parse as an "
                      "ONNX ModelProto; truncated or another format?)";
    return nullptr;
  }
  if (!model.has_graph() || model.graph().node_size() == 0) {
    emitError(loc) << "not an ONNX model (no graph nodes)";
    return nullptr;
  }
  try {
    onnx::checker::check_model(model);
  } catch (const std::exception &e) {
    emitError(loc) << "the ONNX checker rejects the model: "
                   << onnximport::oneLine(e.what());
    return nullptr;
  }
  if (failed(checkAttributes(model, path, ctx)) ||
      failed(fixBatch(model, path, ctx)))
    return nullptr;
  try {
    // Inference merges with declared shapes, including stale symbolic ones;
    // start from the inputs alone.
    model.mutable_graph()->clear_value_info();
    onnx::ShapeInferenceOptions opts(/*check_type=*/true, /*strict_mode=*/1);
    onnx::shape_inference::InferShapes(
        model, onnx::OpSchemaRegistry::Instance(), opts);
  } catch (const std::exception &e) {
    emitError(loc) << "ONNX shape inference fails: "
                   << onnximport::oneLine(e.what());
    return nullptr;
  }

  OwningOpRef<ModuleOp> module = ModuleOp::create(loc);
  onnximport::Importer imp(ctx, path);
  try {
    if (failed(imp.importGraph(model.graph(), *module)))
      return nullptr;
  } catch (const std::exception &e) {
    emitError(loc) << "internal error while importing: "
                   << onnximport::oneLine(e.what());
    return nullptr;
  }

  // The importer checks what it reads, so IR that does not verify comes
  // from a model whose values contradict each other in a way no check above
  // caught: report it against the model's node, as the user's file.
  std::string msg;
  Location where = loc;
  {
    ScopedDiagnosticHandler capture(ctx, [&](Diagnostic &d) {
      if (msg.empty()) {
        msg = d.str();
        where = d.getLocation();
      }
      return success();
    });
    if (succeeded(verify(*module)))
      return module;
  }
  std::string node;
  if (auto fused = dyn_cast<FusedLoc>(where))
    for (Location l : fused.getLocations())
      if (auto n = dyn_cast<NameLoc>(l))
        node = n.getName().str();
  if (auto n = dyn_cast<NameLoc>(where))
    node = n.getName().str();
  emitError(where) << "the model is inconsistent"
                   << (node.empty() ? std::string() : " at node '" + node + "'")
                   << ": its imported form fails a check (" << msg
                   << "); the model's shapes or attributes contradict each "
                      "other, check it with onnx.checker";
  return nullptr;
}

} // namespace snnc
