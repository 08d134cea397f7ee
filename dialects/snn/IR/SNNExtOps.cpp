//===- SNNExtOps.cpp - Verifiers of the snnc extensions beyond NIR --------===//
//
// Receptor neurons, explicit and procedural connectivity, Poisson sources.
// Every message names the node, the parameter and the offending value.
//
//===----------------------------------------------------------------------===//
#include "dialects/snn/IR/SNNArrays.h"
#include "dialects/snn/IR/SNNDialect.h"
#include "dialects/snn/IR/SNNVerify.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringSet.h"

#include <cmath>
#include <cstring>

using namespace mlir;
using namespace snnc::snn;
using namespace snnc::snn::detail;

namespace {

// A receptor parameter: a float, or an array of the population's shape.
LogicalResult verifyReceptorParam(Operation *op, StringRef node,
                                  StringRef receptor, StringRef key,
                                  Attribute a, ArrayRef<int64_t> shape,
                                  bool positive) {
  std::string what = ("receptor '" + receptor + "' " + key).str();
  if (auto f = dyn_cast_or_null<FloatAttr>(a)) {
    double v = f.getValueAsDouble();
    if (!std::isfinite(v) || (positive && !(v > 0)))
      return nodeError(op, node)
             << what << " = " << v << (positive ? " must be positive" : "")
             << (std::isfinite(v) ? "" : " is not finite");
    return success();
  }
  auto d = dyn_cast_or_null<DenseFPElementsAttr>(a);
  if (!d)
    return nodeError(op, node)
           << what << " must be a float or a dense f32 array, got " << a;
  if (failed(verifyParam(op, node, what, d, shape)))
    return failure();
  if (positive)
    for (auto [i, v] : llvm::enumerate(d.getValues<APFloat>()))
      if (!(v.convertToDouble() > 0))
        return nodeError(op, node)
               << what << " element " << i << " = " << v.convertToDouble()
               << " must be positive";
  return success();
}

// The receptor named by the node that produces input `v`, or an error.
FailureOr<StringRef> receptorOf(Operation *op, StringRef node, unsigned i,
                                Value v) {
  Operation *def = v.getDefiningOp();
  StringAttr r = def ? def->getAttrOfType<StringAttr>("receptor") : nullptr;
  if (!def || !isa<SparseOp, ConnectOp>(def))
    return nodeError(op, node)
           << "input " << i << " must come from an snn.sparse or snn.connect "
           << "node that names a receptor, not from "
           << (def ? def->getName().getStringRef()
                   : StringRef("a block "
                               "argument"));
  if (!r)
    return nodeError(op, node)
           << "input " << i << " (node '"
           << def->getAttrOfType<StringAttr>("name").getValue()
           << "') names no receptor; set its 'receptor' attribute";
  return r.getValue();
}

// Receptor names of a receptor_lif (or its discrete form), and that every
// input names one of them.
LogicalResult verifyReceptorInputs(Operation *op, StringRef node,
                                   ValueRange inputs,
                                   const llvm::StringSet<> &names) {
  for (auto [i, v] : llvm::enumerate(inputs)) {
    auto r = receptorOf(op, node, unsigned(i), v);
    if (failed(r))
      return failure();
    if (!names.contains(*r)) {
      std::string known;
      for (const auto &n : names)
        known += (known.empty() ? "" : ", ") + n.getKey().str();
      return nodeError(op, node)
             << "input " << i << " targets receptor '" << *r
             << "', which this node does not have (receptors: " << known << ")";
    }
  }
  return success();
}

// Number of entries an array parameter holds (a splat holds one).
int64_t count(ElementsAttr a) { return storedCount(a); }

// Visits an array parameter; `fn` returns failure to stop.
template <typename Fn>
LogicalResult forEachIndex(Operation *op, StringRef node, StringRef key,
                           ElementsAttr a, Fn fn) {
  bool ok = true;
  std::string why = forEachInt(a, [&](int64_t k, int64_t v) {
    ok = succeeded(fn(k, v));
    return ok;
  });
  if (!why.empty())
    return nodeError(op, node) << "'" << key << "' " << why;
  return success(ok);
}

template <typename Fn>
LogicalResult forEachFloatParam(Operation *op, StringRef node, StringRef key,
                                ElementsAttr a, Fn fn) {
  bool ok = true;
  std::string why = snnc::snn::forEachFloat(a, [&](int64_t k, double v) {
    ok = succeeded(fn(k, v));
    return ok;
  });
  if (!why.empty())
    return nodeError(op, node) << "'" << key << "' " << why;
  return success(ok);
}

double number(DictionaryAttr d, StringRef key, bool &found) {
  Attribute a = d.get(key);
  found = true;
  if (auto f = dyn_cast_or_null<FloatAttr>(a))
    return f.getValueAsDouble();
  if (auto i = dyn_cast_or_null<IntegerAttr>(a))
    return double(i.getInt());
  found = false;
  return 0;
}

} // namespace

