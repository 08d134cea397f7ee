//===- Emit.cpp - Lowering, mapping and the driver's outputs --------------===//
#include "compiler/driver/DriverImpl.h"

#include "compiler/import/NirImport.h"
#include "compiler/lower/NmcConvert.h"
#include "compiler/lower/NmcQuantize.h"
#include "dialects/nmc/IR/NMCDialect.h"
#include "mapping/NmcMapping.h"

#include "mlir/IR/OperationSupport.h"

using namespace mlir;

namespace snnc::driver {
namespace {

void printModule(ModuleOp module, const Options &o, std::string &out) {
  OpPrintingFlags flags;
  if (o.locations)
    flags.enableDebugInfo(/*enable=*/true, /*prettyForm=*/false)
        .useLocalScope();
  llvm::raw_string_ostream os(out);
  module->print(os, flags);
  os << "\n";
}

// --target: lowers to nmc, maps onto the target's cores and refuses a
// network that breaks a design rule (every violation listed).
LogicalResult mapOntoTarget(const Options &o, ModuleOp module,
                            CompileOptions &c, llvm::raw_ostream &diag,
                            llvm::raw_ostream &json) {
  auto t = target::loadTarget(o.target);
  if (!t) {
    diag << "snnc: error: --target: " << llvm::toString(t.takeError()) << "\n";
    return failure();
  }
  // Fixed mode quantizes into the target's formats, before mapping, so
  // that the design-rule check sees the weights' width.
  c.quantize = quantizeOptionsFor(*t);
  if (failed(lowerToNmc(module, c)))
    return failure();
  nmc::ProgramOp program = findProgram(module);
  std::vector<mapping::Violation> violations;
  mapping::MapGraph graph;
  mapping::Mapping mapping;
  mapping::StageSeconds seconds;
  if (failed(mapping::mapProgram(program, *t, violations, &graph, &mapping,
                                 &seconds)))
    return failure();
  if (o.report) {
    double dt = 1e-4;
    if (auto a = program.getDiscretization().getAs<FloatAttr>("dt"))
      dt = a.getValueAsDouble();
    mapping::printReport(graph, *t, mapping, violations, dt, o.jsonReport,
                         o.jsonReport ? json : diag, &seconds);
  }
  if (violations.empty())
    return success();
  // One line each (the report, when asked for, has them too).
  if (!o.report || o.jsonReport)
    for (const mapping::Violation &v : violations)
      diag << o.input << ": error: design rule: " << v.message() << "\n";
  diag << "snnc: error: '" << program.getNetwork() << "' does not fit target '"
       << t->name << "': " << violations.size()
       << " design-rule violation(s); nothing written\n";
  return failure();
}

} // namespace

LogicalResult emit(const Options &o, ModuleOp module, Result &result,
                   llvm::raw_ostream &diag, llvm::raw_ostream &json) {
  if (o.emit == "snnb" || o.emit == "nmc") {
    if (o.emit == "snnb" && o.output == "-") {
      diag << "snnc: error: the artifact is a binary file; name it with -o "
              "FILE.snnb\n";
      return failure();
    }
    CompileOptions c = o.compile;
    c.artifact.fixed = o.mode == "fixed";
    using E = LowerOptions::Expand;
    // Fixed mode quantizes explicit synapses, so auto expands everything.
    c.lower.expand = o.expand == "compile" ? E::Compile
                     : o.expand == "load"  ? E::Load
                     : c.artifact.fixed    ? E::Compile
                                           : E::Auto;
    c.lower.memoryBudgetBytes = o.memoryBudgetMiB << 20;
    if (!o.target.empty() && failed(mapOntoTarget(o, module, c, diag, json)))
      return failure();
    if (o.emit == "nmc") {
      if (failed(lowerToNmc(module, c)))
        return failure();
      printModule(module, o, result.ir);
      return success();
    }
    const bool text = o.report && !o.jsonReport;
    const bool js = o.report && o.jsonReport && o.target.empty();
    return compileToArtifact(module, c, result.artifact, text ? &diag : nullptr,
                             js ? &json : nullptr);
  }
  if (o.emit == "nir") {
    if (o.output.empty() || o.output == "-") {
      diag << "snnc: error: --emit=nir writes a binary file; name it with -o "
              "FILE.nir\n";
      return failure();
    }
    return exportNirFile(module, o.output);
  }
  // IR: continuous as imported, or discretized when asked for.
  if (o.discretizeRequested && failed(discretize(module, o.compile)))
    return failure();
  printModule(module, o, result.ir);
  return success();
}

} // namespace snnc::driver
