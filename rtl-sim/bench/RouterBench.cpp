//===- RouterBench.cpp - snncore_router against a first-match model -------===//
//
// Random routing tables (256 entries, blocks of 1 to 4096 keys, overlapping,
// some invalid) and random packets from every input (4 cores, 4 links, the
// host) under random back-pressure on every output. Each packet carries a
// unique id in its payload; the model gives its destinations (the first
// valid entry whose key/mask matches; straight on for a packet from a link
// that matches none; dropped for one from a core or the host that matches
// none). At the end every packet must have reached exactly its
// destinations, each once, and the drop counter must count the rest.
//
//===----------------------------------------------------------------------===//
#include "Bench.h"

#include "Vrouter.h"

#include <deque>
#include <map>
#include <memory>
#include <vector>

namespace snncore {
namespace {

constexpr int kCores = 4, kLinks = 4, kEntries = 256, kInputs = 9;

struct Entry {
  uint32_t key = 0, mask = 0, route = 0;
  bool valid = false;
};

uint64_t packet(uint32_t key, uint32_t id) {
  return uint64_t(key) | (uint64_t(id & 0xffffff) << 32) |
         (uint64_t(id & 1) << 56);
}

} // namespace

int routerBench() {
  Checker c("router");
  std::mt19937_64 rng(5);
  auto m = std::make_unique<Vrouter>();
  auto tick = [&] { clockEdge(*m); };
  resetModel(*m);

  uint64_t totalPackets = 0, totalDrops = 0;
  for (int round = 0; round < 4; ++round) {
    std::vector<Entry> table(kEntries);
    for (Entry &e : table) {
      const uint32_t block = uint32_t(1) << (rng() % 13);
      e.mask = ~(block - 1);
      e.key =
          (uint32_t(rng() % 64) << 12) | (uint32_t(rng()) & ~e.mask & 0xfff);
      e.key &= e.mask;
      e.route = uint32_t(rng() % 256);
      e.valid = rng() % 8 != 0;
    }
    for (int i = 0; i < kEntries; ++i) {
      const uint32_t w[4] = {table[i].key, table[i].mask, table[i].route,
                             table[i].valid};
      for (int k = 0; k < 4; ++k) {
        m->cfg_we_i = 1;
        m->cfg_region_i = 1;
        m->cfg_offset_i = 4 * i + k;
        m->cfg_wdata_i = w[k];
        tick();
      }
    }
    m->cfg_we_i = 0;
    m->cfg_region_i = 1;
    m->cfg_offset_i = 4 * 17 + 2;
    m->eval();
    c.expect(m->cfg_rdata_o == table[17].route, "table read-back");
    m->cfg_region_i = 0;
    m->cfg_offset_i = 1;
    m->eval();
    const uint32_t dropsBefore = m->cfg_rdata_o;

    // Packets to send, per input, and what each must reach.
    std::vector<std::deque<uint64_t>> pending(kInputs);
    std::map<uint32_t, uint32_t> expected, got;
    uint32_t drops = 0;
    for (uint32_t id = 0; id < 3000; ++id) {
      const uint32_t gid = (uint32_t(round) << 16) | id;
      const int in = int(rng() % kInputs);
      uint32_t key;
      if (rng() % 5 == 0) {
        key = uint32_t(rng()); // mostly matches nothing
      } else {
        const Entry &e = table[rng() % kEntries];
        key = e.key | (uint32_t(rng()) & ~e.mask);
      }
      uint32_t dest = 0;
      bool hit = false;
      for (const Entry &e : table)
        if (e.valid && (key & e.mask) == (e.key & e.mask)) {
          dest = e.route;
          hit = true;
          break;
        }
      const bool fromLink = in >= kCores && in < kCores + kLinks;
      if (!hit && fromLink)
        dest = 1u << ((in - kCores + 2) % kLinks);
      if (dest == 0)
        ++drops;
      else
        expected[gid & 0xffffff] = dest;
      pending[in].push_back(packet(key, gid));
    }

    // Drive until everything is delivered.
    int idle = 0;
    for (uint64_t cycle = 0; idle < 64; ++cycle) {
      bool any = false;
      for (int i = 0; i < kCores; ++i) {
        const bool v = !pending[i].empty() && rng() % 4 != 0;
        m->core_valid_i = (m->core_valid_i & ~(1u << i)) | (uint32_t(v) << i);
        m->core_pkt_i[i] = v ? pending[i].front() : 0;
        any |= !pending[i].empty();
      }
      uint32_t lv = 0;
      for (int l = 0; l < kLinks; ++l) {
        const bool v = !pending[kCores + l].empty() && rng() % 3 != 0;
        lv |= uint32_t(v) << l;
        m->link_pkt_i[l] = v ? pending[kCores + l].front() : 0;
        any |= !pending[kCores + l].empty();
      }
      m->link_valid_i = lv;
      m->host_valid_i = !pending[8].empty();
      m->host_pkt_i = pending[8].empty() ? 0 : pending[8].front();
      any |= !pending[8].empty();
      m->core_ready_i = uint32_t(rng() % 16);
      m->link_ready_i = uint32_t(rng() % 16);
      m->eval();
      // Outputs taken this cycle.
      for (int cc = 0; cc < kCores; ++cc)
        if ((m->core_valid_o >> cc & 1) && (m->core_ready_i >> cc & 1)) {
          const uint32_t id = uint32_t(m->core_pkt_o[cc] >> 32) & 0xffffff;
          const uint32_t bit = 1u << (kLinks + cc);
          c.expect(!(got[id] & bit), "packet %u reached core %d twice", id, cc);
          got[id] |= bit;
        }
      for (int l = 0; l < kLinks; ++l)
        if ((m->link_valid_o >> l & 1) && (m->link_ready_i >> l & 1)) {
          const uint32_t id = uint32_t(m->link_pkt_o[l] >> 32) & 0xffffff;
          c.expect(!(got[id] & (1u << l)), "packet %u left link %d twice", id,
                   l);
          got[id] |= 1u << l;
        }
      // A valid output whose ready is low must not be counted as taken: the
      // router only fires when every destination is ready.
      c.expect((m->core_valid_o & ~m->core_ready_i & 0xf) == 0 &&
                   (m->link_valid_o & ~m->link_ready_i & 0xf) == 0,
               "output valid without ready at cycle %llu",
               (unsigned long long)cycle);
      // Inputs taken this cycle.
      for (int i = 0; i < kCores; ++i)
        if ((m->core_valid_i >> i & 1) && (m->core_ready_o >> i & 1))
          pending[i].pop_front();
      for (int l = 0; l < kLinks; ++l)
        if ((lv >> l & 1) && (m->link_ready_o >> l & 1))
          pending[kCores + l].pop_front();
      if (m->host_valid_i && m->host_ready_o)
        pending[8].pop_front();
      tick();
      idle = (any || m->busy_o) ? 0 : idle + 1;
      if (cycle > 2000000) {
        c.expect(false, "round %d: router did not drain", round);
        break;
      }
    }
    m->core_valid_i = 0;
    m->link_valid_i = 0;
    m->host_valid_i = 0;
    for (const auto &[id, dest] : expected)
      c.expect(got.count(id) && got[id] == dest,
               "round %d packet %u: reached 0x%x, expected 0x%x", round, id,
               got.count(id) ? got[id] : 0, dest);
    for (const auto &[id, dest] : got)
      c.expect(expected.count(id) != 0,
               "round %d packet %u reached 0x%x but should be dropped", round,
               id, dest);
    m->cfg_region_i = 0;
    m->cfg_offset_i = 1;
    m->eval();
    c.expect(m->cfg_rdata_o - dropsBefore == drops,
             "round %d: %u drops counted, model %u", round,
             m->cfg_rdata_o - dropsBefore, drops);
    totalPackets += 3000;
    totalDrops += drops;
  }
  std::printf("router: %llu packets, %llu dropped by the model\n",
              (unsigned long long)totalPackets, (unsigned long long)totalDrops);
  return c.finish();
}

} // namespace snncore
