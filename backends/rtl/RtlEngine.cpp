//===- RtlEngine.cpp - A mapped artifact on Verilated snncore chips -------===//
//
// One Verilated chip per mesh position of the mapping's chips, their links
// joined here, every chip's ext_idle_i the AND of the others' idle_o and
// STEP written to all of them in the same cycle (docs/rtl-core.md §8).
// Each step the host sends the Sources' values as graded AER events to the
// chips that hold them, runs STEP, and collects the cores' monitor events
// (PoissonSource populations are drawn by the cores themselves);
// state is read back over the host bus. docs/rtl-backend.md.
//
//===----------------------------------------------------------------------===//
#include "RtlDriver.h"
#include "RtlImage.h"

#include "FixedPoint.h"
#include "snnc/runtime/Program.h"

#include "Vchip.h"
#include "verilated.h"
#include "verilated_fst_c.h"

#include <algorithm>
#include <memory>

namespace snnc {
namespace {

using rtl::ChipParams;
using rtl::Image;

constexpr uint32_t kUnitRouter = 0xE, kUnitChip = 0xF;
constexpr uint32_t kRegCtrl = 0, kRegParam = 1, kRegState = 2, kRegAxon = 3,
                   kRegSyn = 4, kRegKeys = 5, kRegPhase = 7, kRegPoisson = 8;
// Core control registers (region 0).
constexpr uint32_t kKey = 0, kSlot = 1, kEvents = 2, kMisses = 3, kSynops = 4,
                   kUpdates = 5, kEmitted = 6, kCmd = 8, kStepLo = 11,
                   kStepHi = 12;
// Chip registers.
constexpr uint32_t kStep = 0, kNumPhases = 2, kStepCycles = 4, kConfig = 6;
/// A step that has not ended after this many cycles is taken for a hang.
constexpr int64_t kStepGuard = int64_t(1) << 26;

uint32_t addr(uint32_t unit, uint32_t region, uint32_t offset) {
  return unit << 24 | region << 20 | offset;
}

/// The chips of one mapping and the wires between them.
class Mesh {
public:
  Mesh(const Image &img, const std::string &trace) : img_(img) {
    ctx_ = std::make_unique<VerilatedContext>();
    if (!trace.empty())
      ctx_->traceEverOn(true);
    for (size_t i = 0; i < img.chips.size(); ++i)
      chips_.push_back(std::make_unique<Vchip>(ctx_.get(), "chip"));
    if (!trace.empty())
      for (size_t i = 0; i < chips_.size(); ++i) {
        auto t = std::make_unique<VerilatedFstC>();
        chips_[i]->trace(t.get(), 99);
        t->open(tracePath(trace, i).c_str());
        traces_.push_back(std::move(t));
      }
    for (auto &c : chips_) {
      c->rst_ni = 0;
      c->clk_i = 0;
      c->ext_idle_i = 1;
      c->link_ready_i = 0xf;
    }
    for (int k = 0; k < 2; ++k)
      cycle();
    for (auto &c : chips_)
      c->rst_ni = 1;
    cycle();
  }
  ~Mesh() {
    for (auto &t : traces_)
      t->close();
    for (auto &c : chips_)
      c->final();
  }
  /// Chip 0 writes FILE; chip i > 0 FILE with ".chip<i>" before the
  /// extension.
  static std::string tracePath(const std::string &file, size_t chip) {
    if (chip == 0)
      return file;
    const size_t dot = file.rfind('.');
    const size_t slash = file.rfind('/');
    const std::string tag = ".chip" + std::to_string(chip);
    if (dot == std::string::npos || (slash != std::string::npos && dot < slash))
      return file + tag;
    return file.substr(0, dot) + tag + file.substr(dot);
  }
  size_t size() const { return chips_.size(); }
  /// Cycles since the chips were created.
  uint64_t time() const { return time_; }
  Vchip &chip(size_t i) { return *chips_[i]; }