// Checks a distribution dictionary of snn.connect (also used by the
// connectivity expansion, which reads it after this check).
LogicalResult snnc::snn::detail::verifyDistribution(Operation *op,
                                                    StringRef node,
                                                    StringRef param,
                                                    DictionaryAttr d,
                                                    bool nonNegative) {
  auto dist = d.getAs<StringAttr>("dist");
  if (!dist)
    return nodeError(op, node)
           << "'" << param
           << "' needs dist = \"constant\", \"normal\", \"lognormal\" or "
              "\"uniform\"";
  static const std::pair<StringRef, std::vector<StringRef>> kinds[] = {
      {"constant", {"value"}},
      {"normal", {"mean", "std"}},
      {"lognormal", {"mu", "sigma"}},
      {"uniform", {"low", "high"}}};
  const std::vector<StringRef> *keys = nullptr;
  for (const auto &[k, ks] : kinds)
    if (dist.getValue() == k)
      keys = &ks;
  if (!keys)
    return nodeError(op, node)
           << "'" << param << "' has unknown dist \"" << dist.getValue()
           << "\" (constant, normal, lognormal, uniform)";
  for (NamedAttribute a : d) {
    StringRef k = a.getName().getValue();
    bool optional = dist.getValue() == "normal" && (k == "low" || k == "high");
    if (k != "dist" && !optional && !llvm::is_contained(*keys, k))
      return nodeError(op, node) << "'" << param << "' (" << dist.getValue()
                                 << ") has unknown key '" << k << "'";
  }
  llvm::StringMap<double> v;
  for (StringRef k : {"value", "mean", "std", "mu", "sigma", "low", "high"}) {
    bool found;
    double x = number(d, k, found);
    if (!found) {
      if (d.get(k))
        return nodeError(op, node) << "'" << param << "." << k
                                   << "' must be a number, got " << d.get(k);
      continue;
    }
    if (std::isnan(x) || (std::isinf(x) && k != "low" && k != "high"))
      return nodeError(op, node)
             << "'" << param << "." << k << "' = " << x << " is not finite";
    v[k] = x;
  }
  for (StringRef k : *keys)
    if (!v.count(k))
      return nodeError(op, node) << "'" << param << "' (" << dist.getValue()
                                 << ") needs '" << k << "'";
  StringRef kind = dist.getValue();
  if (kind == "normal" && v["std"] < 0)
    return nodeError(op, node)
           << "'" << param << ".std' = " << v["std"] << " must be >= 0";
  if (kind == "lognormal" && v["sigma"] < 0)
    return nodeError(op, node)
           << "'" << param << ".sigma' = " << v["sigma"] << " must be >= 0";
  if ((kind == "uniform" || kind == "normal") && v.count("low") &&
      v.count("high") && v["low"] > v["high"])
    return nodeError(op, node) << "'" << param << "' has low = " << v["low"]
                               << " above high = " << v["high"];
  if (kind == "normal" && v.count("low") && v.count("high") &&
      v["low"] == v["high"])
    return nodeError(op, node)
           << "'" << param << "' has an empty redraw range [" << v["low"]
           << ", " << v["high"] << "]";
  if (nonNegative) {
    bool negative = (kind == "constant" && v["value"] < 0) ||
                    (kind == "uniform" && v["low"] < 0) ||
                    (kind == "normal" && (!v.count("low") || v["low"] < 0));
    if (negative)
      return nodeError(op, node)
             << "'" << param << "' can draw negative values; delays must be "
             << ">= 0 (for a normal distribution give low >= 0)";
  }
  return success();
}

