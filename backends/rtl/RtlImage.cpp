//===- RtlImage.cpp - Memory images of a mapped fixed-mode artifact -------===//
//
// The Program has passed the loader (indices, array lengths and the
// mapping's structure are checked there); what is checked here is whether
// it fits the chip this build simulates.
//
//===----------------------------------------------------------------------===//
#include "RtlImage.h"

#include "AxonBlocks.h"

#include "Model.h"

#include <algorithm>
#include <cstdlib>
#include <functional>
#include <map>
#include <tuple>

namespace snnc::rtl {
namespace {

using model::Model;
using model::ProjectionModel;
using snnb::NeuronKind;

Status refuse(const std::string &what) {
  return invalidArgument("rtl: " + what);
}

/// A number of the target description (docs/targets.md; toJson writes
/// every key, and the keys the backend reads are unique in it).
bool jsonNumber(const std::string &json, const std::string &key, double &out) {
  const std::string quoted = "\"" + key + "\"";
  size_t at = json.find(quoted);
  if (at == std::string::npos)
    return false;
  at = json.find(':', at + quoted.size());
  if (at == std::string::npos)
    return false;
  const char *begin = json.c_str() + at + 1;
  char *end = nullptr;
  out = std::strtod(begin, &end);
  return end != begin;
}

/// P0's kind code (docs/rtl-core.md §3; a PoissonSource is bit 8), or -1
/// for kinds the cores do not run (Sources are the host's).
int kindCode(NeuronKind k) {
  switch (k) {
  case NeuronKind::LIF:
    return 0;
  case NeuronKind::IF:
    return 1;
  case NeuronKind::CubaLIF:
    return 2;
  case NeuronKind::LI:
    return 3;
  case NeuronKind::Integrator:
    return 4;
  case NeuronKind::CubaLI:
    return 5;
  case NeuronKind::Relay:
    return 6;
  case NeuronKind::Threshold:
    return 7;
  case NeuronKind::PoissonSource:
    return 0x100;
  default:
    return -1;
  }
}

struct Synapse {
  uint32_t src, dst, delay;
  int32_t mantissa;
};

/// Every synapse of a projection with a non-zero mantissa (a zero one adds
/// nothing, spike or graded), with its delay in steps from the source's
/// step (the recurrent step included).
void forEachSynapse(const ProjectionModel<int32_t> &pj,
                    const std::function<void(const Synapse &)> &f) {
  auto baseDelay = [&](uint32_t j) {
    return pj.delays.empty() ? pj.delay : pj.delays[j];
  };
  switch (pj.type) {
  case snnb::Connectivity::Dense:
    for (uint32_t j = 0; j < pj.sourceSize; ++j)
      for (uint32_t i = 0; i < pj.targetSize; ++i)
        if (int32_t m = pj.dense[size_t(j) * pj.targetSize + i])
          f({j, i, baseDelay(j), m});
    break;
  case snnb::Connectivity::Sparse: {
    const model::RowBlock<int32_t> &b = pj.rows[0];
    for (uint32_t j = 0; j < pj.sourceSize; ++j)
      for (uint32_t k = b.start[j]; k < b.start[j + 1]; ++k) {
        const uint32_t t =
            b.base + (b.narrow ? b.narrowTargets[k] : b.wideTargets[k]);
        const int32_t m = b.uniform ? b.weight : b.weights[k];
        const uint32_t d = baseDelay(j) + (b.delays.empty() ? 0 : b.delays[k]);
        if (m)
          f({j, t, d, m});
      }
    break;
  }
  case snnb::Connectivity::Conv:
  case snnb::Connectivity::Pool: {
    // The CPU engine's window walk (backends/cpu/Propagate.h), over all
    // targets.
    const model::Window &w = pj.window;
    const bool pool = pj.type == snnb::Connectivity::Pool;
    const int64_t plane = w.outH * w.outW, inPlane = w.inH * w.inW;
    const int64_t inPerGroup = w.inC / w.groups,
                  outPerGroup = w.outC / w.groups;
    for (uint32_t j = 0; j < pj.sourceSize; ++j) {
      const int64_t c = j / inPlane, y = (j % inPlane) / w.inW, x = j % w.inW;
      const int64_t group = c / inPerGroup, local = c % inPerGroup;
      for (int64_t ky = 0; ky < w.kh; ++ky) {
        const int64_t ty = y + w.ph - ky * w.dh;
        if (ty < 0 || ty % w.sh != 0 || ty / w.sh >= w.outH)
          continue;
        for (int64_t kx = 0; kx < w.kw; ++kx) {
          const int64_t tx = x + w.pw - kx * w.dw;
          if (tx < 0 || tx % w.sw != 0 || tx / w.sw >= w.outW)
            continue;
          const int64_t pos = (ty / w.sh) * w.outW + tx / w.sw;
          for (int64_t oc = group * outPerGroup; oc < (group + 1) * outPerGroup;
               ++oc) {
            const int32_t m =
                pool
                    ? pj.poolWeight
                    : pj.kernel[((oc * inPerGroup + local) * w.kh + ky) * w.kw +
                                kx];
            if (m)
              f({j, uint32_t(oc * plane + pos), baseDelay(j), m});
          }
        }
      }
    }
    break;
  }
  default:
    break;
  }
}

using Block = ref::AxonBlock;

using Rows = std::map<uint32_t, std::map<uint32_t, std::vector<uint32_t>>>;

/// The key entries of one target core (AxonBlocks.h).
std::vector<Block> blocks(const Rows &rows) {
  std::vector<std::pair<uint32_t, std::vector<uint32_t>>> heard;
  for (const auto &[sc, bySource] : rows) {
    std::vector<uint32_t> locals;
    for (const auto &[sl, words] : bySource)
      locals.push_back(sl);
    heard.emplace_back(sc, std::move(locals));
  }
  return ref::axonBlocks(heard, ChipParams::kFanIn, ChipParams::kInKeys);
}

} // namespace

StatusOr<Image> buildImage(const Program &program) {
  using P = ChipParams;
  const snnb::Program &fb = program.fb();
  if (fb.mode() != snnb::NumericMode::Fixed)
    return refuse("the artifact is in float mode; the snncore chip runs fixed "
                  "point only (compile with snnc --mode fixed --target ...)");
  const snnb::Mapping *mp = fb.mapping();
  if (!mp || !mp->cores() || mp->cores()->size() == 0)
    return refuse("the artifact has no mapping onto cores (compile with snnc "
                  "--mode fixed --target snncore or a target JSON with "
                  "snncore's core parameters)");
  Image img;
  img.target = mp->target() ? mp->target()->str() : "";
  img.dt = fb.discretization()->dt();
  const std::string json = mp->target_json() ? mp->target_json()->str() : "";

  // ---- The target's core parameters against this build's
  struct Limit {
    const char *key;
    uint32_t rtl;
    bool exact; ///< must equal (a width), else at most (a capacity)
  } limits[] = {{"neurons_per_core", P::kNeurons, false},
                {"synapse_words_per_core", P::kSynWords, false},
                {"synapses_per_word", 1, true},
                {"fan_in_per_core", P::kFanIn, false},
                {"weight_bits", P::kWeightBits, false},
                {"state_bits", P::kStateBits, true},
                {"decay_bits", P::kDecayBits, true},
                {"routing_entries_per_router", P::kRouteEntries, false},
                {"delay_slots", P::kDelaySlots, false}};
  for (const Limit &l : limits) {
    double v = 0;
    if (!jsonNumber(json, l.key, v))
      return refuse("the mapping's target description ('" + img.target +
                    "') has no '" + l.key + "'");
    const bool ok = l.exact ? v == l.rtl : v <= l.rtl;
    if (!ok)
      return refuse("the artifact is mapped for target '" + img.target +
                    "' with " + l.key + " " + std::to_string(uint64_t(v)) +
                    "; this build's snncore chip has " + std::to_string(l.rtl) +
                    (l.exact ? "" : " at most"));
  }
  // Optional in a target description (older artifacts have none).
  if (double keys = 0;
      jsonNumber(json, "input_keys_per_core", keys) && keys > P::kInKeys)
    return refuse("the artifact is mapped for target '" + img.target +
                  "' with input_keys_per_core " +
                  std::to_string(uint64_t(keys)) +
                  "; this build's snncore chip has " +
                  std::to_string(P::kInKeys) + " at most");
  if (mp->cores_per_chip() > P::kCores)
    return refuse(
        "the artifact is mapped for target '" + img.target +
        "' with cores_per_chip " + std::to_string(mp->cores_per_chip()) +
        "; this build's snncore chip has " + std::to_string(P::kCores));
  const std::pair<const char *, double *> energy[] = {
      {"synaptic_op_pj", &img.energy.synapticOpPj},
      {"neuron_update_pj", &img.energy.neuronUpdatePj},
      {"routed_spike_pj", &img.energy.routedSpikePj},
      {"static_mw_per_chip", &img.energy.staticMwPerChip}};
  for (const auto &[key, out] : energy)
    if (!jsonNumber(json, key, *out))
      return refuse("the mapping's target description ('" + img.target +
                    "') has no 'energy." + key + "'");

  StatusOr<Model<int32_t>> built =
      model::buildModel<int32_t>(program, 1, "rtl");
  if (!built.isOk())
    return built.status();
  const Model<int32_t> &m = *built;
  const auto &pops = *fb.populations();
  const uint32_t np = pops.size();
  auto popName = [&](uint32_t p) {
    return "population '" + pops.Get(p)->name()->str() + "'";
  };
  img.coreOf.resize(np);
  img.localOf.resize(np);
  img.fracBits.resize(np);
  img.spiking.resize(np);
  img.source.resize(np);
  img.poisson.resize(np);
  for (uint32_t p = 0; p < np; ++p) {
    const model::PopulationModel &pm = m.populations[p];
    img.coreOf[p].assign(pm.size, UINT32_MAX);
    img.localOf[p].assign(pm.size, 0);
    img.fracBits[p] = pm.fix.fracBits;
    img.spiking[p] = pm.spiking;
    img.source[p] = pm.kind == NeuronKind::Source;
    img.poisson[p] = pm.kind == NeuronKind::PoissonSource;
    if (!img.source[p] && kindCode(pm.kind) < 0)
      return refuse(popName(p) + " is of kind " +
                    snnb::EnumNameNeuronKind(pm.kind) +
                    ", which the snncore cores do not implement");
    if (pm.fix.stateBits != int(P::kStateBits))
      return refuse(popName(p) + " has state_bits " +
                    std::to_string(pm.fix.stateBits) + "; the chip's is " +
                    std::to_string(P::kStateBits));
    if (pm.fix.fracBits < 0 || pm.fix.fracBits > 31)
      return refuse(popName(p) + " has frac_bits " +
                    std::to_string(pm.fix.fracBits) +
                    "; the axon table holds 0..31");
  }

  // ---- Phases: a population's phase follows every population that reaches
  // it within the step (a delay-0 projection); others share phases.
  std::vector<int> level(np, -1);
  for (uint32_t p = 0; p < np; ++p)
    if (!img.source[p])
      level[p] = 0;
  for (uint32_t p = 0; p < np; ++p) // sources and evaluation order first
    for (uint32_t j : m.populations[p].outgoing) {
      const auto &pj = m.projections[j];
      if (pj.immediate && !img.source[p])
        level[pj.target] = std::max(level[pj.target], level[p] + 1);
    }

  // ---- Chips: every position of the box the used chips span, so that
  // packets crossing an unused chip are forwarded as on the mesh.
  const auto &chips = *mp->chips();
  uint32_t x0 = UINT32_MAX, y0 = UINT32_MAX, x1 = 0, y1 = 0;
  for (const snnb::Chip *c : chips) {
    x0 = std::min(x0, c->x()), y0 = std::min(y0, c->y());
    x1 = std::max(x1, c->x()), y1 = std::max(y1, c->y());
  }
  img.meshX0 = x0, img.meshY0 = y0;
  img.width = x1 - x0 + 1, img.height = y1 - y0 + 1;
  img.chipsUsed = chips.size();
  if (uint64_t(img.width) * img.height > 64)
    return refuse("the mapping's chips span " + std::to_string(img.width) +
                  " x " + std::to_string(img.height) +
                  " mesh positions; the simulation holds at most 64 chips");
  img.chips.resize(img.width * img.height);
  for (uint32_t i = 0; i < img.chips.size(); ++i)
    img.chips[i].x = x0 + i % img.width, img.chips[i].y = y0 + i / img.width;
  std::vector<uint32_t> chipSlot(chips.size());
  for (uint32_t c = 0; c < chips.size(); ++c) {
    const snnb::Chip &ch = *chips.Get(c);
    chipSlot[c] = (ch.y() - y0) * img.width + (ch.x() - x0);
    ChipImage &ci = img.chips[chipSlot[c]];
    ci.used = true;
    if (ch.routes())
      for (const snnb::RouteEntry *r : *ch.routes()) {
        RouteWord w{r->key(), r->mask(), r->links() & 0xf};
        if (r->cores())
          for (uint32_t k : *r->cores())
            w.route |= 1u << (4 + k);
        ci.routes.push_back(w);
      }
    if (ci.routes.size() > P::kRouteEntries)
      return refuse(
          "routing table of chip (" + std::to_string(ch.x()) + "," +
          std::to_string(ch.y()) + "): " + std::to_string(ci.routes.size()) +
          " entries; the router holds " + std::to_string(P::kRouteEntries));
  }

  // ---- Cores and their neurons
  const auto &cores = *mp->cores();
  img.cores.resize(cores.size());
  // Each neuron's word carries its population's rules (its own reset).
  auto flagsOf = [](const model::Rules &r) {
    return (r.subtract ? 1u << 3 : 0) | (r.greaterEqual ? 1u << 4 : 0) |
           (r.nextStep ? 1u << 5 : 0) | (r.carry ? 2u << 5 : 0) |
           (r.synapseFirst ? 1u << 7 : 0);
  };
  for (uint32_t c = 0; c < cores.size(); ++c) {
    const snnb::Core &co = *cores.Get(c);
    CoreImage &ci = img.cores[c];
    ci.id = c;
    ci.chip = chipSlot[co.chip()];
    ci.index = co.index();
    ci.key = co.key();
    ci.mask = co.mask();
    for (const snnb::CoreSlice *s : *co.slices())
      for (uint32_t n = s->lo(); n < s->hi(); ++n) {
        img.coreOf[s->population()][n] = c;
        img.localOf[s->population()][n] = uint32_t(ci.neurons.size());
        ci.neurons.push_back({s->population(), n});
      }
    if (ci.neurons.size() > P::kNeurons)
      return refuse("neuron memory of core " + std::to_string(c) + ": " +
                    std::to_string(ci.neurons.size()) +
                    " neurons; a core holds " + std::to_string(P::kNeurons));
    // Where each (population, table) of a PoissonSource starts in the
    // core's threshold memory.
    std::map<std::pair<uint32_t, uint32_t>, uint32_t> tableAt;
    for (const auto &[p, n] : ci.neurons) {
      const model::PopulationModel &pm = m.populations[p];
      const model::FixedParams &f = pm.fix;
      const uint32_t k = f.shared ? 0 : n;
      std::array<uint32_t, 7> w{};
      if (img.poisson[p]) {
        // P1 table start, P2 table size, P3/P4 the Philox key, P5 the
        // neuron's index in its population, P6 the count below the table.
        const model::PoissonModel &pz = pm.poisson;
        const uint32_t t = pz.tableOf.empty() ? 0 : pz.tableOf[n];
        const model::PoissonModel::Table &tb = pz.tables[t];
        auto [at, fresh] = tableAt.emplace(
            std::make_pair(p, t), uint32_t(ci.poissonThresholds.size()));
        if (fresh)
          ci.poissonThresholds.insert(
              ci.poissonThresholds.end(), pz.thresholds.begin() + tb.offset,
              pz.thresholds.begin() + tb.offset + tb.size);
        if (ci.poissonThresholds.size() > P::kPoissonWords)
          return refuse("Poisson threshold memory of core " +
                        std::to_string(c) + ": " +
                        std::to_string(ci.poissonThresholds.size()) +
                        " thresholds (" + popName(p) +
                        " and the other PoissonSource rates the core "
                        "holds); the memory holds " +
                        std::to_string(P::kPoissonWords));
        const uint64_t most = uint64_t(tb.first) + tb.size;
        if (most >= (uint64_t(1) << (P::kStateBits - 1)) ||
            n >= (1u << P::kStateBits))
          return refuse(popName(p) + " neuron " + std::to_string(n) +
                        ": a count or neuron index beyond the chip's " +
                        std::to_string(P::kStateBits) + "-bit fields");
        w = {uint32_t(kindCode(pm.kind)),
             at->second,
             tb.size,
             pz.key[0],
             pz.key[1],
             n,
             tb.first};
      } else if (!img.source[p]) {
        w = {uint32_t(kindCode(pm.kind)) | flagsOf(pm.rules),
             std::min<uint32_t>(f.decayU[k], 4096),
             std::min<uint32_t>(f.decayV[k], 4096),
             uint32_t(f.uBias[k]),
             uint32_t(f.vBias[k]),
             uint32_t(f.vThreshold[k]),
             uint32_t(f.vReset[k])};
        if (f.decayU[k] > 4096 || f.decayV[k] > 4096)
          return refuse(popName(p) + " neuron " + std::to_string(n) +
                        ": a decay above 4096/4096");
      }
      ci.params.push_back(w);
      const bool membrane = !img.source[p] && !img.poisson[p] &&
                            pm.kind != NeuronKind::Relay &&
                            pm.kind != NeuronKind::Threshold;
      ci.vInit.push_back(membrane ? f.vInit[n] : 0);
    }
  }
  for (uint32_t p = 0; p < np; ++p)
    for (uint32_t n = 0; n < m.populations[p].size; ++n)
      if (img.coreOf[p][n] == UINT32_MAX)
        return refuse(popName(p) + " neuron " + std::to_string(n) +
                      " is on no core of the mapping");

  // Phase tables; populations sharing a phase on one core must be adjacent
  // there, else every population gets a phase of its own.
  auto phaseTables = [&](bool ownPhases) -> bool {
    std::vector<int> phaseOf(np, -1);
    int count = 0;
    for (uint32_t p = 0; p < np; ++p)
      if (!img.source[p])
        phaseOf[p] = ownPhases ? count++ : level[p];
    if (!ownPhases)
      for (int l : level)
        count = std::max(count, l + 1);
    img.phases = uint32_t(count);
    for (CoreImage &ci : img.cores) {
      ci.phases.assign(count, {0, 0});
      std::vector<bool> seen(count, false);
      for (uint32_t j = 0; j < ci.neurons.size(); ++j) {
        const int ph = phaseOf[ci.neurons[j].first];
        if (ph < 0)
          continue;
        auto &r = ci.phases[ph];
        if (!seen[ph]) {
          r = {j, j + 1};
          seen[ph] = true;
        } else if (r.second == j) {
          r.second = j + 1;
        } else {
          return false;
        }
      }
    }
    return true;
  };
  if (!phaseTables(false) && !phaseTables(true))
    return refuse("a core holds a population in pieces that are not "
                  "adjacent; the phase table holds one range a phase");
  if (img.phases > P::kMaxPhases)
    return refuse("the step needs " + std::to_string(img.phases) +
                  " update phases (chains of delay-0 projections); the chip "
                  "runs at most " +
                  std::to_string(P::kMaxPhases));

  // ---- Synapses, by target core and (source core, source neuron)
  const auto &projs = *fb.projections();
  std::vector<std::map<uint32_t, std::map<uint32_t, std::vector<uint32_t>>>>
      rows(cores.size()); // target core -> source core -> local -> words
  std::vector<std::map<std::pair<uint32_t, uint32_t>, uint32_t>> axonFrac(
      cores.size());
  for (uint32_t j = 0; j < m.projections.size(); ++j) {
    const ProjectionModel<int32_t> &pj = m.projections[j];
    const std::string name = "projection '" + projs.Get(j)->name()->str() + "'";
    if (pj.exponent < 0 || pj.exponent > 31)
      return refuse(name + ": weight exponent " + std::to_string(pj.exponent) +
                    "; a synapse word holds 0..31");
    Status bad = Status::ok();
    forEachSynapse(pj, [&](const Synapse &s) {
      if (!bad.isOk())
        return;
      if (s.delay >= P::kDelaySlots) {
        bad = refuse(name + ": a synapse delivers " + std::to_string(s.delay) +
                     " steps after its source's step; the delay slots hold "
                     "0.." +
                     std::to_string(P::kDelaySlots - 1));
        return;
      }
      const int32_t lim = 1 << (P::kWeightBits - 1);
      if (s.mantissa < -lim || s.mantissa >= lim) {
        bad = refuse(name + ": mantissa " + std::to_string(s.mantissa) +
                     " does not fit the chip's " +
                     std::to_string(P::kWeightBits) + "-bit weights");
        return;
      }
      const uint32_t sc = img.coreOf[pj.source][s.src];
      const uint32_t sl = img.localOf[pj.source][s.src];
      const uint32_t tc = img.coreOf[pj.target][s.dst];
      const uint32_t tl = img.localOf[pj.target][s.dst];
      const uint32_t word =
          (uint32_t(s.mantissa) & ((1u << P::kWeightBits) - 1)) | tl << 8 |
          s.delay << 16 | uint32_t(pj.exponent) << 20;
      rows[tc][sc][sl].push_back(word);
      axonFrac[tc][{sc, sl}] = uint32_t(pj.sourceFracBits);
    });
    if (!bad.isOk())
      return bad;
  }
  for (uint32_t c = 0; c < cores.size(); ++c) {
    CoreImage &ci = img.cores[c];
    // Key entries: aligned blocks of each source core's neurons, split
    // until the axons they span fit (blocks()).
    uint32_t base = 0;
    for (const Block &b : blocks(rows[c])) {
      const CoreImage &src = img.cores[b.core];
      ci.keys.push_back({src.key | b.lo, src.mask | ~(b.size - 1), base});
      ci.axons.resize(base + b.size, {0, 0});
      const auto &bySource = rows[c].at(b.core);
      for (auto it = bySource.lower_bound(b.lo);
           it != bySource.end() && it->first < b.lo + b.size; ++it) {
        const auto &[sl, words] = *it;
        ci.axons[base + sl - b.lo] = {uint32_t(ci.synapses.size()) |
                                          uint32_t(words.size()) << 16,
                                      axonFrac[c][{b.core, sl}]};
        ci.synapses.insert(ci.synapses.end(), words.begin(), words.end());
      }
      base += b.size;
    }
    ci.synapseCount = ci.synapses.size();
    const std::string core = "core " + std::to_string(c);
    if (ci.keys.size() > P::kInKeys)
      return refuse(
          "input key table of " + core + ": " + std::to_string(ci.keys.size()) +
          " source cores; the table holds " + std::to_string(P::kInKeys));
    if (ci.axons.size() > P::kFanIn)
      return refuse(
          "axon table of " + core + ": " + std::to_string(ci.axons.size()) +
          " axons (aligned blocks of the source cores' neurons "
          "that have synapses here, within " +
          std::to_string(P::kInKeys) + " key entries); the table holds " +
          std::to_string(P::kFanIn));
    if (ci.synapses.size() > P::kSynWords)
      return refuse("synapse memory of " + core + ": " +
                    std::to_string(ci.synapses.size()) +
                    " words; the memory holds " + std::to_string(P::kSynWords));
  }
  return img;
}

} // namespace snnc::rtl
