//===- SNNOps.cpp - snn op verifiers and custom syntax
//---------------------===//
//
// Verifiers check what NIR leaves implicit: that every edge delivers the
// shape its target expects and that each parameter has the shape of the
// population it describes. Every message names the node. The network and
// graph containers are in SNNContainers.cpp.
//
//===----------------------------------------------------------------------===//
#include "dialects/snn/IR/SNNDialect.h"
#include "dialects/snn/IR/SNNVerify.h"

#include "mlir/IR/Builders.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringSet.h"

#include <cmath>

using namespace mlir;
using namespace snnc::snn;
using namespace snnc::snn::detail;

//===----------------------------------------------------------------------===//
// Custom type syntax
//===----------------------------------------------------------------------===//

// `: T` when inputs and output share T, `: Tin -> Tout` otherwise. All inputs
// of a node are summed, so they have one type, printed once.
static ParseResult
parseNodeTypes(OpAsmParser &parser,
               ArrayRef<OpAsmParser::UnresolvedOperand> inputs,
               SmallVectorImpl<Type> &inputTypes, Type &outputType) {
  Type first;
  if (parser.parseType(first))
    return failure();
  outputType = first;
  if (succeeded(parser.parseOptionalArrow()) && parser.parseType(outputType))
    return failure();
  inputTypes.assign(inputs.size(), first);
  return success();
}

static void printNodeTypes(OpAsmPrinter &p, Operation *, OperandRange,
                           TypeRange inputTypes, Type outputType) {
  if (!inputTypes.empty() && inputTypes.front() != outputType)
    p << inputTypes.front() << " -> ";
  p << outputType;
}

static ParseResult
parseOutputType(OpAsmParser &parser,
                ArrayRef<OpAsmParser::UnresolvedOperand> inputs,
                SmallVectorImpl<Type> &inputTypes, TypeAttr &type) {
  Type t;
  if (parser.parseType(t))
    return failure();
  inputTypes.assign(inputs.size(), t);
  type = TypeAttr::get(t);
  return success();
}

static void printOutputType(OpAsmPrinter &p, Operation *, OperandRange,
                            TypeRange, TypeAttr type) {
  p << type.getValue();
}

#define GET_OP_CLASSES
#include "dialects/snn/IR/SNNOps.cpp.inc"

//===----------------------------------------------------------------------===//
// Verification helpers
//===----------------------------------------------------------------------===//

std::string snnc::snn::detail::shapeString(ArrayRef<int64_t> shape) {
  std::string s = "[";
  for (auto [i, d] : llvm::enumerate(shape))
    s += (i ? ", " : "") + std::to_string(d);
  return s + "]";
}

InFlightDiagnostic snnc::snn::detail::nodeError(Operation *op, StringRef node) {
  InFlightDiagnostic d = op->emitOpError();
  d << "node '" << node << "': ";
  return d;
}

LogicalResult snnc::snn::detail::verifyName(Operation *op, StringRef node) {
  if (node.empty())
    return op->emitOpError("has an empty node name");
  return success();
}

LogicalResult snnc::snn::detail::verifyStatic(Operation *op, StringRef node,
                                              Type t, StringRef what) {
  auto rt = dyn_cast<RankedTensorType>(t);
  if (!rt || !rt.hasStaticShape())
    return nodeError(op, node)
           << what << " type " << t << " must be a statically shaped tensor";
  return success();
}

// All edges into a node are summed, so they must carry one type. Sets
// `inType` to it, or to null when the node has no inputs.
LogicalResult snnc::snn::detail::verifyInputs(Operation *op, StringRef node,
                                              ValueRange inputs,
                                              RankedTensorType &inType) {
  inType = nullptr;
  for (auto [i, v] : llvm::enumerate(inputs)) {
    if (failed(verifyStatic(op, node, v.getType(), "input")))
      return failure();
    auto t = cast<RankedTensorType>(v.getType());
    if (!inType)
      inType = t;
    else if (t != inType)
      return nodeError(op, node)
             << "inputs are summed and must share one type, but input " << i
             << " is " << t << " and input 0 is " << inType;
  }
  return success();
}

// A parameter must have `shape` and finite values (NaN or infinity in a time
// constant or weight would silently poison every later stage).
LogicalResult snnc::snn::detail::verifyParam(Operation *op, StringRef node,
                                             StringRef param,
                                             DenseFPElementsAttr attr,
                                             ArrayRef<int64_t> shape) {
  ArrayRef<int64_t> got = attr.getType().getShape();
  if (got != shape)
    return nodeError(op, node)
           << "parameter '" << param << "' has shape " << shapeString(got)
           << " but " << shapeString(shape) << " is required";
  if (attr.isSplat()) {
    if (!attr.getSplatValue<APFloat>().isFinite())
      return nodeError(op, node) << "parameter '" << param << "' is not finite";
    return success();
  }
  for (auto [i, v] : llvm::enumerate(attr.getValues<APFloat>()))
    if (!v.isFinite())
      return nodeError(op, node)
             << "parameter '" << param << "' element " << i << " is not finite";
  return success();
}

