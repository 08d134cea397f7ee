//===- nir-fixture.cpp - Writes the small NIR files the tests import
//--------===//
//
// nir-fixture NAME OUT.nir
// Each fixture isolates one feature or one defect of real NIR files, so the
// importer tests need no external data. Written with snnc's own NIR writer,
// except the defects the writer refuses to produce (truncation, non-HDF5).
//
//===----------------------------------------------------------------------===//
#include "compiler/nir/NirModel.h"

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <iterator>
#include <map>

using namespace snnc::nir;

namespace {

Array f32(std::vector<int64_t> shape, std::vector<double> v) {
  return Array::floats(DType::F32, std::move(shape), std::move(v));
}
Array f64(std::vector<int64_t> shape, std::vector<double> v) {
  return Array::floats(DType::F64, std::move(shape), std::move(v));
}
Array fill(DType t, std::vector<int64_t> shape, double v) {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  return Array::floats(t, std::move(shape), std::vector<double>(n, v));
}
Array i64(std::vector<int64_t> v) {
  int64_t n = v.size(); // before the move below
  return Array::ints({n}, std::move(v));
}
Array iscalar(int64_t v) { return Array::ints({}, {v}); }

// Deterministic, non-uniform weights so that transposition is visible.
Array ramp(std::vector<int64_t> shape) {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  std::vector<double> v(n);
  for (int64_t k = 0; k < n; ++k)
    v[k] = 0.01 * double(k % 17) - 0.05;
  return Array::floats(DType::F32, std::move(shape), std::move(v));
}

Node node(std::string name, std::string type,
          std::map<std::string, Array> params = {}) {
  Node n;
  n.name = std::move(name);
  n.type = std::move(type);
  n.params = std::move(params);
  return n;
}

Node io(std::string name, bool input, std::vector<int64_t> shape) {
  return node(std::move(name), input ? "Input" : "Output",
              {{"shape", i64(std::move(shape))}});
}

Node lif(std::string name, int64_t n, DType t = DType::F32) {
  return node(std::move(name), "LIF",
              {{"tau", fill(t, {n}, 2.5e-3)},
               {"r", fill(t, {n}, 1.0)},
               {"v_leak", fill(t, {n}, 0.0)},
               {"v_threshold", fill(t, {n}, 0.1)}});
}

Node cubaLif(std::string name, int64_t n) {
  return node(std::move(name), "CubaLIF",
              {{"tau_syn", fill(DType::F64, {n}, 2e-4)},
               {"tau_mem", fill(DType::F64, {n}, 1e-3)},
               {"r", fill(DType::F64, {n}, 10.0)},
               {"v_leak", fill(DType::F64, {n}, 0.0)},
               {"v_threshold", fill(DType::F64, {n}, 1.0)}});
}

Node linear(std::string name, int64_t out, int64_t in) {
  return node(std::move(name), "Linear", {{"weight", ramp({out, in})}});
}

Node affine(std::string name, int64_t out, int64_t in) {
  return node(
      std::move(name), "Affine",
      {{"weight", ramp({out, in})}, {"bias", fill(DType::F32, {out}, 0.5)}});
}

Document doc(std::vector<Node> nodes,
             std::vector<std::pair<std::string, std::string>> edges) {
  Document d;
  d.version = "0.2.0";
  d.root.nodes = std::move(nodes);
  d.root.edges = std::move(edges);
  return d;
}

std::unique_ptr<Graph> recurrentCell(int64_t n, const std::string &lifName,
                                     const std::string &edgeName) {
  auto g = std::make_unique<Graph>();
  g->nodes.push_back(io("input", true, {n}));
  g->nodes.push_back(cubaLif(lifName, n));
  g->nodes.push_back(linear("lin", n, n));
  g->nodes.push_back(io("output", false, {n}));
  g->edges = {{"input", edgeName},
              {edgeName, "lin"},
              {"lin", edgeName},
              {edgeName, "output"}};
  return g;
}

Document subgraphDoc(const std::string &lifName, const std::string &edgeName) {
  Node sub = node("lif1", "NIRGraph");
  sub.graph = recurrentCell(3, lifName, edgeName);
  return doc({io("input", true, {2}), linear("fc1", 3, 2), std::move(sub),
              linear("fc2", 2, 3), lif("lif2", 2), io("output", false, {2})},
             {{"input", "fc1"},
              {"fc1", "lif1"},
              {"lif1", "fc2"},
              {"fc2", "lif2"},
              {"lif2", "output"}});
}

const std::map<std::string, std::function<Document()>> &fixtures() {
  static const std::map<std::string, std::function<Document()>> table = {
      // A single neuron in NIR 0.1 style: no v_reset.
      {"lif",
       [] {
         return doc({io("input", true, {1}), affine("0", 1, 1), lif("1", 1),
                     io("output", false, {1})},
                    {{"input", "0"}, {"0", "1"}, {"1", "output"}});
       }},
      // Recurrence with dotted names, no w_in, edges out of order.
      {"rnn",
       [] {
         return doc({io("input", true, {2}), linear("fc1", 3, 2),
                     cubaLif("lif1.lif", 3), linear("lif1.w_rec", 3, 3),
                     io("output", false, {3})},
                    {{"lif1.w_rec", "lif1.lif"},
                     {"lif1.lif", "output"},
                     {"input", "fc1"},
                     {"lif1.lif", "lif1.w_rec"},
                     {"fc1", "lif1.lif"}});
       }},
      {"subgraph", [] { return subgraphDoc("lif", "lif"); }},
      // Inner node 'lif1' but inner edges say 'lif'.
      {"dangling", [] { return subgraphDoc("lif1", "lif"); }},
      // Weights stored (in, out): 3 inputs, 2 outputs stored as [3, 2].
      {"transposed",
       [] {
         return doc(
             {io("input", true, {3}), linear("linear", 3, 2), lif("lif", 2),
              io("output", false, {2})},
             {{"input", "linear"}, {"linear", "lif"}, {"lif", "output"}});
       }},
      // Written with a batch size of 1, conv input_shape missing, Flatten's
      // input_type a placeholder.
      {"batched",
       [] {
         Node conv = node("conv", "Conv2d",
                          {{"weight", ramp({4, 2, 3, 3})},
                           {"bias", fill(DType::F32, {4}, 0.0)},
                           {"stride", i64({2, 2})},
                           {"padding", i64({1, 1})},
                           {"dilation", i64({1, 1})},
                           {"groups", iscalar(1)}});
         Node ifn =
             node("if", "IF",
                  {{"r", fill(DType::F32, {1, 4, 3, 3}, 1.0)},
                   {"v_threshold", fill(DType::F32, {1, 4, 3, 3}, 1.0)}});
         Node flat = node("flat", "Flatten",
                          {{"start_dim", iscalar(1)},
                           {"end_dim", iscalar(-1)},
                           {"input_type", i64({0, 0, 0, 0})}});
         return doc({io("input", true, {1, 2, 6, 6}), conv, ifn, flat,
                     affine("fc", 5, 36), io("output", false, {1, 5})},
                    {{"input", "conv"},
                     {"conv", "if"},
                     {"if", "flat"},
                     {"flat", "fc"},
                     {"fc", "output"}});
       }},
      // Scalar parameters: the population's shape comes from its neighbours.
      {"scalars",
       [] {
         Node c = node("lif1", "CubaLIF",
                       {{"tau_syn", f32({}, {2e-4})},
                        {"tau_mem", f32({}, {1e-3})},
                        {"r", f32({}, {10.0})},
                        {"v_leak", f32({}, {0.0})},
                        {"v_threshold", f32({}, {1.0})}});
         return doc({io("input", true, {2}), affine("fc1", 4, 2), c,
                     io("output", false, {4})},
                    {{"input", "fc1"}, {"fc1", "lif1"}, {"lif1", "output"}});
       }},
      // int64 parameters and an Input wired straight to an Output.
      {"int64",
       [] {
         Node l = node("state", "LIF",
                       {{"tau", f64({2}, {0.02, 0.03})},
                        {"r", Array::ints({2}, {1, 1})},
                        {"v_leak", Array::ints({2}, {0, 0})},
                        {"v_reset", Array::ints({2}, {0, 0})},
                        {"v_threshold", Array::ints({2}, {1, 1})}});
         return doc(
             {io("input", true, {2}), l, io("probe", false, {2}),
              io("direct", false, {2})},
             {{"input", "state"}, {"state", "probe"}, {"input", "direct"}});
       }},
      {"negative-tau",
       [] {
         Node l = lif("lif", 3);
         l.params["tau"] = f32({3}, {-3211.5, 0.02, -1045.4});
         return doc({io("input", true, {3}), l, io("output", false, {3})},
                    {{"input", "lif"}, {"lif", "output"}});
       }},
      // Every other primitive once.
      {"allops",
       [] {
         Node c1 = node("c1", "Conv1d",
                        {{"weight", ramp({2, 1, 3})},
                         {"bias", fill(DType::F32, {2}, 0.0)},
                         {"stride", iscalar(1)},
                         {"dilation", iscalar(1)},
                         {"groups", iscalar(1)},
                         {"input_shape", i64({8})}});
         c1.strings["padding"] = "same";
         Node c2 = node("c2", "Conv2d",
                        {{"weight", ramp({2, 1, 3, 3})},
                         {"bias", fill(DType::F32, {2}, 0.0)},
                         {"stride", i64({1, 1})},
                         {"padding", i64({0, 0})},
                         {"dilation", i64({1, 1})},
                         {"groups", iscalar(1)}});
         Node ap = node("ap", "AvgPool2d",
                        {{"kernel_size", i64({2, 2})},
                         {"stride", i64({2, 2})},
                         {"padding", i64({0, 0})}});
         Node fl = node("fl", "Flatten",
                        {{"start_dim", iscalar(0)}, {"end_dim", iscalar(-1)}});
         Node sc = node("sc", "Scale", {{"scale", fill(DType::F32, {8}, 2.0)}});
         Node th = node("th", "Threshold",
                        {{"threshold", fill(DType::F32, {8}, 0.5)}});
         Node dl =
             node("dl", "Delay", {{"delay", fill(DType::F32, {8}, 1e-3)}});
         Node ifn = node("if", "IF",
                         {{"r", fill(DType::F32, {8}, 1.0)},
                          {"v_threshold", fill(DType::F32, {8}, 1.0)},
                          {"v_reset", fill(DType::F32, {8}, 0.0)}});
         Node li = node("li", "LI",
                        {{"tau", fill(DType::F32, {8}, 1e-2)},
                         {"r", fill(DType::F32, {8}, 1.0)},
                         {"v_leak", fill(DType::F32, {8}, 0.0)}});
         Node cli = node("cli", "CubaLI",
                         {{"tau_syn", fill(DType::F32, {8}, 1e-3)},
                          {"tau_mem", fill(DType::F32, {8}, 1e-2)},
                          {"r", fill(DType::F32, {8}, 1.0)},
                          {"v_leak", fill(DType::F32, {8}, 0.0)},
                          {"w_in", fill(DType::F32, {8}, 1.0)}});
         Node in = node("acc", "I", {{"r", fill(DType::F32, {8}, 1.0)}});
         Node sp = node("sp", "SumPool2d",
                        {{"kernel_size", iscalar(1)},
                         {"stride", iscalar(1)},
                         {"padding", iscalar(0)}});
         return doc({io("x1", true, {1, 8}), c1, io("x2", true, {1, 6, 6}), c2,
                     sp, ap, fl, sc, th, dl, ifn, li, cli, in,
                     io("y1", false, {2, 8}), io("y2", false, {8})},
                    {{"x1", "c1"},
                     {"c1", "y1"},
                     {"x2", "c2"},
                     {"c2", "sp"},
                     {"sp", "ap"},
                     {"ap", "fl"},
                     {"fl", "sc"},
                     {"sc", "th"},
                     {"th", "dl"},
                     {"dl", "if"},
                     {"if", "li"},
                     {"li", "cli"},
                     {"cli", "acc"},
                     {"acc", "y2"}});
       }},
      // --- Malformed files ------------------------------------------------
      {"unknown-type",
       [] {
         return doc({io("input", true, {1}), node("mystery", "Spiky"),
                     io("output", false, {1})},
                    {{"input", "mystery"}, {"mystery", "output"}});
       }},
      {"missing-param",
       [] {
         Node l = lif("lif", 2);
         l.params.erase("tau");
         return doc({io("input", true, {2}), l, io("output", false, {2})},
                    {{"input", "lif"}, {"lif", "output"}});
       }},
      {"wrong-shape",
       [] {
         return doc({io("input", true, {2}), affine("fc", 4, 2), lif("lif", 3),
                     io("output", false, {3})},
                    {{"input", "fc"}, {"fc", "lif"}, {"lif", "output"}});
       }},
      {"inconsistent-params",
       [] {
         Node l = lif("lif", 3);
         l.params["r"] = fill(DType::F32, {4}, 1.0);
         return doc({io("input", true, {3}), l, io("output", false, {3})},
                    {{"input", "lif"}, {"lif", "output"}});
       }},
      {"missing-node",
       [] {
         return doc(
             {io("input", true, {1}), lif("lif", 1), io("output", false, {1})},
             {{"input", "lif"}, {"lif", "ghost"}, {"lif", "output"}});
       }},
      {"empty-graph", [] { return doc({}, {}); }},
      // Graph sanity (docs/hardening.md).
      {"duplicate-edge",
       [] {
         return doc(
             {io("input", true, {2}), lif("lif", 2), io("output", false, {2})},
             {{"input", "lif"}, {"lif", "output"}, {"input", "lif"}});
       }},
      {"no-edges",
       [] {
         return doc(
             {io("input", true, {2}), lif("lif", 2), io("output", false, {2})},
             {});
       }},
      {"unreached-output",
       [] {
         // 'lif2' feeds the output, but nothing feeds 'lif2'.
         return doc({io("input", true, {2}), lif("lif", 2), lif("lif2", 2),
                     io("output", false, {2}), io("probe", false, {2})},
                    {{"input", "lif"}, {"lif", "probe"}, {"lif2", "output"}});
       }},
      {"unreached-node",
       [] {
         // 'stray' feeds itself only: a warning, the rest imports.
         return doc({io("input", true, {2}), lif("lif", 2), lif("stray", 2),
                     io("output", false, {2})},
                    {{"input", "lif"}, {"lif", "output"}, {"stray", "stray"}});
       }},
      {"nan-weight",
       [] {
         Node fc = affine("fc", 2, 2);
         fc.params["weight"].f[1] = std::nan("");
         return doc({io("input", true, {2}), fc, lif("lif", 2),
                     io("output", false, {2})},
                    {{"input", "fc"}, {"fc", "lif"}, {"lif", "output"}});
       }},
      {"unknown-version",
       [] {
         Document d = doc(
             {io("input", true, {2}), lif("lif", 2), io("output", false, {2})},
             {{"input", "lif"}, {"lif", "output"}});
         d.version = "7.1.0";
         return d;
       }},
  };
  return table;
}

} // namespace

