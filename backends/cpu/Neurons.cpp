//===- Neurons.cpp - Per-step neuron updates, float and fixed -------------===//
//
// Each kernel is a template over whether the population's parameters are
// shared (one value, held in a register) or per neuron (streamed), over the
// structure of the kind (spiking, with a synaptic current) and over the
// discretization's reset rules, so that every loop is branch-free and holds
// only its own arithmetic; the compiler then vectorizes the float loops.
//
//===----------------------------------------------------------------------===//
#include "Neurons.h"

#include "FixedPoint.h"
#include "NeuronRules.h"
#include "Vectorize.h"

#include <bit>
#include <cmath>
#include <cstring>

namespace snnc::cpu {
namespace {

using snnb::NeuronKind;

/// How a spike's reset is timed (Rules), fixed per kernel instantiation so
/// that each loop contains only the arithmetic of its discretization.
enum class Timing { SameStep, NextStep, Carry };

/// Calls f.operator()<Timing, Subtract, GreaterEqual>() for `r`. Carry
/// exists only with Subtract (Rules guarantees it), which keeps the number
/// of instantiations at 10 per kernel.
template <typename F> void withRules(const Rules &r, F &&f) {
  auto timed = [&]<bool Subtract, bool GreaterEqual>() {
    if (r.nextStep)
      f.template operator()<Timing::NextStep, Subtract, GreaterEqual>();
    else if (Subtract && r.carry)
      f.template operator()<Timing::Carry, true, GreaterEqual>();
    else
      f.template operator()<Timing::SameStep, Subtract, GreaterEqual>();
  };
  if (r.subtract)
    r.greaterEqual ? timed.template operator()<true, true>()
                   : timed.template operator()<true, false>();
  else
    r.greaterEqual ? timed.template operator()<false, true>()
                   : timed.template operator()<false, false>();
}

/// LIF, IF, CubaLIF (Spiking) and LI, Integrator, CubaLI. The arithmetic
/// follows docs/discretization.md term by term, left to right:
///   I = alpha*I + gain_syn*x                                (Cuba)
///   v = beta*v + gain_mem*J + gain_direct*x + leak          (Cuba; J: new
///                                                            or old I)
///   v = beta*v + gain_mem*x + leak                          (others)
/// then the spike test and the reset of the discretization's timing. With
/// Delta (Population.delta, Euler's and Norse's form) the same update reads
///   I = I + k_syn*((i_leak - I) + w_in*x)                   (Cuba)
///   v = v + k_mem*((v_leak - v) + r*J)                      (J: I or x)
/// which differs from the decay form in the last bit only.
template <bool Shared, bool Spiking, bool Cuba, Timing T, bool Subtract,
          bool GreaterEqual, bool Delta>
SNNC_CPU_CLONES void membraneFloat(const FloatParams &f, const float *biasOf,
                                   bool synapseFirstFlag, Range s,
                                   const PopulationArrays<float, float> &a) {
  // `k` indexes parameters: 0 when they are shared, so they stay in
  // registers.
  const float *__restrict alpha = f.alpha.data(),
                          *__restrict beta = f.beta.data(),
                          *__restrict gainSyn = f.gainSyn.data(),
                          *__restrict gainMem = f.gainMem.data(),
                          *__restrict gainDirect = f.gainDirect.data(),
                          *__restrict leak = f.leak.data(),
                          *__restrict bias = biasOf,
                          *__restrict th = f.vThreshold.data(),
                          *__restrict vReset = f.vReset.data();
  const float *__restrict kMem = f.kMem.data(),
                          *__restrict kSyn = f.kSyn.data(),
                          *__restrict r = f.r.data(),
                          *__restrict wIn = f.wIn.data(),
                          *__restrict vLeak = f.vLeak.data(),
                          *__restrict iLeak = f.iLeak.data();
  const int32_t synapseFirst = synapseFirstFlag;
  float *__restrict v = a.v;
  float *__restrict u = a.u;
  float *__restrict acc = a.acc;
  uint8_t *__restrict spk = a.spikes;
  SNNC_NO_LOOP_CARRIED_DEPENDENCES
  for (uint32_t n = s.lo; n < s.hi; ++n) {
    const uint32_t k = Shared ? 0 : n;
    auto reset = [&](float vn) { return Subtract ? vn - th[k] : vReset[k]; };
    const float x = acc[n] + bias[k];
    acc[n] = 0.0f;
    float vn = v[n];
    float over = 0.0f; // Carry's r: 1 when the stored v is over threshold
    if constexpr (Spiking && T == Timing::NextStep)
      vn = pick(spk[n], reset(vn), vn); // the previous step's spike
    if constexpr (Spiking && T == Timing::Carry)
      over = pick(crossesF<GreaterEqual>(vn, th[k]), 1.0f, 0.0f);
    if constexpr (Cuba && Delta) {
      const float un = u[n] + kSyn[k] * ((iLeak[k] - u[n]) + wIn[k] * x);
      const float drive = pick(synapseFirst, un, u[n]);
      vn = vn + kMem[k] * ((vLeak[k] - vn) + r[k] * drive);
      u[n] = un;
    } else if constexpr (Cuba) {
      const float un = alpha[k] * u[n] + gainSyn[k] * x;
      const float drive = pick(synapseFirst, un, u[n]);
      vn = beta[k] * vn + gainMem[k] * drive + gainDirect[k] * x + leak[k];
      u[n] = un;
    } else if constexpr (Delta) {
      vn = vn + kMem[k] * ((vLeak[k] - vn) + r[k] * x);
    } else {
      vn = beta[k] * vn + gainMem[k] * x + leak[k];
    }
    if constexpr (Spiking) {
      // Carry, literally as the schema states it: v = update - r*th; the
      // spike tests that v; then v -= (s - r) * th.
      if constexpr (T == Timing::Carry)
        vn = vn - over * th[k];
      const int32_t fire = crossesF<GreaterEqual>(vn, th[k]);
      if constexpr (T == Timing::SameStep)
        vn = pick(fire, reset(vn), vn);
      if constexpr (T == Timing::Carry)
        vn = vn - (float(fire) - over) * th[k];
      spk[n] = uint8_t(fire);
    }
    v[n] = vn;
  }
}

/// The scalar profiles' parameters of neuron n (k: its parameter index).
inline ref::MembraneParams membraneParams(const FloatParams &f, uint32_t k) {
  return {f.alpha[k],      f.gainSyn[k], f.beta[k],       f.gainMem[k],
          f.gainDirect[k], f.leak[k],    f.vThreshold[k], f.vReset[k]};
}

/// lava-dl's integer dynamics (Rules::stateFracBits = q, same-step reset
/// only): states are integers of 2^-q, held in the float arrays as their
/// values (exact while |state| < 2^(24-q)); an input enters as
/// trunc(gain * x * 2^q); a decay multiplies by the integer alpha * 2^q
/// (beta * 2^q) and shifts right by q, rounding towards zero; the test
/// compares with trunc(v_threshold * 2^q). docs/discretization.md, lava-dl.
/// The per-neuron arithmetic is runtime/reference/NeuronRules.h's, which
/// the CUDA kernels run too; this loop is scalar either way (its int64 and
/// double arithmetic does not vectorize).
template <bool Shared, bool Spiking, bool Cuba, bool Subtract,
          bool GreaterEqual>
void membraneLavaDl(const FloatParams &f, const float *bias, bool synapseFirst,
                    int q, Range s, const PopulationArrays<float, float> &a) {
  ref::ScalarRules r;
  r.spiking = Spiking;
  r.cuba = Cuba;
  r.synapseFirst = synapseFirst;
  r.subtract = Subtract;
  r.greaterEqual = GreaterEqual;
  const ref::LavaDlScale scale{q, std::ldexp(1.0, q), std::ldexp(1.0, -q)};
  float unused = 0.0f;
  for (uint32_t n = s.lo; n < s.hi; ++n) {
    const uint32_t k = Shared ? 0 : n;
    const float x = a.acc[n] + bias[k];
    a.acc[n] = 0.0f;
    const bool fire = ref::lavaDlStep(r, scale, membraneParams(f, k), x, a.v[n],
                                      Cuba ? a.u[n] : unused);
    if constexpr (Spiking)
      a.spikes[n] = uint8_t(fire);
  }
}

/// Sinabs' and Rockpool's update (Rules::multiSpike,
/// Rules::synapseInputDecays; same-step reset only): as membraneFloat, with
///   I = alpha*(I + gain_syn*x)                      (synapseInputDecays)
/// and, when multiSpike, n = min(floor(v / th), 255) events for v over th,
/// v <- v - n*th (Subtract) or v_reset; the spike byte holds n. The
/// per-neuron arithmetic is runtime/reference/NeuronRules.h's (shared with
/// the CUDA kernels); the loop is scalar, as it was before the sharing.
template <bool Shared, bool Spiking, bool Cuba, bool Subtract,
          bool GreaterEqual>
void membraneMultiSpike(const FloatParams &f, const float *bias, const Rules &r,
                        bool clamp, Range s,
                        const PopulationArrays<float, float> &a) {
  ref::ScalarRules sr;
  sr.spiking = Spiking;
  sr.cuba = Cuba;
  sr.synapseFirst = r.synapseFirst;
  sr.subtract = Subtract;
  sr.greaterEqual = GreaterEqual;
  sr.multiSpike = r.multiSpike;
  sr.synapseInputDecays = r.synapseInputDecays;
  sr.clamp = clamp;
  float unused = 0.0f;
  for (uint32_t n = s.lo; n < s.hi; ++n) {
    const uint32_t k = Shared ? 0 : n;
    const float x = a.acc[n] + bias[k];
    a.acc[n] = 0.0f;
    const uint32_t events = ref::multiSpikeStep(sr, membraneParams(f, k), x,
                                                a.v[n], Cuba ? a.u[n] : unused);
    if constexpr (Spiking)
      a.spikes[n] = uint8_t(events);
  }
}

template <bool Shared, bool Threshold, bool GreaterEqual>
SNNC_CPU_CLONES void statelessFloat(const FloatParams &f, const float *biasOf,
                                    Range s,
                                    const PopulationArrays<float, float> &a) {
  const float *__restrict bias = biasOf, *__restrict th = f.vThreshold.data();
  float *__restrict v = a.v;
  float *__restrict acc = a.acc;
  uint8_t *__restrict spk = a.spikes;
  SNNC_NO_LOOP_CARRIED_DEPENDENCES
  for (uint32_t n = s.lo; n < s.hi; ++n) {
    const uint32_t k = Shared ? 0 : n;
    const float x = acc[n] + bias[k];
    acc[n] = 0.0f;
    v[n] = x;
    if constexpr (Threshold)
      spk[n] = uint8_t(crossesF<GreaterEqual>(x, th[k]));
  }
}

template <bool Shared, bool Spiking, bool Cuba, bool Delta>
void membraneFloatIn(const PopulationModel &p, const Rules &r, Range s,
                     const PopulationArrays<float, float> &a,
                     const float *bias) {
  if constexpr (Spiking)
    withRules(r, [&]<Timing T, bool Sub, bool GE>() {
      membraneFloat<Shared, true, Cuba, T, Sub, GE, Delta>(
          p.flt, bias, r.synapseFirst, s, a);
    });
  else // the rules only concern spikes
    membraneFloat<Shared, false, Cuba, Timing::SameStep, false, false, Delta>(
        p.flt, bias, r.synapseFirst, s, a);
}

template <bool Shared, bool Spiking, bool Cuba>
void membraneFloatFor(const PopulationModel &p, const Rules &r, Range s,
                      const PopulationArrays<float, float> &a,
                      const float *bias) {
  if (r.multiSpike || r.synapseInputDecays ||
      r.ifLowerClamp) { // same step only (Program)
    const bool clamp = r.ifLowerClamp && p.kind == NeuronKind::IF;
    withRules(r, [&]<Timing T, bool Sub, bool GE>() {
      if constexpr (T == Timing::SameStep)
        membraneMultiSpike<Shared, Spiking, Cuba, Sub, GE>(p.flt, bias, r,
                                                           clamp, s, a);
    });
    return;
  }
  if (r.stateFracBits) { // lava-dl: same-step timing only (Program checks)
    const int q = r.stateFracBits;
    withRules(r, [&]<Timing T, bool Sub, bool GE>() {
      if constexpr (T == Timing::SameStep)
        membraneLavaDl<Shared, Spiking, Cuba, Sub, GE>(p.flt, bias,
                                                       r.synapseFirst, q, s, a);
    });
    return;
  }
  if (p.flt.delta)
    membraneFloatIn<Shared, Spiking, Cuba, true>(p, r, s, a, bias);
  else
    membraneFloatIn<Shared, Spiking, Cuba, false>(p, r, s, a, bias);
}

template <bool Shared>
void dispatchFloat(const PopulationModel &p, const Rules &r, Range s,
                   const PopulationArrays<float, float> &a, bool firstStep) {
  // Chosen once per population and step, never per neuron.
  const float *bias = firstStep && !p.flt.firstBias.empty()
                          ? p.flt.firstBias.data()
                          : p.flt.bias.data();
  switch (p.kind) {
  case NeuronKind::Source:
    std::memcpy(a.v + s.lo, a.input + s.lo, s.size() * sizeof(float));
    break;
  case NeuronKind::Relay:
    statelessFloat<Shared, false, false>(p.flt, bias, s, a);
    break;
  case NeuronKind::Threshold:
    if (r.greaterEqual)
      statelessFloat<Shared, true, true>(p.flt, bias, s, a);
    else
      statelessFloat<Shared, true, false>(p.flt, bias, s, a);
    break;
  case NeuronKind::LIF:
  case NeuronKind::IF:
    membraneFloatFor<Shared, true, false>(p, r, s, a, bias);
    break;
  case NeuronKind::CubaLIF:
    membraneFloatFor<Shared, true, true>(p, r, s, a, bias);
    break;
  case NeuronKind::LI:
  case NeuronKind::Integrator:
    membraneFloatFor<Shared, false, false>(p, r, s, a, bias);
    break;
  case NeuronKind::CubaLI:
    membraneFloatFor<Shared, false, true>(p, r, s, a, bias);
    break;
  case NeuronKind::ReceptorLIF:
    updateReceptorLif(p, r, s, a);
    break;
  case NeuronKind::PoissonSource: // drawn by the engine (PoissonNeurons.h)
    break;
  }
}

/// The fixed-point counterpart of membraneFloat (docs/fixed-point.md):
///   u = sat(decay(u, decay_u) + x + u_bias)         (Cuba)
///   v = sat(decay(v, decay_v) + J + v_bias)         (Cuba; J = new or old u)
///   v = sat(decay(v, decay_v) + x + v_bias)         (others)
/// with x = sat(accumulated input), all saturated to state_bits.
template <bool Shared, bool Spiking, bool Cuba, Timing T, bool Subtract,
          bool GreaterEqual>
SNNC_CPU_CLONES void
membraneFixed(const FixedParams &f, bool synapseFirst, Range s,
              const PopulationArrays<int32_t, int64_t> &a) {
  using namespace fixedpoint;
  const uint32_t *__restrict decayU = f.decayU.data(), *__restrict decayV =
                                                           f.decayV.data();
  const int32_t *__restrict uBias = f.uBias.data(),
                            *__restrict vBias = f.vBias.data(),
                            *__restrict th = f.vThreshold.data(),
                            *__restrict vReset = f.vReset.data();
  const int bits = f.stateBits;
  const int64_t firstMask = synapseFirst ? -1 : 0;
  int32_t *__restrict v = a.v;
  int32_t *__restrict u = a.u;
  int64_t *__restrict acc = a.acc;
  uint8_t *__restrict spk = a.spikes;
  SNNC_NO_LOOP_CARRIED_DEPENDENCES
  for (uint32_t n = s.lo; n < s.hi; ++n) {
    const uint32_t k = Shared ? 0 : n;
    const int64_t x = saturate(acc[n], bits);
    acc[n] = 0;
    int64_t vn = v[n];
    bool over = false; // Carry's r
    // Resets are computed unconditionally and selected, so that the loop
    // has no branch (which would keep the compiler from vectorizing it).
    if constexpr (Spiking && T == Timing::NextStep) {
      const int64_t rv = resetValue(vn, th[k], vReset[k], Subtract, bits);
      vn = spk[n] ? rv : vn;
    }
    if constexpr (Spiking && T == Timing::Carry)
      over = crosses(vn, th[k], GreaterEqual);
    if constexpr (Cuba) {
      const int64_t un =
          saturate(decayState(u[n], decayU[k]) + x + uBias[k], bits);
      // A mask, not ?: on a loop-invariant bool, which stays a branch.
      const int64_t drive = (un & firstMask) | (int64_t(u[n]) & ~firstMask);
      vn =
          saturate(decayState(int32_t(vn), decayV[k]) + drive + vBias[k], bits);
      u[n] = int32_t(un);
    } else {
      vn = saturate(decayState(int32_t(vn), decayV[k]) + x + vBias[k], bits);
    }
    if constexpr (Spiking) {
      if constexpr (T == Timing::Carry)
        vn = saturate(vn - (over ? th[k] : 0), bits);
      const bool fire = crosses(vn, th[k], GreaterEqual);
      if constexpr (T == Timing::SameStep) {
        const int64_t rv = resetValue(vn, th[k], vReset[k], Subtract, bits);
        vn = fire ? rv : vn;
      }
      if constexpr (T == Timing::Carry)
        vn = saturate(vn - (int64_t(fire) - int64_t(over)) * th[k], bits);
      spk[n] = fire;
    }
    v[n] = int32_t(vn);
  }
}

template <bool Shared>
void statelessFixed(NeuronKind kind, const FixedParams &f, const Rules &r,
                    Range s, const PopulationArrays<int32_t, int64_t> &a) {
  using namespace fixedpoint;
  const int32_t *vBias = f.vBias.data(), *th = f.vThreshold.data();
  const int bits = f.stateBits;
  SNNC_NO_LOOP_CARRIED_DEPENDENCES
  for (uint32_t n = s.lo; n < s.hi; ++n) {
    const uint32_t k = Shared ? 0 : n;
    // The bias of a stateless kind is its v_bias (it has no u).
    const int64_t x = saturate(saturate(a.acc[n], bits) + vBias[k], bits);
    a.acc[n] = 0;
    a.v[n] = int32_t(x);
    if (kind == NeuronKind::Threshold)
      a.spikes[n] = crosses(x, th[k], r.greaterEqual);
  }
}

template <bool Shared, bool Spiking, bool Cuba>
void membraneFixedFor(const PopulationModel &p, const Rules &r, Range s,
                      const PopulationArrays<int32_t, int64_t> &a) {
  if constexpr (Spiking)
    withRules(r, [&]<Timing T, bool Sub, bool GE>() {
      membraneFixed<Shared, true, Cuba, T, Sub, GE>(p.fix, r.synapseFirst, s,
                                                    a);
    });
  else
    membraneFixed<Shared, false, Cuba, Timing::SameStep, false, false>(
        p.fix, r.synapseFirst, s, a);
}

template <bool Shared>
void dispatchFixed(const PopulationModel &p, const Rules &r, Range s,
                   const PopulationArrays<int32_t, int64_t> &a) {
  switch (p.kind) {
  case NeuronKind::Source:
    std::memcpy(a.v + s.lo, a.input + s.lo, s.size() * sizeof(int32_t));
    break;
  case NeuronKind::Relay:
  case NeuronKind::Threshold:
    statelessFixed<Shared>(p.kind, p.fix, r, s, a);
    break;
  case NeuronKind::LIF:
  case NeuronKind::IF:
    membraneFixedFor<Shared, true, false>(p, r, s, a);
    break;
  case NeuronKind::CubaLIF:
    membraneFixedFor<Shared, true, true>(p, r, s, a);
    break;
  case NeuronKind::LI:
  case NeuronKind::Integrator:
    membraneFixedFor<Shared, false, false>(p, r, s, a);
    break;
  case NeuronKind::CubaLI:
    membraneFixedFor<Shared, false, true>(p, r, s, a);
    break;
  case NeuronKind::ReceptorLIF:
    break; // float only: Program's checks refuse it in fixed mode
  case NeuronKind::PoissonSource: // drawn by the engine (PoissonNeurons.h)
    break;
  }
}

} // namespace

void updateFloat(const PopulationModel &pop, const Rules &rules, Range slice,
                 const PopulationArrays<float, float> &a, bool firstStep) {
  if (slice.lo >= slice.hi)
    return;
  if (pop.flt.shared)
    dispatchFloat<true>(pop, rules, slice, a, firstStep);
  else
    dispatchFloat<false>(pop, rules, slice, a, firstStep);
}

void updateFixed(const PopulationModel &pop, const Rules &rules, Range slice,
                 const PopulationArrays<int32_t, int64_t> &a) {
  if (slice.lo >= slice.hi)
    return;
  if (pop.fix.shared)
    dispatchFixed<true>(pop, rules, slice, a);
  else
    dispatchFixed<false>(pop, rules, slice, a);
}

static_assert(std::endian::native == std::endian::little,
              "gatherSpikes reads spike bytes as little-endian words");

uint32_t gatherEvents(const uint8_t *spikes, Range slice, uint32_t *out,
                      float *count) {
  uint32_t n = 0;
  for (uint32_t i = slice.lo; i < slice.hi; ++i)
    if (spikes[i]) {
      out[n] = i;
      count[n++] = float(spikes[i]);
    }
  return n;
}

uint32_t gatherSpikes(const uint8_t *spikes, Range slice, uint32_t *out) {
  uint32_t n = 0, i = slice.lo;
  // Spikes are rare: test sixteen neurons per pair of loads and skip the
  // silent ones.
  auto word = [&](uint64_t w, uint32_t base) {
    while (w) {
      // Bytes are 0 or 1; little-endian puts neuron base + k at bit 8k.
      out[n++] = base + uint32_t(std::countr_zero(w) / 8);
      w &= w - 1;
    }
  };
  for (; i + 16 <= slice.hi; i += 16) {
    uint64_t lo, hi;
    std::memcpy(&lo, spikes + i, 8);
    std::memcpy(&hi, spikes + i + 8, 8);
    if ((lo | hi) == 0)
      continue;
    word(lo, i);
    word(hi, i + 8);
  }
  for (; i < slice.hi; ++i)
    if (spikes[i])
      out[n++] = i;
  return n;
}

} // namespace snnc::cpu
