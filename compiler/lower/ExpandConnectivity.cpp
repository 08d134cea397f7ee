//===- ExpandConnectivity.cpp - snn-expand-connectivity -------------------===//
//
// snn.connect -> snn.sparse with resource blobs, by the generator the
// lowering and the runtime use (LowerExtensions.cpp builds the spec).
//
//===----------------------------------------------------------------------===//
#include "compiler/lower/LowerExtensions.h"
#include "compiler/lower/NmcConvert.h"
#include "compiler/lower/Passes.h"

#include "dialects/snn/IR/SNNDialect.h"

#include "mlir/IR/AsmState.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"

#include <thread>

namespace snnc::lower {
#define GEN_PASS_DEF_SNNEXPANDCONNECTIVITY
#include "compiler/lower/Passes.h.inc"
} // namespace snnc::lower

using namespace mlir;

namespace {

template <typename T>
ElementsAttr blob(MLIRContext *ctx, StringRef name, Type elem,
                  ArrayRef<T> values) {
  auto type = RankedTensorType::get({int64_t(values.size())}, elem);
  return DenseResourceElementsAttr::get(
      type, snnc::resourceKey(name),
      HeapAsmResourceBlob::allocateAndCopyInferAlign(values));
}

struct ExpandConnectivityPass
    : public snnc::lower::impl::SNNExpandConnectivityBase<
          ExpandConnectivityPass> {
  using SNNExpandConnectivityBase::SNNExpandConnectivityBase;

  LogicalResult expand(snnc::snn::ConnectOp op, double dt) {
    // Autapses depend on the target: a rule that feeds its own source
    // population and another one would expand differently for each.
    Operation *source = op.getInputs()[0].getDefiningOp();
    bool same = false, other = false;
    for (Operation *user : op->getUsers())
      (user == source ? same : other) = true;
    if (same && other && !op.getAutapses())
      return op.emitOpError()
             << "node '" << op.getName()
             << "': excludes autapses but feeds its source population and "
                "another one; give each target its own snn.connect";
    snnc::procedural::ConnectSpec spec = snnc::connectSpec(op, same, dt);
    unsigned n = threads ? unsigned(threads)
                         : std::max(1u, std::thread::hardware_concurrency());
    auto syn = snnc::procedural::expand(spec, n, memoryBudgetMiB << 20);
    if (!syn.isOk())
      return op.emitOpError()
             << "node '" << op.getName() << "': " << syn.status().message();
    MLIRContext *ctx = op.getContext();
    std::vector<int32_t> pre(syn->targets.size());
    for (size_t row = 0; row + 1 < syn->rowStart.size(); ++row)
      for (uint32_t k = syn->rowStart[row]; k < syn->rowStart[row + 1]; ++k)
        pre[k] = int32_t(row);
    std::vector<int32_t> post(syn->targets.begin(), syn->targets.end());
    std::vector<float> delays;
    delays.reserve(syn->delaySteps.size());
    for (uint16_t d : syn->delaySteps)
      delays.push_back(float(double(d) * dt));
    std::string name = op.getName().str();
    auto i32 = IntegerType::get(ctx, 32);
    auto f32 = Float32Type::get(ctx);
    OpBuilder b(op);
    auto weights = ArrayRef<float>(syn->weights);
    ElementsAttr w = weights.size() == 1
                         ? ElementsAttr(DenseElementsAttr::get(
                               RankedTensorType::get({1}, f32), weights))
                         : blob(ctx, name + "_weight", f32, weights);
    ElementsAttr d;
    if (delays.size() == 1)
      d = DenseElementsAttr::get(RankedTensorType::get({1}, f32),
                                 ArrayRef<float>(delays));
    else if (!delays.empty())
      d = blob(ctx, name + "_delay", f32, ArrayRef<float>(delays));
    auto sparse = b.create<snnc::snn::SparseOp>(
        op.getLoc(), op.getType(), op.getNameAttr(), op.getInputs(),
        blob(ctx, name + "_pre", i32, ArrayRef<int32_t>(pre)),
        blob(ctx, name + "_post", i32, ArrayRef<int32_t>(post)), w, d,
        op.getReceptorAttr());
    op.replaceAllUsesWith(sparse.getResult());
    op.erase();
    return success();
  }

  void runOnOperation() override {
    SmallVector<std::pair<snnc::snn::ConnectOp, double>> todo;
    WalkResult r = getOperation().walk([&](snnc::snn::ConnectOp op) {
      auto net = op->getParentOfType<snnc::snn::NetworkOp>();
      auto disc = net ? net->getAttrOfType<DictionaryAttr>("snn.discretization")
                      : DictionaryAttr();
      auto dt = disc ? disc.getAs<FloatAttr>("dt") : FloatAttr();
      if (!dt) {
        op.emitOpError() << "node '" << op.getName()
                         << "': the network is not discretized; run "
                            "snn-discretize first (delays are rounded to its "
                            "dt)";
        return WalkResult::interrupt();
      }
      todo.push_back({op, dt.getValueAsDouble()});
      return WalkResult::advance();
    });
    if (r.wasInterrupted())
      return signalPassFailure();
    for (auto [op, dt] : todo)
      if (failed(expand(op, dt)))
        return signalPassFailure();
  }
};

} // namespace
