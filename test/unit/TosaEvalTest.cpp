//===- TosaEvalTest.cpp - The reference evaluator of imported ANNs --------===//
//
// Hand-computed cases per TOSA op, then the corpus ANNs against the logits
// their training scripts saved (external corpus; skipped when absent).
//
//===----------------------------------------------------------------------===//
#include "compiler/ann/TosaEval.h"
#include "compiler/onnx/OnnxImport.h"
#include "snnc/runtime/Npy.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <unistd.h>

namespace fs = std::filesystem;
using namespace mlir;
using snnc::ann::Array;

namespace {

struct Evaluator {
  MLIRContext ctx;
  OwningOpRef<ModuleOp> module;
  std::string diagnostics;
  ScopedDiagnosticHandler handler{&ctx, [this](Diagnostic &d) {
                                    diagnostics += d.str() + "\n";
                                    return success();
                                  }};

  Evaluator() { ctx.loadDialect<func::FuncDialect, tosa::TosaDialect>(); }

  func::FuncOp parse(const std::string &body) {
    module = parseSourceString<ModuleOp>(body, &ctx);
    if (!module)
      return nullptr;
    return module->lookupSymbol<func::FuncOp>("main");
  }

  // Evaluates @main of `text`; empty outputs and the diagnostics kept on
  // failure.
  LogicalResult run(const std::string &text, const std::vector<Array> &in,
                    std::vector<Array> &out) {
    func::FuncOp f = parse(text);
    if (!f) {
      diagnostics += "(parse failed)\n";
      return failure();
    }
    return snnc::ann::evaluate(f, in, out);
  }
};

// One f32 op of @main on `in`; fails the test when evaluation fails.
Array eval1(const std::string &text, const std::vector<Array> &in) {
  Evaluator e;
  std::vector<Array> out;
  EXPECT_TRUE(succeeded(e.run(text, in, out))) << e.diagnostics;
  return out.empty() ? Array{} : out.front();
}

void expectArray(const Array &got, std::vector<int64_t> shape,
                 std::vector<float> data, float tol = 1e-6f) {
  ASSERT_EQ(got.shape, shape);
  ASSERT_EQ(got.data.size(), data.size());
  for (size_t i = 0; i < data.size(); ++i)
    EXPECT_NEAR(got.data[i], data[i], tol) << "element " << i;
}

std::string fn(const std::string &args, const std::string &result,
               const std::string &body) {
  return "func.func @main(" + args + ") -> " + result + " {\n" + body + "\n}\n";
}

TEST(TosaEval, AddBroadcastsEqualRanks) {
  Array r =
      eval1(fn("%a: tensor<2x3xf32>, %b: tensor<1x3xf32>", "tensor<2x3xf32>",
               "%0 = tosa.add %a, %b : (tensor<2x3xf32>, tensor<1x3xf32>) -> "
               "tensor<2x3xf32>\nreturn %0 : tensor<2x3xf32>"),
            {{{2, 3}, {1, 2, 3, 4, 5, 6}}, {{1, 3}, {10, 20, 30}}});
  expectArray(r, {2, 3}, {11, 22, 33, 14, 25, 36});
}

TEST(TosaEval, SubMulPowBroadcastBothWays) {
  const char *ops[] = {"tosa.sub", "tosa.pow"};
  std::vector<float> want[] = {{1, -1, 3, 1}, {1, 1, 1, 9}};
  for (int k = 0; k < 2; ++k) {
    Array r =
        eval1(fn("%a: tensor<2x1xf32>, %b: tensor<1x2xf32>", "tensor<2x2xf32>",
                 std::string("%0 = ") + ops[k] +
                     " %a, %b : (tensor<2x1xf32>, tensor<1x2xf32>) -> "
                     "tensor<2x2xf32>\nreturn %0 : tensor<2x2xf32>"),
              {{{2, 1}, {1, 3}}, {{1, 2}, {0, 2}}});
    expectArray(r, {2, 2}, want[k]);
  }
  Array m =
      eval1(fn("%a: tensor<2x1xf32>, %b: tensor<1x2xf32>", "tensor<2x2xf32>",
               "%0 = tosa.mul %a, %b {shift = 0 : i8} : "
               "(tensor<2x1xf32>, tensor<1x2xf32>) -> tensor<2x2xf32>\n"
               "return %0 : tensor<2x2xf32>"),
            {{{2, 1}, {2, 3}}, {{1, 2}, {-1, 4}}});
  expectArray(m, {2, 2}, {-2, 8, -3, 12});
}

TEST(TosaEval, MulWithShiftFails) {
  Evaluator e;
  std::vector<Array> out;
  EXPECT_TRUE(failed(
      e.run(fn("%a: tensor<2xf32>", "tensor<2xf32>",
               "%0 = tosa.mul %a, %a {shift = 1 : i8} : (tensor<2xf32>, "
               "tensor<2xf32>) -> tensor<2xf32>\nreturn %0 : tensor<2xf32>"),
            {{{2}, {1, 2}}}, out)));
  EXPECT_NE(e.diagnostics.find("shift"), std::string::npos) << e.diagnostics;
}

TEST(TosaEval, UnaryOps) {
  auto unary = [](const std::string &op) {
    return eval1(fn("%a: tensor<3xf32>", "tensor<3xf32>",
                    "%0 = " + op +
                        " %a : (tensor<3xf32>) -> tensor<3xf32>\n"
                        "return %0 : tensor<3xf32>"),
                 {{{3}, {-4, 0.25f, 4}}});
  };
  expectArray(unary("tosa.abs"), {3}, {4, 0.25f, 4});
  expectArray(unary("tosa.reciprocal"), {3}, {-0.25f, 4, 0.25f});
  Array rs = unary("tosa.rsqrt");
  EXPECT_TRUE(std::isnan(rs.data[0]));
  EXPECT_FLOAT_EQ(rs.data[1], 2.0f);
  EXPECT_FLOAT_EQ(rs.data[2], 0.5f);
}

TEST(TosaEval, ClampUsesFloatBounds) {
  Array r = eval1(fn("%a: tensor<4xf32>", "tensor<4xf32>",
                     "%0 = tosa.clamp %a {max_fp = 2.5 : f32, max_int = 1 : "
                     "i64, min_fp = 0.0 : f32, min_int = 0 : i64} : "
                     "(tensor<4xf32>) -> tensor<4xf32>\n"
                     "return %0 : tensor<4xf32>"),
                  {{{4}, {-1, 0.5f, 2, 7}}});
  expectArray(r, {4}, {0, 0.5f, 2, 2.5f});
}

TEST(TosaEval, GreaterAndSelectSpellSign) {
  std::string body = R"(
  %z = "tosa.const"() <{value = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %one = "tosa.const"() <{value = dense<1.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %m = "tosa.const"() <{value = dense<-1.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %pos = tosa.greater %a, %z : (tensor<4xf32>, tensor<1xf32>) -> tensor<4xi1>
  %neg = tosa.greater %z, %a : (tensor<1xf32>, tensor<4xf32>) -> tensor<4xi1>
  %n = tosa.select %neg, %m, %z : (tensor<4xi1>, tensor<1xf32>, tensor<1xf32>) -> tensor<4xf32>
  %s = tosa.select %pos, %one, %n : (tensor<4xi1>, tensor<1xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %s : tensor<4xf32>)";
  Array r = eval1(fn("%a: tensor<4xf32>", "tensor<4xf32>", body),
                  {{{4}, {-3, 0, 2, -0.5f}}});
  expectArray(r, {4}, {-1, 0, 1, -1});
}

TEST(TosaEval, TransposeReshapeSlice) {
  std::string body = R"(
  %p = "tosa.const"() <{value = dense<[1, 0]> : tensor<2xi32>}> : () -> tensor<2xi32>
  %t = tosa.transpose %a, %p : (tensor<2x3xf32>, tensor<2xi32>) -> tensor<3x2xf32>
  %r = tosa.reshape %t {new_shape = array<i64: 1, 6>} : (tensor<3x2xf32>) -> tensor<1x6xf32>
  %s = tosa.slice %r {size = array<i64: 1, 3>, start = array<i64: 0, 2>} : (tensor<1x6xf32>) -> tensor<1x3xf32>
  return %s : tensor<1x3xf32>)";
  // a = [[1,2,3],[4,5,6]]; aT flattened = 1 4 2 5 3 6.
  Array r = eval1(fn("%a: tensor<2x3xf32>", "tensor<1x3xf32>", body),
                  {{{2, 3}, {1, 2, 3, 4, 5, 6}}});
  expectArray(r, {1, 3}, {2, 5, 3});
}

TEST(TosaEval, ConcatOnInnerAxis) {
  Array r = eval1(
      fn("%a: tensor<2x1xf32>, %b: tensor<2x2xf32>", "tensor<2x3xf32>",
         "%0 = tosa.concat %a, %b {axis = 1 : i32} : (tensor<2x1xf32>, "
         "tensor<2x2xf32>) -> tensor<2x3xf32>\nreturn %0 : tensor<2x3xf32>"),
      {{{2, 1}, {1, 2}}, {{2, 2}, {3, 4, 5, 6}}});
  expectArray(r, {2, 3}, {1, 3, 4, 2, 5, 6});
}

TEST(TosaEval, PadWithConstant) {
  std::string body = R"(
  %p = "tosa.const"() <{value = dense<[[1, 0], [0, 2]]> : tensor<2x2xi64>}> : () -> tensor<2x2xi64>
  %c = "tosa.const"() <{value = dense<9.0> : tensor<f32>}> : () -> tensor<f32>
  %0 = tosa.pad %a, %p, %c : (tensor<1x2xf32>, tensor<2x2xi64>, tensor<f32>) -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>)";
  Array r = eval1(fn("%a: tensor<1x2xf32>", "tensor<2x4xf32>", body),
                  {{{1, 2}, {1, 2}}});
  expectArray(r, {2, 4}, {9, 9, 9, 9, 1, 2, 9, 9});
}

TEST(TosaEval, Conv2DPadStrideDilation) {
  // 1x4x4x1 input 0..15, 2x2 kernel dilated by 2 (a 3x3 footprint), one
  // pixel of padding on top/left, stride 2: windows start at -1 and 1.
  std::string body = R"(
  %w = "tosa.const"() <{value = dense<[[[[1.0], [2.0]], [[3.0], [4.0]]], [[[0.0], [0.0]], [[0.0], [1.0]]]]> : tensor<2x2x2x1xf32>}> : () -> tensor<2x2x2x1xf32>
  %b = "tosa.const"() <{value = dense<[0.5, -1.0]> : tensor<2xf32>}> : () -> tensor<2xf32>
  %0 = tosa.conv2d %x, %w, %b {dilation = array<i64: 2, 2>, pad = array<i64: 1, 0, 1, 0>, stride = array<i64: 2, 2>} : (tensor<1x4x4x1xf32>, tensor<2x2x2x1xf32>, tensor<2xf32>) -> tensor<1x2x2x2xf32>
  return %0 : tensor<1x2x2x2xf32>)";
  std::vector<float> x(16);
  for (int i = 0; i < 16; ++i)
    x[i] = float(i);
  Array r = eval1(fn("%x: tensor<1x4x4x1xf32>", "tensor<1x2x2x2xf32>", body),
                  {{{1, 4, 4, 1}, x}});
  // Output (oy, ox) taps rows 2oy-1, 2oy+1 and columns 2ox-1, 2ox+1.
  // (0,0): only x[1][1] = 5 in range, weight 4 -> 20.5; channel 1: 5 - 1.
  // (0,1): x[1][1]=5 (w3), x[1][3]=7 (w4) -> 15 + 28 + .5; ch1 7 - 1.
  // (1,0): x[1][1]=5 (w2), x[3][1]=13 (w4) -> 10 + 52 + .5; ch1 13 - 1.
  // (1,1): 5*1 + 7*2 + 13*3 + 15*4 = 118 + .5; ch1 15 - 1.
  expectArray(r, {1, 2, 2, 2}, {20.5f, 4, 43.5f, 6, 62.5f, 12, 118.5f, 14});
}

TEST(TosaEval, FullyConnectedAndMatMul) {
  std::string fc = R"(
  %w = "tosa.const"() <{value = dense<[[1.0, 2.0, 3.0], [-1.0, 0.0, 1.0]]> : tensor<2x3xf32>}> : () -> tensor<2x3xf32>
  %b = "tosa.const"() <{value = dense<[0.5, 1.0]> : tensor<2xf32>}> : () -> tensor<2xf32>
  %0 = tosa.fully_connected %x, %w, %b : (tensor<1x3xf32>, tensor<2x3xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  return %0 : tensor<1x2xf32>)";
  expectArray(eval1(fn("%x: tensor<1x3xf32>", "tensor<1x2xf32>", fc),
                    {{{1, 3}, {1, 1, 2}}}),
              {1, 2}, {9.5f, 2});
  Array mm = eval1(
      fn("%a: tensor<1x2x3xf32>, %b: tensor<1x3x1xf32>", "tensor<1x2x1xf32>",
         "%0 = tosa.matmul %a, %b : (tensor<1x2x3xf32>, tensor<1x3x1xf32>) "
         "-> tensor<1x2x1xf32>\nreturn %0 : tensor<1x2x1xf32>"),
      {{{1, 2, 3}, {1, 2, 3, 4, 5, 6}}, {{1, 3, 1}, {1, 0, -1}}});
  expectArray(mm, {1, 2, 1}, {-2, -2});
}

TEST(TosaEval, AvgPoolExcludesPaddingMaxPoolIgnoresIt) {
  // 1x2x2x1 input [[1,2],[3,4]], 2x2 windows, stride 1, padded by one on
  // bottom and right: the windows hold 4, 2, 2 and 1 real values.
  std::string attrs =
      "{kernel = array<i64: 2, 2>, pad = array<i64: 0, 1, 0, 1>, stride = "
      "array<i64: 1, 1>} : (tensor<1x2x2x1xf32>) -> tensor<1x2x2x1xf32>";
  std::vector<Array> in{{{1, 2, 2, 1}, {1, 2, 3, -4}}};
  Array avg =
      eval1(fn("%x: tensor<1x2x2x1xf32>", "tensor<1x2x2x1xf32>",
               "%0 = tosa.avg_pool2d %x {acc_type = f32, " + attrs.substr(1) +
                   "\nreturn %0 : tensor<1x2x2x1xf32>"),
            in);
  expectArray(avg, {1, 2, 2, 1}, {0.5f, -1, -0.5f, -4});
  Array mx = eval1(fn("%x: tensor<1x2x2x1xf32>", "tensor<1x2x2x1xf32>",
                      "%0 = tosa.max_pool2d %x " + attrs +
                          "\nreturn %0 : tensor<1x2x2x1xf32>"),
                   in);
  expectArray(mx, {1, 2, 2, 1}, {3, 2, 3, -4});
}

TEST(TosaEval, UnsupportedOpFailsNamingIt) {
  Evaluator e;
  std::vector<Array> out;
  EXPECT_TRUE(failed(e.run(fn("%a: tensor<2xf32>", "tensor<2xf32>",
                              "%0 = tosa.exp %a : (tensor<2xf32>) -> "
                              "tensor<2xf32>\nreturn %0 : tensor<2xf32>"),
                           {{{2}, {1, 2}}}, out)));
  EXPECT_NE(e.diagnostics.find("tosa.exp"), std::string::npos) << e.diagnostics;
}

TEST(TosaEval, WrongInputShapeFails) {
  Evaluator e;
  std::vector<Array> out;
  EXPECT_TRUE(failed(e.run(
      fn("%a: tensor<2xf32>", "tensor<2xf32>", "return %a : tensor<2xf32>"),
      {{{3}, {1, 2, 3}}}, out)));
  EXPECT_NE(e.diagnostics.find("input 0"), std::string::npos) << e.diagnostics;
}

TEST(TosaEval, TraceHoldsEveryResult) {
  Evaluator e;
  func::FuncOp f =
      e.parse(fn("%a: tensor<2xf32>", "tensor<2xf32>",
                 "%0 = tosa.abs %a : (tensor<2xf32>) -> tensor<2xf32>\n"
                 "%1 = tosa.add %0, %a : (tensor<2xf32>, tensor<2xf32>) -> "
                 "tensor<2xf32>\nreturn %1 : tensor<2xf32>"));
  ASSERT_TRUE(f) << e.diagnostics;
  std::vector<Array> out;
  llvm::DenseMap<Value, Array> trace;
  ASSERT_TRUE(succeeded(snnc::ann::evaluate(f, {{{2}, {-1, 2}}}, out, &trace)));
  ASSERT_EQ(trace.size(), 2u);
  Operation &absOp = f.front().front();
  expectArray(trace[absOp.getResult(0)], {2}, {1, 2});
  expectArray(out.front(), {2}, {0, 4});
}

// --- The corpus
// ---------------------------------------------------------------

fs::path corpus() {
  const char *env = std::getenv("SNNC_EXTERNAL_DATA");
  return fs::path(env ? env : SNNC_DEFAULT_EXTERNAL_DATA) / "onnx";
}

#define SKIP_WITHOUT_CORPUS()                                                  \
  if (!fs::exists(corpus()))                                                   \
  GTEST_SKIP() << "no external corpus at " << corpus()

snnc::Tensor load(const std::string &name) {
  auto t = snnc::readNpy((corpus() / name).string());
  EXPECT_TRUE(t.isOk()) << name << ": " << t.status().message();
  return t.isOk() ? std::move(t).value() : snnc::Tensor{};
}

struct Imported {
  Evaluator e;
  func::FuncOp main;
  std::vector<int64_t> inShape; // batch 1
};

void importModel(Imported &m, const std::string &name) {
  m.e.module = snnc::importOnnxFile((corpus() / name).string(), &m.e.ctx);
  ASSERT_TRUE(m.e.module) << name << ": " << m.e.diagnostics;
  m.main = m.e.module->lookupSymbol<func::FuncOp>("main");
  ASSERT_TRUE(m.main);
  ASSERT_EQ(m.main.getNumArguments(), 1u);
  auto t = cast<RankedTensorType>(m.main.getArgument(0).getType());
  m.inShape.assign(t.getShape().begin(), t.getShape().end());
  ASSERT_EQ(m.inShape.front(), 1);
}

// Sample `i` of `inputs` (leading dimension the batch), shaped as `shape`.
Array sample(const snnc::Tensor &inputs, int64_t i,
             const std::vector<int64_t> &shape) {
  int64_t n = snnc::numElements(shape);
  Array a{shape, {}};
  a.data.assign(inputs.data.begin() + i * n, inputs.data.begin() + (i + 1) * n);
  return a;
}

int64_t argmax(const float *v, int64_t n) {
  return int64_t(std::max_element(v, v + n) - v);
}

struct Reference {
  const char *model, *inputs, *logits, *labels;
  double accuracy;
};

// Accuracies: digits from digits_report.json (all 360 test rows). The
// mnist report's test_acc is over 2000 rows; the 200 stored here give 0.95
// and 0.945 with the stored reference logits, which is what is compared.
const Reference kReferences[] = {
    {"digits_mlp.onnx", "digits_mlp_test_inputs.npy",
     "digits_mlp_test_logits.npy", "digits_test_labels.npy", 0.9722},
    {"digits_cnn.onnx", "digits_cnn_test_inputs.npy",
     "digits_cnn_test_logits.npy", "digits_test_labels.npy", 0.9639},
    {"mnist_mlp.onnx", "mnist_test200_inputs.npy",
     "mnist_mlp_test200_logits.npy", "mnist_test200_labels.npy", 0.95},
    {"mnist_mlp_nobias.onnx", "mnist_test200_inputs.npy",
     "mnist_mlp_nobias_test200_logits.npy", "mnist_test200_labels.npy", 0.945},
};

class CorpusLogits : public ::testing::TestWithParam<Reference> {};

TEST_P(CorpusLogits, MatchReferenceAndAccuracy) {
  SKIP_WITHOUT_CORPUS();
  const Reference &ref = GetParam();
  Imported m;
  importModel(m, ref.model);
  if (HasFatalFailure())
    return;
  snnc::Tensor in = load(ref.inputs), want = load(ref.logits),
               labels = load(ref.labels);
  ASSERT_FALSE(in.shape.empty());
  int64_t n = in.shape.front();
  ASSERT_EQ(snnc::numElements(in.shape), n * snnc::numElements(m.inShape));
  ASSERT_EQ(want.shape.size(), 2u);
  ASSERT_EQ(want.shape[0], n);
  ASSERT_EQ(int64_t(labels.data.size()), n);
  int64_t classes = want.shape[1];
  double maxErr = 0.0;
  int64_t correct = 0;
  for (int64_t i = 0; i < n; ++i) {
    std::vector<Array> out;
    ASSERT_TRUE(
        succeeded(snnc::ann::evaluate(m.main, {sample(in, i, m.inShape)}, out)))
        << m.e.diagnostics;
    ASSERT_EQ(out.size(), 1u);
    ASSERT_EQ(out[0].shape, (std::vector<int64_t>{1, classes}));
    for (int64_t k = 0; k < classes; ++k)
      maxErr = std::max(maxErr, double(std::fabs(out[0].data[k] -
                                                 want.data[i * classes + k])));
    correct += argmax(out[0].data.data(), classes) == int64_t(labels.data[i]);
  }
  double acc = double(correct) / double(n);
  std::printf("%s: %lld samples, max abs error %.3g, accuracy %.4f\n",
              ref.model, (long long)n, maxErr, acc);
  EXPECT_LT(maxErr, 1e-4) << ref.model;
  EXPECT_NEAR(acc, ref.accuracy, 5e-5) << ref.model;
}

INSTANTIATE_TEST_SUITE_P(Corpus, CorpusLogits, ::testing::ValuesIn(kReferences),
                         [](const ::testing::TestParamInfo<Reference> &p) {
                           std::string s = p.param.model;
                           s = s.substr(0, s.find('.'));
                           std::erase(s, '_');
                           return s;
                         });

// The two N-MNIST files spell sum pooling differently (avg * 4 versus
// LpPool with p = 1 through abs/pow/sign); evaluated, they must agree.
TEST(CorpusNmnist, SumPoolSpellingsAgree) {
  SKIP_WITHOUT_CORPUS();
  Imported avg, lp;
  importModel(avg, "nmnist_cnn_avgx4.onnx");
  importModel(lp, "nmnist_cnn_lppool.onnx");
  if (HasFatalFailure())
    return;
  ASSERT_EQ(avg.inShape, lp.inShape);
  // Deterministic event-count-like inputs: small non-negative integers.
  uint32_t state = 12345;
  double maxErr = 0.0, maxAbs = 0.0;
  for (int s = 0; s < 4; ++s) {
    Array x{avg.inShape, {}};
    for (int64_t i = 0; i < snnc::numElements(avg.inShape); ++i) {
      state = state * 1664525u + 1013904223u;
      x.data.push_back(float((state >> 24) % (s + 2)));
    }
    std::vector<Array> a, b;
    ASSERT_TRUE(succeeded(snnc::ann::evaluate(avg.main, {x}, a)))
        << avg.e.diagnostics;
    ASSERT_TRUE(succeeded(snnc::ann::evaluate(lp.main, {x}, b)))
        << lp.e.diagnostics;
    ASSERT_EQ(a[0].shape, b[0].shape);
    for (size_t k = 0; k < a[0].data.size(); ++k) {
      maxErr = std::max(maxErr, double(std::fabs(a[0].data[k] - b[0].data[k])));
      maxAbs = std::max(maxAbs, double(std::fabs(a[0].data[k])));
    }
  }
  std::printf("nmnist avgx4 vs lppool: max abs difference %.3g (outputs up "
              "to %.3g)\n",
              maxErr, maxAbs);
  EXPECT_GT(maxAbs, 0.0) << "all outputs zero: the comparison says nothing";
  EXPECT_LT(maxErr, 1e-4);
}

// The first member of the .npz `path` (a zip archive; deflated or stored),
// read through a temporary .npy file so that readNpy parses it. Only what
// numpy.savez(_compressed) writes is handled: a local header at offset 0,
// with or without zip64 sizes.
snnc::StatusOr<snnc::Tensor> readFirstNpzMember(const fs::path &path) {
  std::ifstream f(path, std::ios::binary);
  std::string zip((std::istreambuf_iterator<char>(f)),
                  std::istreambuf_iterator<char>());
  auto u16 = [&](size_t at) {
    return uint32_t(uint8_t(zip[at])) | uint32_t(uint8_t(zip[at + 1])) << 8;
  };
  auto u32 = [&](size_t at) { return u16(at) | u16(at + 2) << 16; };
  if (zip.size() < 30 || u32(0) != 0x04034b50u)
    return snnc::Status(snnc::StatusCode::kInvalidArgument,
                        path.string() + ": not a zip archive");
  uint32_t method = u16(8);
  size_t data = 30 + u16(26) + u16(28);
  // Inflating until the stream ends needs no sizes, zip64 or not.
  std::string npy;
  if (method == 0) {
    npy = zip.substr(data, u32(18));
  } else if (method == 8) {
    z_stream z{};
    if (inflateInit2(&z, -MAX_WBITS) != Z_OK)
      return snnc::Status(snnc::StatusCode::kInternal, "inflateInit2");
    z.next_in = reinterpret_cast<Bytef *>(zip.data() + data);
    z.avail_in = uInt(zip.size() - data);
    int rc = Z_OK;
    char buf[1 << 16];
    while (rc == Z_OK) {
      z.next_out = reinterpret_cast<Bytef *>(buf);
      z.avail_out = sizeof buf;
      rc = inflate(&z, Z_NO_FLUSH);
      npy.append(buf, sizeof buf - z.avail_out);
    }
    inflateEnd(&z);
    if (rc != Z_STREAM_END)
      return snnc::Status(snnc::StatusCode::kDataLoss,
                          path.string() + ": bad deflate stream");
  } else {
    return snnc::Status(snnc::StatusCode::kInvalidArgument,
                        path.string() + ": zip method " +
                            std::to_string(method));
  }
  fs::path tmp = fs::temp_directory_path() /
                 ("tosa-eval-" + std::to_string(::getpid()) + ".npy");
  std::ofstream(tmp, std::ios::binary).write(npy.data(), npy.size());
  auto t = snnc::readNpy(tmp.string());
  fs::remove(tmp);
  return t;
}

// nmnist_report.json: both ANNs on the sum of all frames of
// nmnist_sample_frames_1ms.npz give these outputs (argmax 4). The report's
// n_frames_used = 300 is not what these were computed on: the first 300
// frames give 176.323 and 53.952, all 310 the values below.
TEST(CorpusNmnist, SummedFramesMatchReport) {
  SKIP_WITHOUT_CORPUS();
  auto frames = readFirstNpzMember(corpus() / "nmnist_sample_frames_1ms.npz");
  ASSERT_TRUE(frames.isOk()) << frames.status().message();
  ASSERT_EQ(frames->shape.size(), 4u);
  const std::vector<float> want{
      0, 0, 0, 0, 173.94900512695312f, 0, 0, 52.69430160522461f, 0, 0};
  for (const char *model :
       {"nmnist_cnn_avgx4.onnx", "nmnist_cnn_lppool.onnx"}) {
    Imported m;
    importModel(m, model);
    if (HasFatalFailure())
      return;
    int64_t n = snnc::numElements(m.inShape);
    ASSERT_EQ(n * frames->shape[0], int64_t(frames->data.size()));
    Array x{m.inShape, std::vector<float>(n, 0.0f)};
    for (int64_t t = 0; t < frames->shape[0]; ++t)
      for (int64_t i = 0; i < n; ++i)
        x.data[i] += frames->data[t * n + i];
    std::vector<Array> out;
    ASSERT_TRUE(succeeded(snnc::ann::evaluate(m.main, {x}, out)))
        << m.e.diagnostics;
    ASSERT_EQ(out[0].data.size(), want.size());
    double maxErr = 0.0;
    for (size_t k = 0; k < want.size(); ++k)
      maxErr = std::max(maxErr, double(std::fabs(out[0].data[k] - want[k])));
    std::printf("%s on summed frames: max abs error %.3g vs the report\n",
                model, maxErr);
    EXPECT_LT(maxErr, 1e-4) << model;
    EXPECT_EQ(argmax(out[0].data.data(), 10), 4) << model;
  }
}

} // namespace
