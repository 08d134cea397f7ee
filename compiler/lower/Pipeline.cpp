//===- Pipeline.cpp - snn IR to nmc IR to .snnb
//----------------------------===//
#include "compiler/lower/Pipeline.h"
#include "compiler/lower/NmcQuantize.h"

#include "compiler/lower/NetworkPlan.h"
#include "compiler/lower/NmcConvert.h"
#include "compiler/lower/Passes.h"
#include "dialects/nmc/IR/NMCDialect.h"
#include "dialects/snn/IR/SNNDialect.h"
#include "dialects/snn/Transforms/Passes.h"

#include "mlir/Pass/PassManager.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <unistd.h>

using namespace mlir;

namespace snnc {

LogicalResult discretize(ModuleOp module, const CompileOptions &o) {
  if (findProgram(module))
    return success(); // below the snn dialect already
  bool done = false;
  module.walk(
      [&](snn::NetworkOp n) { done |= n->hasAttr("snn.discretization"); });
  if (done)
    return success();
  PassManager pm(module.getContext());
  snn::SNNDiscretizeOptions opts;
  opts.dt = o.dt;
  opts.profile = o.profile;
  opts.reset = o.reset;
  pm.addPass(snn::createSNNDiscretize(opts));
  return pm.run(module);
}

static void printPlan(const NetworkPlan &plan, const CompileOptions &o,
                      const QuantizationReport &q, size_t artifactBytes,
                      llvm::raw_ostream &os) {
  const Discretization &d = plan.discretization;
  os << "artifact for network @" << plan.network << "\n";
  os << "  discretization: profile " << d.profile << ", dt " << d.dt
     << " s, reset " << (d.resetSubtract ? "subtract" : "to v_reset")
     << (d.resetCarry ? " (snnTorch carry)" : "") << ", spike when v "
     << (d.greaterEqual ? ">=" : ">") << " threshold, CubaLIF v uses "
     << (d.synapseFirst ? "I[t]" : "I[t-1]");
  if (d.projectionDelay)
    os << ", projections delayed " << d.projectionDelay << " step";
  if (d.stateFracBits)
    os << ", integer states of 2^-" << d.stateFracBits << " (lava-dl)";
  if (d.multiSpike)
    os << ", multi-spike";
  if (d.synapseInputDecays)
    os << ", I = alpha*(I + x)";
  if (d.ifLowerClamp)
    os << ", IF v >= -threshold";
  if (d.deltaForm)
    os << ", delta form v + k*((v_leak - v) + r*x)";
  bool firstBias = false;
  for (const PlanPopulation &p : plan.populations)
    firstBias |= !p.firstBias.empty();
  if (firstBias)
    os << ", some biases start at step 1";
  os << "\n  mode: " << (o.artifact.fixed ? "fixed" : "float");
  if (o.artifact.fixed && plan.quantization)
    os << " (" << plan.quantization->weightBits << "-bit weights, "
       << plan.quantization->stateBits << "-bit state, formats of "
       << plan.quantization->target << ")";
  os << "\n  populations (" << plan.populations.size() << "):\n";
  int64_t neurons = 0, synapses = 0;
  for (const PlanPopulation &p : plan.populations) {
    neurons += p.size;
    os << "    " << p.name << ": " << popKindName(p.kind) << " x" << p.size;
    for (const PlanReceptor &r : p.receptors)
      os << (&r == &p.receptors.front() ? ", receptors " : ", ") << r.name
         << (r.conductance ? " (conductance)"
             : r.alpha     ? " (alpha)"
             : r.delta     ? " (delta)"
                           : " (current)");
    if (p.resetSubtract)
      os << (*p.resetSubtract ? ", resets by subtraction (its kind's default)"
                              : ", resets to v_reset (its kind's default)");
    if (p.refractorySteps)
      os << ", refractory " << p.refractorySteps << " steps";
    if (p.kind == PopKind::PoissonSource && !p.rate.empty())
      os << ", rate " << llvm::format("%g", double(p.rate[0]))
         << (p.rate.size() > 1 ? " Hz (first of per-neuron rates)" : " Hz");
    os << "\n";
  }
  os << "  projections (" << plan.projections.size() << "):\n";
  static const char *const kinds[] = {"dense", "sparse", "conv", "pool",
                                      "procedural"};
  for (const PlanProjection &p : plan.projections) {
    synapses += p.synapses();
    os << "    " << p.name << ": " << plan.populations[p.source].name << " -> "
       << plan.populations[p.target].name << ", " << kinds[p.kind] << ", "
       << p.synapses()
       << (p.kind == PlanProjection::Conv || p.kind == PlanProjection::Pool
               ? " kernel values"
           : p.kind == PlanProjection::Procedural
               ? (p.rule.rule == procedural::Rule::FixedProbability
                      ? " synapses expected (rule kept, expanded at load)"
                      : " synapses (rule kept, expanded at load)")
               : " synapses");
    if (p.delaySteps.size() > 1 || p.delaySteps[0])
      os << ", delay " << p.delaySteps[0]
         << (p.delaySteps.size() > 1 ? "+ (per neuron)" : "") << " steps";
    if (!p.synapseDelays.empty()) {
      auto [lo, hi] =
          std::minmax_element(p.synapseDelays.begin(), p.synapseDelays.end());
      os << ", per-synapse delays " << p.delaySteps[0] + *lo << ".."
         << p.delaySteps[0] + *hi << " steps";
    }
    if (plan.populations[p.target].kind == PopKind::ReceptorLIF)
      os << ", receptor "
         << plan.populations[p.target].receptors[p.receptor].name;
    if (p.recurrent)
      os << ", recurrent";
    if (p.expansionSeconds > 0)
      os << ", expanded in " << llvm::format("%.3f", p.expansionSeconds)
         << " s";
    os << "\n";
  }
  os << "  total: " << neurons << " neurons, " << synapses
     << " stored weights, artifact " << artifactBytes << " bytes ("
     << llvm::format("%.1f", double(artifactBytes) / (1 << 20)) << " MiB)\n";
  if (o.artifact.fixed) {
    os << "  quantization: " << q.weights << " weights, " << q.roundedToZero
       << " rounded to zero, " << q.clipped << " clipped\n";
    for (const std::string &n : q.notes)
      os << "    " << n << "\n";
  }
}

static LogicalResult lowerNetwork(ModuleOp module, const CompileOptions &o);

LogicalResult lowerToNmc(ModuleOp module, const CompileOptions &o) {
  if (!findProgram(module) && failed(lowerNetwork(module, o)))
    return failure();
  // Lowered already (an nmc file, or a second call): quantized at most once.
  nmc::ProgramOp program = findProgram(module);
  if (o.artifact.fixed && !program->hasAttr("nmc.quantization"))
    return quantizeNmcProgram(program, o.quantize);
  return success();
}

static LogicalResult lowerNetwork(ModuleOp module, const CompileOptions &o) {
  if (failed(discretize(module, o)))
    return failure();
  PassManager pm(module.getContext());
  lower::SNNToNMCOptions opts;
  opts.expandConnectivity =
      o.lower.expand == LowerOptions::Expand::Compile ? "compile"
      : o.lower.expand == LowerOptions::Expand::Load  ? "load"
                                                      : "auto";
  opts.threads = o.lower.threads;
  opts.memoryBudgetMiB = o.lower.memoryBudgetBytes >> 20;
  pm.addPass(lower::createSNNToNMC(opts));
  return pm.run(module);
}

static void printPlanJson(const NetworkPlan &plan, const CompileOptions &o,
                          const QuantizationReport &q, size_t artifactBytes,
                          llvm::raw_ostream &os) {
  llvm::json::Array pops, projs;
  for (const PlanPopulation &p : plan.populations)
    pops.push_back(llvm::json::Object{
        {"name", p.name}, {"kind", popKindId(p.kind)}, {"size", p.size}});
  static const char *const kinds[] = {"dense", "sparse", "conv", "pool",
                                      "procedural"};
  for (const PlanProjection &p : plan.projections)
    projs.push_back(
        llvm::json::Object{{"name", p.name},
                           {"source", plan.populations[p.source].name},
                           {"target", plan.populations[p.target].name},
                           {"kind", kinds[p.kind]},
                           {"synapses", p.synapses()},
                           {"expansion_seconds", p.expansionSeconds}});
  llvm::json::Object root{{"network", plan.network},
                          {"profile", plan.discretization.profile},
                          {"dt", plan.discretization.dt},
                          {"mode", o.artifact.fixed ? "fixed" : "float"},
                          {"populations", std::move(pops)},
                          {"projections", std::move(projs)},
                          {"artifact_bytes", int64_t(artifactBytes)}};
  if (o.artifact.fixed)
    root["quantization"] =
        llvm::json::Object{{"weights", q.weights},
                           {"rounded_to_zero", q.roundedToZero},
                           {"clipped", q.clipped}};
  os << llvm::formatv("{0:2}", llvm::json::Value(std::move(root))) << "\n";
}

LogicalResult compileToArtifact(ModuleOp module, const CompileOptions &o,
                                std::vector<uint8_t> &bytes,
                                llvm::raw_ostream *report,
                                llvm::raw_ostream *jsonReport) {
  if (failed(lowerToNmc(module, o)))
    return failure();
  NetworkPlan plan;
  if (failed(nmcToPlan(findProgram(module), plan)))
    return failure();
  QuantizationReport q;
  std::string error;
  if (!writeArtifact(plan, o.artifact, bytes, q, error))
    return module.emitError() << error;
  if (report)
    printPlan(plan, o, q, bytes.size(), *report);
  if (jsonReport)
    printPlanJson(plan, o, q, bytes.size(), *jsonReport);
  return success();
}

bool writeFileAtomically(const std::string &path,
                         const std::vector<uint8_t> &bytes,
                         std::string &error) {
  std::string tmp = path + ".tmp." + std::to_string(::getpid());
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) {
      error = path + ": cannot write (" + std::strerror(errno) + ")";
      return false;
    }
    out.write(reinterpret_cast<const char *>(bytes.data()),
              std::streamsize(bytes.size()));
    out.close();
    if (!out) {
      std::remove(tmp.c_str());
      error = path + ": write failed";
      return false;
    }
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    error = path + ": cannot rename into place (" + std::strerror(errno) + ")";
    std::remove(tmp.c_str());
    return false;
  }
  return true;
}

} // namespace snnc
