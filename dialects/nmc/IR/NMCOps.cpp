//===- NMCOps.cpp - Verifiers of the nmc dialect --------------------------===//
//
// Every message names the op by its name ("population 'exc': ..."), so a
// hand-edited or generated program is refused at the node that is wrong.
//
//===----------------------------------------------------------------------===//
#include "dialects/nmc/IR/NMCDialect.h"

#include "llvm/ADT/StringSet.h"

#define GET_OP_CLASSES
#include "dialects/nmc/IR/NMCOps.cpp.inc"

using namespace mlir;

namespace snnc::nmc {
namespace {

const char *const kKinds[] = {
    "Source", "Relay",      "LIF",       "CubaLIF",     "IF",           "LI",
    "CubaLI", "Integrator", "Threshold", "ReceptorLIF", "PoissonSource"};
const char *const kParams[] = {
    "alpha",        "beta",        "gain_syn",    "gain_mem", "gain_direct",
    "leak",         "bias",        "v_threshold", "v_reset",  "v_init",
    "first_bias",   "delta_k_mem", "delta_k_syn", "delta_r",  "delta_w_in",
    "delta_v_leak", "delta_i_leak"};
const char *const kProjectionKinds[] = {"dense", "sparse", "conv", "pool",
                                        "procedural"};

template <size_t N> bool oneOf(StringRef s, const char *const (&set)[N]) {
  for (const char *k : set)
    if (s == k)
      return true;
  return false;
}

template <size_t N> std::string joined(const char *const (&set)[N]) {
  std::string out;
  for (const char *k : set)
    out += (out.empty() ? "" : ", ") + std::string(k);
  return out;
}

int64_t count(ElementsAttr a) {
  return llvm::cast<ShapedType>(a.getType()).getNumElements();
}

} // namespace

int64_t PopulationOp::getSize() {
  int64_t n = 1;
  for (int64_t d : getShape())
    n *= d;
  return n;
}

LogicalResult PopulationOp::verify() {
  auto err = [&]() { return emitOpError() << "'" << getSymName() << "': "; };
  if (!oneOf(getKind(), kKinds))
    return err() << "unknown kind '" << getKind()
                 << "'; known: " << joined(kKinds);
  if (getShape().empty())
    return err() << "needs a shape";
  for (int64_t d : getShape())
    if (d <= 0)
      return err() << "shape dimensions must be positive, got " << d;
  const int64_t size = getSize();
  if (size > int64_t(UINT32_MAX))
    return err() << size << " neurons, more than 2^32 - 1";
  for (NamedAttribute p : getParams()) {
    if (!oneOf(p.getName().getValue(), kParams))
      return err() << "unknown parameter '" << p.getName().getValue()
                   << "'; known: " << joined(kParams);
    auto a = llvm::dyn_cast<ElementsAttr>(p.getValue());
    if (!a || !a.getElementType().isF32())
      return err() << "parameter '" << p.getName().getValue()
                   << "' must be an f32 array";
    if (count(a) != 1 && count(a) != size)
      return err() << "parameter '" << p.getName().getValue() << "' has "
                   << count(a) << " values; give 1 or " << size;
  }
  if (getResetSubtract() && getKind() != "LIF" && getKind() != "CubaLIF" &&
      getKind() != "IF")
    return err() << "reset_subtract is a rule of LIF, CubaLIF and IF "
                    "populations, not of "
                 << getKind();
  const bool receptor = getKind() == "ReceptorLIF";
  if (getReceptors() && !receptor)
    return err() << "only ReceptorLIF populations have receptors";
  if (receptor && (!getReceptors() || getReceptors()->empty()))
    return err() << "a ReceptorLIF population needs receptors";
  if (getReceptors())
    for (Attribute r : getReceptorsAttr()) {
      auto d = llvm::dyn_cast<DictionaryAttr>(r);
      if (!d || !d.getAs<StringAttr>("name") ||
          !d.getAs<ElementsAttr>("decay") || !d.getAs<ElementsAttr>("gain"))
        return err() << "each receptor needs a name, decay and gain";
    }
  if (getRefractorySteps() < 0)
    return err() << "refractory_steps must be >= 0, got "
                 << getRefractorySteps();
  const bool poisson = getKind() == "PoissonSource";
  if (getRate() && !poisson)
    return err() << "only PoissonSource populations have a rate";
  if (poisson && !getRate())
    return err() << "a PoissonSource population needs a rate";
  if (getRate() && count(*getRate()) != 1 && count(*getRate()) != size)
    return err() << "rate has " << count(*getRate()) << " values; give 1 or "
                 << size;
  return success();
}

LogicalResult ProjectionOp::verify() {
  auto err = [&]() { return emitOpError() << "'" << getSymName() << "': "; };
  StringRef k = getKind();
  if (!oneOf(k, kProjectionKinds))
    return err() << "unknown kind '" << k
                 << "'; known: " << joined(kProjectionKinds);
  if (k != "procedural" && !getWeights())
    return err() << "a " << k << " projection needs weights";
  if (k == "sparse" && (!getRowStart() || !getTargets()))
    return err() << "a sparse projection needs row_start and targets";
  if (k == "sparse" && count(*getWeights()) != 1 &&
      count(*getTargets()) != count(*getWeights()))
    return err() << count(*getTargets()) << " targets but "
                 << count(*getWeights()) << " weights (give 1 or one each)";
  if (getSynapseDelays() &&
      (k != "sparse" || count(*getSynapseDelays()) != count(*getTargets())))
    return err() << "synapse_delays belong to a sparse projection, one per "
                    "synapse";
  if ((k == "conv" || k == "pool") && !getConv())
    return err() << "a " << k << " projection needs its geometry (conv)";
  if (k == "procedural" && !getRule())
    return err() << "a procedural projection needs its rule";
  if (getDelaySteps().empty())
    return err() << "needs delay_steps (one value, or one per source neuron)";
  for (int64_t d : getDelaySteps())
    if (d < 0)
      return err() << "delays must be >= 0 steps, got " << d;
  if (getSource() < 0 || getTarget() < 0)
    return err() << "source and target are population positions (>= 0)";
  return success();
}

LogicalResult CoreOp::verify() {
  ArrayRef<int64_t> s = getSlices();
  if (s.size() % 3 != 0)
    return emitOpError() << getId()
                         << ": slices are (population, first, end) triples";
  for (size_t i = 0; i < s.size(); i += 3)
    if (s[i] < 0 || s[i + 1] < 0 || s[i + 2] <= s[i + 1])
      return emitOpError() << getId() << ": slice " << i / 3
                           << " is empty or negative";
  return success();
}

LogicalResult ProgramOp::verifyRegions() {
  SmallVector<PopulationOp> pops;
  int mappings = 0;
  llvm::StringSet<> names;
  for (Operation &op : getBody().front()) {
    if (auto p = llvm::dyn_cast<PopulationOp>(op)) {
      if (!names.insert(p.getSymName()).second)
        return p.emitOpError() << "'" << p.getSymName()
                               << "': another population has this name";
      pops.push_back(p);
    } else if (llvm::isa<MappingOp>(op)) {
      ++mappings;
    } else if (!llvm::isa<ProjectionOp, InputOp, OutputOp>(op)) {
      return op.emitOpError() << "does not belong in an nmc.program";
    }
  }
  if (mappings > 1)
    return emitOpError() << "holds " << mappings << " mappings; at most one";
  const int64_t n = int64_t(pops.size());
  for (Operation &op : getBody().front()) {
    if (auto pj = llvm::dyn_cast<ProjectionOp>(op)) {
      if (pj.getSource() >= n || pj.getTarget() >= n)
        return pj.emitOpError()
               << "'" << pj.getSymName() << "': source " << pj.getSource()
               << " or target " << pj.getTarget() << " is not one of the " << n
               << " populations";
      const int64_t pre = pops[size_t(pj.getSource())].getSize();
      if (pj.getRowStart() && count(*pj.getRowStart()) != pre + 1)
        return pj.emitOpError()
               << "'" << pj.getSymName() << "': row_start has "
               << count(*pj.getRowStart()) << " entries; the source has " << pre
               << " neurons, so " << pre + 1;
      if (pj.getDelaySteps().size() != 1 &&
          int64_t(pj.getDelaySteps().size()) != pre)
        return pj.emitOpError()
               << "'" << pj.getSymName() << "': " << pj.getDelaySteps().size()
               << " delays; give 1 or " << pre;
    }
    auto port = [&](auto p) -> LogicalResult {
      if (p.getPopulation() < 0 || p.getPopulation() >= n)
        return p.emitOpError() << "'" << p.getSymName() << "': population "
                               << p.getPopulation() << " does not exist";
      int64_t size = 1;
      for (int64_t d : p.getShape())
        size *= d;
      if (size != pops[size_t(p.getPopulation())].getSize())
        return p.emitOpError()
               << "'" << p.getSymName() << "': its shape holds " << size
               << " values, population '"
               << pops[size_t(p.getPopulation())].getSymName() << "' "
               << pops[size_t(p.getPopulation())].getSize();
      return success();
    };
    if (auto in = llvm::dyn_cast<InputOp>(op); in && failed(port(in)))
      return failure();
    if (auto out = llvm::dyn_cast<OutputOp>(op); out && failed(port(out)))
      return failure();
  }
  return success();
}

} // namespace snnc::nmc