  /// Evaluates every chip with its neighbours' outputs as its inputs until
  /// the wires between them stop changing (one pass for a single chip).
  void settle() {
    if (chips_.size() == 1) {
      chips_[0]->ext_idle_i = 1;
      chips_[0]->link_valid_i = 0;
      chips_[0]->link_ready_i = 0xf;
      chips_[0]->eval();
      return;
    }
    for (auto &c : chips_)
      c->eval();
    for (int pass = 0; pass < 16; ++pass) {
      bool changed = false;
      for (size_t i = 0; i < chips_.size(); ++i) {
        Vchip &c = *chips_[i];
        uint8_t valid = 0, ready = 0;
        bool othersIdle = true;
        for (size_t k = 0; k < chips_.size(); ++k)
          if (k != i)
            othersIdle = othersIdle && chips_[k]->idle_o;
        for (uint32_t l = 0; l < 4; ++l) {
          const int n = neighbour(i, l);
          const uint32_t facing = (l + 2) % 4;
          if (n < 0) {
            ready |= 1u << l; // nothing leaves the mesh (the routes never
                              // send there); do not block
            continue;
          }
          const Vchip &o = *chips_[n];
          valid |= uint8_t((o.link_valid_o >> facing & 1) << l);
          ready |= uint8_t((o.link_ready_o >> facing & 1) << l);
          if (c.link_pkt_i[l] != o.link_pkt_o[facing]) {
            c.link_pkt_i[l] = o.link_pkt_o[facing];
            changed = true;
          }
        }
        if (c.link_valid_i != valid || c.link_ready_i != ready ||
            c.ext_idle_i != uint8_t(othersIdle)) {
          c.link_valid_i = valid;
          c.link_ready_i = ready;
          c.ext_idle_i = othersIdle;
          changed = true;
        }
      }
      if (!changed)
        return;
      for (auto &c : chips_)
        c->eval();
    }
  }
  /// The clock edge after settle(); advances the trace time.
  void edge() {
    for (size_t i = 0; i < traces_.size(); ++i)
      traces_[i]->dump(time_ * 10);
    for (auto &c : chips_) {
      c->clk_i = 1;
      c->eval();
    }
    for (size_t i = 0; i < traces_.size(); ++i)
      traces_[i]->dump(time_ * 10 + 5);
    for (auto &c : chips_) {
      c->clk_i = 0;
      c->eval();
    }
    ++time_;
  }
  void cycle() {
    settle();
    edge();
  }
  void write(size_t chip, uint32_t a, uint32_t d) {
    Vchip &c = *chips_[chip];
    c.host_req_i = 1;
    c.host_we_i = 1;
    c.host_addr_i = a;
    c.host_wdata_i = d;
    cycle();
    c.host_req_i = 0;
    c.host_we_i = 0;
  }
  uint32_t read(size_t chip, uint32_t a) {
    Vchip &c = *chips_[chip];
    c.host_req_i = 1;
    c.host_we_i = 0;
    c.host_addr_i = a;
    cycle();
    c.host_req_i = 0;
    settle();
    return c.host_rdata_o;
  }

private:
  int neighbour(size_t i, uint32_t link) const {
    int x = int(i % img_.width), y = int(i / img_.width);
    x += link == 0 ? 1 : link == 2 ? -1 : 0;
    y += link == 1 ? 1 : link == 3 ? -1 : 0;
    if (x < 0 || y < 0 || x >= int(img_.width) || y >= int(img_.height))
      return -1;
    return y * int(img_.width) + x;
  }
  const Image &img_;
  std::unique_ptr<VerilatedContext> ctx_;
  std::vector<std::unique_ptr<Vchip>> chips_;
  std::vector<std::unique_ptr<VerilatedFstC>> traces_;
  uint64_t time_ = 0;
};

class RtlEngine final : public Engine {
public:
  RtlEngine(Image img, const std::string &trace)
      : img_(std::move(img)), mesh_(img_, trace) {
    const size_t np = img_.coreOf.size();
    sourceIn_.resize(np);
    sourceV_.resize(np);
    spikes_.resize(np);
    indices_.resize(np);
    watch_.resize(np);
    watched_.resize(np);
    for (size_t p = 0; p < np; ++p) {
      const size_t n = img_.coreOf[p].size();
      if (img_.source[p])
        sourceIn_[p].assign(n, 0), sourceV_[p].assign(n, 0);
      if (img_.spiking[p])
        spikes_[p].assign(n, 0);
    }
    count_.resize(img_.cores.size());
    last_.resize(img_.cores.size());
    routerCount_.resize(img_.chips.size());
    routerLast_.resize(img_.chips.size());
  }
  /// The chip's configuration against this build's parameters, then the
  /// images; before any step.
  Status load() {
    using P = ChipParams;
    for (size_t i = 0; i < mesh_.size(); ++i) {
      const uint32_t cfg = mesh_.read(i, addr(kUnitChip, 0, kConfig));
      const uint32_t want =
          P::kWeightBits | P::kStateBits << 8 | 8u << 16 | P::kCores << 24;
      if (cfg != want)
        return Status(StatusCode::kInternal,
                      "rtl: the Verilated chip reports CONFIG " +
                          std::to_string(cfg) + ", the backend expects " +
                          std::to_string(want));
    }
    for (size_t i = 0; i < img_.chips.size(); ++i) {
      const auto &routes = img_.chips[i].routes;
      for (size_t e = 0; e < routes.size(); ++e) {
        const uint32_t o = uint32_t(4 * e);
        mesh_.write(i, addr(kUnitRouter, 1, o + 0), routes[e].key);
        mesh_.write(i, addr(kUnitRouter, 1, o + 1), routes[e].mask);
        mesh_.write(i, addr(kUnitRouter, 1, o + 2), routes[e].route);
        mesh_.write(i, addr(kUnitRouter, 1, o + 3), 1);
      }
      mesh_.write(i, addr(kUnitChip, 0, kNumPhases), img_.phases);
    }
    for (const rtl::CoreImage &c : img_.cores) {
      const uint32_t u = c.index;
      for (size_t e = 0; e < c.keys.size(); ++e) {
        const uint32_t o = uint32_t(4 * e);
        mesh_.write(c.chip, addr(u, kRegKeys, o + 0), c.keys[e].key);
        mesh_.write(c.chip, addr(u, kRegKeys, o + 1), c.keys[e].mask);
        mesh_.write(c.chip, addr(u, kRegKeys, o + 2), c.keys[e].base);
        mesh_.write(c.chip, addr(u, kRegKeys, o + 3), 1);
      }
      for (size_t a = 0; a < c.axons.size(); ++a)
        if (c.axons[a].first >> 16) {
          mesh_.write(c.chip, addr(u, kRegAxon, uint32_t(2 * a)),
                      c.axons[a].first);
          mesh_.write(c.chip, addr(u, kRegAxon, uint32_t(2 * a + 1)),
                      c.axons[a].second);
        }
      for (size_t w = 0; w < c.synapses.size(); ++w)
        mesh_.write(c.chip, addr(u, kRegSyn, uint32_t(w)), c.synapses[w]);
      for (size_t w = 0; w < c.poissonThresholds.size(); ++w)
        mesh_.write(c.chip, addr(u, kRegPoisson, uint32_t(w)),
                    c.poissonThresholds[w]);
      for (size_t n = 0; n < c.params.size(); ++n)
        for (uint32_t k = 0; k < 7; ++k)
          mesh_.write(c.chip, addr(u, kRegParam, uint32_t(8 * n + k)),
                      c.params[n][k]);
      for (size_t ph = 0; ph < c.phases.size(); ++ph)
        mesh_.write(c.chip, addr(u, kRegPhase, uint32_t(ph)),
                    c.phases[ph].first | c.phases[ph].second << 16);
      mesh_.write(c.chip, addr(u, kRegCtrl, kKey), c.key);
    }
    reset();
    return Status::ok();
  }

