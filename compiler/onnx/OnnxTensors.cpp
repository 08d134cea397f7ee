//===- OnnxTensors.cpp - ONNX tensors as MLIR constants, TOSA helpers -----===//
#include "compiler/onnx/OnnxImportImpl.h"

#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "llvm/ADT/APFloat.h"

#include <cstring>

using namespace mlir;

namespace snnc::onnximport {

Type elementType(MLIRContext *ctx, int32_t onnxType) {
  Builder b(ctx);
  switch (onnxType) {
  case onnx::TensorProto::FLOAT:
    return b.getF32Type();
  case onnx::TensorProto::DOUBLE:
    return b.getF64Type();
  case onnx::TensorProto::FLOAT16:
    return b.getF16Type();
  case onnx::TensorProto::INT64:
    return b.getI64Type();
  case onnx::TensorProto::INT32:
    return b.getI32Type();
  default:
    return nullptr;
  }
}

namespace {

template <typename T>
FailureOr<DenseElementsAttr>
decode(const onnx::TensorProto &t, RankedTensorType type,
       const google::protobuf::RepeatedField<T> *typed,
       llvm::function_ref<InFlightDiagnostic()> err) {
  int64_t n = type.getNumElements();
  std::vector<T> v;
  if (t.has_raw_data()) {
    const std::string &raw = t.raw_data();
    if (raw.size() != size_t(n) * sizeof(T)) {
      err() << "raw data holds " << raw.size() << " bytes, but shape "
            << formatShape(type.getShape()) << " needs " << n * sizeof(T);
      return failure();
    }
    v.resize(n);
    // ONNX stores raw data little-endian, as the host does.
    std::memcpy(v.data(), raw.data(), raw.size());
  } else if (typed) {
    if (typed->size() != n) {
      err() << "holds " << typed->size() << " values, but shape "
            << formatShape(type.getShape()) << " needs " << n;
      return failure();
    }
    v.assign(typed->begin(), typed->end());
  }
  return DenseElementsAttr::get(type, ArrayRef<T>(v));
}

} // namespace

FailureOr<DenseElementsAttr>
tensorToAttr(const onnx::TensorProto &t, MLIRContext *ctx,
             llvm::function_ref<InFlightDiagnostic()> err) {
  if (t.data_location() == onnx::TensorProto::EXTERNAL) {
    err() << "external tensor data is not supported";
    return failure();
  }
  Type elem = elementType(ctx, t.data_type());
  if (!elem || t.data_type() == onnx::TensorProto::FLOAT16) {
    err() << "unsupported tensor element type "
          << onnx::TensorProto::DataType_Name(
                 onnx::TensorProto::DataType(t.data_type()));
    return failure();
  }
  Shape shape(t.dims().begin(), t.dims().end());
  auto type = RankedTensorType::get(shape, elem);
  switch (t.data_type()) {
  case onnx::TensorProto::FLOAT:
    return decode<float>(t, type, &t.float_data(), err);
  case onnx::TensorProto::DOUBLE:
    return decode<double>(t, type, &t.double_data(), err);
  case onnx::TensorProto::INT64:
    return decode<int64_t>(t, type, &t.int64_data(), err);
  default: // INT32
    return decode<int32_t>(t, type, &t.int32_data(), err);
  }
}

DenseElementsAttr permuteAttr(DenseElementsAttr a, ArrayRef<int64_t> perm) {
  ArrayRef<int64_t> in = a.getType().getShape();
  Shape out;
  for (int64_t p : perm)
    out.push_back(in[p]);
  auto type = RankedTensorType::get(out, a.getElementType());
  if (a.isSplat())
    return DenseElementsAttr::get(type, a.getSplatValue<Attribute>());
  int64_t rank = in.size();
  Shape inStride(rank, 1);
  for (int64_t k = rank - 2; k >= 0; --k)
    inStride[k] = inStride[k + 1] * in[k + 1];
  int64_t n = a.getNumElements();
  // Source index of each result element, walking the result in order.
  std::vector<int64_t> src(n);
  Shape idx(rank, 0);
  for (int64_t i = 0; i < n; ++i) {
    int64_t s = 0;
    for (int64_t k = 0; k < rank; ++k)
      s += idx[k] * inStride[perm[k]];
    src[i] = s;
    for (int64_t k = rank - 1; k >= 0; --k) {
      if (++idx[k] < out[k])
        break;
      idx[k] = 0;
    }
  }
  if (isa<FloatType>(a.getElementType())) {
    std::vector<APFloat> v(a.getValues<APFloat>().begin(),
                           a.getValues<APFloat>().end());
    SmallVector<APFloat> r;
    r.reserve(n);
    for (int64_t s : src)
      r.push_back(v[s]);
    return DenseElementsAttr::get(type, r);
  }
  std::vector<APInt> v(a.getValues<APInt>().begin(),
                       a.getValues<APInt>().end());
  SmallVector<APInt> r;
  r.reserve(n);
  for (int64_t s : src)
    r.push_back(v[s]);
  return DenseElementsAttr::get(type, r);
}

std::vector<double> attrToDoubles(DenseElementsAttr a) {
  std::vector<double> r;
  r.reserve(a.getNumElements());
  if (isa<FloatType>(a.getElementType())) {
    for (APFloat f : a.getValues<APFloat>()) {
      bool lost;
      f.convert(APFloat::IEEEdouble(), APFloat::rmNearestTiesToEven, &lost);
      r.push_back(f.convertToDouble());
    }
  } else {
    for (const APInt &i : a.getValues<APInt>())
      r.push_back(double(i.getSExtValue()));
  }
  return r;
}

std::vector<int64_t> attrToInts(DenseElementsAttr a) {
  std::vector<int64_t> r;
  r.reserve(a.getNumElements());
  if (isa<FloatType>(a.getElementType())) {
    for (double d : attrToDoubles(a))
      r.push_back(int64_t(d));
  } else {
    for (const APInt &i : a.getValues<APInt>())
      r.push_back(i.getSExtValue());
  }
  return r;
}

DenseElementsAttr doublesToAttr(RankedTensorType type, ArrayRef<double> v) {
  const llvm::fltSemantics &sem =
      cast<FloatType>(type.getElementType()).getFloatSemantics();
  SmallVector<APFloat> r;
  r.reserve(v.size());
  for (double d : v) {
    APFloat f(d);
    bool lost;
    f.convert(sem, APFloat::rmNearestTiesToEven, &lost);
    r.push_back(f);
  }
  return DenseElementsAttr::get(type, r);
}

Value Importer::constant(DenseElementsAttr a) {
  return b.create<tosa::ConstOp>(nodeLoc(), a.getType(), a);
}

Value Importer::transpose(Value v, ArrayRef<int64_t> perm) {
  // NHWC -> NCHW -> NHWC between two spatial ops is the identity; skipping
  // it keeps the IR readable (the dead transpose is erased at the end).
  if (auto prev = v.getDefiningOp<tosa::TransposeOp>()) {
    llvm::SmallVector<int64_t> prevPerm;
    if (succeeded(prev.getConstantPerms(prevPerm)) &&
        prevPerm.size() == perm.size()) {
      bool identity = true;
      for (size_t k = 0; k < perm.size(); ++k)
        identity &= prevPerm[perm[k]] == int64_t(k);
      if (identity)
        return prev.getInput1();
    }
  }
  auto type = cast<RankedTensorType>(v.getType());
  Shape out;
  SmallVector<int32_t> perms;
  for (int64_t p : perm) {
    out.push_back(type.getDimSize(p));
    perms.push_back(int32_t(p));
  }
  auto permType = RankedTensorType::get({int64_t(perm.size())}, b.getI32Type());
  Value permConst =
      constant(DenseElementsAttr::get(permType, ArrayRef<int32_t>(perms)));
  return b.create<tosa::TransposeOp>(
      nodeLoc(), RankedTensorType::get(out, type.getElementType()), v,
      permConst);
}

Value Importer::reshape(Value v, ArrayRef<int64_t> shape) {
  auto type = cast<RankedTensorType>(v.getType());
  if (type.getShape() == shape)
    return v;
  return b.create<tosa::ReshapeOp>(
      nodeLoc(), RankedTensorType::get(shape, type.getElementType()), v,
      b.getDenseI64ArrayAttr(shape));
}

Value Importer::toRank(Value v, int64_t rank) {
  auto type = cast<RankedTensorType>(v.getType());
  if (type.getRank() >= rank)
    return v;
  Shape shape(rank - type.getRank(), 1);
  shape.append(type.getShape().begin(), type.getShape().end());
  return reshape(v, shape);
}

Value Importer::splat(Type elemType, ArrayRef<int64_t> shape, double v) {
  auto type = RankedTensorType::get(shape, elemType);
  // One value for a multi-element type makes a splat.
  return constant(doublesToAttr(type, ArrayRef<double>(v)));
}

} // namespace snnc::onnximport
