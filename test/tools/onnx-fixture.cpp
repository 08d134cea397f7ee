//===- onnx-fixture.cpp - Writes the small ONNX models the tests import ---===//
//
// onnx-fixture NAME OUT.onnx
// Each fixture isolates one op pattern of torch.onnx exports, or one defect
// of a model file, so that the importer tests need no external data. Built
// with ONNX's protobuf API, opset 13 (what torch 1.13 writes).
//
//===----------------------------------------------------------------------===//
#include <onnx/onnx_pb.h>

#include <cstdint>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <string>
#include <vector>

namespace {

using Dims = std::vector<int64_t>;

onnx::ModelProto newModel() {
  onnx::ModelProto m;
  m.set_ir_version(7);
  m.set_producer_name("onnx-fixture");
  onnx::OperatorSetIdProto *op = m.add_opset_import();
  op->set_domain("");
  op->set_version(13);
  m.mutable_graph()->set_name("fixture");
  return m;
}

// -1 in `dims` is a symbolic dimension named "N" (a dynamic batch).
void valueInfo(onnx::ValueInfoProto *vi, const std::string &name,
               const Dims *dims) {
  vi->set_name(name);
  auto *t = vi->mutable_type()->mutable_tensor_type();
  t->set_elem_type(onnx::TensorProto::FLOAT);
  auto *shape = t->mutable_shape();
  for (int64_t d : *dims) {
    auto *dim = shape->add_dim();
    if (d < 0)
      dim->set_dim_param("N");
    else
      dim->set_dim_value(d);
  }
}

void input(onnx::ModelProto &m, const std::string &name, Dims dims) {
  valueInfo(m.mutable_graph()->add_input(), name, &dims);
}

void output(onnx::ModelProto &m, const std::string &name, Dims dims) {
  valueInfo(m.mutable_graph()->add_output(), name, &dims);
}

// Deterministic, non-uniform values so that layout changes are visible.
std::vector<float> ramp(int64_t n, float scale = 0.1f) {
  std::vector<float> v(n);
  for (int64_t k = 0; k < n; ++k)
    v[k] = scale * float(k % 7) - 0.2f;
  return v;
}

void initF(onnx::ModelProto &m, const std::string &name, Dims dims,
           std::vector<float> v = {}) {
  int64_t n = 1;
  for (int64_t d : dims)
    n *= d;
  if (v.empty())
    v = ramp(n);
  onnx::TensorProto *t = m.mutable_graph()->add_initializer();
  t->set_name(name);
  t->set_data_type(onnx::TensorProto::FLOAT);
  for (int64_t d : dims)
    t->add_dims(d);
  for (float f : v)
    t->add_float_data(f);
}

void initI64(onnx::ModelProto &m, const std::string &name,
             std::vector<int64_t> v) {
  onnx::TensorProto *t = m.mutable_graph()->add_initializer();
  t->set_name(name);
  t->set_data_type(onnx::TensorProto::INT64);
  t->add_dims(int64_t(v.size()));
  // raw_data, as torch writes it (little-endian hosts only).
  t->set_raw_data(std::string(reinterpret_cast<const char *>(v.data()),
                              v.size() * sizeof(int64_t)));
}

onnx::NodeProto &node(onnx::ModelProto &m, const std::string &op,
                      const std::string &name, std::vector<std::string> in,
                      std::vector<std::string> out) {
  onnx::NodeProto *n = m.mutable_graph()->add_node();
  n->set_op_type(op);
  n->set_name(name);
  for (const std::string &s : in)
    n->add_input(s);
  for (const std::string &s : out)
    n->add_output(s);
  return *n;
}

void attrI(onnx::NodeProto &n, const std::string &name, int64_t v) {
  auto *a = n.add_attribute();
  a->set_name(name);
  a->set_type(onnx::AttributeProto::INT);
  a->set_i(v);
}
void attrF(onnx::NodeProto &n, const std::string &name, float v) {
  auto *a = n.add_attribute();
  a->set_name(name);
  a->set_type(onnx::AttributeProto::FLOAT);
  a->set_f(v);
}
void attrInts(onnx::NodeProto &n, const std::string &name, Dims v) {
  auto *a = n.add_attribute();
  a->set_name(name);
  a->set_type(onnx::AttributeProto::INTS);
  for (int64_t x : v)
    a->add_ints(x);
}

using Builder = std::function<onnx::ModelProto()>;

onnx::ModelProto mlp() {
  onnx::ModelProto m = newModel();
  input(m, "input", {2, 4}); // a static batch of 2 stays 2
  initF(m, "fc1.weight", {3, 4});
  initF(m, "fc1.bias", {3});
  initF(m, "fc2.weight", {2, 3});
  initF(m, "fc2.bias", {2});
  attrI(
      node(m, "Gemm", "/fc1/Gemm", {"input", "fc1.weight", "fc1.bias"}, {"h"}),
      "transB", 1);
  node(m, "Relu", "/act/Relu", {"h"}, {"a"});
  attrI(
      node(m, "Gemm", "/fc2/Gemm", {"a", "fc2.weight", "fc2.bias"}, {"logits"}),
      "transB", 1);
  output(m, "logits", {2, 2});
  return m;
}

onnx::ModelProto cnn() {
  onnx::ModelProto m = newModel();
  input(m, "image", {-1, 1, 6, 6});
  initF(m, "conv.weight", {2, 1, 3, 3});
  initF(m, "conv.bias", {2});
  initF(m, "fc.weight", {3, 18});
  initF(m, "fc.bias", {3});
  auto &c = node(m, "Conv", "/conv/Conv", {"image", "conv.weight", "conv.bias"},
                 {"c"});
  attrInts(c, "kernel_shape", {3, 3});
  attrInts(c, "pads", {1, 1, 1, 1});
  attrInts(c, "strides", {1, 1});
  node(m, "Relu", "/relu/Relu", {"c"}, {"r"});
  auto &p = node(m, "AveragePool", "/pool/AveragePool", {"r"}, {"p"});
  attrInts(p, "kernel_shape", {2, 2});
  attrInts(p, "strides", {2, 2});
  attrI(node(m, "Flatten", "/flat/Flatten", {"p"}, {"f"}), "axis", 1);
  attrI(node(m, "Gemm", "/fc/Gemm", {"f", "fc.weight", "fc.bias"}, {"out"}),
        "transB", 1);
  output(m, "out", {-1, 3});
  return m;
}

// Grouped convolution, MaxPool with pads, AveragePool counting its padding.
onnx::ModelProto pools() {
  onnx::ModelProto m = newModel();
  input(m, "x", {1, 2, 4, 4});
  initF(m, "w", {4, 1, 3, 3});
  auto &c = node(m, "Conv", "grouped", {"x", "w"}, {"c"});
  attrInts(c, "kernel_shape", {3, 3});
  attrInts(c, "pads", {1, 1, 1, 1});
  attrI(c, "group", 2);
  auto &mp = node(m, "MaxPool", "max", {"c"}, {"m"});
  attrInts(mp, "kernel_shape", {2, 2});
  attrInts(mp, "strides", {2, 2});
  attrInts(mp, "pads", {0, 0, 1, 1});
  auto &ap = node(m, "AveragePool", "avg", {"m"}, {"a"});
  attrInts(ap, "kernel_shape", {3, 3});
  attrInts(ap, "pads", {1, 1, 1, 1});
  attrI(ap, "count_include_pad", 1);
  auto &lp = node(m, "LpPool", "lp", {"a"}, {"y"});
  attrInts(lp, "kernel_shape", {2, 2});
  attrI(lp, "p", 2);
  output(m, "y", {1, 4, 1, 1});
  return m;
}

onnx::ModelProto matmulAdd() {
  onnx::ModelProto m = newModel();
  input(m, "x", {1, 4});
  initF(m, "W", {4, 3});
  initF(m, "b", {3});
  node(m, "MatMul", "mm", {"x", "W"}, {"xw"});
  node(m, "Add", "add", {"xw", "b"}, {"y"});
  output(m, "y", {1, 3});
  return m;
}

onnx::ModelProto gemmAttrs() {
  onnx::ModelProto m = newModel();
  input(m, "x", {4, 1});
  initF(m, "B", {4, 3});
  initF(m, "C", {1, 3}, {1.0f, 2.0f, 3.0f});
  auto &g = node(m, "Gemm", "gemm", {"x", "B", "C"}, {"y"});
  attrI(g, "transA", 1);
  attrF(g, "alpha", 2.0f);
  attrF(g, "beta", 0.5f);
  output(m, "y", {1, 3});
  return m;
}

onnx::ModelProto clip() {
  onnx::ModelProto m = newModel();
  input(m, "x", {1, 4});
  initF(m, "lo", {}, {0.0f});
  initF(m, "hi", {}, {6.0f});
  node(m, "Clip", "relu6", {"x", "lo", "hi"}, {"y"});
  output(m, "y", {1, 4});
  return m;
}

onnx::ModelProto pad() {
  onnx::ModelProto m = newModel();
  input(m, "x", {1, 1, 3, 3});
  initI64(m, "pads", {0, 0, 1, 2, 0, 0, 1, 2});
  initF(m, "value", {}, {0.5f});
  node(m, "Pad", "pad", {"x", "pads", "value"}, {"y"});
  output(m, "y", {1, 1, 5, 7});
  return m;
}

onnx::ModelProto reshape() {
  onnx::ModelProto m = newModel();
  input(m, "x", {2, 3, 4});
  initI64(m, "shape", {0, -1});
  node(m, "Reshape", "reshape", {"x", "shape"}, {"y"});
  node(m, "Identity", "id", {"y"}, {"z"});
  output(m, "z", {2, 12});
  return m;
}

onnx::ModelProto batchnorm() {
  onnx::ModelProto m = newModel();
  input(m, "x", {1, 2, 2, 2});
  initF(m, "gamma", {2}, {2.0f, 1.0f});
  initF(m, "beta", {2}, {0.5f, -1.0f});
  initF(m, "mean", {2}, {1.0f, 0.0f});
  initF(m, "var", {2}, {4.0f, 1.0f});
  auto &bn = node(m, "BatchNormalization", "bn",
                  {"x", "gamma", "beta", "mean", "var"}, {"y"});
  attrF(bn, "epsilon", 0.0f);
  output(m, "y", {1, 2, 2, 2});
  return m;
}

// Sub, Mul, Div by a constant and the LpPool-spelling elementwise ops.
onnx::ModelProto arith() {
  onnx::ModelProto m = newModel();
  input(m, "x", {1, 4});
  initF(m, "c", {4});
  initF(m, "four", {}, {4.0f});
  initF(m, "two", {}, {2.0f});
  node(m, "Sub", "sub", {"x", "c"}, {"s"});
  node(m, "Mul", "mul", {"s", "c"}, {"p"});
  node(m, "Div", "div", {"p", "four"}, {"d"});
  node(m, "Sign", "sign", {"d"}, {"sg"});
  node(m, "Abs", "abs", {"d"}, {"ab"});
  node(m, "Sqrt", "sqrt", {"ab"}, {"sq"});
  node(m, "Pow", "pow", {"sq", "two"}, {"pw"});
  node(m, "Mul", "mul2", {"sg", "pw"}, {"y"});
  output(m, "y", {1, 4});
  return m;
}

onnx::ModelProto constantNode() {
  onnx::ModelProto m = newModel();
  input(m, "x", {1, 3});
  onnx::NodeProto &c = node(m, "Constant", "k", {}, {"k"});
  auto *a = c.add_attribute();
  a->set_name("value_floats");
  a->set_type(onnx::AttributeProto::FLOATS);
  for (float f : {1.0f, 2.0f, 3.0f})
    a->add_floats(f);
  node(m, "Add", "add", {"x", "k"}, {"y"});
  output(m, "y", {1, 3});
  return m;
}

onnx::ModelProto unsupported() {
  onnx::ModelProto m = newModel();
  input(m, "x", {1, 4});
  node(m, "Softmax", "/out/Softmax", {"x"}, {"y"});
  output(m, "y", {1, 4});
  return m;
}

// An edge from a value nothing produces.
onnx::ModelProto checkerFail() {
  onnx::ModelProto m = newModel();
  input(m, "x", {1, 4});
  node(m, "Add", "add", {"x", "ghost"}, {"y"});
  output(m, "y", {1, 4});
  return m;
}

// The target shape is computed, not a constant: ONNX 1.12 infers the rank
// of the result but no dimension.
onnx::ModelProto dynamicReshape() {
  onnx::ModelProto m = newModel();
  input(m, "x", {1, 4});
  initI64(m, "a", {1, 2});
  initI64(m, "b", {1, 0});
  node(m, "Add", "shape", {"a", "b"}, {"s"});
  node(m, "Reshape", "reshape", {"x", "s"}, {"y"});
  output(m, "y", {-1, -1});
  return m;
}

// Inner dimensions disagree: shape inference itself fails.
onnx::ModelProto shapeMismatch() {
  onnx::ModelProto m = newModel();
  input(m, "x", {1, 4});
  initF(m, "W", {3, 2});
  node(m, "MatMul", "mm", {"x", "W"}, {"y"});
  output(m, "y", {1, 2});
  return m;
}

onnx::ModelProto dynamicWidth() {
  onnx::ModelProto m = newModel();
  onnx::ValueInfoProto *vi = m.mutable_graph()->add_input();
  Dims dims{1, 4};
  valueInfo(vi, "x", &dims);
  vi->mutable_type()
      ->mutable_tensor_type()
      ->mutable_shape()
      ->mutable_dim(1)
      ->set_dim_param("width");
  node(m, "Relu", "relu", {"x"}, {"y"});
  output(m, "y", {1, 4});
  return m;
}

// The CNN with one window attribute replaced by a far out-of-range value.
Builder cnnWith(std::string node, std::string attr, Dims v) {
  return [=] {
    onnx::ModelProto m = cnn();
    for (onnx::NodeProto &n : *m.mutable_graph()->mutable_node())
      if (n.name() == node)
        for (onnx::AttributeProto &a : *n.mutable_attribute())
          if (a.name() == attr) {
            a.clear_ints();
            for (int64_t x : v)
              a.add_ints(x);
          }
    return m;
  };
}

// The CNN whose declared output shape contradicts what its layers compute
// ([1, 3] declared as [1, 5]); ONNX's inference keeps the declaration.
onnx::ModelProto cnnBadOutput() {
  onnx::ModelProto m = cnn();
  m.mutable_graph()
      ->mutable_output(0)
      ->mutable_type()
      ->mutable_tensor_type()
      ->mutable_shape()
      ->mutable_dim(1)
      ->set_dim_value(5);
  return m;
}

bool writeBytes(const std::string &path, const std::string &bytes) {
  std::ofstream out(path, std::ios::binary);
  out << bytes;
  return bool(out);
}

} // namespace

