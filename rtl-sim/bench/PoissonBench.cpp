//===- PoissonBench.cpp - snncore_poisson against the reference -----------===//
//
// The Poisson unit's counts against runtime/reference/PoissonSource.h:
// - the threshold search, exhaustively for tables of 1..48 thresholds: for
//   each size and each number k of thresholds <= the neuron's word (0..n),
//   a nondecreasing table is built around the word the unit will draw
//   (thresholds equal to the word, runs of equal thresholds, 0 and
//   0xffffffff at the ends), placed at a random offset in the memory;
// - the real tables of 40 rates (lambda 0 .. 1000, those of mode 0, 1, 2
//   and the longest) with random keys, neuron indices and 64-bit steps,
//   neuron after neuron as the core asks for them (so that the kept block
//   serves the other neurons of a quad and the next block is drawn ahead),
//   with flushes between steps;
// - requests out of order (runs, jumps, two keys, empty tables), so that
//   the block drawn ahead is often not the one asked for;
// - the Philox words themselves, 2,000 random (key, neuron, step): a
//   one-threshold table equal to the word must give first + 1, one at
//   word + 1 must give first.
// Each count must equal poissonCount(poissonWord(...)). Prints the cycles
// a draw takes.
//
//===----------------------------------------------------------------------===//
#include "Bench.h"

#include "PoissonSource.h"

#include "Vpoisson.h"

#include <algorithm>
#include <memory>
#include <vector>

namespace snncore {
namespace {

using namespace snnc::ref;

constexpr uint32_t kWords = 1024;

struct PoissonHarness {
  std::unique_ptr<Vpoisson> m = std::make_unique<Vpoisson>();
  uint64_t cycles = 0, draws = 0;