  void reset() override {
    for (const rtl::CoreImage &c : img_.cores) {
      for (size_t n = 0; n < c.vInit.size(); ++n) {
        const uint32_t o = uint32_t(4 * n);
        mesh_.write(c.chip, addr(c.index, kRegState, o), uint32_t(c.vInit[n]));
        mesh_.write(c.chip, addr(c.index, kRegState, o + 1), 0);
        mesh_.write(c.chip, addr(c.index, kRegState, o + 2), 0);
      }
      mesh_.write(c.chip, addr(c.index, kRegCtrl, kSlot), 0);
      // The step number of the Poisson draws: step 0 comes next.
      mesh_.write(c.chip, addr(c.index, kRegCtrl, kStepLo), 0);
      mesh_.write(c.chip, addr(c.index, kRegCtrl, kStepHi), 0);
      mesh_.write(c.chip, addr(c.index, kRegCtrl, kCmd), 3);
    }
    for (size_t i = 0; i < mesh_.size(); ++i)
      mesh_.write(i, addr(kUnitRouter, 0, 8), 1);
    for (uint32_t k = 0; k < ChipParams::kDelaySlots * ChipParams::kNeurons + 8;
         ++k)
      mesh_.cycle();
    // The hardware counters run on (32 bits, wrapping); the report counts
    // from here.
    refresh();
    for (auto &c : count_)
      c.fill(0);
    for (auto &r : routerCount_)
      r.fill(0);
    for (size_t p = 0; p < sourceIn_.size(); ++p) {
      std::fill(sourceIn_[p].begin(), sourceIn_[p].end(), 0);
      std::fill(sourceV_[p].begin(), sourceV_[p].end(), 0);
      std::fill(spikes_[p].begin(), spikes_[p].end(), uint8_t(0));
      indices_[p].clear();
      watched_[p].clear();
    }
    steps_ = spikeCount_ = cycles_ = maxStepCycles_ = inputCycles_ = 0;
  }