int main(int argc, char **argv) {
  const std::map<std::string, Builder> models = {
      {"mlp", mlp},
      {"cnn", cnn},
      {"pools", pools},
      {"matmul-add", matmulAdd},
      {"gemm-attrs", gemmAttrs},
      {"clip", clip},
      {"pad", pad},
      {"reshape", reshape},
      {"batchnorm", batchnorm},
      {"arith", arith},
      {"constant", constantNode},
      {"unsupported", unsupported},
      {"checker-fail", checkerFail},
      {"dynamic-reshape", dynamicReshape},
      {"dynamic-width", dynamicWidth},
      {"shape-mismatch", shapeMismatch},
      {"huge-stride", cnnWith("/conv/Conv", "strides", {int64_t(1) << 31, 1})},
      {"huge-pads",
       cnnWith("/pool/AveragePool", "strides", {2, int64_t(1) << 62})},
      {"negative-pads", cnnWith("/conv/Conv", "pads", {1, -3, 1, 1})},
      {"bad-output-shape", cnnBadOutput},
  };
  if (argc != 3) {
    std::cerr << "usage: onnx-fixture NAME OUT.onnx\nNAME:";
    for (const auto &entry : models)
      std::cerr << " " << entry.first;
    std::cerr << " truncated not-protobuf\n";
    return 2;
  }
  std::string name = argv[1], path = argv[2];
  std::string bytes;
  if (name == "truncated") {
    models.at("mlp")().SerializeToString(&bytes);
    bytes.resize(bytes.size() / 2);
  } else if (name == "not-protobuf") {
    bytes = "this is not an ONNX model\n";
  } else {
    auto it = models.find(name);
    if (it == models.end()) {
      std::cerr << "onnx-fixture: unknown fixture '" << name << "'\n";
      return 2;
    }
    it->second().SerializeToString(&bytes);
  }
  if (!writeBytes(path, bytes)) {
    std::cerr << "onnx-fixture: cannot write " << path << "\n";
    return 1;
  }
  return 0;
}
