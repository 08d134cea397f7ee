//===- NeuronBench.cpp - snncore_neuron against the fixed-point reference -===//
//
// Three Verilated builds of the neuron unit (state widths 8, 24, 32) are
// driven with the same vectors as referenceNeuron():
// - width 8, exhaustive: for every kind and every rule combination, every
//   (v, x) pair of the 8-bit range and, for the current-based kinds, every
//   (u, x) pair, x also reaching beyond the range (the accumulator
//   saturates), with both values of the previous spike and parameter sets
//   drawn around the corners (decays 0, 1, 2048, 4095, 4096 and above,
//   biases and thresholds at the range ends);
// - widths 24 and 32: random full-width vectors biased to the corners.
//
//===----------------------------------------------------------------------===//
#include "Bench.h"
#include "RefModel.h"

#include "Vneuron24.h"
#include "Vneuron32.h"
#include "Vneuron8.h"

#include <memory>
#include <vector>

namespace snncore {
namespace {

constexpr uint32_t kDecays[] = {0,    1,    2,    410,  2048,
                                4000, 4095, 4096, 5000, 8191};

template <typename M> struct NeuronDut {
  std::unique_ptr<M> m = std::make_unique<M>();
  int bits;
  explicit NeuronDut(int b) : bits(b) {}

  NeuronResult eval(const NeuronParams &p, const NeuronState &s, int64_t acc) {
    m->kind_i = p.kind;
    m->subtract_i = p.subtract;
    m->ge_i = p.ge;
    m->timing_i = p.timing;
    m->syn_first_i = p.synFirst;
    m->decay_u_i = p.decayU;
    m->decay_v_i = p.decayV;
    m->u_bias_i = uint32_t(p.uBias);
    m->v_bias_i = uint32_t(p.vBias);
    m->threshold_i = uint32_t(toPort(p.threshold, bits));
    m->v_reset_i = uint32_t(toPort(p.vReset, bits));
    m->v_i = uint32_t(toPort(s.v, bits));
    m->u_i = uint32_t(toPort(s.u, bits));
    m->spiked_i = s.spiked;
    m->acc_i = uint64_t(acc);
    m->eval();
    NeuronResult r;
    r.next.v = signExtend(m->v_o, bits);
    r.next.u = signExtend(m->u_o, bits);
    r.next.spiked = m->spiked_o;
    r.emit = m->emit_o;
    r.graded = m->graded_o;
    r.payload = signExtend(m->payload_o, bits);
    return r;
  }
};

bool same(const NeuronResult &a, const NeuronResult &b) {
  return a.next.v == b.next.v && a.next.u == b.next.u &&
         a.next.spiked == b.next.spiked && a.emit == b.emit &&
         a.graded == b.graded && (!a.emit || a.payload == b.payload);
}

template <typename D>
void compare(Checker &c, D &dut, const NeuronParams &p, const NeuronState &s,
             int64_t acc) {
  const NeuronResult want = referenceNeuron(p, s, acc, dut.bits);
  const NeuronResult got = dut.eval(p, s, acc);
  c.expect(same(want, got),
           "bits %d kind %u sub %d ge %d timing %u synfirst %d du %u dv %u "
           "ub %d vb %d th %lld vr %lld | v %lld u %lld spk %d acc %lld -> "
           "rtl v %lld u %lld spk %d emit %d graded %d, ref v %lld u %lld "
           "spk %d emit %d graded %d",
           dut.bits, p.kind, p.subtract, p.ge, p.timing, p.synFirst, p.decayU,
           p.decayV, p.uBias, p.vBias, (long long)p.threshold,
           (long long)p.vReset, (long long)s.v, (long long)s.u, s.spiked,
           (long long)acc, (long long)got.next.v, (long long)got.next.u,
           got.next.spiked, got.emit, got.graded, (long long)want.next.v,
           (long long)want.next.u, want.next.spiked, want.emit, want.graded);
}

NeuronParams randomParams(std::mt19937_64 &rng, int bits, uint32_t kind,
                          uint32_t rules) {
  NeuronParams p;
  p.kind = kind;
  p.subtract = rules & 1;
  p.ge = (rules >> 1) & 1;
  p.timing = (rules >> 2) % 3;
  p.synFirst = (rules / 12) & 1;
  p.decayU = kDecays[rng() % std::size(kDecays)];
  p.decayV = kDecays[rng() % std::size(kDecays)];
  // Biases reach past the state range (they are 32-bit), so the sums
  // saturate both ways.
  const int biasBits = bits + 1 > 32 ? 32 : bits + 1;
  p.uBias = int32_t(cornerValue(rng, biasBits));
  p.vBias = int32_t(cornerValue(rng, biasBits));
  p.threshold = cornerValue(rng, bits);
  p.vReset = cornerValue(rng, bits);
  return p;
}

/// 24 rule combinations: subtract x ge x timing (3) x synapseFirst.
constexpr uint32_t kRuleCombos = 24;

void exhaustive8(Checker &c) {
  NeuronDut<Vneuron8> dut(8);
  std::mt19937_64 rng(8);
  std::vector<int64_t> inputs;
  for (int64_t x = -128; x < 128; ++x)
    inputs.push_back(x);
  for (int64_t x : {int64_t(-129), int64_t(128), int64_t(1) << 40,
                    -(int64_t(1) << 40), INT64_MIN, INT64_MAX})
    inputs.push_back(x);
  for (uint32_t kind = 0; kind < 8; ++kind)
    for (uint32_t rules = 0; rules < kRuleCombos; ++rules) {
      const bool cuba = kind == CubaLIF || kind == CubaLI;
      // A fresh parameter set for every 16 values of v (or u).
      NeuronParams p;
      for (int64_t a = -128; a < 128; ++a) {
        if ((a & 15) == 0)
          p = randomParams(rng, 8, kind, rules);
        for (int64_t x : inputs)
          for (int spk = 0; spk < 2; ++spk) {
            NeuronState s{a, cornerValue(rng, 8), bool(spk)};
            compare(c, dut, p, s, x);
            if (cuba) {
              s = {cornerValue(rng, 8), a, bool(spk)};
              compare(c, dut, p, s, x);
            }
          }
      }
    }
}

template <typename M> void randomWide(Checker &c, int bits, uint64_t count) {
  NeuronDut<M> dut(bits);
  std::mt19937_64 rng(bits);
  for (uint64_t i = 0; i < count; ++i) {
    const uint32_t kind = uint32_t(rng() % 8);
    const NeuronParams p =
        randomParams(rng, bits, kind, uint32_t(rng() % kRuleCombos));
    const NeuronState s{cornerValue(rng, bits), cornerValue(rng, bits),
                        bool(rng() & 1)};
    // The accumulator: in range, just outside, or anywhere in 64 bits.
    int64_t acc;
    switch (rng() % 3) {
    case 0:
      acc = cornerValue(rng, bits);
      break;
    case 1:
      acc = cornerValue(rng, bits + 2);
      break;
    default:
      acc = cornerValue(rng, 64);
      break;
    }
    compare(c, dut, p, s, acc);
  }
}

} // namespace

int neuronBench() {
  Checker c("neuron");
  exhaustive8(c);
  randomWide<Vneuron24>(c, 24, 2000000);
  randomWide<Vneuron32>(c, 32, 2000000);
  return c.finish();
}

} // namespace snncore
