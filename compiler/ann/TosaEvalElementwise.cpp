//===- TosaEvalElementwise.cpp - Elementwise TOSA ops ---------------------===//
//
// Arithmetic in float32, as TOSA defines it for f32 tensors. Operands
// broadcast as TOSA allows: equal ranks, each dimension equal or 1.
//
//===----------------------------------------------------------------------===//
#include "compiler/ann/TosaEvalImpl.h"

#include <cmath>

using namespace mlir;

namespace snnc::ann::detail {
namespace {

// The broadcast shape of `ins`, or an error: TOSA broadcasts only between
// operands of equal rank (the importer inserts the reshapes).
FailureOr<std::vector<int64_t>> broadcastShape(Operation *op,
                                               ArrayRef<const Array *> ins) {
  std::vector<int64_t> out = ins.front()->shape;
  for (const Array *a : ins) {
    bool ok = a->shape.size() == out.size();
    for (size_t d = 0; ok && d < out.size(); ++d) {
      if (a->shape[d] == out[d] || a->shape[d] == 1)
        continue;
      if (out[d] == 1)
        out[d] = a->shape[d];
      else
        ok = false;
    }
    if (!ok) {
      op->emitError() << "evaluator: operand shapes "
                      << shapeString(ins.front()->shape) << " and "
                      << shapeString(a->shape) << " do not broadcast";
      return failure();
    }
  }
  return out;
}

// Applies `f` to the operands' values at each index of the broadcast shape.
template <typename F>
FailureOr<Array> mapN(Operation *op, ArrayRef<const Array *> ins, F f) {
  FailureOr<std::vector<int64_t>> shape = broadcastShape(op, ins);
  if (failed(shape))
    return failure();
  Array r{*shape, {}};
  int64_t n = numElements(r.shape);
  r.data.resize(n);
  size_t rank = r.shape.size();
  // Per operand, the element stride of each output dimension; 0 where the
  // operand's extent is 1 keeps reading the same element.
  SmallVector<SmallVector<int64_t>> st;
  for (const Array *a : ins) {
    SmallVector<int64_t> s(rank, 0);
    int64_t acc = 1;
    for (int64_t d = int64_t(rank) - 1; d >= 0; --d) {
      s[d] = a->shape[d] == 1 ? 0 : acc;
      acc *= a->shape[d];
    }
    st.push_back(std::move(s));
  }
  SmallVector<int64_t> idx(rank, 0);
  SmallVector<float, 3> vals(ins.size());
  for (int64_t o = 0; o < n; ++o) {
    for (size_t k = 0; k < ins.size(); ++k) {
      int64_t off = 0;
      for (size_t d = 0; d < rank; ++d)
        off += idx[d] * st[k][d];
      vals[k] = ins[k]->data[off];
    }
    r.data[o] = f(ArrayRef<float>(vals));
    for (int64_t d = int64_t(rank) - 1; d >= 0; --d) {
      if (++idx[d] < r.shape[d])
        break;
      idx[d] = 0;
    }
  }
  return r;
}

FailureOr<Array> unary(Operation *op, const Env &env, float (*f)(float)) {
  FailureOr<const Array *> x = getF32(op, op->getOperand(0), env);
  if (failed(x))
    return failure();
  return mapN(op, {*x}, [f](ArrayRef<float> v) { return f(v[0]); });
}

FailureOr<Array> binary(Operation *op, const Env &env,
                        float (*f)(float, float)) {
  FailureOr<const Array *> a = getF32(op, op->getOperand(0), env);
  FailureOr<const Array *> b = getF32(op, op->getOperand(1), env);
  if (failed(a) || failed(b))
    return failure();
  return mapN(op, {*a, *b}, [f](ArrayRef<float> v) { return f(v[0], v[1]); });
}

FailureOr<Array> evalClamp(tosa::ClampOp op, const Env &env) {
  FailureOr<const Array *> x = getF32(op, op.getInput(), env);
  if (failed(x))
    return failure();
  // For float tensors TOSA reads only min_fp/max_fp; the int bounds are
  // there for integer inputs.
  float lo = float(op.getMinFp().convertToDouble());
  float hi = float(op.getMaxFp().convertToDouble());
  if (!(lo <= hi)) {
    op.emitError() << "evaluator: clamp min_fp " << lo << " exceeds max_fp "
                   << hi;
    return failure();
  }
  return mapN(op, {*x}, [lo, hi](ArrayRef<float> v) {
    return std::min(std::max(v[0], lo), hi);
  });
}

FailureOr<Array> evalSelect(tosa::SelectOp op, const Env &env) {
  if (!getElementTypeOrSelf(op.getPred().getType()).isInteger(1)) {
    op.emitError() << "evaluator: the predicate must be i1";
    return failure();
  }
  FailureOr<const Array *> p = getAny(op, op.getPred(), env);
  FailureOr<const Array *> t = getF32(op, op.getOnTrue(), env);
  FailureOr<const Array *> f = getF32(op, op.getOnFalse(), env);
  if (failed(p) || failed(t) || failed(f))
    return failure();
  return mapN(op, {*p, *t, *f},
              [](ArrayRef<float> v) { return v[0] != 0.0f ? v[1] : v[2]; });
}

} // namespace

FailureOr<Array> evalElementwise(Operation *op, const Env &env) {
  // Plain dyn_casts, not TypeSwitch: GCC 12 reports a spurious
  // maybe-uninitialized in TypeSwitch's optional<FailureOr<Array>>.
  if (isa<tosa::AddOp>(op))
    return binary(op, env, [](float a, float b) { return a + b; });
  if (isa<tosa::SubOp>(op))
    return binary(op, env, [](float a, float b) { return a - b; });
  if (auto o = dyn_cast<tosa::MulOp>(op)) {
    // shift scales integer products only; TOSA requires 0 for floats.
    if (o.getShift() != 0) {
      o.emitError() << "evaluator: tosa.mul shift " << int(o.getShift())
                    << " on f32 (must be 0)";
      return failure();
    }
    return binary(op, env, [](float a, float b) { return a * b; });
  }
  if (isa<tosa::PowOp>(op))
    return binary(op, env, [](float a, float b) { return std::pow(a, b); });
  if (auto o = dyn_cast<tosa::GreaterOp>(op)) {
    if (!getElementTypeOrSelf(o.getType()).isInteger(1)) {
      o.emitError() << "evaluator: tosa.greater must give i1";
      return failure();
    }
    return binary(op, env,
                  [](float a, float b) { return a > b ? 1.0f : 0.0f; });
  }
  if (isa<tosa::AbsOp>(op))
    return unary(op, env, [](float a) { return std::fabs(a); });
  if (isa<tosa::ReciprocalOp>(op))
    return unary(op, env, [](float a) { return 1.0f / a; });
  if (isa<tosa::RsqrtOp>(op))
    return unary(op, env, [](float a) { return 1.0f / std::sqrt(a); });
  if (auto o = dyn_cast<tosa::ClampOp>(op))
    return evalClamp(o, env);
  if (auto o = dyn_cast<tosa::SelectOp>(op))
    return evalSelect(o, env);
  op->emitError() << "evaluator: op " << op->getName() << " is not supported";
  return failure();
}

} // namespace snnc::ann::detail
