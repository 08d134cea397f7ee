//===- ChipBench.cpp - A tiny network on the snncore chip vs the reference ===//
//
// Loads a four-population network through the host bus and runs it for 60
// steps; compares every step's output events (the cores' monitor ports)
// and, after every step, every neuron's state read back over the host bus
// with a network-level model built from RefModel.h (FixedPoint.h):
//
//   S (8 host sources, spikes) -d0-> A (LIF x10, subtract, carry, >=)
//   A -d0-> B (CubaLIF x12, to-reset, next-step, synapse first)
//   B -recurrent, 1..3-> A          A -d2-> C (LI x4, graded)
//   C -graded, recurrent, 1, frac_bits 4-> B
//
// A and C on core 0, B on core 1; three phases a step (A, B, C), so that
// delay-0 projections reach their targets within the step as the reference
// (docs/fixed-point.md "One step") delivers them.
//
//===----------------------------------------------------------------------===//
#include "Bench.h"
#include "RefModel.h"

#include "Vchip.h"

#include <algorithm>
#include <memory>
#include <tuple>
#include <vector>

namespace snncore {
namespace {

constexpr int kBits = 24, kSlots = 16;
constexpr uint32_t kRegCtrl = 0, kRegParam = 1, kRegState = 2, kRegAxon = 3,
                   kRegSyn = 4, kRegKeys = 5, kRegPhase = 7;

struct Pop {
  int size, core, first; ///< neurons [first, first + size) of `core`
  NeuronParams params;   ///< kind and rules; per-neuron values drawn below
  std::vector<NeuronParams> p;
  std::vector<NeuronState> s;
  std::vector<int64_t> ring; ///< kSlots x size accumulators
};

struct Synapse {
  int src, dst, delay, exp; ///< delay: steps after the source's step
  int64_t mant;
};
struct Projection {
  int from, to;
  bool graded;
  int frac; ///< the source's frac_bits (graded)
  std::vector<Synapse> syn;
};

using Event =
    std::tuple<int, int, bool, int64_t>; // core, neuron, graded, value

struct ChipHarness {
  std::unique_ptr<Vchip> m = std::make_unique<Vchip>();
  std::vector<Event> events;
  void tick() { clockEdge(*m); }
  /// One cycle; records the monitor outputs of the cycle before its edge.
  void cycle() {
    m->eval();
    for (int c = 0; c < 4; ++c)
      if (m->mon_valid_o >> c & 1)
        events.emplace_back(c, int(m->mon_neuron_o[c]),
                            bool(m->mon_graded_o >> c & 1),
                            signExtend(m->mon_payload_o[c], kBits));
    tick();
  }
  static uint32_t addr(uint32_t unit, uint32_t region, uint32_t offset) {
    return (unit << 24) | (region << 20) | offset;
  }
  void write(uint32_t a, uint32_t d) {
    m->host_req_i = 1;
    m->host_we_i = 1;
    m->host_addr_i = a;
    m->host_wdata_i = d;
    cycle();
    m->host_req_i = 0;
    m->host_we_i = 0;
  }
  uint32_t read(uint32_t a) {
    m->host_req_i = 1;
    m->host_we_i = 0;
    m->host_addr_i = a;
    cycle();
    m->host_req_i = 0;
    m->eval();
    return m->host_rdata_o;
  }
};

} // namespace

int chipBench() {
  using namespace snnc::fixedpoint;
  Checker c("chip");
  std::mt19937_64 rng(3);

  // ---- The network
  // -----------------------------------------------------------
  std::vector<Pop> pops(4);
  pops[0] = {8, -1, 0, {}, {}, {}, {}}; // S: host sources
  pops[1] = {10, 0, 0, {}, {}, {}, {}};
  pops[1].params.kind = LIF;
  pops[1].params.subtract = true;
  pops[1].params.ge = true;
  pops[1].params.timing = Carry;
  pops[2] = {12, 1, 0, {}, {}, {}, {}};
  pops[2].params.kind = CubaLIF;
  pops[2].params.timing = NextStep;
  pops[2].params.synFirst = true;
  pops[3] = {4, 0, 10, {}, {}, {}, {}};
  pops[3].params.kind = LI;
  for (int i = 1; i < 4; ++i) {
    Pop &p = pops[i];
    p.ring.assign(kSlots * p.size, 0);
    for (int n = 0; n < p.size; ++n) {
      NeuronParams q = p.params;
      q.decayU = uint32_t(rng() % 2000);
      q.decayV = uint32_t(rng() % 1500);
      q.uBias = int32_t(rng() % 21) - 10;
      q.vBias = int32_t(rng() % 41) - 15;
      q.threshold = 300 + int64_t(rng() % 300);
      q.vReset = int64_t(rng() % 50) - 25;
      p.p.push_back(q);
      p.s.push_back({int64_t(rng() % 200) - 100, 0, false});
    }
  }
  std::vector<Projection> projs = {{0, 1, false, 0, {}},
                                   {1, 2, false, 0, {}},
                                   {2, 1, false, 0, {}},
                                   {1, 3, false, 0, {}},
                                   {3, 2, true, 4, {}}};
  auto connect = [&](Projection &pr, int exp, int dlo, int dhi, int pct) {
    for (int a = 0; a < pops[pr.from].size; ++a)
      for (int b = 0; b < pops[pr.to].size; ++b)
        if (int(rng() % 100) < pct)
          pr.syn.push_back({a, b, dlo + int(rng() % (dhi - dlo + 1)), exp,
                            int64_t(rng() % 256) - 128});
  };
  connect(projs[0], 4, 0, 0, 60);
  connect(projs[1], 3, 0, 0, 50);
  connect(projs[2], 2, 1, 3, 40); // recurrent: delay 0..2, plus one
  connect(projs[3], 3, 2, 2, 80);
  connect(projs[4], 1, 1, 1, 60); // recurrent, delay 0 plus one

  // ---- Load the chip over the host bus
  // ---------------------------------------
  ChipHarness h;
  h.m->rst_ni = 0;
  h.m->ext_idle_i = 1;
  h.m->eval();
  h.m->rst_ni = 1;
  h.m->eval();
  const uint32_t coreKey[2] = {0x0000, 0x0100}, sourceKey = 0x10000;
  // Router: sources to core 0; core 0 (A, C) to both cores; core 1 (B) to
  // core 0. Route bits: links [3:0], cores [7:4].
  const uint32_t table[3][3] = {{sourceKey, 0xfffffff8u, 0x10},
                                {coreKey[0], 0xffffff00u, 0x30},
                                {coreKey[1], 0xffffff00u, 0x10}};
  for (int e = 0; e < 3; ++e) {
    for (int w = 0; w < 3; ++w)
      h.write(ChipHarness::addr(0xE, 1, 4 * e + w), table[e][w]);
    h.write(ChipHarness::addr(0xE, 1, 4 * e + 3), 1);
  }
  // Input keys: core 0 axons 0..7 sources, 8..263 its own neurons, 264..
  // core 1's; core 1 axons 0..255 core 0's neurons.
  struct KeyRow {
    int core;
    uint32_t key, mask, base;
  } keyRows[] = {{0, sourceKey, 0xfffffff8u, 0},
                 {0, coreKey[0], 0xffffff00u, 8},
                 {0, coreKey[1], 0xffffff00u, 264},
                 {1, coreKey[0], 0xffffff00u, 0}};
  int keyEntry[2] = {0, 0};
  for (const KeyRow &k : keyRows) {
    const int e = keyEntry[k.core]++;
    h.write(ChipHarness::addr(k.core, kRegKeys, 4 * e + 0), k.key);
    h.write(ChipHarness::addr(k.core, kRegKeys, 4 * e + 1), k.mask);
    h.write(ChipHarness::addr(k.core, kRegKeys, 4 * e + 2), k.base);
    h.write(ChipHarness::addr(k.core, kRegKeys, 4 * e + 3), 1);
  }
  auto axonOf = [&](int srcPop, int srcNeuron, int core) -> int {
    if (srcPop == 0)
      return srcNeuron; // only core 0 has source axons
    const Pop &s = pops[srcPop];
    const int local = s.first + srcNeuron;
    if (core == 0)
      return s.core == 0 ? 8 + local : 264 + local;
    return local; // core 1 hears only core 0
  };
  // Synapse rows, one per (core, axon), in axon order.
  uint32_t nextWord[2] = {0, 0};
  for (int core = 0; core < 2; ++core)
    for (int axon = 0; axon < 1024; ++axon) {
      uint32_t base = nextWord[core], count = 0, frac = 0;
      for (const Projection &pr : projs)
        for (const Synapse &s : pr.syn) {
          const Pop &t = pops[pr.to];
          if (t.core != core || axonOf(pr.from, s.src, core) != axon)
            continue;
          const uint32_t word = uint32_t(toPort(s.mant, 8)) |
                                uint32_t(t.first + s.dst) << 8 |
                                uint32_t(s.delay) << 16 | uint32_t(s.exp) << 20;
          h.write(ChipHarness::addr(core, kRegSyn, nextWord[core]++), word);
          ++count;
          frac = uint32_t(pr.frac);
        }
      if (count == 0)
        continue;
      h.write(ChipHarness::addr(core, kRegAxon, 2 * axon), base | count << 16);
      h.write(ChipHarness::addr(core, kRegAxon, 2 * axon + 1), frac);
    }
  // Neurons, phases, keys; then clear the accumulators.
  for (int i = 1; i < 4; ++i) {
    const Pop &p = pops[i];
    for (int n = 0; n < p.size; ++n) {
      const NeuronParams &q = p.p[n];
      const uint32_t w[7] = {q.kind | q.subtract << 3 | q.ge << 4 |
                                 q.timing << 5 | q.synFirst << 7,
                             q.decayU,
                             q.decayV,
                             uint32_t(q.uBias),
                             uint32_t(q.vBias),
                             uint32_t(q.threshold),
                             uint32_t(q.vReset)};
      for (int k = 0; k < 7; ++k)
        h.write(ChipHarness::addr(p.core, kRegParam, 8 * (p.first + n) + k),
                w[k]);
      h.write(ChipHarness::addr(p.core, kRegState, 4 * (p.first + n) + 0),
              uint32_t(p.s[n].v));
      h.write(ChipHarness::addr(p.core, kRegState, 4 * (p.first + n) + 1), 0);
      h.write(ChipHarness::addr(p.core, kRegState, 4 * (p.first + n) + 2), 0);
    }
    for (int k = 1; k < 4; ++k) // phase k-1 updates population k
      if (pops[k].core == p.core)
        h.write(ChipHarness::addr(p.core, kRegPhase, k - 1),
                uint32_t(pops[k].first) | uint32_t(pops[k].first + pops[k].size)
                                              << 16);
  }
  for (int core = 0; core < 2; ++core) {
    h.write(ChipHarness::addr(core, kRegCtrl, 0), coreKey[core]);
    h.write(ChipHarness::addr(core, kRegCtrl, 8), 1);
  }
  h.write(ChipHarness::addr(0xF, 0, 2), 3);
  for (int i = 0; i < kSlots * 256 + 4; ++i)
    h.cycle();

  // ---- Run
  // -------------------------------------------------------------------------
  auto deliver = [&](const Projection &pr, int t, int src, int64_t g) {
    for (const Synapse &s : pr.syn)
      if (s.src == src) {
        Pop &to = pops[pr.to];
        int64_t &a = to.ring[((t + s.delay) % kSlots) * to.size + s.dst];
        a = accumulate(
            a, referenceContribution(pr.graded, g, s.mant, s.exp, pr.frac));
      }
  };
  uint64_t spikes = 0, graded = 0, cycles = 0;
  for (int t = 0; t < 60; ++t) {
    // The model's step.
    std::vector<Event> want;
    std::vector<int> sourceSpikes;
    for (int j = 0; j < 8; ++j)
      if (rng() % 3 == 0)
        sourceSpikes.push_back(j);
    for (int j : sourceSpikes)
      for (const Projection &pr : projs)
        if (pr.from == 0)
          deliver(pr, t, j, 1);
    for (int i = 1; i < 4; ++i) {
      Pop &p = pops[i];
      std::vector<std::pair<int, int64_t>> out;
      for (int n = 0; n < p.size; ++n) {
        int64_t &a = p.ring[(t % kSlots) * p.size + n];
        const NeuronResult r = referenceNeuron(p.p[n], p.s[n], a, kBits);
        a = 0;
        p.s[n] = r.next;
        if (r.emit) {
          out.push_back({n, r.payload});
          want.emplace_back(p.core, p.first + n, r.graded,
                            r.graded ? r.payload : 0);
        }
      }
      for (const auto &[n, g] : out)
        for (const Projection &pr : projs)
          if (pr.from == i)
            deliver(pr, t, n, g);
    }
    // The chip's step: source events, then STEP.
    h.events.clear();
    for (int j : sourceSpikes) {
      h.m->aer_valid_i = 1;
      h.m->aer_pkt_i = uint64_t(sourceKey | uint32_t(j));
      do {
        h.m->eval();
        const bool taken = h.m->aer_ready_o;
        h.cycle();
        if (taken)
          break;
      } while (true);
    }
    h.m->aer_valid_i = 0;
    h.write(ChipHarness::addr(0xF, 0, 0), 1);
    for (int guard = 0; h.m->busy_o; ++guard) {
      h.cycle();
      if (guard > 200000) {
        c.expect(false, "step %d did not finish", t);
        return c.finish();
      }
    }
    cycles += h.read(ChipHarness::addr(0xF, 0, 4));
    std::vector<Event> got;
    for (auto [core, n, g, v] : h.events)
      got.emplace_back(core, n, g, g ? v : 0);
    std::sort(want.begin(), want.end());
    std::sort(got.begin(), got.end());
    c.expect(want == got, "step %d: %zu output events, reference %zu", t,
             got.size(), want.size());
    for (const Event &e : want)
      (std::get<2>(e) ? graded : spikes) += 1;
    // Every neuron's state over the host bus.
    for (int i = 1; i < 4; ++i) {
      const Pop &p = pops[i];
      for (int n = 0; n < p.size; ++n) {
        const uint32_t base = 4 * uint32_t(p.first + n);
        const int64_t v =
            int32_t(h.read(ChipHarness::addr(p.core, kRegState, base)));
        const int64_t u =
            int32_t(h.read(ChipHarness::addr(p.core, kRegState, base + 1)));
        const bool spk =
            h.read(ChipHarness::addr(p.core, kRegState, base + 2)) & 1;
        c.expect(v == p.s[n].v && u == p.s[n].u && spk == p.s[n].spiked,
                 "step %d population %d neuron %d: rtl v %lld u %lld spiked "
                 "%d, reference v %lld u %lld spiked %d",
                 t, i, n, (long long)v, (long long)u, spk, (long long)p.s[n].v,
                 (long long)p.s[n].u, p.s[n].spiked);
      }
    }
  }
  std::printf("chip: 60 steps, %llu spikes and %llu graded events compared, "
              "%.1f cycles a step\n",
              (unsigned long long)spikes, (unsigned long long)graded,
              double(cycles) / 60.0);
  c.expect(spikes > 20, "too few spikes (%llu) for a meaningful test",
           (unsigned long long)spikes);
  return c.finish();
}

} // namespace snncore