  void setSource(uint32_t population, const float *values) override {
    if (population >= sourceIn_.size() || !img_.source[population])
      return;
    const int f = img_.fracBits[population];
    for (size_t n = 0; n < sourceIn_[population].size(); ++n)
      sourceIn_[population][n] =
          int32_t(fixedpoint::toFixed(values[n], f, ChipParams::kStateBits));
  }

  void step() override {
    if (!health_.isOk())
      return;
    // Source events, to the chip of each Source neuron's core. The cores
    // take them (and walk their synapses) while the host sends.
    const uint64_t sendStart = mesh_.time();
    for (size_t p = 0; p < sourceIn_.size(); ++p) {
      if (!img_.source[p])
        continue;
      sourceV_[p] = sourceIn_[p];
      for (size_t n = 0; n < sourceIn_[p].size(); ++n) {
        const int32_t v = sourceIn_[p][n];
        if (v == 0)
          continue;
        const rtl::CoreImage &c = img_.cores[img_.coreOf[p][n]];
        const uint64_t pkt = uint64_t(c.key | img_.localOf[p][n]) |
                             (uint64_t(uint32_t(v)) &
                              ((uint64_t(1) << ChipParams::kStateBits) - 1))
                                 << 32 |
                             uint64_t(1) << (32 + ChipParams::kStateBits);
        send(c.chip, pkt);
      }
    }
    for (auto &s : spikes_)
      std::fill(s.begin(), s.end(), uint8_t(0));
    for (auto &ix : indices_)
      ix.clear();
    const uint64_t sendCycles = mesh_.time() - sendStart;
    // STEP on every chip in the same cycle.
    for (size_t i = 0; i < mesh_.size(); ++i) {
      Vchip &c = mesh_.chip(i);
      c.host_req_i = 1;
      c.host_we_i = 1;
      c.host_addr_i = addr(kUnitChip, 0, kStep);
      c.host_wdata_i = 1;
    }
    mesh_.cycle();
    for (size_t i = 0; i < mesh_.size(); ++i)
      mesh_.chip(i).host_req_i = mesh_.chip(i).host_we_i = 0;
    for (int64_t guard = 0;; ++guard) {
      mesh_.settle();
      collect();
      bool busy = false;
      for (size_t i = 0; i < mesh_.size(); ++i)
        busy = busy || mesh_.chip(i).busy_o;
      if (!busy)
        break;
      if (guard > kStepGuard) {
        health_ = Status(StatusCode::kInternal,
                         "rtl: step " + std::to_string(steps_) +
                             " did not end within " +
                             std::to_string(kStepGuard) + " cycles");
        return;
      }
      mesh_.edge();
    }
    const int64_t sc =
        mesh_.read(0, addr(kUnitChip, 0, kStepCycles)) + int64_t(sendCycles);
    inputCycles_ += int64_t(sendCycles);
    cycles_ += sc;
    maxStepCycles_ = std::max(maxStepCycles_, sc);
    for (auto &ix : indices_)
      std::sort(ix.begin(), ix.end());
    // Often enough that no 32-bit counter wraps twice between two reads.
    if ((steps_ + 1) % 1024 == 0)
      refresh();
    for (size_t p = 0; p < watch_.size(); ++p)
      if (!watch_[p].empty()) {
        watched_[p].resize(watch_[p].size());
        for (size_t k = 0; k < watch_[p].size(); ++k)
          watched_[p][k] = state(uint32_t(p), watch_[p][k]);
      }
    ++steps_;
  }