LogicalResult snnc::snn::detail::verifyNonzero(Operation *op, StringRef node,
                                               StringRef param,
                                               DenseFPElementsAttr attr) {
  for (auto [i, v] : llvm::enumerate(attr.getValues<APFloat>()))
    if (v.isZero())
      return nodeError(op, node)
             << "time constant '" << param << "' element " << i << " is zero";
  return success();
}

// Nodes whose output has the shape of their input and of every parameter:
// neurons, scale, threshold, delay.
LogicalResult snnc::snn::detail::verifyElementwise(
    Operation *op, StringRef node, ValueRange inputs, Type outType,
    ArrayRef<std::pair<StringRef, DenseFPElementsAttr>> params) {
  if (failed(verifyName(op, node)) ||
      failed(verifyStatic(op, node, outType, "output")))
    return failure();
  RankedTensorType inType;
  if (failed(verifyInputs(op, node, inputs, inType)))
    return failure();
  auto out = cast<RankedTensorType>(outType);
  if (inType && inType != out)
    return nodeError(op, node) << "input type " << inType
                               << " differs from the output type " << out;
  for (auto [pname, attr] : params)
    if (failed(verifyParam(op, node, pname, attr, out.getShape())))
      return failure();
  return success();
}

// Common start of the verifiers of nodes that change shape.
LogicalResult snnc::snn::detail::verifyShaped(Operation *op, StringRef node,
                                              ValueRange inputs, Type outType,
                                              RankedTensorType &inType) {
  if (failed(verifyName(op, node)) ||
      failed(verifyStatic(op, node, outType, "output")))
    return failure();
  return verifyInputs(op, node, inputs, inType);
}

static LogicalResult checkOutputShape(Operation *op, StringRef node,
                                      Type outType,
                                      ArrayRef<int64_t> expected) {
  auto got = cast<RankedTensorType>(outType).getShape();
  if (got != expected)
    return nodeError(op, node)
           << "output shape " << shapeString(got)
           << " does not match the computed shape " << shapeString(expected);
  return success();
}

// Dense projections: weight [out, in], optional bias [out].
static LogicalResult verifyDense(Operation *op, StringRef node,
                                 ValueRange inputs, Type outType,
                                 DenseFPElementsAttr weight,
                                 DenseFPElementsAttr bias) {
  RankedTensorType inType;
  if (failed(verifyShaped(op, node, inputs, outType, inType)))
    return failure();
  ArrayRef<int64_t> w = weight.getType().getShape();
  if (w.size() != 2)
    return nodeError(op, node)
           << "weight must have rank 2 [out, in], got " << shapeString(w);
  if (failed(verifyParam(op, node, "weight", weight, w)))
    return failure();
  if (bias && failed(verifyParam(op, node, "bias", bias, {w[0]})))
    return failure();
  if (inType && inType.getShape() != ArrayRef<int64_t>{w[1]})
    return nodeError(op, node)
           << "weight of shape " << shapeString(w)
           << " (out, in) expects input " << shapeString({w[1]})
           << " but receives " << shapeString(inType.getShape());
  return checkOutputShape(op, node, outType, {w[0]});
}

// Output extent of a window op along one dimension; -1 when empty.
static int64_t windowExtent(int64_t in, int64_t k, int64_t s, int64_t p,
                            int64_t d) {
  int64_t span = d * (k - 1) + 1;
  int64_t padded = in + 2 * p;
  if (padded < span)
    return -1;
  return (padded - span) / s + 1;
}

static LogicalResult verifyWindowAttrs(Operation *op, StringRef node,
                                       size_t rank, ArrayRef<int64_t> kernel,
                                       ArrayRef<int64_t> stride,
                                       ArrayRef<int64_t> padding,
                                       ArrayRef<int64_t> dilation) {
  auto check = [&](StringRef what, ArrayRef<int64_t> v,
                   int64_t min) -> LogicalResult {
    if (v.size() != rank)
      return nodeError(op, node) << "'" << what << "' needs " << rank
                                 << " value(s), got " << v.size();
    for (int64_t x : v)
      if (x < min)
        return nodeError(op, node)
               << "'" << what << "' values must be >= " << min << ", got "
               << shapeString(v);
    return success();
  };
  if (failed(check("kernel", kernel, 1)) ||
      failed(check("stride", stride, 1)) ||
      failed(check("padding", padding, 0)) ||
      failed(check("dilation", dilation, 1)))
    return failure();
  return success();
}

