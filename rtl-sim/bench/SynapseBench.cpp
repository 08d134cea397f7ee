//===- SynapseBench.cpp - snncore_synapse against the reference -----------===//
//
// Random input key tables, axon tables and synapse memories; random events
// (spikes and graded values, some matching no key or an axon past the
// table) over 40 steps, so that the 16-slot delay ring wraps. After each
// step's events every accumulator (all slots) is read over the host port
// and compared with a model that adds referenceContribution() with
// fixedpoint::accumulate() at (slot + delay, target); then the update
// ports read and clear the step's slot, one or two neurons a cycle, with
// random gaps (the second port granted exactly when the two neurons'
// banks differ). The event, miss and synaptic-event counters are compared
// too, and the cycles the walker took are printed (up to LANES = 8
// synaptic events a cycle when events come back to back).
//
//===----------------------------------------------------------------------===//
#include "Bench.h"
#include "RefModel.h"

#include "Vsynapse.h"

#include <memory>
#include <vector>

namespace snncore {
namespace {

constexpr int kNeurons = 256, kSynWords = 16384, kFanIn = 1024, kSlots = 16;
constexpr int kWeightBits = 8, kStateBits = 24, kKeys = 16;
constexpr uint32_t kRegAxon = 3, kRegSyn = 4, kRegKeys = 5, kRegAcc = 6;

/// The accumulator banks of the default build (snncore_pkg CFG_ACC_BANKS)
/// and their index bits.
constexpr int kBanks = 16, kBankBits = 4;

/// The accumulator bank of neuron n (snncore_synapse bank_of()): its bits
/// folded by XOR in groups of kBankBits.
uint32_t accBank(int n) {
  uint32_t b = 0;
  for (int i = 0; i < 8; i += kBankBits)
    b ^= uint32_t(n) >> i;
  return b & (kBanks - 1);
}

struct Axon {
  uint32_t base = 0, count = 0, frac = 0;
};
struct Syn {
  int64_t mant = 0;
  uint32_t target = 0, delay = 0, exp = 0;
};
struct KeyEntry {
  uint32_t key = 0, mask = 0, base = 0;
  bool valid = false;
};

struct SynapseHarness {
  std::unique_ptr<Vsynapse> m = std::make_unique<Vsynapse>();
  uint64_t cycles = 0;

