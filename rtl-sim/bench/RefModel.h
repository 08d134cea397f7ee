//===- RefModel.h - The snncore neuron and synapse, from FixedPoint.h -*- C++
//-*-===//
//
// The golden model of the benches: one neuron update and one synaptic
// contribution written with runtime/reference/FixedPoint.h only, in the
// order docs/fixed-point.md ("One step") gives and the CPU engine's fixed
// kernels (backends/cpu/Neurons.cpp) follow.
//
//===----------------------------------------------------------------------===//
#ifndef SNNC_RTL_REFMODEL_H
#define SNNC_RTL_REFMODEL_H

#include "FixedPoint.h"

#include <cstdint>

namespace snncore {

/// Kind codes of parameter word P0 (docs/rtl-core.md).
enum Kind : uint32_t {
  LIF = 0,
  IF = 1,
  CubaLIF = 2,
  LI = 3,
  Integrator = 4,
  CubaLI = 5,
  Relay = 6,
  Threshold = 7
};
enum Timing : uint32_t { SameStep = 0, NextStep = 1, Carry = 2 };

struct NeuronParams {
  uint32_t kind = LIF;
  bool subtract = false, ge = false;
  uint32_t timing = SameStep;
  bool synFirst = false;
  uint32_t decayU = 0, decayV = 0; ///< the 13-bit fields as stored
  int32_t uBias = 0, vBias = 0;
  int64_t threshold = 0, vReset = 0; ///< within state_bits
};

struct NeuronState {
  int64_t v = 0, u = 0;
  bool spiked = false;
};

struct NeuronResult {
  NeuronState next;
  bool emit = false, graded = false;
  int64_t payload = 0;
};

inline NeuronResult referenceNeuron(const NeuronParams &p, NeuronState s,
                                    int64_t acc, int bits) {
  using namespace snnc::fixedpoint;
  const bool spiking = p.kind == LIF || p.kind == IF || p.kind == CubaLIF;
  const bool cuba = p.kind == CubaLIF || p.kind == CubaLI;
  const int64_t th = p.threshold;
  const int64_t x = saturate(acc, bits);
  NeuronResult r;
  r.next = s;
  if (p.kind == Relay || p.kind == Threshold) {
    const int64_t y = saturate(x + p.vBias, bits);
    r.next.v = y;
    r.next.spiked = p.kind == Threshold && crosses(y, th, p.ge);
    r.graded = p.kind == Relay;
    r.emit = r.graded ? y != 0 : r.next.spiked;
    r.payload = y;
    return r;
  }
  // Carry only exists with Subtract; the rules only concern spiking kinds.
  const bool next = spiking && p.timing == NextStep;
  const bool carry = spiking && p.subtract && p.timing == Carry;
  int64_t v = s.v;
  if (next && s.spiked)
    v = resetValue(v, th, p.vReset, p.subtract, bits);
  const bool over = carry && crosses(v, th, p.ge);
  if (cuba) {
    const int64_t u1 =
        saturate(decayState(int32_t(s.u), p.decayU) + x + p.uBias, bits);
    const int64_t drive = p.synFirst ? u1 : s.u;
    v = saturate(decayState(int32_t(v), p.decayV) + drive + p.vBias, bits);
    r.next.u = u1;
  } else {
    v = saturate(decayState(int32_t(v), p.decayV) + x + p.vBias, bits);
  }
  bool fire = false;
  if (spiking) {
    if (carry)
      v = saturate(v - (over ? th : 0), bits);
    fire = crosses(v, th, p.ge);
    if (carry)
      v = saturate(v - (int64_t(fire) - int64_t(over)) * th, bits);
    else if (!next && fire)
      v = resetValue(v, th, p.vReset, p.subtract, bits);
  }
  r.next.v = v;
  r.next.spiked = fire;
  r.graded = !spiking;
  r.emit = r.graded ? v != 0 : fire;
  r.payload = v;
  return r;
}

/// What one event adds through one synapse: weightValue(m, e) for a spike,
/// gradedContribution(g, m, e, f) for a graded value g.
inline int64_t referenceContribution(bool graded, int64_t g, int64_t m, int e,
                                     int f) {
  using namespace snnc::fixedpoint;
  return graded ? gradedContribution(g, m, e, f) : weightValue(m, e);
}

} // namespace snncore

#endif // SNNC_RTL_REFMODEL_H