static LogicalResult
verifyConv(Operation *op, StringRef node, size_t spatial, ValueRange inputs,
           Type outType, DenseFPElementsAttr weight, DenseFPElementsAttr bias,
           ArrayRef<int64_t> stride, ArrayRef<int64_t> padding,
           ArrayRef<int64_t> dilation, int64_t groups) {
  RankedTensorType inType;
  if (failed(verifyShaped(op, node, inputs, outType, inType)))
    return failure();
  ArrayRef<int64_t> w = weight.getType().getShape();
  if (w.size() != spatial + 2)
    return nodeError(op, node)
           << "weight must have rank " << spatial + 2
           << " [C_out, C_in/groups, kernel...], got " << shapeString(w);
  if (failed(verifyParam(op, node, "weight", weight, w)) ||
      failed(verifyParam(op, node, "bias", bias, {w[0]})) ||
      failed(verifyWindowAttrs(op, node, spatial, w.drop_front(2), stride,
                               padding, dilation)))
    return failure();
  if (groups < 1 || w[0] % groups != 0)
    return nodeError(op, node) << "groups = " << groups
                               << " must be >= 1 and divide C_out = " << w[0];
  auto out = cast<RankedTensorType>(outType);
  if (!inType)
    return out.getRank() == int64_t(spatial + 1) && out.getShape()[0] == w[0]
               ? success()
               : nodeError(op, node) << "output type " << out
                                     << " does not have C_out = " << w[0]
                                     << " channels and rank " << spatial + 1;
  ArrayRef<int64_t> in = inType.getShape();
  if (in.size() != spatial + 1)
    return nodeError(op, node)
           << "input must have rank " << spatial + 1
           << " [C_in, spatial...], got " << shapeString(in);
  if (in[0] != w[1] * groups)
    return nodeError(op, node)
           << "input has " << in[0] << " channels but weight " << shapeString(w)
           << " with groups = " << groups << " expects " << w[1] * groups;
  SmallVector<int64_t> expected{w[0]};
  for (size_t i = 0; i < spatial; ++i) {
    int64_t e =
        windowExtent(in[i + 1], w[i + 2], stride[i], padding[i], dilation[i]);
    if (e < 1)
      return nodeError(op, node) << "kernel does not fit input "
                                 << shapeString(in) << " in dimension " << i;
    expected.push_back(e);
  }
  return checkOutputShape(op, node, outType, expected);
}

static LogicalResult verifyPool(Operation *op, StringRef node,
                                ValueRange inputs, Type outType,
                                ArrayRef<int64_t> kernel,
                                ArrayRef<int64_t> stride,
                                ArrayRef<int64_t> padding) {
  RankedTensorType inType;
  SmallVector<int64_t> ones(2, 1);
  if (failed(verifyShaped(op, node, inputs, outType, inType)) ||
      failed(verifyWindowAttrs(op, node, 2, kernel, stride, padding, ones)))
    return failure();
  if (!inType)
    return success();
  ArrayRef<int64_t> in = inType.getShape();
  if (in.size() != 3)
    return nodeError(op, node)
           << "input must have rank 3 [C, H, W], got " << shapeString(in);
  SmallVector<int64_t> expected{in[0]};
  for (size_t i = 0; i < 2; ++i) {
    int64_t e = windowExtent(in[i + 1], kernel[i], stride[i], padding[i], 1);
    if (e < 1)
      return nodeError(op, node)
             << "kernel does not fit input " << shapeString(in);
    expected.push_back(e);
  }
  return checkOutputShape(op, node, outType, expected);
}

//===----------------------------------------------------------------------===//
// Op verifiers
//===----------------------------------------------------------------------===//

LogicalResult InputOp::verify() {
  if (failed(verifyName(*this, getName())))
    return failure();
  return verifyStatic(*this, getName(), getType(), "input");
}

LogicalResult OutputOp::verify() {
  if (failed(verifyName(*this, getName())) ||
      failed(verifyStatic(*this, getName(), getType(), "output")))
    return failure();
  for (auto [i, v] : llvm::enumerate(getInputs()))
    if (v.getType() != getType())
      return nodeError(*this, getName())
             << "input " << i << " has type " << v.getType()
             << " but the output is declared " << getType();
  return success();
}

LogicalResult AffineOp::verify() {
  return verifyDense(*this, getName(), getInputs(), getType(), getWeight(),
                     getBias());
}

