//===- Lowering.cpp - Discretized snn.network to populations and projections //
//
// Spiking and integrating nodes (and the network's inputs) become
// populations; the linear nodes between them become projections, one per
// (source population, linear node, target population). Flatten and uniform
// delays are transparent. When two weighted linear nodes follow each other
// (a pool feeding a convolution) the first one's output becomes a Relay
// population, so every projection stays a single compact map. Nested
// graphs are looked through: their ports only rename values.
//
//===----------------------------------------------------------------------===//
#include "compiler/lower/NetworkPlan.h"

#include "compiler/lower/LowerExtensions.h"

#include "dialects/snn/IR/SNNDialect.h"

#include "mlir/IR/Diagnostics.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallPtrSet.h"

#include <cmath>
#include <functional>

using namespace mlir;

namespace snnc {

namespace {

std::vector<int64_t> shapeOf(Type t) {
  auto s = cast<RankedTensorType>(t).getShape();
  return {s.begin(), s.end()};
}

int64_t sizeOf(Type t) { return cast<RankedTensorType>(t).getNumElements(); }

std::vector<float> floats(DenseFPElementsAttr a) {
  if (a.isSplat())
    return {float(a.getSplatValue<APFloat>().convertToDouble())};
  std::vector<float> out;
  out.reserve(a.getNumElements());
  for (const APFloat &v : a.getValues<APFloat>())
    out.push_back(float(v.convertToDouble()));
  return out;
}

std::string pathOf(Operation *op) {
  std::string name = op->getAttrOfType<StringAttr>("name").str();
  for (Operation *p = op->getParentOp(); p; p = p->getParentOp())
    if (auto g = dyn_cast<snn::GraphOp>(p))
      name = g.getName().str() + "/" + name;
  return name;
}

bool isWeighted(Operation *op) {
  if (auto d = dyn_cast<snn::DelayOp>(op))
    return !d.getDelay().isSplat();
  return isa<snn::AffineOp, snn::LinearOp, snn::Conv1dOp, snn::Conv2dOp,
             snn::SumPool2dOp, snn::AvgPool2dOp, snn::ScaleOp, snn::SparseOp,
             snn::ConnectOp>(op);
}

class Lowerer {
public:
  Lowerer(snn::NetworkOp net, NetworkPlan &plan, const LowerOptions &options)
      : net(net), plan(plan), options(options) {}
  LogicalResult run();

private:
  LogicalResult readDiscretization();
  /// Values whose sum `v` is, looking through subgraph ports.
  void producers(Value v, SmallVectorImpl<Value> &out);
  /// Population index of a population-producing value, created on demand.
  FailureOr<uint32_t> populationOf(Operation *op);
  /// Adds every contribution of `v` to the input of population `target`.
  LogicalResult connect(Value v, uint32_t target, double delay);
  /// The (population, delay) pairs whose sum feeds a weighted op's operand.
  LogicalResult sources(Value v, double delay,
                        SmallVectorImpl<std::pair<uint32_t, double>> &out);
  LogicalResult addProjection(Operation *w, uint32_t source, uint32_t target,
                              double delay);
  /// Records the bias of `w` into `target`, whose projections from `w` are
  /// plan.projections[firstProjection, end); order() adds it to the
  /// target's bias once it knows whether those close a cycle.
  LogicalResult addBias(Operation *w, uint32_t target, size_t firstProjection);
  /// The recorded biases as each population's bias and first-step bias,
  /// by the profile's bias timing (after order() marked recurrence).
  void applyBiases(const std::vector<uint32_t> &rank);
  uint32_t addPopulation(PlanPopulation p, Operation *origin);
  FailureOr<uint32_t> delaySteps(Operation *at, double seconds);
  LogicalResult order();