int main(int argc, char **argv) {
  if (argc != 3) {
    std::cerr << "usage: nir-fixture NAME OUT.nir\nfixtures:";
    for (auto &[name, _] : fixtures())
      std::cerr << " " << name;
    std::cerr << " truncated not-hdf5\n";
    return 2;
  }
  std::string name = argv[1], out = argv[2], err;
  if (name == "not-hdf5") {
    // The first bytes of a torch pickle, as in Braille_snntorch.nir.
    const unsigned char pickle[] = {0x80, 0x02, 0x8a, 0x0a, 0x6c, 0xfc, 0x9c,
                                    0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19};
    std::ofstream(out, std::ios::binary)
        .write(reinterpret_cast<const char *>(pickle), sizeof pickle);
    return 0;
  }
  bool truncate = name == "truncated";
  auto it = fixtures().find(truncate ? "rnn" : name);
  if (it == fixtures().end()) {
    std::cerr << "nir-fixture: unknown fixture '" << name << "'\n";
    return 2;
  }
  if (!writeNirFile(it->second(), out, err, 4)) {
    std::cerr << "nir-fixture: " << err << "\n";
    return 1;
  }
  if (truncate)
    std::filesystem::resize_file(out, std::filesystem::file_size(out) / 2);
  return 0;
}
