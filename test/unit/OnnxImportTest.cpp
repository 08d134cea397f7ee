//===- OnnxImportTest.cpp - Structure of imported corpus ANNs -------------===//
//
// nmnist_cnn_avgx4.onnx and nmnist_cnn_lppool.onnx are one network with two
// spellings of sum pooling: after import both must hold the same conv2d and
// fully_connected weights, in the same order, differing only between them.
// Nothing is evaluated.
//
//===----------------------------------------------------------------------===//
#include "compiler/onnx/OnnxImport.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>

namespace fs = std::filesystem;
using namespace mlir;

namespace {

fs::path corpus() {
  const char *env = std::getenv("SNNC_EXTERNAL_DATA");
  return fs::path(env ? env : SNNC_DEFAULT_EXTERNAL_DATA) / "onnx";
}

struct Layers {
  std::vector<DenseElementsAttr> weights; // conv2d, then fully_connected
  std::vector<std::string> ops;           // every op name, in order
};

Layers layers(ModuleOp m) {
  Layers l;
  m.walk([&](Operation *op) {
    l.ops.push_back(op->getName().getStringRef().str());
    Value w;
    if (auto c = dyn_cast<tosa::Conv2DOp>(op))
      w = c.getWeight();
    else if (auto f = dyn_cast<tosa::FullyConnectedOp>(op))
      w = f.getWeight();
    if (!w)
      return;
    auto c = w.getDefiningOp<tosa::ConstOp>();
    ASSERT_TRUE(c) << "weight is not a tosa.const";
    l.weights.push_back(cast<DenseElementsAttr>(c.getValue()));
  });
  return l;
}

size_t count(const Layers &l, StringRef name) {
  return std::count(l.ops.begin(), l.ops.end(), name.str());
}

TEST(OnnxImport, SumPoolSpellingsShareWeights) {
  fs::path avg = corpus() / "nmnist_cnn_avgx4.onnx";
  fs::path lp = corpus() / "nmnist_cnn_lppool.onnx";
  if (!fs::exists(avg) || !fs::exists(lp))
    GTEST_SKIP() << "corpus not found at " << corpus();
  MLIRContext ctx;
  // The dynamic-batch remarks are expected; errors fail the imports below.
  ScopedDiagnosticHandler quiet(&ctx, [](Diagnostic &) { return success(); });
  OwningOpRef<ModuleOp> a = snnc::importOnnxFile(avg.string(), &ctx);
  OwningOpRef<ModuleOp> b = snnc::importOnnxFile(lp.string(), &ctx);
  ASSERT_TRUE(a && b);
  Layers la = layers(*a), lb = layers(*b);
  ASSERT_EQ(la.weights.size(), 5u); // 3 conv2d + 2 fully_connected
  ASSERT_EQ(lb.weights.size(), la.weights.size());
  for (size_t k = 0; k < la.weights.size(); ++k)
    EXPECT_EQ(la.weights[k], lb.weights[k]) << "layer " << k;
  EXPECT_EQ(count(la, "tosa.conv2d"), 3u);
  EXPECT_EQ(count(la, "tosa.avg_pool2d"), 2u);
  EXPECT_EQ(count(lb, "tosa.avg_pool2d"), 2u);
  // Only the LpPool spelling needs pow and the select-based sign.
  EXPECT_EQ(count(la, "tosa.pow"), 0u);
  EXPECT_EQ(count(lb, "tosa.pow"), 4u);
  EXPECT_EQ(count(lb, "tosa.select"), 4u);
  EXPECT_EQ(count(lb, "tosa.abs"), 2u);
  for (ModuleOp m : {*a, *b}) {
    auto main = m.lookupSymbol<func::FuncOp>("main");
    ASSERT_TRUE(main);
    EXPECT_EQ(main.getFunctionType().getInput(0),
              RankedTensorType::get({1, 2, 34, 34}, Float32Type::get(&ctx)));
    EXPECT_EQ(main.getFunctionType().getResult(0),
              RankedTensorType::get({1, 10}, Float32Type::get(&ctx)));
  }
}

} // namespace