  /// As the default, but without stats() after each step: it reads every
  /// core's counters over the host bus.
  void run(int64_t steps, StepObserver *observer) override {
    for (int64_t t = 0; t < steps && health_.isOk(); ++t) {
      step();
      if (observer)
        observer->afterStep(steps_ - 1);
    }
  }

  const uint8_t *spikes(uint32_t population) const override {
    if (population >= spikes_.size() || !img_.spiking[population])
      return nullptr;
    return spikes_[population].data();
  }
  uint32_t spikeIndices(uint32_t population, uint32_t *out) const override {
    if (population >= indices_.size() || !img_.spiking[population])
      return 0;
    std::copy(indices_[population].begin(), indices_[population].end(), out);
    return uint32_t(indices_[population].size());
  }
  void readState(uint32_t population, float *out) const override {
    if (population >= img_.coreOf.size())
      return;
    for (uint32_t n = 0; n < img_.coreOf[population].size(); ++n)
      out[n] = state(population, n);
  }
  void watchState(uint32_t population,
                  const std::vector<uint32_t> &neurons) override {
    if (population >= watch_.size())
      return;
    watch_[population] = neurons;
    watched_[population].clear();
  }
  const float *watchedState(uint32_t population) const override {
    if (population >= watched_.size() || watched_[population].empty())
      return nullptr;
    return watched_[population].data();
  }
  Status health() const override { return health_; }
  EngineStats stats() const override {
    EngineStats s;
    s.steps = steps_;
    s.spikes = spikeCount_;
    refresh();
    for (const auto &c : count_)
      s.synapticEvents += c[2];
    return s;
  }
  bool hardwareReport(HardwareReport &r) const override {
    r = HardwareReport{};
    r.target = img_.target;
    r.steps = steps_;
    r.cycles = cycles_;
    r.maxStepCycles = maxStepCycles_;
    r.inputCycles = inputCycles_;
    r.chips = img_.chipsUsed;
    refresh();
    for (size_t c = 0; c < img_.cores.size(); ++c) {
      const auto &now = count_[c];
      HardwareReport::Core k;
      const rtl::CoreImage &ci = img_.cores[c];
      k.chip = ci.chip;
      k.index = ci.index;
      k.chipX = img_.chips[ci.chip].x;
      k.chipY = img_.chips[ci.chip].y;
      k.inputEvents = now[0];
      k.misses = now[1];
      k.synapticEvents = now[2];
      k.neuronUpdates = now[3];
      k.outputEvents = now[4];
      r.synapticEvents += k.synapticEvents;
      r.neuronUpdates += k.neuronUpdates;
      r.cores.push_back(k);
    }
    for (const auto &rc : routerCount_) {
      r.routedPackets += rc[0];
      r.droppedPackets += rc[1];
    }
    const rtl::EnergyModel &e = img_.energy;
    r.synapticPj = double(r.synapticEvents) * e.synapticOpPj;
    r.neuronPj = double(r.neuronUpdates) * e.neuronUpdatePj;
    r.routedPj = double(r.routedPackets) * e.routedSpikePj;
    r.staticPj =
        e.staticMwPerChip * double(r.chips) * double(steps_) * img_.dt * 1e9;
    return true;
  }

private:
  /// Sends one packet into `chip`'s host AER input, waiting while it is
  /// full (the cores drain it: they take events whenever idle).
  void send(uint32_t chip, uint64_t pkt) {
    Vchip &c = mesh_.chip(chip);
    c.aer_valid_i = 1;
    c.aer_pkt_i = pkt;
    for (;;) {
      mesh_.settle();
      const bool taken = c.aer_ready_o;
      mesh_.edge();
      if (taken)
        break;
    }
    c.aer_valid_i = 0;
  }
  /// The monitor events of the cycle about to end.
  void collect() {
    for (size_t i = 0; i < mesh_.size(); ++i) {
      const Vchip &c = mesh_.chip(i);
      if (!c.mon_valid_o)
        continue;
      for (uint32_t k = 0; k < ChipParams::kCores; ++k) {
        if (!(c.mon_valid_o >> k & 1))
          continue;
        const int core = coreAt(i, k);
        if (core < 0)
          continue;
        const uint32_t local = c.mon_neuron_o[k];
        const rtl::CoreImage &ci = img_.cores[core];
        if (local >= ci.neurons.size())
          continue;
        const auto [p, n] = ci.neurons[local];
        // A PoissonSource's events are graded (its count, never 0).
        const bool graded = c.mon_graded_o >> k & 1;
        if (graded != img_.poisson[p] || !img_.spiking[p] || spikes_[p][n])
          continue;
        spikes_[p][n] = 1;
        indices_[p].push_back(n);
        ++spikeCount_;
      }
    }
  }
  int coreAt(size_t chip, uint32_t index) {
    if (coreAt_.empty()) {
      coreAt_.assign(mesh_.size() * ChipParams::kCores, -1);
      for (const rtl::CoreImage &c : img_.cores)
        coreAt_[c.chip * ChipParams::kCores + c.index] = int(c.id);
    }
    return coreAt_[chip * ChipParams::kCores + index];
  }
  float state(uint32_t p, uint32_t n) const {
    const int f = img_.fracBits[p];
    if (img_.source[p])
      return fixedpoint::fromFixed(sourceV_[p][n], f);
    const rtl::CoreImage &c = img_.cores[img_.coreOf[p][n]];
    const int32_t v = int32_t(
        mesh_.read(c.chip, addr(c.index, kRegState, 4 * img_.localOf[p][n])));
    return fixedpoint::fromFixed(v, f);
  }
  /// Adds what every core's EVENTS, MISSES, SYNOPS, UPDATES and EMITTED
  /// and every router's ROUTED and DROPPED counted since the last call
  /// (modulo 2^32: the registers wrap) to the 64-bit counts.
  void refresh() const {
    const uint32_t regs[5] = {kEvents, kMisses, kSynops, kUpdates, kEmitted};
    for (size_t c = 0; c < img_.cores.size(); ++c) {
      const rtl::CoreImage &ci = img_.cores[c];
      for (int k = 0; k < 5; ++k) {
        const uint32_t now =
            mesh_.read(ci.chip, addr(ci.index, kRegCtrl, regs[k]));
        count_[c][k] += uint32_t(now - last_[c][k]);
        last_[c][k] = now;
      }
    }
    for (size_t i = 0; i < mesh_.size(); ++i)
      for (int k = 0; k < 2; ++k) {
        const uint32_t now = mesh_.read(i, addr(kUnitRouter, 0, uint32_t(k)));
        routerCount_[i][k] += uint32_t(now - routerLast_[i][k]);
        routerLast_[i][k] = now;
      }
  }