LogicalResult LinearOp::verify() {
  return verifyDense(*this, getName(), getInputs(), getType(), getWeight(),
                     nullptr);
}

LogicalResult Conv1dOp::verify() {
  return verifyConv(*this, getName(), 1, getInputs(), getType(), getWeight(),
                    getBias(), getStride(), getPadding(), getDilation(),
                    getGroupsAttr().getInt());
}

LogicalResult Conv2dOp::verify() {
  return verifyConv(*this, getName(), 2, getInputs(), getType(), getWeight(),
                    getBias(), getStride(), getPadding(), getDilation(),
                    getGroupsAttr().getInt());
}

LogicalResult SumPool2dOp::verify() {
  return verifyPool(*this, getName(), getInputs(), getType(), getKernelSize(),
                    getStride(), getPadding());
}

LogicalResult AvgPool2dOp::verify() {
  return verifyPool(*this, getName(), getInputs(), getType(), getKernelSize(),
                    getStride(), getPadding());
}

LogicalResult FlattenOp::verify() {
  RankedTensorType inType;
  if (failed(verifyShaped(*this, getName(), getInputs(), getType(), inType)))
    return failure();
  if (!inType)
    return success();
  ArrayRef<int64_t> in = inType.getShape();
  int64_t rank = in.size();
  // I64Attr's accessor is unsigned; NIR's negative dims need the signed view.
  int64_t start = getStartDimAttr().getInt(), end = getEndDimAttr().getInt();
  int64_t s = start < 0 ? start + rank : start;
  int64_t e = end < 0 ? end + rank : end;
  if (s < 0 || e >= rank || s > e)
    return nodeError(*this, getName())
           << "start_dim = " << start << " and end_dim = " << end
           << " do not select dimensions of input " << shapeString(in);
  SmallVector<int64_t> expected(in.begin(), in.begin() + s);
  int64_t prod = 1;
  for (int64_t i = s; i <= e; ++i)
    prod *= in[i];
  expected.push_back(prod);
  expected.append(in.begin() + e + 1, in.end());
  return checkOutputShape(*this, getName(), getType(), expected);
}

LogicalResult ScaleOp::verify() {
  return verifyElementwise(*this, getName(), getInputs(), getType(),
                           {{"scale", getScale()}});
}

LogicalResult ThresholdOp::verify() {
  return verifyElementwise(*this, getName(), getInputs(), getType(),
                           {{"threshold", getThreshold()}});
}

LogicalResult DelayOp::verify() {
  if (failed(verifyElementwise(*this, getName(), getInputs(), getType(),
                               {{"delay", getDelay()}})))
    return failure();
  for (auto [i, v] : llvm::enumerate(getDelay().getValues<APFloat>()))
    if (v.isNegative())
      return nodeError(*this, getName())
             << "delay element " << i << " is negative";
  return success();
}

LogicalResult LIFOp::verify() {
  if (failed(verifyElementwise(*this, getName(), getInputs(), getType(),
                               {{"tau", getTau()},
                                {"r", getR()},
                                {"v_leak", getVLeak()},
                                {"v_threshold", getVThreshold()},
                                {"v_reset", getVReset()}})))
    return failure();
  return verifyNonzero(*this, getName(), "tau", getTau());
}

LogicalResult CubaLIFOp::verify() {
  if (failed(verifyElementwise(*this, getName(), getInputs(), getType(),
                               {{"tau_syn", getTauSyn()},
                                {"tau_mem", getTauMem()},
                                {"r", getR()},
                                {"v_leak", getVLeak()},
                                {"v_threshold", getVThreshold()},
                                {"v_reset", getVReset()},
                                {"w_in", getWIn()}})))
    return failure();
  if (failed(verifyNonzero(*this, getName(), "tau_syn", getTauSyn())))
    return failure();
  return verifyNonzero(*this, getName(), "tau_mem", getTauMem());
}

LogicalResult IFOp::verify() {
  return verifyElementwise(*this, getName(), getInputs(), getType(),
                           {{"r", getR()},
                            {"v_threshold", getVThreshold()},
                            {"v_reset", getVReset()}});
}

LogicalResult LIOp::verify() {
  if (failed(verifyElementwise(
          *this, getName(), getInputs(), getType(),
          {{"tau", getTau()}, {"r", getR()}, {"v_leak", getVLeak()}})))
    return failure();
  return verifyNonzero(*this, getName(), "tau", getTau());
}

