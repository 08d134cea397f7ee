//===- TosaEval.cpp - Driver and data-movement ops ------------------------===//
//
// The driver walks the function's single block in order, keeping one Array
// per SSA value. Constants, transpose, reshape, slice, concat and pad live
// here; arithmetic in TosaEvalElementwise.cpp and TosaEvalLinear.cpp.
//
//===----------------------------------------------------------------------===//
#include "compiler/ann/TosaEvalImpl.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;

namespace snnc::ann {
namespace detail {

int64_t numElements(ArrayRef<int64_t> shape) {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  return n;
}

std::string shapeString(ArrayRef<int64_t> shape) {
  std::string s;
  llvm::raw_string_ostream os(s);
  os << '[';
  llvm::interleave(shape, os, ", ");
  os << ']';
  return s;
}

FailureOr<SmallVector<int64_t>> staticShape(Operation *op, Type type,
                                            StringRef what) {
  auto t = dyn_cast<RankedTensorType>(type);
  if (!t || !t.hasStaticShape()) {
    op->emitError() << "evaluator: " << what << " has type " << type
                    << "; only ranked tensors of static shape are supported";
    return failure();
  }
  return SmallVector<int64_t>(t.getShape());
}

LogicalResult requireElement(Operation *op, Value v, StringRef what,
                             bool allowI1) {
  Type e = getElementTypeOrSelf(v.getType());
  if (e.isF32() || (allowI1 && e.isInteger(1)))
    return success();
  op->emitError() << "evaluator: " << op->getName() << " with " << what
                  << " of element type " << e << " is not supported (f32"
                  << (allowI1 ? " or i1" : "") << " only)";
  return failure();
}

FailureOr<const Array *> getAny(Operation *op, Value v, const Env &env) {
  auto it = env.find(v);
  if (it == env.end()) {
    op->emitError() << "evaluator: an operand of " << op->getName()
                    << " has no value (not defined in the function's block)";
    return failure();
  }
  FailureOr<SmallVector<int64_t>> shape =
      staticShape(op, v.getType(), "an operand");
  if (failed(shape))
    return failure();
  if (ArrayRef<int64_t>(*shape) != ArrayRef<int64_t>(it->second.shape)) {
    op->emitError() << "evaluator: an operand of " << op->getName()
                    << " holds shape " << shapeString(it->second.shape)
                    << " but its type says " << shapeString(*shape);
    return failure();
  }
  return &it->second;
}

FailureOr<const Array *> getF32(Operation *op, Value v, const Env &env) {
  if (failed(requireElement(op, v, "an operand")))
    return failure();
  return getAny(op, v, env);
}

} // namespace detail

using namespace detail;

namespace {

// Integer constants (perms, padding) and i1 are kept as floats; refusing
// values float cannot hold exactly keeps that lossless.
FailureOr<Array> evalConst(tosa::ConstOp op) {
  auto attr = dyn_cast<DenseElementsAttr>(op.getValue());
  if (!attr) {
    op.emitError() << "evaluator: tosa.const value " << op.getValue()
                   << " is not a dense elements attribute";
    return failure();
  }
  Array r;
  r.shape.assign(attr.getType().getShape().begin(),
                 attr.getType().getShape().end());
  Type e = attr.getElementType();
  if (e.isF32()) {
    for (float v : attr.getValues<float>())
      r.data.push_back(v);
  } else if (e.isInteger(1)) {
    for (bool v : attr.getValues<bool>())
      r.data.push_back(v ? 1.0f : 0.0f);
  } else if (e.isSignlessInteger(32) || e.isSignlessInteger(64)) {
    for (const APInt &v : attr.getValues<APInt>()) {
      int64_t x = v.getSExtValue();
      if (x > (int64_t(1) << 24) || x < -(int64_t(1) << 24)) {
        op.emitError() << "evaluator: integer constant " << x
                       << " is beyond the exactly representable range";
        return failure();
      }
      r.data.push_back(float(x));
    }
  } else {
    op.emitError() << "evaluator: tosa.const of element type " << e
                   << " is not supported (f32, i1, i32, i64 only)";
    return failure();
  }
  return r;
}

// Row-major strides of `shape`.
SmallVector<int64_t> strides(ArrayRef<int64_t> shape) {
  SmallVector<int64_t> s(shape.size(), 1);
  for (int64_t d = int64_t(shape.size()) - 2; d >= 0; --d)
    s[d] = s[d + 1] * shape[d + 1];
  return s;
}

// Advances the multi-index `idx` over `shape`; false after the last one.
bool next(SmallVectorImpl<int64_t> &idx, ArrayRef<int64_t> shape) {
  for (int64_t d = int64_t(shape.size()) - 1; d >= 0; --d) {
    if (++idx[d] < shape[d])
      return true;
    idx[d] = 0;
  }
  return false;
}

FailureOr<Array> evalTranspose(tosa::TransposeOp op, const Env &env) {
  FailureOr<const Array *> x = getF32(op, op.getInput1(), env);
  FailureOr<const Array *> p = getAny(op, op.getPerms(), env);
  if (failed(x) || failed(p))
    return failure();
  const Array &in = **x;
  size_t rank = in.shape.size();
  SmallVector<int64_t> perm;
  SmallVector<bool> seen(rank, false);
  for (float v : (*p)->data) {
    int64_t k = int64_t(v);
    if (k < 0 || k >= int64_t(rank) || seen[k]) {
      perm.clear();
      break;
    }
    seen[k] = true;
    perm.push_back(k);
  }
  if (perm.size() != rank) {
    op.emitError() << "evaluator: perms are not a permutation of [0, " << rank
                   << ")";
    return failure();
  }
  Array r;
  for (int64_t k : perm)
    r.shape.push_back(in.shape[k]);
  r.data.resize(in.data.size());
  if (in.data.empty())
    return r;
  SmallVector<int64_t> inStrides = strides(in.shape);
  SmallVector<int64_t> idx(rank, 0);
  int64_t o = 0;
  do {
    int64_t off = 0;
    for (size_t d = 0; d < rank; ++d)
      off += idx[d] * inStrides[perm[d]];
    r.data[o++] = in.data[off];
  } while (next(idx, r.shape));
  return r;
}

FailureOr<Array> evalReshape(tosa::ReshapeOp op, const Env &env) {
  FailureOr<const Array *> x = getF32(op, op.getInput1(), env);
  FailureOr<SmallVector<int64_t>> out =
      staticShape(op, op.getType(), "the result");
  if (failed(x) || failed(out))
    return failure();
  ArrayRef<int64_t> ns = op.getNewShape();
  bool agrees = ns.size() == out->size();
  for (size_t d = 0; agrees && d < ns.size(); ++d)
    agrees = ns[d] == (*out)[d] || ns[d] == -1;
  if (!agrees || numElements(*out) != int64_t((*x)->data.size())) {
    op.emitError() << "evaluator: new_shape " << shapeString(ns)
                   << " does not match the result " << shapeString(*out)
                   << " or the input's " << (*x)->data.size() << " elements";
    return failure();
  }
  return Array{std::vector<int64_t>(out->begin(), out->end()), (*x)->data};
}

FailureOr<Array> evalSlice(tosa::SliceOp op, const Env &env) {
  FailureOr<const Array *> x = getF32(op, op.getInput(), env);
  if (failed(x))
    return failure();
  const Array &in = **x;
  ArrayRef<int64_t> start = op.getStart(), size = op.getSize();
  size_t rank = in.shape.size();
  bool ok = start.size() == rank && size.size() == rank;
  for (size_t d = 0; ok && d < rank; ++d)
    ok = start[d] >= 0 && size[d] >= 0 && start[d] + size[d] <= in.shape[d];
  if (!ok) {
    op.emitError() << "evaluator: slice start " << shapeString(start)
                   << " size " << shapeString(size) << " is out of "
                   << shapeString(in.shape);
    return failure();
  }
  Array r{std::vector<int64_t>(size.begin(), size.end()), {}};
  if (numElements(size) == 0)
    return r;
  SmallVector<int64_t> inStrides = strides(in.shape);
  SmallVector<int64_t> idx(rank, 0);
  do {
    int64_t off = 0;
    for (size_t d = 0; d < rank; ++d)
      off += (start[d] + idx[d]) * inStrides[d];
    r.data.push_back(in.data[off]);
  } while (next(idx, size));
  return r;
}

FailureOr<Array> evalConcat(tosa::ConcatOp op, const Env &env) {
  SmallVector<const Array *> ins;
  for (Value v : op.getInput1()) {
    FailureOr<const Array *> a = getF32(op, v, env);
    if (failed(a))
      return failure();
    ins.push_back(*a);
  }
  if (ins.empty()) {
    op.emitError() << "evaluator: concat of no operands";
    return failure();
  }
  int64_t rank = int64_t(ins.front()->shape.size());
  int64_t axis = op.getAxis();
  if (axis < 0 || axis >= rank) {
    op.emitError() << "evaluator: concat axis " << axis << " out of range";
    return failure();
  }
  Array r{ins.front()->shape, {}};
  r.shape[axis] = 0;
  for (const Array *a : ins) {
    for (int64_t d = 0; d < rank; ++d)
      if (d != axis && (int64_t(a->shape.size()) != rank ||
                        a->shape[d] != ins.front()->shape[d])) {
        op.emitError() << "evaluator: concat operand shapes "
                       << shapeString(a->shape) << " and "
                       << shapeString(ins.front()->shape) << " disagree";
        return failure();
      }
    r.shape[axis] += a->shape[axis];
  }
  // Each operand contributes a contiguous run per index of the outer dims.
  int64_t outer = numElements(ArrayRef<int64_t>(r.shape).take_front(axis));
  for (int64_t o = 0; o < outer; ++o)
    for (const Array *a : ins) {
      int64_t run = numElements(ArrayRef<int64_t>(a->shape).drop_front(axis));
      r.data.insert(r.data.end(), a->data.begin() + o * run,
                    a->data.begin() + (o + 1) * run);
    }
  return r;
}

FailureOr<Array> evalPad(tosa::PadOp op, const Env &env) {
  if (op.getQuantizationInfo()) {
    op.emitError() << "evaluator: tosa.pad quantization_info is not supported";
    return failure();
  }
  FailureOr<const Array *> x = getF32(op, op.getInput1(), env);
  FailureOr<const Array *> p = getAny(op, op.getPadding(), env);
  if (failed(x) || failed(p))
    return failure();
  float value = 0.0f;
  if (Value c = op.getPadConst()) {
    FailureOr<const Array *> pc = getF32(op, c, env);
    if (failed(pc))
      return failure();
    if ((*pc)->data.size() != 1) {
      op.emitError() << "evaluator: pad_const must hold one value";
      return failure();
    }
    value = (*pc)->data.front();
  }
  const Array &in = **x;
  size_t rank = in.shape.size();
  const std::vector<float> &pads = (*p)->data;
  if (pads.size() != 2 * rank) {
    op.emitError() << "evaluator: padding holds " << pads.size()
                   << " values for a rank-" << rank << " input";
    return failure();
  }
  Array r{in.shape, {}};
  for (size_t d = 0; d < rank; ++d) {
    if (pads[2 * d] < 0 || pads[2 * d + 1] < 0) {
      op.emitError() << "evaluator: negative padding is not supported";
      return failure();
    }
    r.shape[d] += int64_t(pads[2 * d]) + int64_t(pads[2 * d + 1]);
  }
  r.data.assign(numElements(r.shape), value);
  if (in.data.empty())
    return r;
  SmallVector<int64_t> outStrides = strides(r.shape);
  SmallVector<int64_t> idx(rank, 0);
  int64_t i = 0;
  do {
    int64_t off = 0;
    for (size_t d = 0; d < rank; ++d)
      off += (idx[d] + int64_t(pads[2 * d])) * outStrides[d];
    r.data[off] = in.data[i++];
  } while (next(idx, in.shape));
  return r;
}

FailureOr<Array> evalOp(Operation &op, const Env &env) {
  // dyn_casts rather than TypeSwitch: see TosaEvalElementwise.cpp.
  if (auto o = dyn_cast<tosa::ConstOp>(op))
    return evalConst(o);
  if (auto o = dyn_cast<tosa::TransposeOp>(op))
    return evalTranspose(o, env);
  if (auto o = dyn_cast<tosa::ReshapeOp>(op))
    return evalReshape(o, env);
  if (auto o = dyn_cast<tosa::SliceOp>(op))
    return evalSlice(o, env);
  if (auto o = dyn_cast<tosa::ConcatOp>(op))
    return evalConcat(o, env);
  if (auto o = dyn_cast<tosa::PadOp>(op))
    return evalPad(o, env);
  if (auto o = dyn_cast<tosa::Conv2DOp>(op))
    return evalConv2D(o, env);
  if (auto o = dyn_cast<tosa::FullyConnectedOp>(op))
    return evalFullyConnected(o, env);
  if (auto o = dyn_cast<tosa::MatMulOp>(op))
    return evalMatMul(o, env);
  if (auto o = dyn_cast<tosa::AvgPool2dOp>(op))
    return evalAvgPool2d(o, env);
  if (auto o = dyn_cast<tosa::MaxPool2dOp>(op))
    return evalMaxPool2d(o, env);
  return evalElementwise(&op, env);
}

} // namespace

LogicalResult evaluate(func::FuncOp func, const std::vector<Array> &inputs,
                       std::vector<Array> &outputs,
                       llvm::DenseMap<Value, Array> *trace) {
  if (func.isExternal() || !func.getBody().hasOneBlock()) {
    func.emitError() << "evaluator: the function must have one block";
    return failure();
  }
  Block &block = func.front();
  if (inputs.size() != block.getNumArguments()) {
    func.emitError() << "evaluator: " << inputs.size() << " inputs given for "
                     << block.getNumArguments() << " arguments";
    return failure();
  }
  Env env;
  for (BlockArgument arg : block.getArguments()) {
    const Array &in = inputs[arg.getArgNumber()];
    FailureOr<SmallVector<int64_t>> shape =
        staticShape(func, arg.getType(), "an argument");
    if (failed(shape) || failed(requireElement(func, arg, "an argument")))
      return failure();
    if (ArrayRef<int64_t>(*shape) != ArrayRef<int64_t>(in.shape) ||
        int64_t(in.data.size()) != numElements(in.shape)) {
      func.emitError() << "evaluator: input " << arg.getArgNumber()
                       << " has shape " << shapeString(in.shape) << " and "
                       << in.data.size() << " values; the argument is "
                       << arg.getType();
      return failure();
    }
    env[arg] = in;
  }
  for (Operation &op : block) {
    if (auto ret = dyn_cast<func::ReturnOp>(op)) {
      outputs.clear();
      for (Value v : ret.getOperands()) {
        FailureOr<const Array *> a = getAny(ret, v, env);
        if (failed(a))
          return failure();
        outputs.push_back(**a);
      }
      return success();
    }
    if (op.getNumResults() != 1 || op.getNumRegions() != 0) {
      op.emitError() << "evaluator: op " << op.getName() << " is not supported";
      return failure();
    }
    Value res = op.getResult(0);
    FailureOr<SmallVector<int64_t>> shape =
        staticShape(&op, res.getType(), "the result");
    if (failed(shape))
      return failure();
    // Before allocating: a corrupt model can ask for any size.
    constexpr int64_t kMaxValues = int64_t(1) << 28;
    int64_t values = 1;
    for (int64_t d : *shape)
      values = d > 0 && values > kMaxValues / d ? kMaxValues + 1 : values * d;
    if (values > kMaxValues) {
      op.emitError() << "evaluator: the result " << res.getType()
                     << " holds more than " << kMaxValues << " values";
      return failure();
    }
    FailureOr<Array> r = evalOp(op, env);
    if (failed(r))
      return failure();
    if (ArrayRef<int64_t>(*shape) != ArrayRef<int64_t>(r->shape) ||
        int64_t(r->data.size()) != numElements(r->shape)) {
      op.emitError() << "evaluator: computed shape " << shapeString(r->shape)
                     << " but the result type is " << res.getType();
      return failure();
    }
    if (trace)
      (*trace)[res] = *r;
    env[res] = std::move(*r);
  }
  func.emitError() << "evaluator: the function's block has no func.return";
  return failure();
}

} // namespace snnc::ann