  Image img_;
  mutable Mesh mesh_; // reading a register clocks the chips
  std::vector<std::vector<int32_t>> sourceIn_, sourceV_;
  std::vector<std::vector<uint8_t>> spikes_;
  std::vector<std::vector<uint32_t>> indices_;
  std::vector<std::vector<uint32_t>> watch_;
  std::vector<std::vector<float>> watched_;
  mutable std::vector<std::array<int64_t, 5>> count_;
  mutable std::vector<std::array<uint32_t, 5>> last_;
  mutable std::vector<std::array<int64_t, 2>> routerCount_;
  mutable std::vector<std::array<uint32_t, 2>> routerLast_;
  std::vector<int> coreAt_;
  int64_t steps_ = 0, spikeCount_ = 0, cycles_ = 0, maxStepCycles_ = 0,
          inputCycles_ = 0;
  Status health_ = Status::ok();
};

class RtlDriver final : public Driver {
public:
  std::string name() const override { return "rtl"; }
  Status available() const override { return Status::ok(); }
  StatusOr<std::unique_ptr<Engine>>
  instantiate(const Program &program,
              const DeviceOptions &options) const override {
    StatusOr<Image> img = rtl::buildImage(program);
    if (!img.isOk())
      return img.status();
    auto engine =
        std::make_unique<RtlEngine>(std::move(*img), options.traceFile);
    if (Status s = engine->load(); !s)
      return s;
    return std::unique_ptr<Engine>(std::move(engine));
  }
};

} // namespace

std::unique_ptr<Driver> makeRtlDriver() {
  return std::make_unique<RtlDriver>();
}

} // namespace snnc