LogicalResult CubaLIOp::verify() {
  if (failed(verifyElementwise(*this, getName(), getInputs(), getType(),
                               {{"tau_syn", getTauSyn()},
                                {"tau_mem", getTauMem()},
                                {"r", getR()},
                                {"v_leak", getVLeak()},
                                {"w_in", getWIn()}})))
    return failure();
  if (failed(verifyNonzero(*this, getName(), "tau_syn", getTauSyn())))
    return failure();
  return verifyNonzero(*this, getName(), "tau_mem", getTauMem());
}

LogicalResult IntegratorOp::verify() {
  return verifyElementwise(*this, getName(), getInputs(), getType(),
                           {{"r", getR()}});
}

//===----------------------------------------------------------------------===//
// SSA names follow node names, so printed IR reads like the NIR graph.
//===----------------------------------------------------------------------===//

#define SNN_NAME_RESULT(OP)                                                    \
  void OP::getAsmResultNames(OpAsmSetValueNameFn setNameFn) {                  \
    setNameFn(getResult(), getName());                                         \
  }
SNN_NAME_RESULT(InputOp)
SNN_NAME_RESULT(AffineOp)
SNN_NAME_RESULT(LinearOp)
SNN_NAME_RESULT(Conv1dOp)
SNN_NAME_RESULT(Conv2dOp)
SNN_NAME_RESULT(SumPool2dOp)
SNN_NAME_RESULT(AvgPool2dOp)
SNN_NAME_RESULT(FlattenOp)
SNN_NAME_RESULT(ScaleOp)
SNN_NAME_RESULT(ThresholdOp)
SNN_NAME_RESULT(DelayOp)
SNN_NAME_RESULT(LIFOp)
SNN_NAME_RESULT(CubaLIFOp)
SNN_NAME_RESULT(IFOp)
SNN_NAME_RESULT(LIOp)
SNN_NAME_RESULT(CubaLIOp)
SNN_NAME_RESULT(IntegratorOp)
#undef SNN_NAME_RESULT

LogicalResult DiscreteNeuronOp::verify() {
  static const char *const kinds[] = {"lif", "cuba_lif", "if",
                                      "li",  "cuba_li",  "integrator"};
  if (!llvm::is_contained(kinds, getKind()))
    return nodeError(*this, getName())
           << "kind '" << getKind()
           << "' is not one of lif, cuba_lif, if, li, cuba_li, integrator";
  SmallVector<std::pair<StringRef, DenseFPElementsAttr>> params = {
      {"alpha", getAlpha()},
      {"beta", getBeta()},
      {"gain_syn", getGainSyn()},
      {"gain_mem", getGainMem()},
      {"gain_direct", getGainDirect()},
      {"leak", getLeak()},
      {"v_threshold", getVThreshold()},
      {"v_reset", getVReset()},
      {"v_init", getVInit()}};
  StringRef kind = getKind();
  if (std::optional<StringRef> r = getReset()) {
    if (*r != "zero" && *r != "subtract")
      return nodeError(*this, getName())
             << "reset must be \"zero\" or \"subtract\", got \"" << *r << "\"";
    if (kind != "lif" && kind != "cuba_lif" && kind != "if")
      return nodeError(*this, getName())
             << "reset is a rule of spiking kinds (lif, cuba_lif, if); a '"
             << kind << "' never spikes";
  }
  if (DictionaryAttr delta = getDeltaAttr()) {
    if (kind == "if" || kind == "integrator")
      return nodeError(*this, getName())
             << "delta is the update of leaky kinds (lif, cuba_lif, li, "
                "cuba_li); a '"
             << kind << "' has no decay";
    static const char *const keys[] = {"k_mem", "k_syn",  "r",
                                       "w_in",  "v_leak", "i_leak"};
    for (NamedAttribute a : delta) {
      if (!llvm::is_contained(keys, a.getName().getValue()))
        return nodeError(*this, getName())
               << "delta has no parameter '" << a.getName().getValue()
               << "'; known: k_mem, k_syn, r, w_in, v_leak, i_leak";
      auto v = dyn_cast<DenseFPElementsAttr>(a.getValue());
      if (!v)
        return nodeError(*this, getName())
               << "delta." << a.getName().getValue()
               << " must be dense floating-point elements";
      params.push_back({a.getName().getValue(), v});
    }
    for (const char *k : keys)
      if (!delta.get(k))
        return nodeError(*this, getName())
               << "delta lacks '" << k
               << "' (it needs k_mem, k_syn, r, w_in, v_leak, i_leak)";
  }
  return verifyElementwise(*this, getName(), getInputs(), getType(), params);
}

void DiscreteNeuronOp::getAsmResultNames(OpAsmSetValueNameFn setNameFn) {
  setNameFn(getResult(), getName());
}