// v_init_dist: a distribution plus an integer seed, exclusive with v_init.
static LogicalResult verifyInitDist(Operation *op, StringRef node,
                                    std::optional<DictionaryAttr> d,
                                    bool hasInit) {
  if (!d)
    return success();
  if (hasInit)
    return nodeError(op, node) << "gives both v_init and v_init_dist";
  if (!d->getAs<IntegerAttr>("seed"))
    return nodeError(op, node) << "'v_init_dist' needs an integer 'seed'";
  NamedAttrList rest(*d);
  rest.erase("seed");
  return verifyDistribution(op, node, "v_init_dist",
                            rest.getDictionary(op->getContext()), false);
}

LogicalResult ReceptorLIFOp::verify() {
  StringRef node = getName();
  if (failed(verifyElementwise(*this, node, getInputs(), getType(),
                               {{"tau_mem", getTauMem()},
                                {"v_rest", getVRest()},
                                {"v_reset", getVReset()},
                                {"v_threshold", getVThreshold()},
                                {"r", getR()}})))
    return failure();
  ArrayRef<int64_t> shape = getType().getShape();
  if (getVInit() &&
      failed(verifyParam(*this, node, "v_init", *getVInit(), shape)))
    return failure();
  if (failed(verifyInitDist(*this, node, getVInitDist(), bool(getVInit()))))
    return failure();
  for (auto [i, v] : llvm::enumerate(getTauMem().getValues<APFloat>()))
    if (!(v.convertToDouble() > 0))
      return nodeError(*this, node)
             << "tau_mem element " << i << " = " << v.convertToDouble()
             << " must be positive";
  double refr = getRefractory().convertToDouble();
  if (!(refr >= 0) || !std::isfinite(refr))
    return nodeError(*this, node)
           << "refractory = " << refr << " s must be >= 0 and finite";
  if (getReceptors().empty() || getReceptors().size() > 8)
    return nodeError(*this, node)
           << "needs 1 to 8 receptors, has " << getReceptors().size();
  llvm::StringSet<> names;
  for (auto [i, a] : llvm::enumerate(getReceptors())) {
    auto d = dyn_cast<DictionaryAttr>(a);
    auto name = d ? d.getAs<StringAttr>("name") : nullptr;
    auto type = d ? d.getAs<StringAttr>("type") : nullptr;
    if (!name || name.getValue().empty() || !type)
      return nodeError(*this, node)
             << "receptor " << i
             << " must be a dictionary with a non-empty 'name' and a 'type' "
                "(and 'tau' unless the type is \"delta\" or \"injection\")";
    StringRef r = name.getValue();
    if (!names.insert(r).second)
      return nodeError(*this, node) << "receptor name '" << r << "' repeats";
    bool conductance = type.getValue() == "conductance";
    // Neither a delta receptor nor an injected current has a time constant.
    bool delta = type.getValue() == "delta";
    bool timeless = delta || type.getValue() == "injection";
    if (!conductance && !timeless && type.getValue() != "current" &&
        type.getValue() != "alpha")
      return nodeError(*this, node)
             << "receptor '" << r << "' type '" << type.getValue()
             << "' is not \"current\", \"alpha\", \"conductance\", "
                "\"delta\" or \"injection\"";
    for (NamedAttribute kv : d) {
      StringRef k = kv.getName().getValue();
      if (k != "name" && k != "type" && !(k == "tau" && !timeless) &&
          !(conductance && k == "e_rev"))
        return nodeError(*this, node)
               << "receptor '" << r << "' has unknown key '" << k << "'"
               << (k == "e_rev" ? " (only conductance receptors have a "
                                  "reversal potential)"
                   : k == "tau" && delta
                       ? " (a delta receptor has no time constant: each "
                         "event moves v at once)"
                   : k == "tau" ? " (an injected current has no time "
                                  "constant: it holds for its step)"
                                : "");
    }
    if (!timeless && failed(verifyReceptorParam(*this, node, r, "tau",
                                                d.get("tau"), shape, true)))
      return failure();
    if (conductance &&
        failed(verifyReceptorParam(*this, node, r, "e_rev", d.get("e_rev"),
                                   shape, false)))
      return failure();
  }
  return verifyReceptorInputs(*this, node, getInputs(), names);
}