  void tick() {
    clockEdge(*m);
    ++cycles;
  }
  void reset() { resetModel(*m); }
  void write(uint32_t addr, uint32_t data) {
    m->cfg_we_i = 1;
    m->cfg_addr_i = addr;
    m->cfg_wdata_i = data;
    tick();
    m->cfg_we_i = 0;
  }
  uint32_t read(uint32_t addr) {
    m->cfg_addr_i = addr;
    m->eval();
    return m->cfg_rdata_o;
  }
  void flush() {
    m->flush_i = 1;
    tick();
    m->flush_i = 0;
  }
  /// One draw; -1 when the unit does not answer within 200 cycles.
  int64_t draw(PhiloxKey key, uint32_t index, uint64_t step, uint32_t base,
               uint32_t size, uint32_t first) {
    m->req_i = 1;
    m->ack_i = 0;
    m->key_i = uint64_t(key[0]) | uint64_t(key[1]) << 32;
    m->index_i = index;
    m->step_i = step;
    m->base_i = base;
    m->size_i = size;
    m->first_i = first;
    m->eval();
    for (int k = 0; !m->done_o; ++k) {
      if (k > 200)
        return -1;
      tick();
    }
    const int64_t count = m->count_o;
    m->ack_i = 1;
    tick();
    m->ack_i = 0;
    m->req_i = 0;
    m->eval();
    ++draws;
    return count;
  }
};

} // namespace

int poissonBench() {
  Checker c("poisson");
  PoissonHarness h;
  h.reset();
  std::mt19937_64 rng(11);
  auto randomKey = [&]() -> PhiloxKey {
    return {uint32_t(rng()), uint32_t(rng())};
  };

  // ---- The search, exhaustively over (size, position of the word).
  for (uint32_t n = 1; n <= 48; ++n)
    for (uint32_t k = 0; k <= n; ++k) {
      const PhiloxKey key = randomKey();
      const uint32_t index = uint32_t(rng() % 5000);
      const uint64_t step = rng() % 3 == 0 ? rng() : rng() % 100000;
      const uint32_t word = poissonWord(key, index, step);
      // k thresholds <= word, n - k above; some equal to the word, some
      // repeated, the extremes used where the word allows.
      std::vector<uint32_t> t(n);
      for (uint32_t i = 0; i < k; ++i)
        t[i] = rng() % 3 == 0 ? word : uint32_t(rng() % (uint64_t(word) + 1));
      for (uint32_t i = k; i < n; ++i)
        t[i] = word == 0xffffffffu
                   ? word // cannot be above: every threshold is <= word
                   : word + 1 + uint32_t(rng() % (0xffffffffull - word));
      std::sort(t.begin(), t.begin() + k);
      std::sort(t.begin() + k, t.end());
      if (k > 0 && rng() % 4 == 0)
        t[0] = 0;
      if (k < n && word != 0xffffffffu && rng() % 4 == 0)
        t[n - 1] = 0xffffffffu;
      const uint32_t base = uint32_t(rng() % (kWords - n + 1));
      for (uint32_t i = 0; i < n; ++i)
        h.write(base + i, t[i]);
      const uint32_t first = uint32_t(rng() % 1000);
      h.flush();
      const int64_t got = h.draw(key, index, step, base, n, first);
      const uint32_t want = poissonCount(t.data(), n, first, word);
      c.expect(got == int64_t(want),
               "search: size %u, %u thresholds <= word %08x, base %u: rtl "
               "%lld, reference %u",
               n, k, word, base, (long long)got, want);
    }

  // ---- The words: a one-threshold table at the word gives first + 1, one
  // at word + 1 gives first (tests all 32 bits of the word).
  for (int i = 0; i < 2000; ++i) {
    const PhiloxKey key = randomKey();
    const uint32_t index = uint32_t(rng());
    const uint64_t step = rng();
    const uint32_t word = poissonWord(key, index, step);
    h.write(0, word);
    h.write(1, word + 1);
    h.flush();
    int64_t at = h.draw(key, index, step, 0, 1, 5);
    h.flush();
    int64_t above = h.draw(key, index, step, 1, 1, 5);
    c.expect(at == 6 && (word == 0xffffffffu ? above == 6 : above == 5),
             "word: key %08x%08x index %u step %llu word %08x: counts %lld "
             "and %lld",
             key[1], key[0], index, (unsigned long long)step, word,
             (long long)at, (long long)above);
  }

  // ---- Real tables, neurons in order as the core asks for them.
  std::vector<double> lambdas = {
      0.0,  1e-4, 1e-3, 0.01,  0.05, 0.1,   0.3,  0.5,  0.99, 1.0,  1.5,
      2.0,  2.5,  3.7,  5.0,   8.0,  12.5,  20.0, 25.0, 33.,  50.0, 64.0,
      80.0, 99.9, 150., 200.0, 300,  444.4, 600,  800,  999,  1000};
  for (int i = 0; i < 8; ++i)
    lambdas.push_back(std::uniform_real_distribution<double>(0, 3)(rng));
  uint64_t searchCycles = 0, searchDraws = 0;
  for (double lambda : lambdas) {
    const PoissonTable t = poissonTable(lambda);
    const uint32_t n = uint32_t(t.thresholds.size());
    if (n > kWords) {
      c.expect(false, "lambda %g: %u thresholds exceed the memory", lambda, n);
      continue;
    }
    const uint32_t base = uint32_t(rng() % (kWords - n + 1));
    for (uint32_t i = 0; i < n; ++i)
      h.write(base + i, t.thresholds[i]);
    for (uint32_t i = 0; i < n; ++i)
      c.expect(h.read(base + i) == t.thresholds[i], "table read-back %u", i);
    const PhiloxKey key = randomKey();
    const uint32_t size = 1 + uint32_t(rng() % 37);
    const uint32_t lo = uint32_t(rng() % 300);
    for (uint64_t step0 : {uint64_t(0), uint64_t(rng() % 1000), rng()}) {
      for (uint64_t step = step0; step < step0 + 3; ++step) {
        h.flush();
        const uint64_t start = h.cycles;
        for (uint32_t idx = lo; idx < lo + size; ++idx) {
          const uint32_t word = poissonWord(key, idx, step);
          const uint32_t want =
              n == 0 ? t.first
                     : poissonCount(t.thresholds.data(), n, t.first, word);
          const int64_t got = h.draw(key, idx, step, base, n, t.first);
          c.expect(got == int64_t(want),
                   "lambda %g (%u thresholds, first %u), neuron %u, step "
                   "%llu: rtl %lld, reference %u",
                   lambda, n, t.first, idx, (unsigned long long)step,
                   (long long)got, want);
        }
        searchCycles += h.cycles - start;
        searchDraws += size;
      }
    }
  }
  // ---- Requests out of order: neurons in runs, jumps back and forth, two
  // keys interleaved, the empty table among them, so that the block drawn
  // ahead is often the wrong one.
  {
    const PoissonTable t = poissonTable(0.7);
    const uint32_t n = uint32_t(t.thresholds.size());
    for (uint32_t i = 0; i < n; ++i)
      h.write(i, t.thresholds[i]);
    const PhiloxKey keys[2] = {randomKey(), randomKey()};
    for (int step = 0; step < 50; ++step) {
      h.flush();
      uint32_t idx = uint32_t(rng() % 64);
      for (int k = 0; k < 40; ++k) {
        const int jump = int(rng() % 8);
        idx = jump < 5    ? idx + 1
              : jump == 5 ? idx - idx % 4
                          : uint32_t(rng() % 64);
        const PhiloxKey key = keys[rng() % 4 == 0];
        const bool empty = rng() % 10 == 0;
        const uint32_t word = poissonWord(key, idx, uint64_t(step));
        const uint32_t want =
            empty ? t.first
                  : poissonCount(t.thresholds.data(), n, t.first, word);
        const int64_t got =
            h.draw(key, idx, uint64_t(step), 0, empty ? 0 : n, t.first);
        c.expect(got == int64_t(want),
                 "out of order: neuron %u step %d%s: rtl %lld, reference %u",
                 idx, step, empty ? " (empty table)" : "", (long long)got,
                 want);
      }
    }
  }
  std::printf("poisson: %llu draws of real tables in %llu cycles (%.1f a "
              "neuron, the Philox block shared by 4 neurons)\n",
              (unsigned long long)searchDraws, (unsigned long long)searchCycles,
              double(searchCycles) / double(searchDraws));
  return c.finish();
}

} // namespace snncore
