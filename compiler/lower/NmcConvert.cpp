//===- NmcConvert.cpp - NetworkPlan <-> nmc.program -----------------------===//
//
// Arrays of more than a few values become resource blobs that own the
// plan's vectors (moved, not copied); short ones stay inline so that the
// printed IR of a small network is readable.
//
//===----------------------------------------------------------------------===//
#include "compiler/lower/NmcConvert.h"
#include "target/Target.h"

#include "dialects/nmc/IR/NMCDialect.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "llvm/ADT/StringExtras.h"

#include <cstring>
#include <map>
#include <memory>

using namespace mlir;

namespace snnc {
namespace {

constexpr size_t kInlineLimit = 16;

template <typename T> Type elementType(MLIRContext *ctx) {
  if constexpr (std::is_same_v<T, float>)
    return Float32Type::get(ctx);
  else
    return IntegerType::get(ctx, unsigned(sizeof(T) * 8));
}

/// `values` as an array attribute: inline when short, else a blob that
/// takes the vector over.
template <typename T>
ElementsAttr array(MLIRContext *ctx, StringRef name, std::vector<T> &&values) {
  auto type =
      RankedTensorType::get({int64_t(values.size())}, elementType<T>(ctx));
  if (values.size() <= kInlineLimit) {
    if constexpr (std::is_same_v<T, float>) {
      return DenseElementsAttr::get(type, ArrayRef<float>(values));
    } else {
      SmallVector<APInt> ints;
      for (T v : values)
        ints.push_back(APInt(sizeof(T) * 8, uint64_t(v)));
      return DenseElementsAttr::get(type, ints);
    }
  }
  auto owner = std::make_shared<std::vector<T>>(std::move(values));
  ArrayRef<char> raw(reinterpret_cast<const char *>(owner->data()),
                     owner->size() * sizeof(T));
  AsmResourceBlob blob(
      raw, alignof(T),
      [owner](void *, size_t, size_t) mutable { owner.reset(); },
      /*dataIsMutable=*/false);
  return DenseResourceElementsAttr::get(type, resourceKey(name),
                                        std::move(blob));
}

int64_t count(ElementsAttr a) {
  return llvm::cast<ShapedType>(a.getType()).getNumElements();
}

/// Reads an array written by array() (or by hand: dense elements of the
/// same element type). Empty string, or what is wrong.
template <typename T> std::string read(ElementsAttr a, std::vector<T> &out) {
  if (a.getElementType() != elementType<T>(a.getContext()))
    return std::is_same_v<T, float>
               ? "must be f32"
               : "must be i" + std::to_string(sizeof(T) * 8);
  const int64_t n = count(a);
  if (auto r = llvm::dyn_cast<DenseResourceElementsAttr>(a)) {
    AsmResourceBlob *blob = r.getRawHandle().getBlob();
    if (!blob)
      return "names resource blob '" + r.getRawHandle().getKey().str() +
             "', which the file does not hold";
    ArrayRef<char> raw = blob->getData();
    if (raw.size() < size_t(n) * sizeof(T))
      return "has a blob shorter than its type says";
    out.resize(size_t(n));
    std::memcpy(out.data(), raw.data(), size_t(n) * sizeof(T));
    return "";
  }
  auto d = llvm::dyn_cast<DenseElementsAttr>(a);
  if (!d)
    return "must be dense elements or a resource blob";
  out.clear();
  out.reserve(size_t(n));
  if constexpr (std::is_same_v<T, float>) {
    for (float v : d.getValues<float>())
      out.push_back(v);
  } else {
    for (const APInt &v : d.getValues<APInt>())
      out.push_back(T(v.getZExtValue()));
  }
  return "";
}

const char *ruleName(procedural::Rule r) {
  static const char *const names[] = {"all_to_all",         "one_to_one",
                                      "fixed_probability",  "fixed_in_degree",
                                      "fixed_total_number", "fixed_out_degree"};
  return names[int(r)];
}

const char *distName(procedural::Distribution::Kind k) {
  static const char *const names[] = {"constant", "normal", "lognormal",
                                      "uniform"};
  return names[int(k)];
}

const char *kindName(PlanProjection::Kind k) {
  static const char *const names[] = {"dense", "sparse", "conv", "pool",
                                      "procedural"};
  return names[int(k)];
}

DictionaryAttr distAttr(Builder &b, const procedural::Distribution &d) {
  return b.getDictionaryAttr({
      b.getNamedAttr("kind", b.getStringAttr(distName(d.kind))),
      b.getNamedAttr("a", b.getF64FloatAttr(d.a)),
      b.getNamedAttr("b", b.getF64FloatAttr(d.b)),
      b.getNamedAttr("low", b.getF64FloatAttr(d.low)),
      b.getNamedAttr("high", b.getF64FloatAttr(d.high)),
  });
}

DictionaryAttr ruleAttr(Builder &b, const procedural::ConnectSpec &s) {
  auto i64 = [&](uint64_t v) { return b.getI64IntegerAttr(int64_t(v)); };
  return b.getDictionaryAttr({
      b.getNamedAttr("rule", b.getStringAttr(ruleName(s.rule))),
      b.getNamedAttr("p", b.getF64FloatAttr(s.p)),
      b.getNamedAttr("n", i64(s.n)),
      b.getNamedAttr("allow_autapses", b.getBoolAttr(s.allowAutapses)),
      b.getNamedAttr("allow_multapses", b.getBoolAttr(s.allowMultapses)),
      b.getNamedAttr("same_population", b.getBoolAttr(s.samePopulation)),
      b.getNamedAttr("n_pre", i64(s.nPre)),
      b.getNamedAttr("n_post", i64(s.nPost)),
      b.getNamedAttr("weight", distAttr(b, s.weight)),
      b.getNamedAttr("delay", distAttr(b, s.delay)),
      b.getNamedAttr("dt", b.getF64FloatAttr(s.dt)),
      b.getNamedAttr("seed", i64(s.seed)),
  });
}

// The population's per-step constants under their artifact names.
struct ParamField {
  const char *name;
  std::vector<float> PlanPopulation::*field;
};
const ParamField kParams[] = {
    {"alpha", &PlanPopulation::alpha},
    {"beta", &PlanPopulation::beta},
    {"gain_syn", &PlanPopulation::gainSyn},
    {"gain_mem", &PlanPopulation::gainMem},
    {"gain_direct", &PlanPopulation::gainDirect},
    {"leak", &PlanPopulation::leak},
    {"bias", &PlanPopulation::bias},
    {"v_threshold", &PlanPopulation::vThreshold},
    {"v_reset", &PlanPopulation::vReset},
    {"v_init", &PlanPopulation::vInit},
    {"first_bias", &PlanPopulation::firstBias},
    {"delta_k_mem", &PlanPopulation::deltaKMem},
    {"delta_k_syn", &PlanPopulation::deltaKSyn},
    {"delta_r", &PlanPopulation::deltaR},
    {"delta_w_in", &PlanPopulation::deltaWIn},
    {"delta_v_leak", &PlanPopulation::deltaVLeak},
    {"delta_i_leak", &PlanPopulation::deltaILeak},
};

} // namespace

nmc::ProgramOp planToNmc(OpBuilder &b, Location loc, NetworkPlan &&plan) {
  MLIRContext *ctx = b.getContext();
  const Discretization &d = plan.discretization;
  auto disc = b.getDictionaryAttr({
      b.getNamedAttr("profile", b.getStringAttr(d.profile)),
      b.getNamedAttr("dt", b.getF64FloatAttr(d.dt)),
      b.getNamedAttr("reset_subtract", b.getBoolAttr(d.resetSubtract)),
      b.getNamedAttr("reset_next_step", b.getBoolAttr(d.resetNextStep)),
      b.getNamedAttr("reset_carry", b.getBoolAttr(d.resetCarry)),
      b.getNamedAttr("projection_delay",
                     b.getI64IntegerAttr(d.projectionDelay)),
      b.getNamedAttr("greater_equal", b.getBoolAttr(d.greaterEqual)),
      b.getNamedAttr("synapse_first", b.getBoolAttr(d.synapseFirst)),
  });
  // Rules that most programs do not use: absent unless set.
  SmallVector<NamedAttribute> rules(disc.getValue());
  if (d.stateFracBits)
    rules.push_back(b.getNamedAttr("state_frac_bits",
                                   b.getI64IntegerAttr(d.stateFracBits)));
  if (d.multiSpike)
    rules.push_back(b.getNamedAttr("multi_spike", b.getBoolAttr(true)));
  if (d.synapseInputDecays)
    rules.push_back(
        b.getNamedAttr("synapse_input_decays", b.getBoolAttr(true)));
  if (d.ifLowerClamp)
    rules.push_back(b.getNamedAttr("if_lower_clamp", b.getBoolAttr(true)));
  if (d.deltaForm)
    rules.push_back(b.getNamedAttr("delta_form", b.getBoolAttr(true)));
  disc = b.getDictionaryAttr(rules);
  auto program = b.create<nmc::ProgramOp>(loc, plan.network, disc);
  program.getBody().emplaceBlock();
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(&program.getBody().front());
  for (PlanPopulation &p : plan.populations) {
    SmallVector<NamedAttribute> params;
    for (const ParamField &f : kParams)
      if (!(p.*f.field).empty()) // empty: absent, the artifact's default
        params.push_back(b.getNamedAttr(
            f.name, array(ctx, p.name + "." + f.name, std::move(p.*f.field))));
    ArrayAttr receptors;
    if (p.kind == PopKind::ReceptorLIF) {
      SmallVector<Attribute> rs;
      for (PlanReceptor &r : p.receptors) {
        SmallVector<NamedAttribute> fields{
            b.getNamedAttr("name", b.getStringAttr(r.name)),
            b.getNamedAttr("conductance", b.getBoolAttr(r.conductance)),
            b.getNamedAttr("decay", array(ctx, p.name + "." + r.name + ".decay",
                                          std::move(r.decay))),
            b.getNamedAttr("gain", array(ctx, p.name + "." + r.name + ".gain",
                                         std::move(r.gain)))};
        if (r.delta) // only what reports name; the numbers are the same
          fields.push_back(b.getNamedAttr("delta", b.getBoolAttr(true)));
        if (r.conductance)
          fields.push_back(b.getNamedAttr(
              "reversal", array(ctx, p.name + "." + r.name + ".reversal",
                                std::move(r.reversal))));
        if (r.alpha) {
          fields.push_back(b.getNamedAttr("alpha", b.getBoolAttr(true)));
          fields.push_back(b.getNamedAttr(
              "gain_rise", array(ctx, p.name + "." + r.name + ".gain_rise",
                                 std::move(r.gainRise))));
          fields.push_back(
              b.getNamedAttr("rise", array(ctx, p.name + "." + r.name + ".rise",
                                           std::move(r.rise))));
        }
        rs.push_back(b.getDictionaryAttr(fields));
      }
      receptors = b.getArrayAttr(rs);
    }
    ElementsAttr rate;
    if (p.kind == PopKind::PoissonSource)
      rate = array(ctx, p.name + ".rate", std::move(p.rate));
    b.create<nmc::PopulationOp>(
        p.loc ? Location(p.loc) : loc, p.name, popKindId(p.kind), p.shape,
        b.getDictionaryAttr(params), receptors, int64_t(p.refractorySteps),
        rate, int64_t(p.seed),
        p.resetSubtract ? b.getBoolAttr(*p.resetSubtract) : BoolAttr());
  }
  for (PlanProjection &p : plan.projections) {
    ElementsAttr weights, rowStart, targets, delays;
    if (p.kind != PlanProjection::Procedural)
      weights = array(ctx, p.name + ".weights", std::move(p.weights));
    if (p.kind == PlanProjection::Sparse) {
      rowStart = array(ctx, p.name + ".row_start", std::move(p.rowStart));
      targets = array(ctx, p.name + ".targets", std::move(p.targets));
      if (!p.synapseDelays.empty())
        delays = array(ctx, p.name + ".delays", std::move(p.synapseDelays));
    }
    DictionaryAttr conv, rule;
    if (p.kind == PlanProjection::Conv || p.kind == PlanProjection::Pool)
      conv = b.getDictionaryAttr({
          b.getNamedAttr("in_shape", b.getDenseI64ArrayAttr(p.inShape)),
          b.getNamedAttr("out_shape", b.getDenseI64ArrayAttr(p.outShape)),
          b.getNamedAttr("kernel_shape", b.getDenseI64ArrayAttr(p.kernelShape)),
          b.getNamedAttr("stride", b.getDenseI64ArrayAttr(p.stride)),
          b.getNamedAttr("padding", b.getDenseI64ArrayAttr(p.padding)),
          b.getNamedAttr("dilation", b.getDenseI64ArrayAttr(p.dilation)),
          b.getNamedAttr("groups", b.getI64IntegerAttr(p.groups)),
          b.getNamedAttr("pool_scale", b.getF32FloatAttr(p.poolScale)),
      });
    if (p.kind == PlanProjection::Procedural)
      rule = ruleAttr(b, p.rule);
    SmallVector<int64_t> delaySteps(p.delaySteps.begin(), p.delaySteps.end());
    auto op = b.create<nmc::ProjectionOp>(
        p.loc ? Location(p.loc) : loc, p.name, int64_t(p.source),
        int64_t(p.target), kindName(p.kind), weights, rowStart, targets, delays,
        conv, rule, delaySteps, int64_t(p.receptor), p.recurrent,
        p.previousStep, p.expectedSynapses);
    if (p.expansionSeconds > 0)
      op->setAttr("nmc.expansion_seconds",
                  b.getF64FloatAttr(p.expansionSeconds));
  }
  for (PlanPort &p : plan.inputs)
    b.create<nmc::InputOp>(loc, p.name, int64_t(p.population), p.shape);
  for (PlanPort &p : plan.outputs)
    b.create<nmc::OutputOp>(loc, p.name, int64_t(p.population), p.shape);
  plan = NetworkPlan();
  return program;
}

namespace {

bool flag(DictionaryAttr d, StringRef name) {
  auto a = d.getAs<BoolAttr>(name);
  return a && a.getValue();
}

double real(DictionaryAttr d, StringRef name, double otherwise = 0) {
  auto a = d.getAs<FloatAttr>(name);
  return a ? a.getValueAsDouble() : otherwise;
}

int64_t integer(DictionaryAttr d, StringRef name) {
  auto a = d.getAs<IntegerAttr>(name);
  return a ? a.getInt() : 0;
}

std::vector<int64_t> ints(DictionaryAttr d, StringRef name) {
  auto a = d.getAs<DenseI64ArrayAttr>(name);
  return a ? std::vector<int64_t>(a.asArrayRef().begin(), a.asArrayRef().end())
           : std::vector<int64_t>{};
}

LogicalResult readDist(Operation *op, DictionaryAttr d, const char *what,
                       procedural::Distribution &out) {
  if (!d)
    return op->emitOpError() << "rule needs '" << what << "'";
  auto kind = d.getAs<StringAttr>("kind");
  for (int k = 0; k <= int(procedural::Distribution::Kind::Uniform); ++k)
    if (kind && kind.getValue() == distName(procedural::Distribution::Kind(k)))
      out.kind = procedural::Distribution::Kind(k);
  if (!kind || kind.getValue() != distName(out.kind))
    return op->emitOpError() << "rule '" << what << "' has no known kind";
  out.a = real(d, "a");
  out.b = real(d, "b");
  out.low = real(d, "low", -INFINITY);
  out.high = real(d, "high", INFINITY);
  return success();
}

LogicalResult readRule(Operation *op, DictionaryAttr d,
                       procedural::ConnectSpec &s) {
  auto rule = d.getAs<StringAttr>("rule");
  bool known = false;
  for (int r = 0; r <= int(procedural::Rule::FixedOutDegree); ++r)
    if (rule && rule.getValue() == ruleName(procedural::Rule(r))) {
      s.rule = procedural::Rule(r);
      known = true;
    }
  if (!known)
    return op->emitOpError() << "rule has no known 'rule'";
  s.p = real(d, "p");
  s.n = uint64_t(integer(d, "n"));
  s.allowAutapses = flag(d, "allow_autapses");
  s.allowMultapses = flag(d, "allow_multapses");
  s.samePopulation = flag(d, "same_population");
  s.nPre = uint32_t(integer(d, "n_pre"));
  s.nPost = uint32_t(integer(d, "n_post"));
  s.dt = real(d, "dt");
  s.seed = uint64_t(integer(d, "seed"));
  if (failed(readDist(op, d.getAs<DictionaryAttr>("weight"), "weight",
                      s.weight)) ||
      failed(readDist(op, d.getAs<DictionaryAttr>("delay"), "delay", s.delay)))
    return failure();
  return success();
}

} // namespace

/// What the verifiers cannot see, one op at a time: each projection's
/// arrays against the sizes of the populations it joins (a hand-written
/// program may get them wrong; the writer and the mapping index them).
LogicalResult checkShapes(nmc::ProgramOp program, const NetworkPlan &plan) {
  std::vector<Operation *> ops;
  for (Operation &op : program.getBody().front())
    if (llvm::isa<nmc::ProjectionOp>(op))
      ops.push_back(&op);
  auto product = [](const std::vector<int64_t> &v) {
    int64_t n = 1;
    for (int64_t d : v)
      n *= d;
    return n;
  };
  for (size_t k = 0; k < plan.projections.size(); ++k) {
    const PlanProjection &p = plan.projections[k];
    auto err = [&]() {
      return ops[k]->emitOpError() << "'" << p.name << "': ";
    };
    const int64_t pre = plan.populations[p.source].size;
    const int64_t post = plan.populations[p.target].size;
    switch (p.kind) {
    case PlanProjection::Dense:
      if (int64_t(p.weights.size()) != pre * post)
        return err() << p.weights.size() << " weights; a dense projection of "
                     << pre << " x " << post << " neurons needs " << pre * post;
      break;
    case PlanProjection::Sparse: {
      if (p.rowStart.empty() || p.rowStart.front() != 0 ||
          p.rowStart.back() != p.targets.size())
        return err() << "row_start must start at 0 and end at the "
                     << p.targets.size() << " targets";
      for (size_t i = 1; i < p.rowStart.size(); ++i)
        if (p.rowStart[i] < p.rowStart[i - 1])
          return err() << "row_start decreases at source neuron " << i - 1;
      for (size_t i = 0; i < p.targets.size(); ++i)
        if (int64_t(p.targets[i]) >= post)
          return err() << "synapse " << i << " targets neuron " << p.targets[i]
                       << " of a population of " << post;
      break;
    }
    case PlanProjection::Conv:
    case PlanProjection::Pool: {
      const size_t kernelRank = p.kind == PlanProjection::Conv ? 4 : 2;
      if (p.inShape.size() != 3 || p.outShape.size() != 3 ||
          p.kernelShape.size() != kernelRank)
        return err() << "conv needs in_shape and out_shape of rank 3 and "
                     << "kernel_shape of rank " << kernelRank;
      if (product(p.inShape) != pre || product(p.outShape) != post)
        return err() << "in_shape holds " << product(p.inShape)
                     << " and out_shape " << product(p.outShape)
                     << " values; the populations have " << pre << " and "
                     << post;
      if (p.kind == PlanProjection::Conv &&
          (p.groups <= 0 || p.inShape[0] % p.groups ||
           p.outShape[0] % p.groups ||
           int64_t(p.weights.size()) != product(p.kernelShape)))
        return err() << "groups must divide both channel counts and the "
                        "kernel hold kernel_shape's values";
      break;
    }
    case PlanProjection::Procedural:
      if (int64_t(p.rule.nPre) != pre || int64_t(p.rule.nPost) != post)
        return err() << "rule is for " << p.rule.nPre << " x " << p.rule.nPost
                     << " neurons; the populations have " << pre << " and "
                     << post;
      break;
    }
  }
  return success();
}

namespace {

/// An integer array of `d` (absent: empty). Empty string, or what is wrong.
template <typename T>
std::string readInts(DictionaryAttr d, StringRef name, std::vector<T> &out) {
  out.clear();
  Attribute a = d.get(name);
  if (!a)
    return "";
  auto e = llvm::dyn_cast<ElementsAttr>(a);
  if (!e)
    return "'" + name.str() + "' must be an integer array";
  if (std::string why = read(e, out); !why.empty())
    return "'" + name.str() + "' " + why;
  return "";
}

std::string readFixedNeuron(DictionaryAttr d, PlanFixedNeuron &f) {
  f.stateBits = int(integer(d, "state_bits"));
  f.fracBits = int(integer(d, "frac_bits"));
  if (f.stateBits < 8 || f.stateBits > 32 || f.fracBits < 0 || f.fracBits > 30)
    return "has state_bits " + std::to_string(f.stateBits) + " and frac_bits " +
           std::to_string(f.fracBits) + " (8..32 and 0..30)";
  for (auto [name, v] :
       {std::pair{"decay_u", &f.decayU}, std::pair{"decay_v", &f.decayV}})
    if (std::string e = readInts(d, name, *v); !e.empty())
      return e;
  for (auto [name, v] :
       {std::pair{"u_bias", &f.uBias}, std::pair{"v_bias", &f.vBias},
        std::pair{"v_threshold", &f.vThreshold},
        std::pair{"v_reset", &f.vReset}, std::pair{"v_init", &f.vInit}})
    if (std::string e = readInts(d, name, *v); !e.empty())
      return e;
  return "";
}

std::string readFixedWeights(DictionaryAttr d, PlanFixedWeights &f) {
  f.weightBits = int(integer(d, "weight_bits"));
  f.exponent = int(integer(d, "exponent"));
  f.weights = integer(d, "weights");
  f.roundedToZero = integer(d, "rounded_to_zero");
  f.clipped = integer(d, "clipped");
  if (f.weightBits < 2 || f.weightBits > 16 || f.exponent < 0 ||
      f.exponent > 31)
    return "has weight_bits " + std::to_string(f.weightBits) +
           " and exponent " + std::to_string(f.exponent) + " (2..16 and 0..31)";
  return readInts(d, "mantissas", f.mantissas);
}

} // namespace

/// Reads an nmc.mapping (any stage) into `out`. Chips before placement sit
/// at (-1, -1); the artifact writer takes routed mappings only.
LogicalResult readMappingOp(nmc::MappingOp m, PlanMapping &out) {
  auto t = target::parseTarget(m.getTargetJson().str(), "nmc.mapping");
  if (!t)
    return m.emitOpError() << llvm::toString(t.takeError());
  out.target = m.getTarget().str();
  out.targetJson = m.getTargetJson().str();
  out.stage = m.getStage().str();
  out.meshWidth = t->meshWidth;
  out.meshHeight = t->meshHeight;
  out.coresPerChip = t->coresPerChip;
  std::map<int64_t, PlanMapping::Core> cores;
  for (Operation &op : m.getBody().front()) {
    auto chip = llvm::dyn_cast<nmc::ChipOp>(op);
    if (!chip)
      continue;
    PlanMapping::Chip c;
    c.x = uint32_t(chip.getX());
    c.y = uint32_t(chip.getY());
    c.entriesBeforeCompression = uint32_t(chip.getEntriesBeforeCompression());
    const uint32_t chipIndex = uint32_t(out.chips.size());
    for (Operation &inner : chip.getBody().front()) {
      if (auto core = llvm::dyn_cast<nmc::CoreOp>(inner)) {
        PlanMapping::Core pc;
        pc.chip = chipIndex;
        pc.index = uint32_t(core.getIndex());
        ArrayRef<int64_t> sl = core.getSlices();
        if (sl.size() % 3 != 0)
          return core.emitOpError()
                 << "slices must be (population, first, end) triples";
        for (size_t i = 0; i < sl.size(); i += 3)
          pc.slices.push_back(
              {uint32_t(sl[i]), uint32_t(sl[i + 1]), uint32_t(sl[i + 2])});
        pc.neurons = uint32_t(core.getNeurons());
        pc.synapses = uint64_t(core.getSynapses());
        pc.synapseWords = uint64_t(core.getSynapseWords());
        pc.fanIn = uint32_t(core.getFanIn());
        pc.fanOut = uint32_t(core.getFanOut());
        pc.key = uint32_t(core.getKey());
        pc.mask = uint32_t(core.getMask());
        if (!cores.emplace(int64_t(core.getId()), std::move(pc)).second)
          return core.emitOpError() << "core id " << core.getId() << " twice";
      } else if (auto r = llvm::dyn_cast<nmc::RouteOp>(inner)) {
        c.routes.push_back(
            {uint32_t(r.getKey()), uint32_t(r.getMask()),
             uint32_t(r.getLinks()),
             std::vector<uint32_t>(r.getCores().begin(), r.getCores().end())});
      }
    }
    out.chips.push_back(std::move(c));
  }
  int64_t expect = 0;
  for (auto &[id, c] : cores) {
    if (id != expect++)
      return m.emitOpError() << "core ids must run 0, 1, ... without gaps; "
                             << expect - 1 << " is missing";
    out.cores.push_back(std::move(c));
  }
  return success();
}

LogicalResult nmcToPlan(nmc::ProgramOp program, NetworkPlan &plan) {
  plan = NetworkPlan();
  plan.network = program.getNetwork().str();
  DictionaryAttr d = program.getDiscretization();
  Discretization &disc = plan.discretization;
  if (auto p = d.getAs<StringAttr>("profile"))
    disc.profile = p.getValue().str();
  disc.dt = real(d, "dt", disc.dt);
  disc.resetSubtract = flag(d, "reset_subtract");
  disc.resetNextStep = flag(d, "reset_next_step");
  disc.resetCarry = flag(d, "reset_carry");
  disc.projectionDelay = int(integer(d, "projection_delay"));
  disc.greaterEqual = flag(d, "greater_equal");
  disc.synapseFirst = flag(d, "synapse_first");
  disc.stateFracBits = int(integer(d, "state_frac_bits"));
  disc.multiSpike = flag(d, "multi_spike");
  disc.synapseInputDecays = flag(d, "synapse_input_decays");
  disc.ifLowerClamp = flag(d, "if_lower_clamp");
  disc.deltaForm = flag(d, "delta_form");
  if (!(disc.dt > 0))
    return program.emitOpError() << "discretization needs dt > 0";
  if (auto q = program->getAttrOfType<DictionaryAttr>("nmc.quantization")) {
    PlanQuantization &pq = plan.quantization.emplace();
    if (auto t = q.getAs<StringAttr>("target"))
      pq.target = t.getValue().str();
    pq.weightBits = int(integer(q, "weight_bits"));
    pq.stateBits = int(integer(q, "state_bits"));
    pq.sourceFracBits = int(integer(q, "source_frac_bits"));
    pq.clippedParameters = integer(q, "clipped_parameters");
    if (auto notes = q.getAs<ArrayAttr>("notes"))
      for (Attribute n : notes)
        if (auto str = llvm::dyn_cast<StringAttr>(n))
          pq.notes.push_back(str.getValue().str());
  }

  for (Operation &op : program.getBody().front()) {
    auto fail = [&](StringRef name, StringRef field, const std::string &why) {
      return op.emitOpError() << "'" << name << "': '" << field << "' " << why;
    };
    if (auto p = llvm::dyn_cast<nmc::PopulationOp>(op)) {
      PlanPopulation pp;
      pp.name = p.getSymName().str();
      pp.loc = p.getLoc();
      if (!popKindFromId(p.getKind().str(), pp.kind))
        return fail(p.getSymName(), "kind", "is unknown");
      pp.shape.assign(p.getShape().begin(), p.getShape().end());
      pp.size = p.getSize();
      for (const ParamField &f : kParams) {
        (pp.*f.field).clear(); // absent: the artifact's default
        if (auto a = p.getParams().getAs<ElementsAttr>(f.name))
          if (std::string e = read(a, pp.*f.field); !e.empty())
            return fail(p.getSymName(), f.name, e);
      }
      if (p.getReceptors())
        for (Attribute r : p.getReceptorsAttr()) {
          auto rd = llvm::cast<DictionaryAttr>(r);
          PlanReceptor pr;
          pr.name = rd.getAs<StringAttr>("name").getValue().str();
          pr.conductance = flag(rd, "conductance");
          pr.delta = flag(rd, "delta");
          if (std::string e = read(rd.getAs<ElementsAttr>("decay"), pr.decay);
              !e.empty())
            return fail(p.getSymName(), pr.name + ".decay", e);
          if (std::string e = read(rd.getAs<ElementsAttr>("gain"), pr.gain);
              !e.empty())
            return fail(p.getSymName(), pr.name + ".gain", e);
          if (auto rev = rd.getAs<ElementsAttr>("reversal"))
            if (std::string e = read(rev, pr.reversal); !e.empty())
              return fail(p.getSymName(), pr.name + ".reversal", e);
          pr.alpha = flag(rd, "alpha");
          for (auto [key, field] : {std::pair{"gain_rise", &pr.gainRise},
                                    std::pair{"rise", &pr.rise}}) {
            auto v = rd.getAs<ElementsAttr>(key);
            if (pr.alpha != bool(v))
              return fail(p.getSymName(), pr.name + "." + key,
                          pr.alpha ? "is missing (alpha receptors need it)"
                                   : "belongs to alpha receptors only");
            if (v)
              if (std::string e = read(v, *field); !e.empty())
                return fail(p.getSymName(), pr.name + "." + key, e);
          }
          pp.receptors.push_back(std::move(pr));
        }
      pp.refractorySteps = uint32_t(p.getRefractorySteps());
      if (p.getRate())
        if (std::string e = read(*p.getRate(), pp.rate); !e.empty())
          return fail(p.getSymName(), "rate", e);
      pp.seed = uint64_t(p.getSeed());
      if (std::optional<bool> r = p.getResetSubtract())
        pp.resetSubtract = *r;
      if (auto f = op.getAttrOfType<DictionaryAttr>("nmc.fixed")) {
        if (std::string e = readFixedNeuron(f, pp.fixed.emplace()); !e.empty())
          return fail(p.getSymName(), "nmc.fixed", e);
      }
      plan.populations.push_back(std::move(pp));
    } else if (auto p = llvm::dyn_cast<nmc::ProjectionOp>(op)) {
      PlanProjection pj;
      pj.name = p.getSymName().str();
      pj.loc = p.getLoc();
      pj.source = uint32_t(p.getSource());
      pj.target = uint32_t(p.getTarget());
      for (int k = 0; k <= int(PlanProjection::Procedural); ++k)
        if (p.getKind() == kindName(PlanProjection::Kind(k)))
          pj.kind = PlanProjection::Kind(k);
      if (p.getWeights())
        if (std::string e = read(*p.getWeights(), pj.weights); !e.empty())
          return fail(p.getSymName(), "weights", e);
      if (p.getRowStart())
        if (std::string e = read(*p.getRowStart(), pj.rowStart); !e.empty())
          return fail(p.getSymName(), "row_start", e);
      if (p.getTargets())
        if (std::string e = read(*p.getTargets(), pj.targets); !e.empty())
          return fail(p.getSymName(), "targets", e);
      if (p.getSynapseDelays())
        if (std::string e = read(*p.getSynapseDelays(), pj.synapseDelays);
            !e.empty())
          return fail(p.getSymName(), "synapse_delays", e);
      if (auto c = p.getConv()) {
        pj.inShape = ints(*c, "in_shape");
        pj.outShape = ints(*c, "out_shape");
        pj.kernelShape = ints(*c, "kernel_shape");
        pj.stride = ints(*c, "stride");
        pj.padding = ints(*c, "padding");
        pj.dilation = ints(*c, "dilation");
        pj.groups = integer(*c, "groups");
        pj.poolScale = float(real(*c, "pool_scale", 1.0));
      }
      if (auto r = p.getRule())
        if (failed(readRule(&op, *r, pj.rule)))
          return failure();
      pj.delaySteps.assign(p.getDelaySteps().begin(), p.getDelaySteps().end());
      pj.receptor = uint8_t(p.getReceptor());
      pj.recurrent = p.getRecurrent();
      pj.previousStep = p.getPreviousStep();
      pj.expectedSynapses = p.getExpectedSynapses();
      if (auto s = op.getAttrOfType<FloatAttr>("nmc.expansion_seconds"))
        pj.expansionSeconds = s.getValueAsDouble();
      if (auto f = op.getAttrOfType<DictionaryAttr>("nmc.fixed_weights")) {
        if (std::string e = readFixedWeights(f, pj.fixed.emplace()); !e.empty())
          return fail(p.getSymName(), "nmc.fixed_weights", e);
      }
      plan.projections.push_back(std::move(pj));
    } else if (auto p = llvm::dyn_cast<nmc::InputOp>(op)) {
      plan.inputs.push_back(
          {p.getSymName().str(), uint32_t(p.getPopulation()),
           std::vector<int64_t>(p.getShape().begin(), p.getShape().end())});
    } else if (auto p = llvm::dyn_cast<nmc::OutputOp>(op)) {
      plan.outputs.push_back(
          {p.getSymName().str(), uint32_t(p.getPopulation()),
           std::vector<int64_t>(p.getShape().begin(), p.getShape().end())});
    } else if (auto m = llvm::dyn_cast<nmc::MappingOp>(op)) {
      if (failed(readMappingOp(m, plan.mapping.emplace())))
        return failure();
    }
  }
  return checkShapes(program, plan);
}

std::string resourceKey(llvm::StringRef name) {
  std::string key;
  for (char c : name)
    key += llvm::isAlnum(c) || c == '_' || c == '.' ? c : '_';
  if (key.empty() || llvm::isDigit(key[0]) || key[0] == '.')
    key.insert(key.begin(), '_');
  return key;
}

void writeQuantized(nmc::ProgramOp program, NetworkPlan &&plan) {
  MLIRContext *ctx = program.getContext();
  Builder b(ctx);
  auto i64 = [&](int64_t v) { return b.getI64IntegerAttr(v); };
  size_t pi = 0, ji = 0;
  for (Operation &op : program.getBody().front()) {
    if (auto p = llvm::dyn_cast<nmc::PopulationOp>(op)) {
      PlanPopulation &pop = plan.populations[pi++];
      if (!pop.fixed)
        continue;
      // quantizePlan dropped the delta form (fixed point has one update).
      SmallVector<NamedAttribute> params;
      for (NamedAttribute a : p.getParams())
        if (!a.getName().getValue().starts_with("delta_"))
          params.push_back(a);
      if (params.size() != p.getParams().size())
        p.setParamsAttr(b.getDictionaryAttr(params));
      PlanFixedNeuron &f = *pop.fixed;
      const std::string at = pop.name + ".fixed.";
      SmallVector<NamedAttribute> fields{
          b.getNamedAttr("state_bits", i64(f.stateBits)),
          b.getNamedAttr("frac_bits", i64(f.fracBits))};
      for (auto [name, v] :
           {std::pair{"decay_u", &f.decayU}, std::pair{"decay_v", &f.decayV}})
        if (!v->empty())
          fields.push_back(
              b.getNamedAttr(name, array(ctx, at + name, std::move(*v))));
      for (auto [name, v] :
           {std::pair{"u_bias", &f.uBias}, std::pair{"v_bias", &f.vBias},
            std::pair{"v_threshold", &f.vThreshold},
            std::pair{"v_reset", &f.vReset}, std::pair{"v_init", &f.vInit}})
        if (!v->empty())
          fields.push_back(
              b.getNamedAttr(name, array(ctx, at + name, std::move(*v))));
      op.setAttr("nmc.fixed", b.getDictionaryAttr(fields));
    } else if (auto p = llvm::dyn_cast<nmc::ProjectionOp>(op)) {
      PlanProjection &pr = plan.projections[ji++];
      if (!pr.fixed)
        continue;
      // A pool quantization turned into explicit rows.
      if (p.getKind() != kindName(pr.kind)) {
        p.setKindAttr(b.getStringAttr(kindName(pr.kind)));
        p->removeAttr(p.getConvAttrName());
        p.setRowStartAttr(
            array(ctx, pr.name + ".row_start", std::move(pr.rowStart)));
        p.setTargetsAttr(
            array(ctx, pr.name + ".targets", std::move(pr.targets)));
        p.setWeightsAttr(
            array(ctx, pr.name + ".weights", std::move(pr.weights)));
      }
      PlanFixedWeights &f = *pr.fixed;
      SmallVector<NamedAttribute> fields{
          b.getNamedAttr("weight_bits", i64(f.weightBits)),
          b.getNamedAttr("exponent", i64(f.exponent)),
          b.getNamedAttr("weights", i64(f.weights)),
          b.getNamedAttr("rounded_to_zero", i64(f.roundedToZero)),
          b.getNamedAttr("clipped", i64(f.clipped))};
      if (pr.kind != PlanProjection::Pool)
        fields.push_back(
            b.getNamedAttr("mantissas", array(ctx, pr.name + ".mantissas",
                                              std::move(f.mantissas))));
      op.setAttr("nmc.fixed_weights", b.getDictionaryAttr(fields));
    }
  }
  if (!plan.discretization.deltaForm) {
    NamedAttrList d(program.getDiscretization());
    if (d.erase("delta_form"))
      program.setDiscretizationAttr(d.getDictionary(ctx));
  }
  if (plan.quantization) {
    const PlanQuantization &q = *plan.quantization;
    SmallVector<Attribute> notes;
    for (const std::string &n : q.notes)
      notes.push_back(b.getStringAttr(n));
    program->setAttr(
        "nmc.quantization",
        b.getDictionaryAttr(
            {b.getNamedAttr("target", b.getStringAttr(q.target)),
             b.getNamedAttr("weight_bits", i64(q.weightBits)),
             b.getNamedAttr("state_bits", i64(q.stateBits)),
             b.getNamedAttr("source_frac_bits", i64(q.sourceFracBits)),
             b.getNamedAttr("clipped_parameters", i64(q.clippedParameters)),
             b.getNamedAttr("notes", b.getArrayAttr(notes))}));
  }
}

nmc::ProgramOp findProgram(ModuleOp module) {
  nmc::ProgramOp found;
  module.walk([&](nmc::ProgramOp p) {
    found = p;
    return WalkResult::interrupt();
  });
  return found;
}

} // namespace snnc
