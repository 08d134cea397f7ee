//===- NirExport.cpp - snn.network to NIR document
//--------------------------===//
//
// The inverse of the importer: one NIR node per op, parameters under NIR's
// names with the attribute's float width, and one edge per operand. Default
// fields (v_reset, w_in) are always written, so readers of any NIR version
// see explicit values.
//
//===----------------------------------------------------------------------===//
#include "compiler/import/NirImport.h"

#include "compiler/nir/NirModel.h"
#include "dialects/snn/IR/SNNDialect.h"

#include "llvm/ADT/StringSet.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using snnc::nir::Array;

namespace snnc {
namespace {

std::vector<int64_t> shapeOf(Type t) {
  auto s = cast<RankedTensorType>(t).getShape();
  return {s.begin(), s.end()};
}

Array fromAttr(DenseFPElementsAttr attr) {
  std::vector<double> values;
  values.reserve(attr.getNumElements());
  for (const APFloat &v : attr.getValues<APFloat>())
    values.push_back(v.convertToDouble());
  nir::DType t =
      attr.getElementType().isF32() ? nir::DType::F32 : nir::DType::F64;
  return Array::floats(t, shapeOf(attr.getType()), std::move(values));
}

Array ints(ArrayRef<int64_t> v) {
  return Array::ints({int64_t(v.size())}, {v.begin(), v.end()});
}

Array scalar(int64_t v) { return Array::ints({}, {v}); }

class GraphExporter {
public:
  LogicalResult run(Block &body, nir::Graph &out);

private:
  LogicalResult exportOp(Operation &op, nir::Node &node);
  std::string sourceName(Value v);
};

// The NIR name of the node (and port) that produces `v`.
std::string GraphExporter::sourceName(Value v) {
  Operation *def = v.getDefiningOp();
  std::string name = def->getAttrOfType<StringAttr>("name").str();
  if (auto g = dyn_cast<snn::GraphOp>(def); g && g.getOutputs().size() > 1) {
    unsigned i = cast<OpResult>(v).getResultNumber();
    name += "." + cast<StringAttr>(g.getOutputPorts()[i]).str();
  }
  return name;
}

LogicalResult GraphExporter::exportOp(Operation &op, nir::Node &node) {
  auto params = [&](std::initializer_list<const char *> names) {
    for (const char *n : names)
      node.params[n] = fromAttr(op.getAttrOfType<DenseFPElementsAttr>(n));
  };
  auto window = [&](ArrayRef<int64_t> stride, ArrayRef<int64_t> padding) {
    node.params["stride"] = ints(stride);
    node.params["padding"] = ints(padding);
  };
  return TypeSwitch<Operation *, LogicalResult>(&op)
      .Case([&](snn::InputOp o) {
        node.type = "Input";
        node.params["shape"] = ints(shapeOf(o.getType()));
        return success();
      })
      .Case([&](snn::OutputOp o) {
        node.type = "Output";
        node.params["shape"] = ints(shapeOf(o.getType()));
        return success();
      })
      .Case([&](snn::AffineOp) {
        node.type = "Affine";
        params({"weight", "bias"});
        return success();
      })
      .Case([&](snn::LinearOp) {
        node.type = "Linear";
        params({"weight"});
        return success();
      })
      .Case<snn::Conv1dOp, snn::Conv2dOp>([&](auto o) {
        node.type = isa<snn::Conv1dOp>(op) ? "Conv1d" : "Conv2d";
        params({"weight", "bias"});
        window(o.getStride(), o.getPadding());
        node.params["dilation"] = ints(o.getDilation());
        node.params["groups"] = scalar(o.getGroupsAttr().getInt());
        if (!o.getInputs().empty()) {
          auto in = shapeOf(o.getInputs().front().getType());
          node.params["input_shape"] = ints(ArrayRef<int64_t>(in).drop_front());
        }
        return success();
      })
      .Case<snn::SumPool2dOp, snn::AvgPool2dOp>([&](auto o) {
        node.type = isa<snn::SumPool2dOp>(op) ? "SumPool2d" : "AvgPool2d";
        node.params["kernel_size"] = ints(o.getKernelSize());
        window(o.getStride(), o.getPadding());
        return success();
      })
      .Case([&](snn::FlattenOp o) {
        node.type = "Flatten";
        node.params["start_dim"] = scalar(o.getStartDimAttr().getInt());
        node.params["end_dim"] = scalar(o.getEndDimAttr().getInt());
        if (!o.getInputs().empty())
          node.params["input_type"] =
              ints(shapeOf(o.getInputs().front().getType()));
        return success();
      })
      .Case([&](snn::ScaleOp) {
        node.type = "Scale";
        params({"scale"});
        return success();
      })
      .Case([&](snn::ThresholdOp) {
        node.type = "Threshold";
        params({"threshold"});
        return success();
      })
      .Case([&](snn::DelayOp) {
        node.type = "Delay";
        params({"delay"});
        return success();
      })
      .Case([&](snn::LIFOp) {
        node.type = "LIF";
        params({"tau", "r", "v_leak", "v_threshold", "v_reset"});
        return success();
      })
      .Case([&](snn::CubaLIFOp) {
        node.type = "CubaLIF";
        params({"tau_syn", "tau_mem", "r", "v_leak", "v_threshold", "v_reset",
                "w_in"});
        return success();
      })
      .Case([&](snn::IFOp) {
        node.type = "IF";
        params({"r", "v_threshold", "v_reset"});
        return success();
      })
      .Case([&](snn::LIOp) {
        node.type = "LI";
        params({"tau", "r", "v_leak"});
        return success();
      })
      .Case([&](snn::CubaLIOp) {
        node.type = "CubaLI";
        params({"tau_syn", "tau_mem", "r", "v_leak", "w_in"});
        return success();
      })
      .Case([&](snn::IntegratorOp) {
        node.type = "I";
        params({"r"});
        return success();
      })
      .Case([&](snn::GraphOp g) {
        node.type = "NIRGraph";
        node.graph = std::make_unique<nir::Graph>();
        return GraphExporter().run(g.getBody().front(), *node.graph);
      })
      .Case<snn::ReceptorLIFOp, snn::DiscreteReceptorLIFOp>([&](Operation *o) {
        return o->emitOpError()
               << "is an snnc extension that NIR cannot hold: NIR's neurons "
                  "take one summed input, with no named current or "
                  "conductance receptors and no refractory period";
      })
      .Case<snn::SparseOp, snn::ConnectOp>([&](Operation *o) {
        return o->emitOpError()
               << "is an snnc extension that NIR cannot hold: NIR has only "
                  "dense weight matrices, with no synapse lists, "
                  "connection rules, per-synapse delays or receptor targets";
      })
      .Case([&](snn::PoissonSourceOp o) {
        return o->emitOpError()
               << "is an snnc extension that NIR cannot hold: NIR has no "
                  "spike-source node (its inputs come from the caller)";
      })
      .Default([&](Operation *o) {
        return o->emitOpError("has no NIR equivalent and cannot be exported");
      });
}

LogicalResult GraphExporter::run(Block &body, nir::Graph &out) {
  for (Operation &op : body) {
    nir::Node &node = out.nodes.emplace_back();
    node.name = op.getAttrOfType<StringAttr>("name").str();
    if (failed(exportOp(op, node)))
      return failure();
    auto g = dyn_cast<snn::GraphOp>(op);
    for (auto [i, v] : llvm::enumerate(op.getOperands())) {
      std::string dst = node.name;
      if (g && g.getInputPorts().size() > 0) {
        // A subgraph with several inputs is addressed port by port.
        llvm::StringSet<> distinct;
        for (Attribute p : g.getInputPorts())
          distinct.insert(cast<StringAttr>(p).getValue());
        for (Operation &inner : g.getBody().front())
          if (isa<snn::InputOp>(inner))
            distinct.insert(inner.getAttrOfType<StringAttr>("name").getValue());
        if (distinct.size() > 1)
          dst += "." + cast<StringAttr>(g.getInputPorts()[i]).str();
      }
      out.edges.emplace_back(sourceName(v), dst);
    }
  }
  return success();
}

} // namespace

LogicalResult exportNir(ModuleOp module, nir::Document &out) {
  snn::NetworkOp net;
  module.walk([&](snn::NetworkOp n) {
    net = n;
    return WalkResult::interrupt();
  });
  if (!net)
    return module.emitError("holds no snn.network to export");
  // Keep the version of the file the network came from, so that a round trip
  // is the identity; networks written by hand get the NIR version whose
  // fields (v_reset, w_in) the writer always emits.
  out.version = net.getNirVersion().value_or("1.0.0").str();
  return GraphExporter().run(net.getBody().front(), out.root);
}

LogicalResult exportNirFile(ModuleOp module, const std::string &path) {
  nir::Document doc;
  if (failed(exportNir(module, doc)))
    return failure();
  std::string err;
  if (!nir::writeNirFile(doc, path, err, 4))
    return module.emitError() << err;
  return success();
}

} // namespace snnc