  snn::NetworkOp net;
  NetworkPlan &plan;
  const LowerOptions &options;
  llvm::DenseMap<Operation *, uint32_t> popOf;
  llvm::SmallPtrSet<Operation *, 8> transparentPath;
  std::vector<Operation *> popOrigin;
  struct BiasPart {
    uint32_t target; ///< before order() renumbers populations
    size_t firstProjection, endProjection;
    std::vector<float> values; ///< one per target neuron
  };
  std::vector<BiasPart> biasParts;
  /// Discretization bias_start, recurrent_bias_start: step0, step1, never.
  std::string biasStart = "step0", recurrentBiasStart = "step0";
};

LogicalResult Lowerer::readDiscretization() {
  auto d = net->getAttrOfType<DictionaryAttr>("snn.discretization");
  if (!d)
    return net.emitError("network @")
           << net.getSymName()
           << " is not discretized; run snn-discretize (snnc does with --dt "
              "and --profile)";
  Discretization &out = plan.discretization;
  auto str = [&](StringRef k) {
    auto a = d.getAs<StringAttr>(k);
    return a ? a.getValue() : StringRef();
  };
  if (auto dt = d.getAs<FloatAttr>("dt"))
    out.dt = dt.getValueAsDouble();
  out.profile = str("profile").str();
  out.resetSubtract = str("reset") == "subtract";
  out.resetNextStep = str("reset_timing") == "next_step";
  out.greaterEqual = str("comparison") == ">=";
  out.synapseFirst = str("cuba_order") == "synapse_first";
  out.resetCarry = str("reset_timing") == "carry";
  if (auto pd = d.getAs<IntegerAttr>("projection_delay"))
    out.projectionDelay = int(pd.getInt());
  if (auto q = d.getAs<IntegerAttr>("state_frac_bits"))
    out.stateFracBits = int(q.getInt());
  if (auto m = d.getAs<BoolAttr>("multi_spike"))
    out.multiSpike = m.getValue();
  if (auto m = d.getAs<BoolAttr>("synapse_input_decays"))
    out.synapseInputDecays = m.getValue();
  if (auto m = d.getAs<BoolAttr>("if_lower_clamp"))
    out.ifLowerClamp = m.getValue();
  if (auto m = d.getAs<BoolAttr>("delta_form"))
    out.deltaForm = m.getValue();
  for (auto [key, field] :
       {std::pair{"bias_start", &biasStart},
        std::pair{"recurrent_bias_start", &recurrentBiasStart}}) {
    StringRef v = str(key);
    if (v.empty())
      continue;
    if (v != "step0" && v != "step1" && v != "never")
      return net.emitError("snn.discretization ")
             << key << " must be \"step0\", \"step1\" or \"never\", got \"" << v
             << "\"";
    *field = v.str();
  }
  if (out.stateFracBits < 0 || out.stateFracBits > 20)
    return net.emitError("snn.discretization state_frac_bits must be 0 to "
                         "20, got ")
           << out.stateFracBits;
  if (!(out.dt > 0))
    return net.emitError("snn.discretization has no positive dt");
  return success();
}

void Lowerer::producers(Value v, SmallVectorImpl<Value> &out) {
  Operation *def = v.getDefiningOp();
  if (auto g = dyn_cast<snn::GraphOp>(def)) {
    StringRef port =
        cast<StringAttr>(
            g.getOutputPorts()[cast<OpResult>(v).getResultNumber()])
            .getValue();
    for (Operation &op : g.getBody().front())
      if (auto o = dyn_cast<snn::OutputOp>(op); o && o.getName() == port)
        for (Value in : o.getInputs())
          producers(in, out);
    return;
  }
  if (auto in = dyn_cast<snn::InputOp>(def)) {
    if (auto g = dyn_cast<snn::GraphOp>(in->getParentOp())) {
      for (auto [operand, port] : llvm::zip(g.getInputs(), g.getInputPorts()))
        if (cast<StringAttr>(port).getValue() == in.getName())
          producers(operand, out);
      return;
    }
  }
  out.push_back(v);
}

uint32_t Lowerer::addPopulation(PlanPopulation p, Operation *origin) {
  if (origin)
    p.loc = origin->getLoc();
  p.size = 1;
  for (int64_t d : p.shape)
    p.size *= d;
  plan.populations.push_back(std::move(p));
  popOrigin.push_back(origin);
  return plan.populations.size() - 1;
}

FailureOr<uint32_t> Lowerer::populationOf(Operation *op) {
  if (auto it = popOf.find(op); it != popOf.end())
    return it->second;
  PlanPopulation p;
  p.name = pathOf(op);
  p.shape = shapeOf(op->getResult(0).getType());
  uint32_t idx;
  if (auto n = dyn_cast<snn::DiscreteNeuronOp>(op)) {
    static const std::pair<StringRef, PopKind> kinds[] = {
        {"lif", PopKind::LIF},        {"cuba_lif", PopKind::CubaLIF},
        {"if", PopKind::IF},          {"li", PopKind::LI},
        {"cuba_li", PopKind::CubaLI}, {"integrator", PopKind::Integrator}};
    for (auto [k, kind] : kinds)
      if (n.getKind() == k)
        p.kind = kind;
    p.alpha = floats(n.getAlpha());
    p.beta = floats(n.getBeta());
    p.gainSyn = floats(n.getGainSyn());
    p.gainMem = floats(n.getGainMem());
    p.gainDirect = floats(n.getGainDirect());
    p.leak = floats(n.getLeak());
    p.vThreshold = floats(n.getVThreshold());
    p.vReset = floats(n.getVReset());
    p.vInit = floats(n.getVInit());
    if (std::optional<StringRef> r = n.getReset())
      p.resetSubtract = *r == "subtract";
    bool leaky = n.getKind() != "if" && n.getKind() != "integrator";
    if (leaky && plan.discretization.deltaForm != bool(n.getDeltaAttr()))
      return op->emitOpError()
             << "'" << n.getName() << "': "
             << (n.getDeltaAttr()
                     ? "has delta-form parameters, but the network's "
                       "snn.discretization has no delta_form"
                     : "has no delta-form parameters, but the network's "
                       "snn.discretization sets delta_form");
    if (DictionaryAttr delta = n.getDeltaAttr()) {
      auto param = [&](StringRef k) {
        return floats(cast<DenseFPElementsAttr>(delta.get(k)));
      };
      p.deltaKMem = param("k_mem");
      p.deltaKSyn = param("k_syn");
      p.deltaR = param("r");
      p.deltaWIn = param("w_in");
      p.deltaVLeak = param("v_leak");
      p.deltaILeak = param("i_leak");
    }
    idx = addPopulation(std::move(p), op);
    popOf[op] = idx;
    for (Value in : n.getInputs())
      if (failed(connect(in, idx, 0)))
        return failure();
    return idx;
  }
  if (auto t = dyn_cast<snn::ThresholdOp>(op)) {
    p.kind = PopKind::Threshold;
    p.vThreshold = floats(t.getThreshold());
    idx = addPopulation(std::move(p), op);
    popOf[op] = idx;
    for (Value in : t.getInputs())
      if (failed(connect(in, idx, 0)))
        return failure();
    return idx;
  }
  if (isa<snn::DiscreteReceptorLIFOp, snn::PoissonSourceOp>(op)) {
    lowerExtensionPopulation(op, p);
    idx = addPopulation(std::move(p), op);
    popOf[op] = idx;
    for (Value in : op->getOperands())
      if (failed(connect(in, idx, 0)))
        return failure();
    return idx;
  }
  if (isa<snn::InputOp>(op)) {
    p.kind = PopKind::Source;
    idx = addPopulation(std::move(p), op);
    popOf[op] = idx;
    return idx;
  }
  if (isWeighted(op)) {
    // The output of a weighted node that feeds another one: a Relay.
    p.kind = PopKind::Relay;
    idx = addPopulation(std::move(p), op);
    popOf[op] = idx;
    const size_t first = plan.projections.size();
    for (Value in : op->getOperands()) {
      SmallVector<std::pair<uint32_t, double>> srcs;
      if (failed(sources(in, 0, srcs)))
        return failure();
      for (auto [s, d] : srcs)
        if (failed(addProjection(op, s, idx, d)))
          return failure();
    }
    if (failed(addBias(op, idx, first)))
      return failure();
    return idx;
  }
  if (isa<snn::LIFOp, snn::CubaLIFOp, snn::IFOp, snn::LIOp, snn::CubaLIOp,
          snn::IntegratorOp, snn::ReceptorLIFOp>(op))
    return op->emitOpError()
           << "is a continuous-time neuron: run snn-discretize first";
  return op->emitOpError() << "cannot be lowered to populations";
}

LogicalResult
Lowerer::sources(Value v, double delay,
                 SmallVectorImpl<std::pair<uint32_t, double>> &out) {
  SmallVector<Value> prods;
  producers(v, prods);
  for (Value p : prods) {
    Operation *def = p.getDefiningOp();
    if (isa<snn::FlattenOp>(def) ||
        (isa<snn::DelayOp>(def) && !isWeighted(def))) {
      // Transparent nodes have no population to break a cycle at.
      if (!transparentPath.insert(def).second)
        return def->emitOpError()
               << "is on a cycle of Flatten/Delay nodes with no neuron "
                  "population on it; such a loop has no defined output";
      double d = delay;
      if (auto dl = dyn_cast<snn::DelayOp>(def))
        d += dl.getDelay().getSplatValue<APFloat>().convertToDouble();
      for (Value in : def->getOperands())
        if (failed(sources(in, d, out)))
          return failure();
      transparentPath.erase(def);
      continue;
    }
    auto pop = populationOf(def);
    if (failed(pop))
      return failure();
    out.push_back({*pop, delay});
  }
  return success();
}

LogicalResult Lowerer::connect(Value v, uint32_t target, double delay) {
  SmallVector<Value> prods;
  producers(v, prods);
  for (Value p : prods) {
    Operation *def = p.getDefiningOp();
    if (isWeighted(def)) {
      const size_t first = plan.projections.size();
      for (Value in : def->getOperands()) {
        SmallVector<std::pair<uint32_t, double>> srcs;
        if (failed(sources(in, delay, srcs)))
          return failure();
        for (auto [s, d] : srcs)
          if (failed(addProjection(def, s, target, d)))
            return failure();
      }
      if (failed(addBias(def, target, first)))
        return failure();
      continue;
    }
    // Flatten, uniform delays and populations: an identity map.
    SmallVector<std::pair<uint32_t, double>> srcs;
    if (failed(sources(p, delay, srcs)))
      return failure();
    for (auto [s, d] : srcs) {
      PlanProjection pr;
      pr.name = "identity";
      pr.loc = def->getLoc();
      pr.source = s;
      pr.target = target;
      pr.kind = PlanProjection::Sparse;
      int64_t n = plan.populations[s].size;
      if (n != plan.populations[target].size)
        return def->emitOpError()
               << "feeds " << n << " values into a "
               << "population of " << plan.populations[target].size;
      for (int64_t i = 0; i <= n; ++i)
        pr.rowStart.push_back(uint32_t(i));
      for (int64_t i = 0; i < n; ++i)
        pr.targets.push_back(uint32_t(i));
      pr.weights.assign(n, 1.0f);
      auto steps = delaySteps(def, d);
      if (failed(steps))
        return failure();
      pr.delaySteps = {*steps};
      plan.projections.push_back(std::move(pr));
    }
  }
  return success();
}

FailureOr<uint32_t> Lowerer::delaySteps(Operation *at, double seconds) {
  double steps = seconds / plan.discretization.dt;
  if (steps < 0 || steps > 65535)
    return at->emitOpError() << "delay of " << seconds << " s is " << steps
                             << " steps, outside 0..65535";
  return uint32_t(std::lround(steps));
}

LogicalResult Lowerer::addProjection(Operation *w, uint32_t source,
                                     uint32_t target, double delay) {
  PlanProjection pr;
  pr.name = pathOf(w);
  pr.loc = w->getLoc();
  pr.source = source;
  pr.target = target;
  auto steps = delaySteps(w, delay);
  if (failed(steps))
    return failure();
  pr.delaySteps = {*steps};
  Type inT = w->getOperand(0).getType(), outT = w->getResult(0).getType();
  int64_t nIn = sizeOf(inT), nOut = sizeOf(outT);
  if (nIn != plan.populations[source].size)
    return w->emitOpError() << "input of " << nIn << " values is fed by "
                            << "population '" << plan.populations[source].name
                            << "' of " << plan.populations[source].size;
  auto diagonal = [&](const std::vector<float> &values) {
    pr.kind = PlanProjection::Sparse;
    for (int64_t i = 0; i <= nIn; ++i)
      pr.rowStart.push_back(uint32_t(i));
    for (int64_t i = 0; i < nIn; ++i) {
      pr.targets.push_back(uint32_t(i));
      pr.weights.push_back(values.size() == 1 ? values[0] : values[i]);
    }
  };
  if (isa<snn::SparseOp, snn::ConnectOp>(w)) {
    // lowerReceptor also sets the timing (pr.previousStep).
    if (failed(lowerReceptor(w, plan.populations[source],
                             plan.populations[target], pr)) ||
        failed(lowerSynapses(w, source == target, options,
                             plan.discretization.dt, pr)))
      return failure();
  } else if (auto d = dyn_cast<snn::DelayOp>(w)) {
    diagonal({1.0f});
    pr.delaySteps.clear();
    for (float s : floats(d.getDelay())) {
      auto st = delaySteps(w, delay + s);
      if (failed(st))
        return failure();
      pr.delaySteps.push_back(*st);
    }
  } else if (auto s = dyn_cast<snn::ScaleOp>(w)) {
    diagonal(floats(s.getScale()));
  } else if (isa<snn::AffineOp, snn::LinearOp>(w)) {
    auto wAttr = w->getAttrOfType<DenseFPElementsAttr>("weight");
    std::vector<float> wv = floats(wAttr);
    if (wv.size() == 1)
      wv.assign(nIn * nOut, wv[0]);
    int64_t nnz = llvm::count_if(wv, [](float x) { return x != 0.0f; });
    if (nnz * 4 <= int64_t(wv.size())) {
      pr.kind = PlanProjection::Sparse;
      pr.rowStart.push_back(0);
      for (int64_t i = 0; i < nIn; ++i) {
        for (int64_t o = 0; o < nOut; ++o)
          if (float x = wv[o * nIn + i]; x != 0.0f) {
            pr.targets.push_back(uint32_t(o));
            pr.weights.push_back(x);
          }
        pr.rowStart.push_back(uint32_t(pr.targets.size()));
      }
    } else {
      pr.kind = PlanProjection::Dense;
      pr.weights.resize(wv.size());
      for (int64_t o = 0; o < nOut; ++o)
        for (int64_t i = 0; i < nIn; ++i)
          pr.weights[i * nOut + o] = wv[o * nIn + i]; // presynaptic-major
    }
  } else if (isa<snn::Conv1dOp, snn::Conv2dOp>(w)) {
    bool one = isa<snn::Conv1dOp>(w);
    auto kAttr = w->getAttrOfType<DenseFPElementsAttr>("weight");
    pr.kind = PlanProjection::Conv;
    pr.weights = floats(kAttr);
    auto ks = kAttr.getType().getShape();
    int64_t kn = 1;
    for (int64_t d : ks)
      kn *= d;
    if (pr.weights.size() == 1)
      pr.weights.assign(kn, pr.weights[0]);
    pr.inShape = shapeOf(inT);
    pr.outShape = shapeOf(outT);
    pr.kernelShape.assign(ks.begin(), ks.end());
    auto arr = [&](StringRef n) {
      auto a = w->getAttrOfType<DenseI64ArrayAttr>(n).asArrayRef();
      return std::vector<int64_t>(a.begin(), a.end());
    };
    pr.stride = arr("stride");
    pr.padding = arr("padding");
    pr.dilation = arr("dilation");
    pr.groups = w->getAttrOfType<IntegerAttr>("groups").getInt();
    if (one) { // a 1-D convolution is a 2-D one of height 1
      pr.inShape.insert(pr.inShape.begin() + 1, 1);
      pr.outShape.insert(pr.outShape.begin() + 1, 1);
      pr.kernelShape.insert(pr.kernelShape.begin() + 2, 1);
      pr.stride.insert(pr.stride.begin(), 1);
      pr.padding.insert(pr.padding.begin(), 0);
      pr.dilation.insert(pr.dilation.begin(), 1);
    }
  } else {
    bool avg = isa<snn::AvgPool2dOp>(w);
    auto arr = [&](StringRef n) {
      auto a = w->getAttrOfType<DenseI64ArrayAttr>(n).asArrayRef();
      return std::vector<int64_t>(a.begin(), a.end());
    };
    pr.kind = PlanProjection::Pool;
    pr.inShape = shapeOf(inT);
    pr.outShape = shapeOf(outT);
    pr.kernelShape = arr("kernel_size");
    pr.stride = arr("stride");
    pr.padding = arr("padding");
    pr.dilation = {1, 1};
    pr.poolScale =
        avg ? 1.0f / float(pr.kernelShape[0] * pr.kernelShape[1]) : 1.0f;
  }
  plan.projections.push_back(std::move(pr));
  return success();
}

// Affine and convolution biases become constant input of the target.
LogicalResult Lowerer::addBias(Operation *w, uint32_t target,
                               size_t firstProjection) {
  auto b = w->getAttrOfType<DenseFPElementsAttr>("bias");
  if (!b)
    return success();
  std::vector<float> bias = floats(b);
  PlanPopulation &t = plan.populations[target];
  std::vector<float> full(t.size, 0.0f);
  if (isa<snn::Conv1dOp, snn::Conv2dOp>(w)) {
    int64_t channels =
        cast<RankedTensorType>(w->getResult(0).getType()).getShape()[0];
    int64_t per = t.size / channels;
    for (int64_t i = 0; i < t.size; ++i)
      full[i] = bias.size() == 1 ? bias[0] : bias[i / per];
  } else {
    for (int64_t i = 0; i < t.size; ++i)
      full[i] = bias.size() == 1 ? bias[0] : bias[i];
  }
  if (llvm::all_of(full, [](float x) { return x == 0.0f; }))
    return success();
  biasParts.push_back(
      {target, firstProjection, plan.projections.size(), std::move(full)});
  return success();
}

void Lowerer::applyBiases(const std::vector<uint32_t> &rank) {
  auto add = [](std::vector<float> &acc, const std::vector<float> &part) {
    if (acc.size() <= 1)
      acc.assign(part.size(), acc.empty() ? 0.0f : acc[0]);
    for (size_t i = 0; i < part.size(); ++i)
      acc[i] += part[i];
  };
  std::vector<bool> delayed(plan.populations.size(), false);
  std::vector<std::vector<float>> first(plan.populations.size());
  for (BiasPart &b : biasParts) {
    bool recurrent = false;
    for (size_t j = b.firstProjection; j < b.endProjection; ++j)
      recurrent |= plan.projections[j].recurrent;
    const std::string &start = recurrent ? recurrentBiasStart : biasStart;
    if (start == "never")
      continue;
    PlanPopulation &t = plan.populations[rank[b.target]];
    std::vector<float> &f = first[rank[b.target]];
    if (f.empty())
      f = t.bias; // what step 0 has so far
    add(t.bias, b.values);
    if (start == "step0")
      add(f, b.values);
    else
      delayed[rank[b.target]] = true;
  }
  for (size_t p = 0; p < plan.populations.size(); ++p) {
    PlanPopulation &t = plan.populations[p];
    // One shared value when all are equal (erase, not resize: GCC 12's
    // -Warray-bounds misreads resize(1) here).
    if (t.bias.size() > 1 && llvm::all_equal(t.bias))
      t.bias.erase(t.bias.begin() + 1, t.bias.end());
    if (!delayed[p])
      continue;
    t.firstBias = std::move(first[p]);
    if (t.firstBias.size() > 1 && llvm::all_equal(t.firstBias))
      t.firstBias.erase(t.firstBias.begin() + 1, t.firstBias.end());
  }
}

// Evaluation order: depth-first from the inputs along projections, reverse
// postorder; edges that close a cycle (or go backwards) read the previous
// step's output and are marked recurrent.
LogicalResult Lowerer::order() {
  size_t n = plan.populations.size();
  std::vector<std::vector<uint32_t>> succ(n);
  for (const PlanProjection &p : plan.projections)
    succ[p.source].push_back(p.target);
  std::vector<int> state(n, 0); // 0 new, 1 on stack, 2 done
  std::vector<uint32_t> post;
  std::function<void(uint32_t)> dfs = [&](uint32_t u) {
    state[u] = 1;
    for (uint32_t v : succ[u])
      if (state[v] == 0)
        dfs(v);
    state[u] = 2;
    post.push_back(u);
  };
  for (size_t i = 0; i < n; ++i)
    if (plan.populations[i].kind == PopKind::Source && !state[i])
      dfs(uint32_t(i));
  for (size_t i = 0; i < n; ++i)
    if (!state[i])
      dfs(uint32_t(i));
  std::vector<uint32_t> rank(n);
  std::vector<PlanPopulation> ordered;
  for (size_t k = 0; k < n; ++k) {
    uint32_t u = post[n - 1 - k];
    rank[u] = uint32_t(k);
    ordered.push_back(std::move(plan.populations[u]));
  }
  plan.populations = std::move(ordered);
  for (PlanProjection &p : plan.projections) {
    p.source = rank[p.source];
    p.target = rank[p.target];
    p.recurrent = p.source >= p.target || p.previousStep;
    // Profiles whose every projection reads the previous step (Lava): the
    // recurrent ones already do.
    if (!p.recurrent)
      for (uint32_t &d : p.delaySteps)
        d += uint32_t(plan.discretization.projectionDelay);
  }
  for (PlanPort &p : plan.inputs)
    p.population = rank[p.population];
  for (PlanPort &p : plan.outputs)
    p.population = rank[p.population];
  applyBiases(rank);
  return success();
}

LogicalResult Lowerer::run() {
  plan.network = net.getSymName().str();
  if (failed(readDiscretization()))
    return failure();
  Block &body = net.getBody().front();
  for (Operation &op : body)
    if (auto in = dyn_cast<snn::InputOp>(op)) {
      auto idx = populationOf(&op);
      plan.inputs.push_back({in.getName().str(), *idx, shapeOf(in.getType())});
    }
  // Every population reachable from anywhere, in block order, nested too.
  WalkResult walk = net.walk([&](Operation *op) {
    if (isa<snn::DiscreteNeuronOp, snn::ThresholdOp, snn::DiscreteReceptorLIFOp,
            snn::PoissonSourceOp>(op) &&
        failed(populationOf(op)))
      return WalkResult::interrupt();
    if (isa<snn::LIFOp, snn::CubaLIFOp, snn::IFOp, snn::LIOp, snn::CubaLIOp,
            snn::IntegratorOp, snn::ReceptorLIFOp>(op)) {
      op->emitOpError() << "is a continuous-time neuron: run snn-discretize "
                           "first";
      return WalkResult::interrupt();
    }
    return WalkResult::advance();
  });
  if (walk.wasInterrupted())
    return failure();
  for (Operation &op : body) {
    auto out = dyn_cast<snn::OutputOp>(op);
    if (!out)
      continue;
    SmallVector<Value> prods;
    for (Value in : out.getInputs())
      producers(in, prods);
    Operation *single = prods.size() == 1 ? prods[0].getDefiningOp() : nullptr;
    if (single &&
        isa<snn::DiscreteNeuronOp, snn::ThresholdOp, snn::InputOp,
            snn::DiscreteReceptorLIFOp, snn::PoissonSourceOp>(single)) {
      plan.outputs.push_back(
          {out.getName().str(), popOf.lookup(single), shapeOf(out.getType())});
      continue;
    }
    // Anything else (a linear node, a sum of several): a Relay to read.
    PlanPopulation r;
    r.name = out.getName().str() + "#out";
    r.kind = PopKind::Relay;
    r.shape = shapeOf(out.getType());
    uint32_t idx = addPopulation(std::move(r), &op);
    for (Value in : out.getInputs())
      if (failed(connect(in, idx, 0)))
        return failure();
    plan.outputs.push_back({out.getName().str(), idx, shapeOf(out.getType())});
  }
  return order();
}

} // namespace

LogicalResult lowerToPlan(ModuleOp module, NetworkPlan &plan,
                          const LowerOptions &options) {
  snn::NetworkOp net;
  module.walk([&](snn::NetworkOp n) {
    net = n;
    return WalkResult::interrupt();
  });
  if (!net)
    return module.emitError("holds no snn.network to compile");
  return Lowerer(net, plan, options).run();
}

} // namespace snnc
