//===- NeuronRules.h - Per-neuron updates of the scalar profiles -*- C++
//-*-===//
//
// One neuron's float-mode step under the discretization rules whose update
// is not the plain decay or delta form (docs/discretization.md §6):
//
//  - Sinabs' and Rockpool's rules (Rules::multiSpike,
//    Rules::synapseInputDecays, Rules::ifLowerClamp): same-step reset only;
//  - lava-dl's integer states of 2^-q (Rules::stateFracBits = q): same-step
//    reset only.
//
// Defined once, for the CPU engine (backends/cpu/Neurons.cpp calls these
// functions in its loops over a population) and the CUDA kernels (one
// thread per neuron), so both run the very same operations. The functions
// are marked SNNC_HD: nvcc compiles them for the device too. Both callers
// are built without floating-point contraction (-ffp-contract=off on the
// host, -fmad=false on the device), so every product is rounded before it
// is added, and float and double division and conversions are IEEE-754's on
// both sides.
//
// Header-only, no state: safe from any thread.
//
//===----------------------------------------------------------------------===//
#ifndef SNNC_RUNTIME_REFERENCE_NEURONRULES_H
#define SNNC_RUNTIME_REFERENCE_NEURONRULES_H

#include "Philox.h" // SNNC_HD

#include <cmath>
#include <cstdint>

namespace snnc::ref {

/// A membrane neuron's float parameters for one step (Model.h's
/// FloatParams at the neuron's index); `bias` is already added to the
/// input by the caller.
struct MembraneParams {
  float alpha, gainSyn, beta, gainMem, gainDirect, leak, threshold, vReset;
};

/// The structure and rules one update follows.
struct ScalarRules {
  bool spiking = false;            ///< LIF, IF, CubaLIF
  bool cuba = false;               ///< CubaLIF, CubaLI
  bool synapseFirst = false;       ///< CubaOrder::SynapseFirst
  bool subtract = false;           ///< ResetMode::Subtract
  bool greaterEqual = false;       ///< Comparison::GreaterEqual
  bool multiSpike = false;         ///< Discretization.multi_spike
  bool synapseInputDecays = false; ///< I = alpha*(I + gain_syn*x)
  bool clamp = false;              ///< if_lower_clamp and an IF neuron
};

/// floor() of a float, the same IEEE operation on host and device.
SNNC_HD inline float floorFloat(float x) {
#if defined(__CUDA_ARCH__)
  return floorf(x);
#else
  return std::floor(x);
#endif
}

/// Sinabs' and Rockpool's step of one neuron with input x (accumulated
/// input plus bias):
///   I = alpha*(I + gain_syn*x)   (synapseInputDecays; else alpha*I +
///                                 gain_syn*x)
///   v = beta*v + gain_mem*J + gain_direct*x + leak   (Cuba; J new or old I)
///   v = beta*v + gain_mem*x + leak                   (others)
/// and, for a spiking kind over threshold, n events: 1, or with multiSpike
/// min(floor(v / th), 255) (at least 1); v <- v - n*th (subtract) or
/// v_reset; then, with `clamp`, v >= -th. Returns n (0 for a non-spiking
/// kind); v and u are updated in place (u only when cuba).
SNNC_HD inline uint32_t multiSpikeStep(const ScalarRules &r,
                                       const MembraneParams &p, float x,
                                       float &v, float &u) {
  float vn = v;
  if (r.cuba) {
    const float uo = u;
    const float un = r.synapseInputDecays ? p.alpha * (uo + p.gainSyn * x)
                                          : p.alpha * uo + p.gainSyn * x;
    const float drive = r.synapseFirst ? un : uo;
    vn = p.beta * vn + p.gainMem * drive + p.gainDirect * x + p.leak;
    u = un;
  } else {
    vn = p.beta * vn + p.gainMem * x + p.leak;
  }
  uint32_t events = 0;
  if (r.spiking) {
    const float th = p.threshold;
    if (r.greaterEqual ? vn >= th : vn > th) {
      events = 1;
      if (r.multiSpike) {
        const float q = floorFloat(vn / th);
        events = q >= 255.0f ? 255u : q > 1.0f ? uint32_t(q) : 1u;
      }
      vn = r.subtract ? vn - float(events) * th : p.vReset;
    }
    if (r.clamp && vn < -th) // Sinabs' IF
      vn = -th;
  }
  v = vn;
  return events;
}

/// lava-dl's integer dynamics of q fractional bits: a value enters as
/// trunc(value * 2^q) (toInt), a decay multiplies the magnitude by the
/// integer d and shifts right by q (towards zero).
struct LavaDlScale {
  int q = 0;
  double scale = 1, unscale = 1; ///< 2^q, 2^-q
};

SNNC_HD inline int64_t lavaDlToInt(const LavaDlScale &s, double x) {
  return int64_t(x * s.scale); // truncates
}

SNNC_HD inline int64_t lavaDlDecay(const LavaDlScale &s, int64_t x, int64_t d) {
  const int64_t m = (x < 0 ? -x : x) * d >> s.q;
  return x < 0 ? -m : m;
}

/// lava-dl's step of one neuron with input x (accumulated input plus
/// bias); v and u hold the integer states as float values (exact while
/// |state| < 2^(24-q)). Returns whether it spiked (same-step reset).
SNNC_HD inline bool lavaDlStep(const ScalarRules &r, const LavaDlScale &s,
                               const MembraneParams &p, float x, float &v,
                               float &u) {
  int64_t vn = lavaDlToInt(s, v);
  const int64_t leak = lavaDlToInt(s, p.leak);
  if (r.cuba) {
    const int64_t uo = lavaDlToInt(s, u);
    const int64_t un = lavaDlDecay(s, uo, lavaDlToInt(s, p.alpha)) +
                       lavaDlToInt(s, double(p.gainSyn) * double(x));
    const int64_t drive = r.synapseFirst ? un : uo;
    vn = lavaDlDecay(s, vn, lavaDlToInt(s, p.beta)) +
         int64_t(double(p.gainMem) * double(drive)) +
         lavaDlToInt(s, double(p.gainDirect) * double(x)) + leak;
    u = float(double(un) * s.unscale);
  } else {
    vn = lavaDlDecay(s, vn, lavaDlToInt(s, p.beta)) +
         lavaDlToInt(s, double(p.gainMem) * double(x)) + leak;
  }
  bool fire = false;
  if (r.spiking) {
    const int64_t th = lavaDlToInt(s, p.threshold);
    fire = r.greaterEqual ? vn >= th : vn > th;
    if (fire)
      vn = r.subtract ? vn - th : lavaDlToInt(s, p.vReset);
  }
  v = float(double(vn) * s.unscale);
  return fire;
}

} // namespace snnc::ref

#endif // SNNC_RUNTIME_REFERENCE_NEURONRULES_H
