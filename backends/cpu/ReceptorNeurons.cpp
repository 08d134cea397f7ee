//===- ReceptorNeurons.cpp - ReceptorLIF's per-step update ----------------===//
//
// A ReceptorLIF neuron (float mode) with receptors k, each with state g_k:
//
//   g_k <- g_k + x_k                       (events delivered for this step)
//   v'  = beta*v + leak + sum_current gain_k*g_k
//                       + sum_conductance gain_k*g_k*(E_k - v)
//   v   <- v' unless refractory (then v is held)
//   spike when v crosses the threshold and the neuron is not refractory;
//   reset as the discretization says; refractory for refractory_steps
//   g_k <- g_k * decay_k
//
// An alpha receptor's events go to its rise state y_k instead:
//   y_k <- y_k + x_k;  drive += gain_k*g_k + gainRise_k*y_k
//   g_k <- decay_k*g_k + rise_k*y_k;  y_k <- decay_k*y_k
//
// The conductance terms are summed as sum(gain*g*E) - v*sum(gain*g). The
// common shapes (one or two receptors with shared parameters) have one
// fused loop that keeps every receptor's terms in registers; any other
// shape makes one pass per receptor over a chunk of neurons, accumulating
// into two chunk-sized arrays that stay in L1, then a membrane pass. Both
// compute the same operations in the same order, so they agree bit for
// bit; every loop is branch-free and vectorizes.
//
//===----------------------------------------------------------------------===//
#include "Neurons.h"
#include "Vectorize.h"

#include <algorithm>