LogicalResult DiscreteReceptorLIFOp::verify() {
  StringRef node = getName();
  if (failed(verifyElementwise(*this, node, getInputs(), getType(),
                               {{"beta", getBeta()},
                                {"leak", getLeak()},
                                {"v_threshold", getVThreshold()},
                                {"v_reset", getVReset()},
                                {"v_init", getVInit()}})))
    return failure();
  if (failed(verifyInitDist(*this, node, getVInitDist(), false)))
    return failure();
  if (int64_t(getRefractorySteps()) < 0)
    return nodeError(*this, node) << "refractory_steps must be >= 0";
  if (getReceptors().empty() || getReceptors().size() > 8)
    return nodeError(*this, node)
           << "needs 1 to 8 receptors, has " << getReceptors().size();
  llvm::StringSet<> names;
  ArrayRef<int64_t> shape = getType().getShape();
  for (auto [i, a] : llvm::enumerate(getReceptors())) {
    auto d = dyn_cast<DictionaryAttr>(a);
    auto name = d ? d.getAs<StringAttr>("name") : nullptr;
    auto type = d ? d.getAs<StringAttr>("type") : nullptr;
    if (!name || !type ||
        (type.getValue() != "current" && type.getValue() != "conductance" &&
         type.getValue() != "delta" && type.getValue() != "injection" &&
         type.getValue() != "alpha"))
      return nodeError(*this, node)
             << "receptor " << i
             << " needs a 'name' and a 'type' (current, alpha, conductance, "
                "delta or injection)";
    if (!names.insert(name.getValue()).second)
      return nodeError(*this, node)
             << "receptor name '" << name.getValue() << "' repeats";
    bool conductance = type.getValue() == "conductance";
    bool alpha = type.getValue() == "alpha";
    for (StringRef k : {"decay", "gain", "reversal", "gain_rise", "rise"}) {
      auto v = d.getAs<DenseFPElementsAttr>(k);
      bool wanted = k == "reversal"                   ? conductance
                    : k == "gain_rise" || k == "rise" ? alpha
                                                      : true;
      if (wanted != bool(v))
        return nodeError(*this, node)
               << "receptor '" << name.getValue() << "' "
               << (wanted ? "needs" : "must not have") << " '" << k << "'";
      if (v && failed(verifyParam(
                   *this, node, ("receptor " + name.getValue() + " " + k).str(),
                   v, shape)))
        return failure();
    }
  }
  return verifyReceptorInputs(*this, node, getInputs(), names);
}

LogicalResult SparseOp::verify() {
  StringRef node = getName();
  RankedTensorType inType;
  if (failed(verifyShaped(*this, node, getInputs(), getType(), inType)))
    return failure();
  if (getReceptor() && getReceptor()->empty())
    return nodeError(*this, node) << "receptor name is empty";
  int64_t k = getPre().getNumElements();
  if (getPost().getNumElements() != k)
    return nodeError(*this, node)
           << "'pre' has " << k << " entries but 'post' has "
           << getPost().getNumElements();
  if (count(getWeight()) != k && count(getWeight()) != 1)
    return nodeError(*this, node)
           << "'weight' has " << count(getWeight()) << " entries; it needs "
           << k << " (one per synapse) or 1 (shared)";
  if (getDelay() && count(*getDelay()) != k && count(*getDelay()) != 1)
    return nodeError(*this, node)
           << "'delay' has " << count(*getDelay()) << " entries; it needs " << k
           << " (one per synapse) or 1 (shared)";
  int64_t nPre = inType ? inType.getNumElements() : -1;
  int64_t nPost = getType().getNumElements();
  auto inRange = [&](StringRef key, int64_t n) {
    return [=, this](int64_t i, int64_t v) -> LogicalResult {
      if (v < 0 || (n >= 0 && v >= n))
        return nodeError(*this, node) << "'" << key << "' entry " << i << " = "
                                      << v << " is outside [0, " << n << ")";
      return success();
    };
  };
  if (failed(
          forEachIndex(*this, node, "pre", getPre(), inRange("pre", nPre))) ||
      failed(
          forEachIndex(*this, node, "post", getPost(), inRange("post", nPost))))
    return failure();
  if (failed(forEachFloatParam(*this, node, "weight", getWeight(),
                               [&](int64_t i, double w) -> LogicalResult {
                                 if (!std::isfinite(w))
                                   return nodeError(*this, node)
                                          << "'weight' entry " << i << " = "
                                          << w << " is not finite";
                                 return success();
                               })))
    return failure();
  if (getDelay())
    return forEachFloatParam(*this, node, "delay", *getDelay(),
                             [&](int64_t i, double d) -> LogicalResult {
                               if (!(d >= 0) || !std::isfinite(d))
                                 return nodeError(*this, node)
                                        << "'delay' entry " << i << " = " << d
                                        << " s must be >= 0 and finite";
                               return success();
                             });
  return success();
}

