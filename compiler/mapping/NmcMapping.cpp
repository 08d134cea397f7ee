//===- NmcMapping.cpp - The mapping passes' common steps ------------------===//
#include "mapping/NmcMapping.h"

#include "compiler/lower/NetworkPlan.h"
#include "compiler/lower/NmcConvert.h"
#include "dialects/nmc/IR/NMCDialect.h"

#include "mlir/IR/Builders.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"

#include <algorithm>
#include <chrono>
#include <cstring>
#include <map>

using namespace mlir;

namespace snnc::mapping {
namespace {

/// Spikes per neuron and step a population is assumed to emit where the
/// program does not say (attribute nmc.activity): 10 Hz.
constexpr double kDefaultRateHz = 10.0;

/// Explicit synapses of a convolution or pooling window, as the CPU engine
/// delivers them (backends/cpu/Propagate.h): source j reaches the outputs
/// whose receptive field holds it.
void windowSynapses(const PlanProjection &p, uint32_t pre, MapProjection &out) {
  const bool pool = p.kind == PlanProjection::Pool;
  const int64_t inC = p.inShape[0], inH = p.inShape[1], inW = p.inShape[2];
  const int64_t outC = p.outShape[0], outH = p.outShape[1],
                outW = p.outShape[2];
  const int64_t kh = pool ? p.kernelShape[0] : p.kernelShape[2];
  const int64_t kw = pool ? p.kernelShape[1] : p.kernelShape[3];
  auto at = [](const std::vector<int64_t> &v, size_t i, int64_t d) {
    return i < v.size() ? v[i] : d;
  };
  const int64_t sh = at(p.stride, 0, 1), sw = at(p.stride, 1, 1);
  const int64_t ph = at(p.padding, 0, 0), pw = at(p.padding, 1, 0);
  const int64_t dh = pool ? 1 : at(p.dilation, 0, 1),
                dw = pool ? 1 : at(p.dilation, 1, 1);
  const int64_t groups = pool ? inC : std::max<int64_t>(1, p.groups);
  const int64_t inPerGroup = inC / groups, outPerGroup = outC / groups;
  const int64_t plane = outH * outW, inPlane = inH * inW;
  out.rowStart.assign(size_t(pre) + 1, 0);
  for (uint32_t j = 0; j < pre; ++j) {
    const int64_t c = j / inPlane, y = (j % inPlane) / inW, x = j % inW;
    const int64_t group = c / inPerGroup;
    for (int64_t ky = 0; ky < kh; ++ky) {
      const int64_t ty = y + ph - ky * dh;
      if (ty < 0 || ty % sh != 0 || ty / sh >= outH)
        continue;
      for (int64_t kx = 0; kx < kw; ++kx) {
        const int64_t tx = x + pw - kx * dw;
        if (tx < 0 || tx % sw != 0 || tx / sw >= outW)
          continue;
        const int64_t pos = (ty / sh) * outW + tx / sw;
        for (int64_t oc = group * outPerGroup; oc < (group + 1) * outPerGroup;
             ++oc)
          out.targets.push_back(uint32_t(oc * plane + pos));
      }
    }
    // Targets ascend within a row, as in every other projection.
    std::sort(out.targets.begin() + int64_t(out.rowStart[j]),
              out.targets.end());
    out.rowStart[j + 1] = out.targets.size();
  }
}

/// The population or projection a violation names ("population 'exc'",
/// "projection 'ee'", or a bare name), or null.
Operation *opNamed(nmc::ProgramOp program, const std::string &label) {
  std::string node = label;
  for (const char *kind : {"population '", "projection '"})
    if (label.rfind(kind, 0) == 0 && label.size() > strlen(kind) &&
        label.back() == '\'')
      node = label.substr(strlen(kind), label.size() - strlen(kind) - 1);
  for (Operation &op : program.getBody().front()) {
    if (auto p = llvm::dyn_cast<nmc::PopulationOp>(op);
        p && p.getSymName() == node)
      return &op;
    if (auto p = llvm::dyn_cast<nmc::ProjectionOp>(op);
        p && p.getSymName() == node)
      return &op;
  }
  return nullptr;
}

nmc::MappingOp mappingOf(nmc::ProgramOp program) {
  for (Operation &op : program.getBody().front())
    if (auto m = llvm::dyn_cast<nmc::MappingOp>(op))
      return m;
  return nullptr;
}

void rebuildCoreOf(const MapGraph &graph, Mapping &mapping) {
  mapping.coreOf.assign(graph.populations.size(), {});
  for (size_t p = 0; p < graph.populations.size(); ++p)
    mapping.coreOf[p].assign(graph.populations[p].size, UINT32_MAX);
  for (uint32_t c = 0; c < mapping.cores.size(); ++c)
    for (const CoreSlice &s : mapping.cores[c].slices)
      if (s.population < mapping.coreOf.size())
        for (uint32_t n = s.lo;
             n < s.hi && n < mapping.coreOf[s.population].size(); ++n)
          mapping.coreOf[s.population][n] = c;
}

} // namespace

const char *stageName(Stage s) {
  static const char *const names[] = {"partitioned", "placed", "routed"};
  return names[int(s)];
}

LogicalResult buildGraph(nmc::ProgramOp program, MapGraph &graph,
                         unsigned threads) {
  NetworkPlan plan;
  if (failed(nmcToPlan(program, plan)))
    return failure();
  graph = MapGraph();
  const double dt = plan.discretization.dt;
  std::vector<Operation *> popOps;
  for (Operation &op : program.getBody().front())
    if (llvm::isa<nmc::PopulationOp>(op))
      popOps.push_back(&op);
  for (size_t i = 0; i < plan.populations.size(); ++i) {
    const PlanPopulation &p = plan.populations[i];
    MapPopulation mp;
    mp.name = p.name;
    mp.kind = popKindId(p.kind);
    mp.size = uint32_t(p.size);
    mp.spiking = isSpiking(p.kind);
    double rate = kDefaultRateHz;
    if (p.kind == PopKind::PoissonSource && !p.rate.empty()) {
      rate = 0;
      for (float r : p.rate)
        rate += r;
      rate /= double(p.rate.size());
    }
    mp.activity = rate * dt;
    if (auto a = popOps[i]->getAttrOfType<FloatAttr>("nmc.activity"))
      mp.activity = a.getValueAsDouble();
    graph.populations.push_back(std::move(mp));
  }
  std::vector<Operation *> projOps;
  for (Operation &op : program.getBody().front())
    if (llvm::isa<nmc::ProjectionOp>(op))
      projOps.push_back(&op);
  for (size_t k = 0; k < plan.projections.size(); ++k) {
    PlanProjection &p = plan.projections[k];
    MapProjection mp;
    mp.name = p.name;
    mp.source = p.source;
    mp.target = p.target;
    const uint32_t pre = uint32_t(plan.populations[p.source].size);
    const uint32_t post = uint32_t(plan.populations[p.target].size);
    uint32_t extra = 0; // the longest per-synapse delay
    switch (p.kind) {
    case PlanProjection::Dense:
      mp.rowStart.assign(size_t(pre) + 1, 0);
      for (uint32_t i = 0; i < pre; ++i) {
        for (uint32_t j = 0; j < post; ++j)
          if (p.weights[size_t(i) * post + j] != 0.0f)
            mp.targets.push_back(j);
        mp.rowStart[i + 1] = mp.targets.size();
      }
      break;
    case PlanProjection::Sparse:
      mp.rowStart.assign(p.rowStart.begin(), p.rowStart.end());
      mp.targets = std::move(p.targets);
      for (uint16_t d : p.synapseDelays)
        extra = std::max<uint32_t>(extra, d);
      break;
    case PlanProjection::Conv:
    case PlanProjection::Pool:
      windowSynapses(p, pre, mp);
      break;
    case PlanProjection::Procedural: {
      auto syn = procedural::expand(p.rule, threads, uint64_t(64) << 30);
      if (!syn.isOk())
        return projOps[k]->emitOpError()
               << "'" << p.name << "': " << syn.status().message();
      mp.rowStart.assign(syn->rowStart.begin(), syn->rowStart.end());
      mp.targets = std::move(syn->targets);
      for (uint16_t d : syn->delaySteps)
        extra = std::max<uint32_t>(extra, d);
      break;
    }
    }
    uint32_t delay = 0;
    for (uint32_t d : p.delaySteps)
      delay = std::max(delay, d);
    // Steps from the spike to its effect: a recurrent projection, or one
    // that reads its source's previous step, adds one.
    mp.maxDelay = delay + extra + (p.recurrent || p.previousStep ? 1 : 0);
    // Quantized by nmc-quantize: the mantissas' width; nmc.weight_bits
    // (set by hand) says the same for a program not quantized yet.
    if (p.fixed)
      mp.weightBits = uint32_t(p.fixed->weightBits);
    else if (auto bits =
                 projOps[k]->getAttrOfType<IntegerAttr>("nmc.weight_bits"))
      mp.weightBits = uint32_t(bits.getInt());
    graph.projections.push_back(std::move(mp));
  }
  return success();
}

LogicalResult readMapping(nmc::ProgramOp program, const MapGraph &graph,
                          Stage needed, const char *pass,
                          target::Target &target, Mapping &mapping) {
  nmc::MappingOp m = mappingOf(program);
  if (!m)
    return program.emitOpError()
           << "'" << program.getNetwork() << "' is not partitioned; run "
           << "nmc-partition before " << pass;
  auto t = target::parseTarget(m.getTargetJson().str(), "nmc.mapping");
  if (!t)
    return m.emitOpError() << llvm::toString(t.takeError());
  target = *t;
  Stage stage = Stage::Partitioned;
  bool known = false;
  for (Stage s : {Stage::Partitioned, Stage::Placed, Stage::Routed})
    if (m.getStage() == stageName(s))
      stage = s, known = true;
  if (!known)
    return m.emitOpError() << "unknown stage '" << m.getStage()
                           << "'; known: partitioned, placed, routed";
  if (int(stage) < int(needed))
    return m.emitOpError() << "the mapping is " << m.getStage() << "; " << pass
                           << " needs it "
                           << (needed == Stage::Placed
                                   ? "placed (run nmc-place)"
                                   : "routed (run nmc-route)");
  PlanMapping read;
  if (failed(readMappingOp(m, read)))
    return failure();
  mapping = Mapping();
  mapping.routers.resize(target.chips());
  for (uint32_t c = 0; c < target.chips(); ++c)
    mapping.routers[c].chip = c;
  // Chip numbers on the target's mesh (0 for the pseudo-chip before
  // placement), by the chip's index in the nmc.mapping.
  std::vector<uint32_t> number(read.chips.size(), 0);
  for (size_t i = 0; i < read.chips.size(); ++i) {
    const PlanMapping::Chip &chip = read.chips[i];
    const int64_t x = int32_t(chip.x), y = int32_t(chip.y);
    if (x < 0 || y < 0)
      continue;
    if (x >= target.meshWidth || y >= target.meshHeight)
      return m.emitOpError()
             << "chip (" << x << ", " << y << ") is outside the target's "
             << target.meshWidth << "x" << target.meshHeight << " mesh";
    number[i] = uint32_t(y * target.meshWidth + x);
    Router &r = mapping.routers[number[i]];
    for (PlanMapping::Route &e : read.chips[i].routes)
      r.entries.push_back({e.key, e.mask, e.links, std::move(e.cores)});
    r.entriesBeforeCompression = chip.entriesBeforeCompression;
  }
  for (PlanMapping::Core &pc : read.cores) {
    Core c;
    c.chip = number[pc.chip];
    c.index = pc.index;
    for (const PlanMapping::Slice &sl : pc.slices)
      c.slices.push_back({sl.population, sl.lo, sl.hi});
    c.neurons = pc.neurons;
    c.synapses = pc.synapses;
    c.synapseWords = pc.synapseWords;
    c.fanIn = pc.fanIn;
    c.fanOut = pc.fanOut;
    c.key = pc.key;
    c.mask = pc.mask;
    mapping.cores.push_back(std::move(c));
  }
  rebuildCoreOf(graph, mapping);
  return success();
}

LogicalResult loadMapped(ModuleOp module, const char *pass, Stage needed,
                         nmc::ProgramOp &program, MapGraph &graph,
                         target::Target &target, Mapping &mapping) {
  program = findProgram(module);
  if (!program)
    return module.emitError()
           << pass << ": the module holds no nmc.program (run snn-to-nmc)";
  if (failed(buildGraph(program, graph)))
    return failure();
  return readMapping(program, graph, needed, pass, target, mapping);
}

void writeMapping(nmc::ProgramOp program, const target::Target &target,
                  const Mapping &mapping, Stage stage) {
  if (nmc::MappingOp old = mappingOf(program))
    old.erase();
  OpBuilder b(program.getContext());
  b.setInsertionPointToEnd(&program.getBody().front());
  Location loc = program.getLoc();
  auto m = b.create<nmc::MappingOp>(loc, target.name, target::toJson(target),
                                    stageName(stage));
  m.getBody().emplaceBlock();
  b.setInsertionPointToStart(&m.getBody().front());
  // Chips in order; before placement one pseudo-chip at (-1, -1).
  std::map<uint32_t, std::vector<uint32_t>> byChip;
  for (uint32_t c = 0; c < mapping.cores.size(); ++c)
    byChip[stage == Stage::Partitioned ? UINT32_MAX : mapping.cores[c].chip]
        .push_back(c);
  if (stage != Stage::Partitioned)
    for (const Router &r : mapping.routers)
      if (!r.entries.empty())
        byChip[r.chip];
  for (auto &[chip, members] : byChip) {
    const bool pseudo = chip == UINT32_MAX;
    const int64_t x = pseudo ? -1 : int64_t(chip % target.meshWidth);
    const int64_t y = pseudo ? -1 : int64_t(chip / target.meshWidth);
    const Router *router = !pseudo && chip < mapping.routers.size()
                               ? &mapping.routers[chip]
                               : nullptr;
    auto op = b.create<nmc::ChipOp>(
        loc, uint64_t(x), uint64_t(y),
        router ? uint64_t(router->entriesBeforeCompression) : 0);
    op.getBody().emplaceBlock();
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(&op.getBody().front());
    for (uint32_t id : members) {
      const Core &c = mapping.cores[id];
      SmallVector<int64_t> slices;
      for (const CoreSlice &s : c.slices)
        slices.append({int64_t(s.population), int64_t(s.lo), int64_t(s.hi)});
      b.create<nmc::CoreOp>(
          loc, uint64_t(id), uint64_t(pseudo ? id : c.index), slices,
          uint64_t(c.neurons), c.synapses, c.synapseWords, uint64_t(c.fanIn),
          uint64_t(c.fanOut), uint64_t(c.key), uint64_t(c.mask));
    }
    if (router)
      for (const RouteEntry &e : router->entries)
        b.create<nmc::RouteOp>(
            loc, uint64_t(e.key), uint64_t(e.mask), uint64_t(e.links),
            SmallVector<int64_t>(e.cores.begin(), e.cores.end()));
  }
}

LogicalResult emitViolations(nmc::ProgramOp program,
                             const std::vector<Violation> &violations) {
  for (const Violation &v : violations) {
    Operation *at = opNamed(program, v.node);
    if (!at)
      at = mappingOf(program) ? mappingOf(program).getOperation()
                              : program.getOperation();
    at->emitError() << "design rule: " << v.message();
  }
  return success(violations.empty());
}

LogicalResult mapProgram(nmc::ProgramOp program, const target::Target &target,
                         std::vector<Violation> &violations, MapGraph *graphOut,
                         Mapping *mappingOut, StageSeconds *seconds) {
  StageSeconds took;
  auto t0 = std::chrono::steady_clock::now();
  auto lap = [&](double &into) {
    const auto now = std::chrono::steady_clock::now();
    into = std::chrono::duration<double>(now - t0).count();
    t0 = now;
  };
  MapGraph graph;
  if (failed(buildGraph(program, graph)))
    return failure();
  lap(took.graph);
  Mapping mapping;
  std::vector<Violation> steps = partition(graph, target, mapping);
  lap(took.partition);
  std::vector<Violation> more = place(graph, target, mapping);
  steps.insert(steps.end(), more.begin(), more.end());
  lap(took.place);
  more = route(graph, target, mapping);
  steps.insert(steps.end(), more.begin(), more.end());
  lap(took.route);
  violations = check(graph, target, mapping);
  lap(took.check);
  if (seconds)
    *seconds = took;
  // Anything a step found that the final check does not (e.g. keys run
  // out) is kept too; one violation per node and limit.
  for (const Violation &v : steps)
    if (std::none_of(violations.begin(), violations.end(),
                     [&](const Violation &w) {
                       return w.node == v.node && w.limit == v.limit;
                     }))
      violations.push_back(v);
  writeMapping(program, target, mapping, Stage::Routed);
  if (graphOut)
    *graphOut = std::move(graph);
  if (mappingOut)
    *mappingOut = std::move(mapping);
  return success();
}

namespace {

double percent(uint64_t used, uint64_t limit) {
  return limit ? 100.0 * double(used) / double(limit) : 0.0;
}

std::string holds(const MapGraph &graph, const Core &c) {
  std::string s;
  for (const CoreSlice &sl : c.slices)
    s += (s.empty() ? "" : ", ") + graph.populations[sl.population].name + "[" +
         std::to_string(sl.lo) + ":" + std::to_string(sl.hi) + "]";
  return s;
}

} // namespace

void printReport(const MapGraph &graph, const target::Target &t,
                 const Mapping &mapping,
                 const std::vector<Violation> &violations, double dt, bool json,
                 llvm::raw_ostream &os, const StageSeconds *seconds) {
  const Estimate e = estimate(graph, t, mapping, dt);
  std::vector<uint32_t> chipsUsed;
  for (const Core &c : mapping.cores)
    chipsUsed.push_back(c.chip);
  std::sort(chipsUsed.begin(), chipsUsed.end());
  chipsUsed.erase(std::unique(chipsUsed.begin(), chipsUsed.end()),
                  chipsUsed.end());
  if (json) {
    llvm::json::Array cores, routers, viol;
    for (uint32_t i = 0; i < mapping.cores.size(); ++i) {
      const Core &c = mapping.cores[i];
      llvm::json::Array slices;
      for (const CoreSlice &s : c.slices)
        slices.push_back(llvm::json::Object{
            {"population", graph.populations[s.population].name},
            {"first", s.lo},
            {"end", s.hi}});
      cores.push_back(
          llvm::json::Object{{"id", i},
                             {"chip", llvm::json::Array{c.chip % t.meshWidth,
                                                        c.chip / t.meshWidth}},
                             {"index", c.index},
                             {"neurons", c.neurons},
                             {"synapses", int64_t(c.synapses)},
                             {"synapse_words", int64_t(c.synapseWords)},
                             {"fan_in", c.fanIn},
                             {"fan_out", c.fanOut},
                             {"key", c.key},
                             {"mask", c.mask},
                             {"slices", std::move(slices)}});
    }
    for (const Router &r : mapping.routers)
      if (!r.entries.empty() || r.entriesBeforeCompression)
        routers.push_back(llvm::json::Object{
            {"chip",
             llvm::json::Array{r.chip % t.meshWidth, r.chip / t.meshWidth}},
            {"entries", int64_t(r.entries.size())},
            {"entries_before_compression", r.entriesBeforeCompression}});
    for (const Violation &v : violations)
      viol.push_back(llvm::json::Object{{"node", v.node},
                                        {"limit", v.limit},
                                        {"allowed", int64_t(v.allowed)},
                                        {"actual", int64_t(v.actual)},
                                        {"message", v.message()}});
    llvm::json::Object limits{
        {"neurons_per_core", t.neuronsPerCore},
        {"synapse_words_per_core", int64_t(t.synapseWordsPerCore)},
        {"fan_in_per_core", t.fanInPerCore},
        {"fan_out_per_core", t.fanOutPerCore},
        {"routing_entries_per_router", t.routingEntriesPerRouter}};
    llvm::json::Object per{{"synaptic_ops", e.synapticOps},
                           {"neuron_updates", e.neuronUpdates},
                           {"routed_hops", e.routedHops},
                           {"energy_pj", e.energyPj}};
    llvm::json::Object root{
        {"target", t.name},
        {"mesh", llvm::json::Array{t.meshWidth, t.meshHeight}},
        {"cores_per_chip", t.coresPerChip},
        {"limits", std::move(limits)},
        {"cores_used", int64_t(mapping.cores.size())},
        {"chips_used", int64_t(chipsUsed.size())},
        {"cores", std::move(cores)},
        {"routers", std::move(routers)},
        {"per_step", std::move(per)},
        {"dt", dt},
        {"violations", std::move(viol)}};
    if (seconds)
      root["seconds"] = llvm::json::Object{{"graph", seconds->graph},
                                           {"partition", seconds->partition},
                                           {"place", seconds->place},
                                           {"route", seconds->route},
                                           {"check", seconds->check}};
    os << llvm::formatv("{0:2}", llvm::json::Value(std::move(root))) << "\n";
    return;
  }
  os << "mapping onto '" << t.name << "' (" << t.meshWidth << "x"
     << t.meshHeight << " chips of " << t.coresPerChip
     << " cores): " << mapping.cores.size() << " cores on " << chipsUsed.size()
     << " chip(s)\n";
  os << "  cores: id (x,y):index  neurons  synapse words  fan-in  fan-out  "
        "holds\n";
  // Every core of a small mapping; the fullest 16 of a large one.
  std::vector<uint32_t> order(mapping.cores.size());
  for (uint32_t i = 0; i < order.size(); ++i)
    order[i] = i;
  const bool all = order.size() <= 64;
  if (!all) {
    auto load = [&](uint32_t i) {
      const Core &c = mapping.cores[i];
      return std::max({percent(c.neurons, t.neuronsPerCore),
                       percent(c.synapseWords, t.synapseWordsPerCore),
                       percent(c.fanIn, t.fanInPerCore)});
    };
    std::stable_sort(order.begin(), order.end(),
                     [&](uint32_t a, uint32_t b) { return load(a) > load(b); });
    order.resize(16);
  }
  for (uint32_t i : order) {
    const Core &c = mapping.cores[i];
    os << "    " << i << " (" << c.chip % t.meshWidth << ","
       << c.chip / t.meshWidth << "):" << c.index << "  " << c.neurons << "/"
       << t.neuronsPerCore
       << llvm::format(" (%.0f%%)", percent(c.neurons, t.neuronsPerCore))
       << "  " << c.synapseWords << "/" << t.synapseWordsPerCore
       << llvm::format(" (%.0f%%)",
                       percent(c.synapseWords, t.synapseWordsPerCore))
       << "  " << c.fanIn << "/" << t.fanInPerCore << "  " << c.fanOut << "/"
       << t.fanOutPerCore << "  " << holds(graph, c) << "\n";
  }
  if (!all)
    os << "    ... the 16 fullest of " << mapping.cores.size()
       << " cores shown (--report json lists all)\n";
  uint32_t maxEntries = 0, routersUsed = 0;
  uint64_t entries = 0, before = 0;
  for (const Router &r : mapping.routers) {
    if (r.entries.empty() && !r.entriesBeforeCompression)
      continue;
    ++routersUsed;
    entries += r.entries.size();
    before += r.entriesBeforeCompression;
    maxEntries = std::max(maxEntries, uint32_t(r.entries.size()));
  }
  os << "  routing: " << routersUsed << " router(s) with entries, " << entries
     << " entries (" << before << " before compression), at most " << maxEntries
     << " per router of " << t.routingEntriesPerRouter << "\n";
  os << llvm::format(
      "  per step (estimated): %.4g synaptic ops, %.4g neuron "
      "updates, %.4g routed hops, %.4g pJ (%.4g mW at dt %g s)\n",
      e.synapticOps, e.neuronUpdates, e.routedHops, e.energyPj,
      e.energyPj * 1e-9 / dt, dt);
  if (seconds)
    os << llvm::format("  took: %.3f s to read the program and expand its "
                       "synapses, partition %.3f s, place %.3f s, route "
                       "%.3f s, check %.3f s\n",
                       seconds->graph, seconds->partition, seconds->place,
                       seconds->route, seconds->check);
  if (violations.empty()) {
    os << "  design rules: all met\n";
  } else {
    os << "  design rules: " << violations.size() << " violation(s)\n";
    for (const Violation &v : violations)
      os << "    " << v.message() << "\n";
  }
}

} // namespace snnc::mapping