namespace snnc::cpu {
namespace {

/// Neurons per chunk: the two partial sums take 2 KiB.
constexpr uint32_t kChunk = 256;

template <bool Shared, bool Conductance>
SNNC_CPU_CLONES void receptorPass(const ReceptorModel &r, uint32_t lo,
                                  uint32_t n, float *__restrict g,
                                  float *__restrict x, float *__restrict drive,
                                  float *__restrict conductance) {
  const float *__restrict decay = r.decay.data(),
                          *__restrict gain = r.gain.data(),
                          *__restrict reversal = r.reversal.data();
  SNNC_NO_LOOP_CARRIED_DEPENDENCES
  for (uint32_t i = 0; i < n; ++i) {
    const uint32_t k = Shared ? 0 : lo + i;
    const float gi = g[i] + x[i];
    x[i] = 0.0f;
    const float c = gain[k] * gi;
    if constexpr (Conductance) {
      drive[i] += c * reversal[k];
      conductance[i] += c;
    } else {
      drive[i] += c;
    }
    g[i] = gi * decay[k];
  }
}

/// An alpha receptor over a chunk: `y` its rise state (which takes the
/// events `x`), `g` the current that drives the membrane.
template <bool Shared>
SNNC_CPU_CLONES void alphaPass(const ReceptorModel &r, uint32_t lo, uint32_t n,
                               float *__restrict g, float *__restrict y,
                               float *__restrict x, float *__restrict drive) {
  const float *__restrict decay = r.decay.data(),
                          *__restrict gain = r.gain.data(),
                          *__restrict gainRise = r.gainRise.data(),
                          *__restrict rise = r.rise.data();
  SNNC_NO_LOOP_CARRIED_DEPENDENCES
  for (uint32_t i = 0; i < n; ++i) {
    const uint32_t k = Shared ? 0 : lo + i;
    const float yi = y[i] + x[i];
    x[i] = 0.0f;
    drive[i] += gain[k] * g[i] + gainRise[k] * yi;
    g[i] = decay[k] * g[i] + rise[k] * yi;
    y[i] = decay[k] * yi;
  }
}

/// The end of a neuron's step, shared by both loops: the membrane is held
/// while refractory, then the spike test, the reset, and the count-down.
struct Settled {
  float v;
  int32_t refractory, fire;
};
template <bool Subtract, bool GreaterEqual>
inline Settled settle(float vo, float integrated, int32_t refractory,
                      float threshold, float vReset, int32_t refractorySteps) {
  const int32_t held = refractory > 0;
  float vn = pick(held, vo, integrated);
  const int32_t fire = (held ^ 1) & crossesF<GreaterEqual>(vn, threshold);
  vn = pick(fire, Subtract ? vn - threshold : vReset, vn);
  const int32_t left = std::max(refractory - 1, 0);
  return {vn, fire ? refractorySteps : left, fire};
}

/// Calls f.template operator()<Subtract, GreaterEqual>() for the rules.
template <typename F> decltype(auto) withResetRules(const Rules &r, F &&f) {
  if (r.subtract)
    return r.greaterEqual ? f.template operator()<true, true>()
                          : f.template operator()<true, false>();
  return r.greaterEqual ? f.template operator()<false, true>()
                        : f.template operator()<false, false>();
}

template <bool Shared, bool Subtract, bool GreaterEqual>
SNNC_CPU_CLONES void
receptorMembrane(const FloatParams &f, int32_t refractorySteps, uint32_t lo,
                 uint32_t n, float *__restrict v, int32_t *__restrict refr,
                 uint8_t *__restrict spk, const float *__restrict drive,
                 const float *__restrict conductance) {
  const float *__restrict beta = f.beta.data(),
                          *__restrict leak = f.leak.data(),
                          *__restrict th = f.vThreshold.data(),
                          *__restrict vReset = f.vReset.data();
  SNNC_NO_LOOP_CARRIED_DEPENDENCES
  for (uint32_t i = 0; i < n; ++i) {
    const uint32_t k = Shared ? 0 : lo + i;
    const float vo = v[i];
    const float integrated =
        beta[k] * vo + leak[k] + drive[i] - vo * conductance[i];
    const Settled out = settle<Subtract, GreaterEqual>(
        vo, integrated, refr[i], th[k], vReset[k], refractorySteps);
    refr[i] = out.refractory;
    spk[i] = uint8_t(out.fire);
    v[i] = out.v;
  }
}

/// The fused loop for C receptors with shared parameters; bit c of
/// `CondMask` says receptor c is a conductance.
template <unsigned C, unsigned CondMask, bool Shared, bool Subtract,
          bool GreaterEqual>
SNNC_CPU_CLONES void fusedReceptorLif(const PopulationModel &p, Range s,
                                      const PopulationArrays<float, float> &a) {
  const FloatParams &f = p.flt;
  const float *__restrict beta = f.beta.data(),
                          *__restrict leak = f.leak.data(),
                          *__restrict th = f.vThreshold.data(),
                          *__restrict vReset = f.vReset.data();
  float decay[C], gain[C], reversal[C];
  float *__restrict g[C];
  float *__restrict x[C];
  for (unsigned c = 0; c < C; ++c) {
    decay[c] = p.receptors[c].decay[0];
    gain[c] = p.receptors[c].gain[0];
    reversal[c] = p.receptors[c].reversal[0];
    g[c] = a.u + c * a.stride;
    x[c] = a.acc + c * a.stride;
  }
  const int32_t refractorySteps = int32_t(p.refractorySteps);
  float *__restrict v = a.v;
  int32_t *__restrict refr = a.refractory;
  uint8_t *__restrict spk = a.spikes;
  SNNC_NO_LOOP_CARRIED_DEPENDENCES
  for (uint32_t i = s.lo; i < s.hi; ++i) {
    const uint32_t k = Shared ? 0 : i;
    float drive = 0.0f, conductance = 0.0f;
    for (unsigned c = 0; c < C; ++c) {
      const float gi = g[c][i] + x[c][i];
      x[c][i] = 0.0f;
      const float cg = gain[c] * gi;
      if ((CondMask >> c) & 1u) {
        drive += cg * reversal[c];
        conductance += cg;
      } else {
        drive += cg;
      }
      g[c][i] = gi * decay[c];
    }
    const float vo = v[i];
    const float integrated = beta[k] * vo + leak[k] + drive - vo * conductance;
    const Settled out = settle<Subtract, GreaterEqual>(
        vo, integrated, refr[i], th[k], vReset[k], refractorySteps);
    refr[i] = out.refractory;
    spk[i] = uint8_t(out.fire);
    v[i] = out.v;
  }
}

/// Calls the fused loop for `p`'s receptor shape; false when it has none.
template <bool Shared, bool Subtract, bool GreaterEqual>
bool fused(const PopulationModel &p, Range s,
           const PopulationArrays<float, float> &a) {
  for (const ReceptorModel &r : p.receptors)
    if (!r.shared || r.alpha) // alpha receptors take the chunked passes
      return false;
  unsigned mask = 0;
  for (size_t c = 0; c < p.receptors.size(); ++c)
    mask |= unsigned(p.receptors[c].conductance) << c;
  auto call = [&]<unsigned C, unsigned M>() {
    fusedReceptorLif<C, M, Shared, Subtract, GreaterEqual>(p, s, a);
    return true;
  };
  if (p.channels == 1)
    return mask ? call.template operator()<1, 1>()
                : call.template operator()<1, 0>();
  if (p.channels == 2)
    switch (mask) {
    case 0:
      return call.template operator()<2, 0>();
    case 1:
      return call.template operator()<2, 1>();
    case 2:
      return call.template operator()<2, 2>();
    default:
      return call.template operator()<2, 3>();
    }
  return false;
}

template <bool Shared>
void receptorLif(const PopulationModel &p, const Rules &r, Range s,
                 const PopulationArrays<float, float> &a) {
  auto fusedFor = [&]<bool Subtract, bool GreaterEqual>() {
    return fused<Shared, Subtract, GreaterEqual>(p, s, a);
  };
  if (withResetRules(r, fusedFor))
    return;
  alignas(64) float drive[kChunk], conductance[kChunk];
  const int32_t refractorySteps = int32_t(p.refractorySteps);
  for (uint32_t lo = s.lo; lo < s.hi; lo += kChunk) {
    const uint32_t n = std::min(kChunk, s.hi - lo);
    std::fill_n(drive, n, 0.0f);
    std::fill_n(conductance, n, 0.0f);
    for (uint32_t c = 0; c < p.channels; ++c) {
      const ReceptorModel &rm = p.receptors[c];
      float *g = a.u + c * a.stride + lo;
      float *x = a.acc + c * a.stride + lo;
      if (rm.alpha) {
        float *y = a.u + rm.riseSlot * a.stride + lo;
        rm.shared ? alphaPass<true>(rm, lo, n, g, y, x, drive)
                  : alphaPass<false>(rm, lo, n, g, y, x, drive);
        continue;
      }
      if (rm.shared)
        rm.conductance
            ? receptorPass<true, true>(rm, lo, n, g, x, drive, conductance)
            : receptorPass<true, false>(rm, lo, n, g, x, drive, conductance);
      else
        rm.conductance
            ? receptorPass<false, true>(rm, lo, n, g, x, drive, conductance)
            : receptorPass<false, false>(rm, lo, n, g, x, drive, conductance);
    }
    auto membrane = [&]<bool Subtract, bool GreaterEqual>() {
      receptorMembrane<Shared, Subtract, GreaterEqual>(
          p.flt, refractorySteps, lo, n, a.v + lo, a.refractory + lo,
          a.spikes + lo, drive, conductance);
    };
    withResetRules(r, membrane);
  }
}

} // namespace

void updateReceptorLif(const PopulationModel &pop, const Rules &rules,
                       Range slice, const PopulationArrays<float, float> &a) {
  if (pop.flt.shared)
    receptorLif<true>(pop, rules, slice, a);
  else
    receptorLif<false>(pop, rules, slice, a);
}

} // namespace snnc::cpu
