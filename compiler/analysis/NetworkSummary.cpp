//===- NetworkSummary.cpp - Figures for snnc --report
//-----------------------===//
#include "compiler/analysis/NetworkSummary.h"

#include "dialects/snn/IR/SNNDialect.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"

#include <functional>

using namespace mlir;

namespace snnc {
namespace {

std::string nameOf(Operation *op) {
  auto n = op->getAttrOfType<StringAttr>("name");
  return n ? n.str() : op->getName().getStringRef().str();
}

bool isPopulation(Operation *op) {
  return isa<snn::LIFOp, snn::CubaLIFOp, snn::IFOp, snn::LIOp, snn::CubaLIOp,
             snn::IntegratorOp, snn::ReceptorLIFOp, snn::DiscreteNeuronOp,
             snn::DiscreteReceptorLIFOp, snn::PoissonSourceOp>(op);
}

// Tarjan's strongly connected components over the ops of one body, with an
// edge from each operand's defining op to its user.
void findCycles(Block &body, std::vector<std::vector<std::string>> &cycles,
                const std::string &prefix) {
  llvm::DenseMap<Operation *, int> idx, low;
  llvm::DenseMap<Operation *, bool> onStack;
  std::vector<Operation *> stack;
  int counter = 0;
  // Successors: users of the op's results inside this body.
  auto succ = [&](Operation *op) {
    std::vector<Operation *> out;
    for (Value r : op->getResults())
      for (Operation *u : r.getUsers())
        if (u->getBlock() == &body)
          out.push_back(u);
    return out;
  };
  std::function<void(Operation *)> visit = [&](Operation *v) {
    idx[v] = low[v] = counter++;
    stack.push_back(v);
    onStack[v] = true;
    bool self = false;
    for (Operation *w : succ(v)) {
      if (w == v)
        self = true;
      if (!idx.count(w)) {
        visit(w);
        low[v] = std::min(low[v], low[w]);
      } else if (onStack[w]) {
        low[v] = std::min(low[v], idx[w]);
      }
    }
    if (low[v] != idx[v])
      return;
    std::vector<std::string> comp;
    Operation *w;
    do {
      w = stack.back();
      stack.pop_back();
      onStack[w] = false;
      comp.push_back(prefix + nameOf(w));
    } while (w != v);
    if (comp.size() > 1 || self) {
      std::reverse(comp.begin(), comp.end());
      cycles.push_back(comp);
    }
  };
  for (Operation &op : body)
    if (!idx.count(&op))
      visit(&op);
}

void accumulate(Block &body, NetworkSummary &s, const std::string &prefix,
                bool top) {
  for (Operation &op : body) {
    s.opsByKind[op.getName().getStringRef().str()]++;
    s.edges += op.getNumOperands();
    if (isPopulation(&op))
      s.neurons +=
          cast<RankedTensorType>(op.getResult(0).getType()).getNumElements();
    if (auto w = op.getAttrOfType<DenseFPElementsAttr>("weight");
        w && !isa<snn::SparseOp>(op))
      s.parameters += w.getNumElements();
    // Explicit synapse lists count their synapses; connection rules are
    // counted when they are expanded (snnc --report's artifact part).
    if (auto sp = dyn_cast<snn::SparseOp>(op))
      s.parameters += sp.getPre().getNumElements();
    std::string typeStr;
    llvm::raw_string_ostream ts(typeStr);
    if (auto in = dyn_cast<snn::InputOp>(op); in && top) {
      ts << in.getType();
      s.inputs.push_back(in.getName().str() + ": " + typeStr);
    }
    if (auto out = dyn_cast<snn::OutputOp>(op); out && top) {
      ts << out.getType();
      s.outputs.push_back(out.getName().str() + ": " + typeStr);
    }
    if (auto g = dyn_cast<snn::GraphOp>(op))
      accumulate(g.getBody().front(), s, prefix + g.getName().str() + "/",
                 false);
  }
  findCycles(body, s.cycles, prefix);
}

} // namespace

std::vector<NetworkSummary> summarize(ModuleOp module) {
  std::vector<NetworkSummary> out;
  module.walk([&](snn::NetworkOp net) {
    NetworkSummary &s = out.emplace_back();
    s.name = net.getSymName().str();
    s.nirVersion = net.getNirVersion().value_or("").str();
    accumulate(net.getBody().front(), s, "", true);
  });
  return out;
}

void printSummary(const NetworkSummary &s, llvm::raw_ostream &os) {
  os << "network @" << s.name;
  if (!s.nirVersion.empty())
    os << " (NIR " << s.nirVersion << ")";
  os << "\n  nodes:";
  for (auto &[kind, n] : s.opsByKind)
    os << " " << StringRef(kind).drop_front(4) << "=" << n;
  os << "\n  neurons: " << s.neurons << ", weights (explicit): " << s.parameters
     << ", edges: " << s.edges << "\n";
  os << "  inputs: " << llvm::join(s.inputs, ", ") << "\n";
  os << "  outputs: " << llvm::join(s.outputs, ", ") << "\n";
  if (s.cycles.empty())
    os << "  recurrent cycles: none\n";
  for (const auto &c : s.cycles)
    os << "  recurrent loop through: " << llvm::join(c, ", ") << "\n";
}

} // namespace snnc