  void tick() {
    clockEdge(*m);
    ++cycles;
  }
  void reset() { resetModel(*m); }
  void write(uint32_t region, uint32_t offset, uint32_t data) {
    m->cfg_we_i = 1;
    m->cfg_region_i = region;
    m->cfg_offset_i = offset;
    m->cfg_wdata_i = data;
    tick();
    m->cfg_we_i = 0;
  }
  uint32_t read(uint32_t region, uint32_t offset) {
    m->cfg_region_i = region;
    m->cfg_offset_i = offset;
    m->eval();
    return m->cfg_rdata_o;
  }
};

} // namespace

int synapseBench() {
  using snnc::fixedpoint::accumulate;
  Checker c("synapse");
  std::mt19937_64 rng(11);
  SynapseHarness h;
  h.reset();

  // ---- Configuration ------------------------------------------------------
  std::vector<Syn> syn(kSynWords);
  for (int w = 0; w < kSynWords; ++w) {
    Syn &s = syn[w];
    s.mant = int64_t(rng() % 256) - 128;
    s.target = uint32_t(rng() % kNeurons);
    s.delay = uint32_t(rng() % kSlots);
    s.exp = uint32_t(rng() % 25);
    const uint32_t word =
        uint32_t(toPort(s.mant, kWeightBits)) | (s.target << kWeightBits) |
        (s.delay << (kWeightBits + 8)) | (s.exp << (kWeightBits + 12));
    h.write(kRegSyn, w, word);
  }
  std::vector<Axon> axons(kFanIn);
  for (int a = 0; a < kFanIn; ++a) {
    Axon &x = axons[a];
    x.count = rng() % 8 == 0 ? 0 : uint32_t(1 + rng() % 48);
    x.base = uint32_t(rng() % (kSynWords - x.count));
    x.frac = uint32_t(rng() % 31);
    h.write(kRegAxon, 2 * a, x.base | (x.count << 16));
    h.write(kRegAxon, 2 * a + 1, x.frac);
  }
  // Key blocks of 256 and 64 keys; the last entries overlap the first so
  // that priority matters; some axon ranges run past the table.
  std::vector<KeyEntry> keys(kKeys);
  for (int k = 0; k < 10; ++k) {
    KeyEntry &e = keys[k];
    const uint32_t block = k % 2 ? 64 : 256;
    e.key = uint32_t(k + 1) << 12;
    e.mask = ~(block - 1);
    e.base = uint32_t(rng() % kFanIn);
    e.valid = k != 7;
  }
  keys[10] = {uint32_t(3) << 12, 0xffffff00u, 5, true}; // shadowed by entry 2
  for (int k = 0; k < kKeys; ++k) {
    h.write(kRegKeys, 4 * k + 0, keys[k].key);
    h.write(kRegKeys, 4 * k + 1, keys[k].mask);
    h.write(kRegKeys, 4 * k + 2, keys[k].base);
    h.write(kRegKeys, 4 * k + 3, keys[k].valid);
  }
  // Read-back of a few configuration words.
  for (int i = 0; i < 64; ++i) {
    const int w = int(rng() % kSynWords), a = int(rng() % kFanIn);
    c.expect(signExtend(h.read(kRegSyn, w), kWeightBits) == syn[w].mant,
             "synapse word %d read back", w);
    c.expect(h.read(kRegAxon, 2 * a) ==
                 (axons[a].base | (axons[a].count << 16)),
             "axon %d read back", a);
  }
  h.m->clear_i = 1;
  h.tick();
  h.m->clear_i = 0;
  for (int i = 0; i < kSlots * kNeurons + 2; ++i)
    h.tick();

  // ---- Steps ---------------------------------------------------------------
  std::vector<int64_t> acc(kSlots * kNeurons, 0);
  uint64_t events = 0, misses = 0, synops = 0, walkCycles = 0;
  for (int t = 0; t < 40; ++t) {
    const uint32_t slot = uint32_t(t % kSlots);
    h.m->slot_i = slot;
    const int count = int(20 + rng() % 60);
    const bool backToBack = t % 2 == 0;
    const uint64_t start = h.cycles;
    for (int e = 0; e < count;) {
      // The event: a key of a table entry (or of none), graded or not.
      const int k = int(rng() % 12);
      uint32_t key = rng() % 16 == 0
                         ? uint32_t(rng())
                         : (uint32_t(k + 1) << 12) | uint32_t(rng() % 256);
      const bool graded = rng() % 3 == 0;
      const int64_t g = cornerValue(rng, kStateBits);
      h.m->ev_valid_i = backToBack || rng() % 2;
      h.m->ev_key_i = key;
      h.m->ev_graded_i = graded;
      h.m->ev_payload_i = uint32_t(toPort(g, kStateBits));
      h.m->eval();
      const bool taken = h.m->ev_valid_i && h.m->ev_ready_o;
      h.tick();
      if (!taken)
        continue;
      ++e;
      ++events;
      // The model: the first matching valid entry, axon = base + offset.
      int hit = -1;
      for (int i = 0; i < kKeys && hit < 0; ++i)
        if (keys[i].valid &&
            (key & keys[i].mask) == (keys[i].key & keys[i].mask))
          hit = i;
      const uint64_t axon =
          hit < 0 ? kFanIn : uint64_t(keys[hit].base) + (key & ~keys[hit].mask);
      if (axon >= kFanIn) {
        ++misses;
        continue;
      }
      const Axon &x = axons[axon];
      for (uint32_t w = x.base; w < x.base + x.count; ++w) {
        const Syn &s = syn[w];
        const int64_t v =
            referenceContribution(graded, g, s.mant, int(s.exp), int(x.frac));
        int64_t &a = acc[((slot + s.delay) % kSlots) * kNeurons + s.target];
        a = accumulate(a, v);
        ++synops;
      }
    }
    h.m->ev_valid_i = 0;
    h.m->eval();
    while (h.m->busy_o)
      h.tick();
    walkCycles += h.cycles - start;
    if (backToBack && t == 0)
      std::printf("synapse: step 0: %llu events, %llu synaptic events so far "
                  "in %llu cycles\n",
                  (unsigned long long)events, (unsigned long long)synops,
                  (unsigned long long)(h.cycles - start));

    // Every accumulator of every slot over the host port.
    for (int i = 0; i < kSlots * kNeurons; ++i) {
      const uint64_t lo = h.read(kRegAcc, 2 * i),
                     hi = h.read(kRegAcc, 2 * i + 1);
      const int64_t got = int64_t(lo | (hi << 32));
      c.expect(got == acc[i], "step %d slot %d neuron %d: rtl %lld, ref %lld",
               t, i / kNeurons, i % kNeurons, (long long)got,
               (long long)acc[i]);
    }
    // The update ports read and clear this step's slot: the second port
    // (neuron n + 1) at random with the first, granted when the two
    // neurons' accumulator banks differ.
    h.m->upd_sel_i = 1;
    for (int n = 0; n < kNeurons;) {
      h.m->upd_req_i = rng() % 4 != 0;
      h.m->upd_neuron_i = uint32_t(n);
      const bool two = n + 1 < kNeurons && rng() % 2 == 0;
      h.m->upd2_req_i = two;
      h.m->upd2_neuron_i = uint32_t((n + 1) % kNeurons);
      h.m->eval();
      if (h.m->upd_req_i) {
        c.expect(h.m->upd_gnt_o, "update port not granted while idle");
        const int64_t got = int64_t(h.m->upd_acc_o);
        c.expect(got == acc[slot * kNeurons + n],
                 "step %d update of neuron %d: rtl %lld, ref %lld", t, n,
                 (long long)got, (long long)acc[slot * kNeurons + n]);
        acc[slot * kNeurons + n] = 0;
        ++n;
        const bool apart = accBank(n - 1) != accBank(n);
        c.expect(bool(h.m->upd2_gnt_o) == (two && apart),
                 "step %d: second update port %s for neurons %d, %d", t,
                 h.m->upd2_gnt_o ? "granted" : "refused", n - 1, n);
        if (two && h.m->upd2_gnt_o) {
          const int64_t got2 = int64_t(h.m->upd2_acc_o);
          c.expect(got2 == acc[slot * kNeurons + n],
                   "step %d second update of neuron %d: rtl %lld, ref %lld", t,
                   n, (long long)got2, (long long)acc[slot * kNeurons + n]);
          acc[slot * kNeurons + n] = 0;
          ++n;
        }
      } else {
        c.expect(!h.m->upd2_gnt_o, "second update port granted alone");
      }
      h.tick();
      h.m->upd_req_i = 0;
      h.m->upd2_req_i = 0;
    }
    h.m->upd_sel_i = 0;
    for (int n = 0; n < kNeurons; ++n) {
      const uint64_t lo = h.read(kRegAcc, 2 * (slot * kNeurons + n));
      c.expect(lo == 0, "step %d: neuron %d's slot not cleared", t, n);
    }
  }
  c.expect(h.m->events_o == events, "events counter %u, model %llu",
           h.m->events_o, (unsigned long long)events);
  c.expect(h.m->misses_o == misses, "misses counter %u, model %llu",
           h.m->misses_o, (unsigned long long)misses);
  c.expect(h.m->synops_o == synops, "synaptic events counter %u, model %llu",
           h.m->synops_o, (unsigned long long)synops);
  std::printf("synapse: %llu events (%llu missed), %llu synaptic events in "
              "%llu walker cycles (%.3f synaptic events a cycle)\n",
              (unsigned long long)events, (unsigned long long)misses,
              (unsigned long long)synops, (unsigned long long)walkCycles,
              double(synops) / double(walkCycles));
  return c.finish();
}

} // namespace snncore
