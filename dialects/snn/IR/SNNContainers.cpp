//===- SNNContainers.cpp - snn.network and snn.graph ----------------------===//
//
// The containers' verifiers: node names unique in each body, and a graph's
// ports matching its operands and results by name and type.
//
//===----------------------------------------------------------------------===//
#include "dialects/snn/IR/SNNDialect.h"
#include "dialects/snn/IR/SNNVerify.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringSet.h"

using namespace mlir;
using namespace snnc::snn;
using snnc::snn::detail::nodeError;

static StringRef nodeName(Operation &op) {
  if (auto n = op.getAttrOfType<StringAttr>("name"))
    return n.getValue();
  return {};
}

// Node names identify NIR nodes and must be unique within one graph.
static LogicalResult verifyBodyNames(Operation *container, Block &body,
                                     StringRef what) {
  llvm::StringSet<> seen;
  for (Operation &op : body) {
    StringRef n = nodeName(op);
    if (!n.empty() && !seen.insert(n).second)
      return op.emitOpError()
             << "node name '" << n << "' appears twice in " << what;
  }
  (void)container;
  return success();
}

LogicalResult NetworkOp::verifyRegions() {
  return verifyBodyNames(*this, getBody().front(),
                         "network @" + getSymName().str());
}

template <typename PortOp> static PortOp findPort(Block &body, StringRef name) {
  for (Operation &op : body)
    if (auto p = dyn_cast<PortOp>(op); p && p.getName() == name)
      return p;
  return nullptr;
}

LogicalResult GraphOp::verifyRegions() {
  Block &body = getBody().front();
  if (failed(verifyBodyNames(*this, body, "graph '" + getName().str() + "'")))
    return failure();
  if (getInputPorts().size() != getInputs().size())
    return nodeError(*this, getName())
           << "has " << getInputs().size() << " inputs but "
           << getInputPorts().size() << " input_ports";
  if (getOutputPorts().size() != getOutputs().size())
    return nodeError(*this, getName())
           << "has " << getOutputs().size() << " results but "
           << getOutputPorts().size() << " output_ports";
  for (auto [v, port] : llvm::zip(getInputs(), getInputPorts())) {
    StringRef p = cast<StringAttr>(port).getValue();
    auto in = findPort<InputOp>(body, p);
    if (!in)
      return nodeError(*this, getName())
             << "input port '" << p << "' names no snn.input in the body";
    if (in.getType() != v.getType())
      return nodeError(*this, getName())
             << "port '" << p << "' has type " << in.getType()
             << " but receives " << v.getType();
  }
  for (auto [r, port] : llvm::zip(getOutputs(), getOutputPorts())) {
    StringRef p = cast<StringAttr>(port).getValue();
    auto out = findPort<OutputOp>(body, p);
    if (!out)
      return nodeError(*this, getName())
             << "output port '" << p << "' names no snn.output in the body";
    if (out.getType() != r.getType())
      return nodeError(*this, getName())
             << "port '" << p << "' has type " << out.getType()
             << " but the result is " << r.getType();
  }
  return success();
}

void GraphOp::getAsmResultNames(OpAsmSetValueNameFn setNameFn) {
  if (!getOutputs().empty())
    setNameFn(getOutputs().front(), getName());
}