LogicalResult ConnectOp::verify() {
  StringRef node = getName();
  RankedTensorType inType;
  if (failed(verifyShaped(*this, node, getInputs(), getType(), inType)))
    return failure();
  if (getReceptor() && getReceptor()->empty())
    return nodeError(*this, node) << "receptor name is empty";
  StringRef rule = getRule();
  static const StringRef rules[] = {"all_to_all",        "one_to_one",
                                    "fixed_probability", "fixed_in_degree",
                                    "fixed_out_degree",  "fixed_total_number"};
  if (!llvm::is_contained(rules, rule))
    return nodeError(*this, node)
           << "rule '" << rule
           << "' is not one of all_to_all, one_to_one, fixed_probability, "
              "fixed_in_degree, fixed_out_degree, fixed_total_number";
  bool wantsP = rule == "fixed_probability";
  bool wantsN = rule == "fixed_in_degree" || rule == "fixed_out_degree" ||
                rule == "fixed_total_number";
  if (wantsP != bool(getP()))
    return nodeError(*this, node)
           << "rule '" << rule << "' " << (wantsP ? "needs" : "takes no")
           << " probability 'p'";
  if (wantsN != bool(getN()))
    return nodeError(*this, node)
           << "rule '" << rule << "' " << (wantsN ? "needs" : "takes no")
           << " count 'n'";
  int64_t nPre = inType ? inType.getNumElements() : 0;
  int64_t nPost = getType().getNumElements();
  if (getP()) {
    double p = getP()->convertToDouble();
    if (!(p >= 0 && p <= 1))
      return nodeError(*this, node)
             << "probability p = " << p << " is outside [0, 1]";
  }
  if (getN()) {
    int64_t n = int64_t(*getN());
    if (n < 0)
      return nodeError(*this, node) << "n = " << n << " must be >= 0";
    if (rule == "fixed_in_degree" && inType && !getMultapses() && n > nPre)
      return nodeError(*this, node)
             << "fixed in-degree n = " << n << " is larger than the source ("
             << nPre << " neurons) and multapses are off";
    if (rule == "fixed_out_degree" && !getMultapses() && n > nPost)
      return nodeError(*this, node)
             << "fixed out-degree n = " << n << " is larger than the target ("
             << nPost << " neurons) and multapses are off";
    if (rule == "fixed_total_number" && inType && !getMultapses() &&
        double(n) > double(nPre) * double(nPost))
      return nodeError(*this, node)
             << "fixed total number n = " << n << " exceeds the "
             << nPre * nPost << " distinct pairs and multapses are off";
  }
  if (rule == "one_to_one" && inType && nPre != nPost)
    return nodeError(*this, node)
           << "one_to_one connects " << nPre << " sources to " << nPost
           << " targets; the sizes must be equal";
  if (failed(verifyDistribution(*this, node, "weight", getWeight(), false)))
    return failure();
  if (getDelay() &&
      failed(verifyDistribution(*this, node, "delay", *getDelay(), true)))
    return failure();
  return success();
}

LogicalResult PoissonSourceOp::verify() {
  StringRef node = getName();
  if (!getInputs().empty())
    return nodeError(*this, node)
           << "takes no inputs, has " << getInputs().size();
  if (failed(
          verifyElementwise(*this, node, {}, getType(), {{"rate", getRate()}})))
    return failure();
  for (auto [i, v] : llvm::enumerate(getRate().getValues<APFloat>()))
    if (v.isNegative() && !v.isZero())
      return nodeError(*this, node)
             << "rate element " << i << " = " << v.convertToDouble()
             << " Hz must be >= 0";
  return success();
}

#define SNN_NAME_RESULT(OP)                                                    \
  void OP::getAsmResultNames(OpAsmSetValueNameFn setNameFn) {                  \
    setNameFn(getResult(), getName());                                         \
  }
SNN_NAME_RESULT(ReceptorLIFOp)
SNN_NAME_RESULT(DiscreteReceptorLIFOp)
SNN_NAME_RESULT(SparseOp)
SNN_NAME_RESULT(ConnectOp)
SNN_NAME_RESULT(PoissonSourceOp)
#undef SNN_NAME_RESULT
