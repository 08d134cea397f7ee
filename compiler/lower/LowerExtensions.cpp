//===- LowerExtensions.cpp - snnc's extension ops to populations ----------===//
//
// Receptor LIF and Poisson populations copy their per-step constants. An
// snn.sparse list becomes CSR rows (a counting sort by source; synapses keep
// their order within a row); an snn.connect rule is expanded by the
// runtime's procedural generator (snnc/runtime/Procedural.h), the same code
// a runtime uses to expand it at load, so both give identical synapses.
//
//===----------------------------------------------------------------------===//
#include "compiler/lower/LowerExtensions.h"

#include "dialects/snn/IR/SNNArrays.h"
#include "dialects/snn/IR/SNNDialect.h"
#include "snnc/runtime/Procedural.h"

#include "Philox.h"

#include "llvm/ADT/STLExtras.h"

#include <chrono>
#include <cmath>
#include <thread>

using namespace mlir;

namespace snnc {
namespace {

std::vector<float> floatsOf(Attribute a) {
  auto d = cast<DenseFPElementsAttr>(a);
  if (d.isSplat())
    return {float(d.getSplatValue<APFloat>().convertToDouble())};
  std::vector<float> out;
  out.reserve(d.getNumElements());
  for (const APFloat &v : d.getValues<APFloat>())
    out.push_back(float(v.convertToDouble()));
  return out;
}

InFlightDiagnostic err(Operation *op) {
  return op->emitOpError() << "node '"
                           << op->getAttrOfType<StringAttr>("name").getValue()
                           << "': ";
}

// The generator's key: the op's seed mixed with its node name (FNV-1a), so
// that projections given one seed still draw independent synapses.
uint64_t keyOf(uint64_t seed, StringRef name) {
  uint64_t h = 0xcbf29ce484222325ull;
  for (char c : name)
    h = (h ^ uint8_t(c)) * 0x100000001b3ull;
  return seed ^ h;
}

procedural::Distribution distribution(DictionaryAttr d) {
  procedural::Distribution out;
  auto num = [&](StringRef k, double def) {
    Attribute a = d.get(k);
    if (auto f = dyn_cast_or_null<FloatAttr>(a))
      return f.getValueAsDouble();
    if (auto i = dyn_cast_or_null<IntegerAttr>(a))
      return double(i.getInt());
    return def;
  };
  StringRef kind = d.getAs<StringAttr>("dist").getValue();
  using K = procedural::Distribution::Kind;
  if (kind == "constant") {
    out.kind = K::Constant;
    out.a = num("value", 0);
  } else if (kind == "normal") {
    out.kind = K::Normal;
    out.a = num("mean", 0);
    out.b = num("std", 0);
    out.low = num("low", -INFINITY);
    out.high = num("high", INFINITY);
  } else if (kind == "lognormal") {
    out.kind = K::Lognormal;
    out.a = num("mu", 0);
    out.b = num("sigma", 0);
  } else {
    out.kind = K::Uniform;
    out.a = num("low", 0);
    out.b = num("high", 0);
  }
  return out;
}

// Per-synapse delays whose values are all equal fold into the projection.
void foldDelays(PlanProjection &pr) {
  if (pr.synapseDelays.empty())
    return;
  if (pr.synapseDelays.size() == 1 || llvm::all_equal(pr.synapseDelays)) {
    for (uint32_t &d : pr.delaySteps)
      d += pr.synapseDelays[0];
    pr.synapseDelays.clear();
  }
}

LogicalResult lowerSparse(snn::SparseOp op, double dt, PlanProjection &pr) {
  int64_t nPre =
      cast<RankedTensorType>(op.getInputs()[0].getType()).getNumElements();
  int64_t k = op.getPre().getNumElements();
  std::vector<uint32_t> pre(k), post(k);
  (void)snn::forEachInt(op.getPre(), [&](int64_t i, int64_t v) {
    pre[i] = uint32_t(v);
    return true;
  });
  (void)snn::forEachInt(op.getPost(), [&](int64_t i, int64_t v) {
    post[i] = uint32_t(v);
    return true;
  });
  std::vector<float> w;
  w.reserve(snn::storedCount(op.getWeight()));
  (void)snn::forEachFloat(op.getWeight(), [&](int64_t, double v) {
    w.push_back(float(v));
    return true;
  });
  std::vector<uint16_t> delays;
  if (op.getDelay()) {
    LogicalResult ok = success();
    (void)snn::forEachFloat(*op.getDelay(), [&](int64_t i, double s) {
      double steps = std::round(s / dt);
      if (steps > 65535) {
        ok = err(op) << "delay entry " << i << " = " << s << " s is " << steps
                     << " steps of dt = " << dt << ", above 65535";
        return false;
      }
      delays.push_back(uint16_t(steps));
      return true;
    });
    if (failed(ok))
      return failure();
  }
  // Counting sort by source neuron; order within a row is kept.
  pr.kind = PlanProjection::Sparse;
  pr.rowStart.assign(nPre + 1, 0);
  for (uint32_t p : pre)
    ++pr.rowStart[p + 1];
  for (int64_t i = 0; i < nPre; ++i)
    pr.rowStart[i + 1] += pr.rowStart[i];
  std::vector<uint32_t> fill(pr.rowStart.begin(), pr.rowStart.end() - 1);
  pr.targets.resize(k);
  bool perWeight = w.size() > 1, perDelay = delays.size() > 1;
  pr.weights.assign(perWeight ? k : 1, w.empty() ? 0.f : w[0]);
  pr.synapseDelays.assign(perDelay ? k : delays.size(),
                          delays.empty() ? 0 : delays[0]);
  for (int64_t i = 0; i < k; ++i) {
    uint32_t at = fill[pre[i]]++;
    pr.targets[at] = post[i];
    if (perWeight)
      pr.weights[at] = w[i];
    if (perDelay)
      pr.synapseDelays[at] = delays[i];
  }
  foldDelays(pr);
  return success();
}

} // namespace

procedural::ConnectSpec connectSpec(snn::ConnectOp op, bool samePopulation,
                                    double dt) {
  procedural::ConnectSpec spec;
  StringRef rule = op.getRule();
  using R = procedural::Rule;
  spec.rule = rule == "all_to_all"          ? R::AllToAll
              : rule == "one_to_one"        ? R::OneToOne
              : rule == "fixed_probability" ? R::FixedProbability
              : rule == "fixed_in_degree"   ? R::FixedInDegree
              : rule == "fixed_out_degree"  ? R::FixedOutDegree
                                            : R::FixedTotalNumber;
  if (op.getP())
    spec.p = op.getP()->convertToDouble();
  if (op.getN())
    spec.n = *op.getN();
  spec.allowAutapses = op.getAutapses();
  spec.allowMultapses = op.getMultapses();
  spec.samePopulation = samePopulation;
  spec.nPre = uint32_t(
      cast<RankedTensorType>(op.getInputs()[0].getType()).getNumElements());
  spec.nPost = uint32_t(op.getType().getNumElements());
  spec.weight = distribution(op.getWeight());
  if (op.getDelay())
    spec.delay = distribution(*op.getDelay());
  spec.dt = dt;
  spec.seed = keyOf(op.getSeed(), op.getName());
  return spec;
}

namespace {

LogicalResult lowerConnect(snn::ConnectOp op, bool samePopulation,
                           const LowerOptions &options, double dt,
                           PlanProjection &pr) {
  procedural::ConnectSpec spec = connectSpec(op, samePopulation, dt);
  using R = procedural::Rule;
  using E = LowerOptions::Expand;
  if (Status st = procedural::validate(spec); !st)
    return err(op) << st.message();
  auto bound = procedural::synapseBound(spec);
  if (!bound.isOk())
    return err(op) << bound.status().message();
  double expected = spec.rule == R::FixedProbability
                        ? spec.p * double(spec.nPre) * double(spec.nPost)
                        : double(*bound);
  if (options.expand == E::Load ||
      (options.expand == E::Auto && expected > double(options.autoLimit))) {
    pr.kind = PlanProjection::Procedural;
    pr.rule = spec;
    pr.expectedSynapses = int64_t(expected);
    return success();
  }
  unsigned threads = options.threads
                         ? options.threads
                         : std::max(1u, std::thread::hardware_concurrency());
  auto start = std::chrono::steady_clock::now();
  auto syn = procedural::expand(spec, threads, options.memoryBudgetBytes);
  if (!syn.isOk())
    return err(op) << syn.status().message();
  pr.expansionSeconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  pr.kind = PlanProjection::Sparse;
  pr.rowStart = std::move(syn->rowStart);
  pr.targets = std::move(syn->targets);
  pr.weights = std::move(syn->weights);
  pr.synapseDelays = std::move(syn->delaySteps);
  if (pr.weights.empty())
    pr.weights = {0.f};
  foldDelays(pr);
  return success();
}

/// Lowers a receptor LIF whose receptors are all delta receptors and which
/// has no refractory period to the LIF kind: every receptor then has decay
/// 0 and the same gain (beta, see DiscretizeReceptor.cpp), so the receptor
/// update v' = beta*v + leak + sum_k gain*x_k is LIF's v' = beta*v +
/// gain_mem*x + leak with x = sum_k x_k (up to the order of the float
/// additions), at LIF's cost and with its fixed-point form. Returns false,
/// changing nothing, for any other population.
bool lowerDeltaOnly(snn::DiscreteReceptorLIFOp r, PlanPopulation &p) {
  if (r.getRefractorySteps() != 0)
    return false;
  std::vector<float> gain;
  std::vector<std::string> names;
  for (Attribute a : r.getReceptors()) {
    auto d = cast<DictionaryAttr>(a);
    if (d.getAs<StringAttr>("type").getValue() != "delta")
      return false;
    std::vector<float> g = floatsOf(d.get("gain"));
    if (!gain.empty() && g != gain)
      return false;
    gain = std::move(g);
    names.push_back(d.getAs<StringAttr>("name").getValue().str());
  }
  p.kind = PopKind::LIF;
  p.alpha = {0.f};
  p.gainSyn = {1.f};
  p.gainDirect = {0.f};
  p.bias = {0.f};
  p.gainMem = std::move(gain);
  p.deltaReceptors = std::move(names);
  return true;
}

} // namespace

void lowerExtensionPopulation(Operation *op, PlanPopulation &p) {
  if (auto r = dyn_cast<snn::DiscreteReceptorLIFOp>(op)) {
    p.kind = PopKind::ReceptorLIF;
    p.alpha.clear();
    p.gainSyn.clear();
    p.gainMem.clear();
    p.gainDirect.clear();
    p.bias.clear();
    p.beta = floatsOf(r.getBeta());
    p.leak = floatsOf(r.getLeak());
    p.vThreshold = floatsOf(r.getVThreshold());
    p.vReset = floatsOf(r.getVReset());
    p.vInit = floatsOf(r.getVInit());
    if (auto dist = r.getVInitDistAttr()) {
      // One draw per neuron from the generator's initial-value stream.
      procedural::Distribution d = distribution(dist);
      uint64_t key = keyOf(uint64_t(dist.getAs<IntegerAttr>("seed").getInt()),
                           r.getName());
      int64_t n = r.getType().getNumElements();
      p.vInit.resize(n);
      for (int64_t i = 0; i < n; ++i)
        p.vInit[i] = float(procedural::sampleValue(
            d, key, ref::kStreamInitialValue, uint32_t(i), 0));
    }
    p.refractorySteps = uint32_t(r.getRefractorySteps());
    if (lowerDeltaOnly(r, p))
      return;
    for (Attribute a : r.getReceptors()) {
      auto d = cast<DictionaryAttr>(a);
      PlanReceptor pr;
      pr.name = d.getAs<StringAttr>("name").getValue().str();
      pr.conductance = d.getAs<StringAttr>("type").getValue() == "conductance";
      pr.delta = d.getAs<StringAttr>("type").getValue() == "delta";
      pr.alpha = d.getAs<StringAttr>("type").getValue() == "alpha";
      pr.injection = d.getAs<StringAttr>("type").getValue() == "injection";
      pr.decay = floatsOf(d.get("decay"));
      pr.gain = floatsOf(d.get("gain"));
      if (pr.alpha) {
        pr.gainRise = floatsOf(d.get("gain_rise"));
        pr.rise = floatsOf(d.get("rise"));
      }
      if (pr.conductance)
        pr.reversal = floatsOf(d.get("reversal"));
      p.receptors.push_back(std::move(pr));
    }
    return;
  }
  auto s = cast<snn::PoissonSourceOp>(op);
  p.kind = PopKind::PoissonSource;
  for (auto *v : {&p.alpha, &p.beta, &p.gainSyn, &p.gainMem, &p.gainDirect,
                  &p.leak, &p.bias, &p.vThreshold, &p.vReset, &p.vInit})
    v->clear();
  p.rate = floatsOf(s.getRate());
  p.seed = keyOf(s.getSeed(), s.getName());
}

LogicalResult lowerReceptor(Operation *w, const PlanPopulation &source,
                            const PlanPopulation &target, PlanProjection &pr) {
  pr.previousStep = true;
  auto name = w->getAttrOfType<StringAttr>("receptor");
  if (!name) {
    if (target.kind == PopKind::ReceptorLIF || !target.deltaReceptors.empty())
      return err(w) << "feeds receptor population '" << target.name
                    << "' without naming one of its receptors";
    return success();
  }
  if (llvm::is_contained(target.deltaReceptors, name.getValue().str())) {
    pr.receptor = 0; // the LIF kind's one input
    return success();
  }
  if (target.kind != PopKind::ReceptorLIF && target.deltaReceptors.empty())
    return err(w) << "names receptor '" << name.getValue()
                  << "' but its target '" << target.name
                  << "' has no receptors (only snn.receptor_lif has)";
  for (auto [i, r] : llvm::enumerate(target.receptors))
    if (r.name == name.getValue()) {
      pr.receptor = uint8_t(i);
      // A current is not a spike: no step for synaptic transmission.
      pr.previousStep = !(r.injection && source.kind == PopKind::Source);
      return success();
    }
  return err(w) << "names receptor '" << name.getValue() << "', which target '"
                << target.name << "' does not have";
}

LogicalResult lowerSynapses(Operation *w, bool samePopulation,
                            const LowerOptions &options, double dt,
                            PlanProjection &pr) {
  if (auto s = dyn_cast<snn::SparseOp>(w))
    return lowerSparse(s, dt, pr);
  return lowerConnect(cast<snn::ConnectOp>(w), samePopulation, options, dt, pr);
}

} // namespace snnc
