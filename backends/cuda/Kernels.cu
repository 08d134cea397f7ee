//===- Kernels.cu - The CUDA backend's per-step kernels -------------------===//
//
// Three kernels make a step, as in GeNN: the neuron update (one thread per
// neuron, many populations per launch, each block inside one population),
// spike propagation (a persistent grid of warps over the step's work items:
// one sparse row or one convolution window per event, or 32 targets of a
// dense projection per warp), and batched recording. The arithmetic is the
// CPU engine's, operation for operation (backends/cpu/Neurons.cpp,
// ReceptorNeurons.cpp, Propagate.h): float code is compiled without fused
// multiply-adds, and fixed mode uses runtime/reference/FixedPoint.h, whose
// constexpr functions run on the device unchanged. Fixed accumulators are
// int64 added with wrapping 64-bit atomics, which is accumulate()'s
// definition, so every order gives the same sums: bit-identical to the CPU.
// Float atomics add in an order that varies from run to run.
//
//===----------------------------------------------------------------------===//
#include "DeviceModel.h"

#include "FixedPoint.h"
#include "NeuronRules.h"
#include "PoissonSource.h"
#include "ProceduralRow.h"

#include <cuda_runtime.h>

namespace snnc::cuda {
namespace {

namespace fp = snnc::fixedpoint;

template <bool Fixed> struct Types;
template <> struct Types<false> {
  using State = float;
  using Acc = float;
  using W = float;
};
template <> struct Types<true> {
  using State = int32_t;
  using Acc = unsigned long long; // int64 bits; wrapping adds
  using W = int32_t;
};

__device__ inline uint32_t ringSlot(long long step, uint32_t slots) {
  return uint32_t((unsigned long long)step % slots);
}

__device__ inline bool crossesF(float v, float th, bool ge) {
  return ge ? v >= th : v > th;
}

/// Float-mode update of neuron n of p (Neurons.cpp, membraneFloat and
/// statelessFloat; ReceptorNeurons.cpp). Returns whether it fired; `out` is
/// its output value.
__device__ bool updateFloat(const DevPopulation &p, const DevRules &r,
                            uint32_t n, float *acc, long long step,
                            float &out) {
  const uint32_t k = p.shared ? 0 : n;
  float *v = static_cast<float *>(p.v);
  // Population.first_bias replaces the bias at step 0 (Neurons.cpp,
  // dispatchFloat); the branch is uniform across the launch.
  const float *bias = step == 0 && p.firstBias ? p.firstBias : p.bias;
  switch (p.kind) {
  case DevKind::Source:
    out = v[n] = static_cast<const float *>(p.input)[n];
    return false;
  case DevKind::Relay:
  case DevKind::Threshold: {
    const float x = acc[n] + bias[k];
    acc[n] = 0.0f;
    out = v[n] = x;
    if (p.kind == DevKind::Threshold) {
      const bool fire = crossesF(x, p.vThreshold[k], r.greaterEqual);
      p.spikes[n] = fire;
      return fire;
    }
    return false;
  }
  case DevKind::Membrane:
  case DevKind::Cuba: {
    const bool spiking = p.spiking;
    const float th = p.vThreshold[k];
    auto reset = [&](float vn) { return r.subtract ? vn - th : p.vReset[k]; };
    const float x = acc[n] + bias[k];
    acc[n] = 0.0f;
    if (r.multiSpike || r.synapseInputDecays || r.ifLowerClamp ||
        r.stateFracBits) {
      // The scalar profiles (Neurons.cpp, membraneMultiSpike and
      // membraneLavaDl): the same functions the CPU engine calls. Sinabs'
      // and Rockpool's rules take precedence, as there.
      ref::ScalarRules sr;
      sr.spiking = spiking;
      sr.cuba = p.kind == DevKind::Cuba;
      sr.synapseFirst = r.synapseFirst;
      sr.subtract = r.subtract;
      sr.greaterEqual = r.greaterEqual;
      sr.multiSpike = r.multiSpike;
      sr.synapseInputDecays = r.synapseInputDecays;
      sr.clamp = p.clamp;
      const ref::MembraneParams mp{p.alpha[k],   p.gainSyn[k],    p.beta[k],
                                   p.gainMem[k], p.gainDirect[k], p.leak[k],
                                   th,           p.vReset[k]};
      float unused = 0.0f;
      float &u = sr.cuba ? static_cast<float *>(p.u)[n] : unused;
      uint32_t events;
      if (r.multiSpike || r.synapseInputDecays || r.ifLowerClamp) {
        events = ref::multiSpikeStep(sr, mp, x, v[n], u);
      } else {
        const int q = r.stateFracBits;
        const ref::LavaDlScale scale{q, ldexp(1.0, q), ldexp(1.0, -q)};
        events = ref::lavaDlStep(sr, scale, mp, x, v[n], u);
      }
      if (spiking)
        p.spikes[n] = uint8_t(events);
      // A multi-spike population delivers its count (gatherEvents).
      out = p.multiSpike ? float(events) : v[n];
      return events != 0;
    }
    float vn = v[n];
    float over = 0.0f;
    if (spiking && r.nextStep && p.spikes[n])
      vn = reset(vn);
    if (spiking && r.carry)
      over = crossesF(vn, th, r.greaterEqual) ? 1.0f : 0.0f;
    if (p.kind == DevKind::Cuba) {
      float *u = static_cast<float *>(p.u);
      const float un =
          p.delta ? u[n] + p.kSyn[k] * ((p.iLeak[k] - u[n]) + p.wIn[k] * x)
                  : p.alpha[k] * u[n] + p.gainSyn[k] * x;
      const float drive = r.synapseFirst ? un : u[n];
      vn = p.delta ? vn + p.kMem[k] * ((p.vLeak[k] - vn) + p.r[k] * drive)
                   : p.beta[k] * vn + p.gainMem[k] * drive +
                         p.gainDirect[k] * x + p.leak[k];
      u[n] = un;
    } else if (p.delta) {
      vn = vn + p.kMem[k] * ((p.vLeak[k] - vn) + p.r[k] * x);
    } else {
      vn = p.beta[k] * vn + p.gainMem[k] * x + p.leak[k];
    }
    bool fire = false;
    if (spiking) {
      if (r.carry)
        vn = vn - over * th;
      fire = crossesF(vn, th, r.greaterEqual);
      if (!r.nextStep && !r.carry && fire)
        vn = reset(vn);
      if (r.carry)
        vn = vn - (float(fire) - over) * th;
      p.spikes[n] = fire;
    }
    out = v[n] = vn;
    return fire;
  }
  case DevKind::Receptor: {
    float drive = 0.0f, conductance = 0.0f;
    float *g0 = static_cast<float *>(p.u);
    for (uint32_t c = 0; c < p.channels; ++c) {
      const uint32_t kc = (p.receptorShared >> c) & 1u ? 0 : n;
      float *g = g0 + size_t(c) * p.size;
      float *x = acc + size_t(c) * p.size;
      if ((p.receptorAlpha >> c) & 1u) { // ReceptorNeurons.cpp, alphaPass
        float *y = g0 + size_t(p.recRiseSlot[c]) * p.size;
        const float yi = y[n] + x[n];
        x[n] = 0.0f;
        drive += p.recGain[c][kc] * g[n] + p.recGainRise[c][kc] * yi;
        g[n] = p.recDecay[c][kc] * g[n] + p.recRise[c][kc] * yi;
        y[n] = p.recDecay[c][kc] * yi;
        continue;
      }
      const float gi = g[n] + x[n];
      x[n] = 0.0f;
      const float cg = p.recGain[c][kc] * gi;
      if ((p.receptorConductance >> c) & 1u) {
        drive += cg * p.recReversal[c][kc];
        conductance += cg;
      } else {
        drive += cg;
      }
      g[n] = gi * p.recDecay[c][kc];
    }
    const float vo = v[n];
    const float integrated =
        p.beta[k] * vo + p.leak[k] + drive - vo * conductance;
    const int32_t refr = p.refractory[n];
    const bool held = refr > 0;
    float vn = held ? vo : integrated;
    const float th = p.vThreshold[k];
    const bool fire = !held && crossesF(vn, th, r.greaterEqual);
    if (fire)
      vn = r.subtract ? vn - th : p.vReset[k];
    p.refractory[n] = fire ? int32_t(p.refractorySteps) : max(refr - 1, 0);
    p.spikes[n] = fire;
    out = v[n] = vn;
    return fire;
  }
  case DevKind::Poisson:
    break;
  }
  return false;
}

/// Fixed-mode update (Neurons.cpp, membraneFixed and statelessFixed).
__device__ bool updateFixed(const DevPopulation &p, const DevRules &r,
                            uint32_t n, unsigned long long *accBits,
                            int32_t &out) {
  const uint32_t k = p.shared ? 0 : n;
  int32_t *v = static_cast<int32_t *>(p.v);
  const int bits = p.stateBits;
  const int64_t acc = int64_t(accBits[n]);
  switch (p.kind) {
  case DevKind::Source:
    out = v[n] = static_cast<const int32_t *>(p.input)[n];
    return false;
  case DevKind::Relay:
  case DevKind::Threshold: {
    const int64_t x = fp::saturate(fp::saturate(acc, bits) + p.vBias[k], bits);
    accBits[n] = 0;
    out = v[n] = int32_t(x);
    if (p.kind == DevKind::Threshold) {
      const bool fire = fp::crosses(x, p.fThreshold[k], r.greaterEqual);
      p.spikes[n] = fire;
      return fire;
    }
    return false;
  }
  case DevKind::Membrane:
  case DevKind::Cuba: {
    const bool spiking = p.spiking;
    const int64_t th = p.fThreshold[k], vReset = p.fReset[k];
    const int64_t x = fp::saturate(acc, bits);
    accBits[n] = 0;
    int64_t vn = v[n];
    bool over = false;
    if (spiking && r.nextStep && p.spikes[n])
      vn = fp::resetValue(vn, th, vReset, r.subtract, bits);
    if (spiking && r.carry)
      over = fp::crosses(vn, th, r.greaterEqual);
    if (p.kind == DevKind::Cuba) {
      int32_t *u = static_cast<int32_t *>(p.u);
      const int64_t un = fp::saturate(
          fp::decayState(u[n], p.decayU[k]) + x + p.uBias[k], bits);
      const int64_t drive = r.synapseFirst ? un : int64_t(u[n]);
      vn = fp::saturate(
          fp::decayState(int32_t(vn), p.decayV[k]) + drive + p.vBias[k], bits);
      u[n] = int32_t(un);
    } else {
      vn = fp::saturate(
          fp::decayState(int32_t(vn), p.decayV[k]) + x + p.vBias[k], bits);
    }
    bool fire = false;
    if (spiking) {
      if (r.carry)
        vn = fp::saturate(vn - (over ? th : 0), bits);
      fire = fp::crosses(vn, th, r.greaterEqual);
      if (!r.nextStep && !r.carry && fire)
        vn = fp::resetValue(vn, th, vReset, r.subtract, bits);
      if (r.carry)
        vn = fp::saturate(vn - (int64_t(fire) - int64_t(over)) * th, bits);
      p.spikes[n] = fire;
    }
    out = v[n] = int32_t(vn);
    return fire;
  }
  case DevKind::Receptor: // float only: the loader refuses it in fixed mode
  case DevKind::Poisson:
    break;
  }
  return false;
}

/// A PoissonSource neuron's count for `step` (runtime/reference/
/// PoissonSource.h): the same Philox word and table as the CPU engine.
__device__ uint32_t poissonCount(const DevPopulation &p, uint32_t n,
                                 long long step) {
  const DevTable t = p.tables[p.tableOf ? p.tableOf[n] : 0];
  if (t.size == 0)
    return t.first;
  const uint32_t word =
      ref::poissonWord({p.key0, p.key1}, n, (unsigned long long)step);
  return ref::poissonCount(p.thresholds + t.offset, t.size, t.first, word);
}

template <bool Fixed>
__global__ void __launch_bounds__(kBlock)
    updateKernel(DevNetwork net, UpdateLaunch launch, uint32_t k) {
  using State = typename Types<Fixed>::State;
  using Acc = typename Types<Fixed>::Acc;
  const long long step = *net.stepBase + k;
  const uint32_t parity = uint32_t(step & 1);
  if (launch.clearNext && blockIdx.x == 0)
    for (uint32_t i = threadIdx.x; i < net.numPops; i += blockDim.x)
      net.counts[(parity ^ 1u) * net.numPops + i] = 0;
  uint32_t li = 0;
  while (li + 1 < launch.count && blockIdx.x >= launch.blockStart[li + 1])
    ++li;
  const uint32_t pi = launch.index[li];
  const DevPopulation &p = net.pops[pi];
  const uint32_t n =
      (blockIdx.x - launch.blockStart[li]) * blockDim.x + threadIdx.x;
  bool fire = false, emit = false;
  State out{};
  if (n < p.size) {
    if (p.kind == DevKind::Poisson) {
      const uint32_t count = poissonCount(p, n, step);
      static_cast<State *>(p.v)[n] = State(count);
      p.spikes[n] = count > 0;
      out = State(count);
      fire = emit = count > 0;
    } else {
      Acc *acc = static_cast<Acc *>(p.ring) +
                 size_t(ringSlot(step, p.ringSlots)) * p.channels * p.size;
      if constexpr (Fixed)
        fire = updateFixed(p, p.rules, n, acc, out);
      else
        fire = updateFloat(p, p.rules, n, acc, step, out);
      if (p.spiking) {
        emit = fire;
      } else if (p.gatherOut) {
        // Nonzero as `v != 0` says: a float -0 is zero, NaN is not.
        uint32_t b;
        memcpy(&b, &out, 4);
        emit = (Fixed ? b : (b & 0x7fffffffu)) != 0;
      }
    }
  }
  const uint32_t mask = __ballot_sync(0xffffffffu, emit);
  if (mask == 0)
    return;
  const uint32_t lane = threadIdx.x & 31u;
  const uint32_t leader = __ffs(mask) - 1;
  uint32_t base = 0;
  if (lane == leader) {
    base = atomicAdd(&net.counts[parity * net.numPops + pi], __popc(mask));
    if (p.spiking)
      atomicAdd(net.spikeTotal, (unsigned long long)__popc(mask));
  }
  base = __shfl_sync(0xffffffffu, base, leader);
  if (emit) {
    const uint32_t pos = base + __popc(mask & ((1u << lane) - 1u));
    p.listIndex[pos] = n;
    if (p.listValue)
      static_cast<State *>(p.listValue)[pos] = out;
  }
}

template <bool Fixed>
__device__ inline typename Types<Fixed>::Acc
contribution(const DevProjection &pj, bool graded,
             typename Types<Fixed>::State value, typename Types<Fixed>::W w) {
  if constexpr (Fixed) {
    const int64_t c = graded ? fp::gradedContribution(value, w, pj.exponent,
                                                      pj.sourceFracBits)
                             : fp::weightValue(w, pj.exponent);
    return (unsigned long long)c;
  } else {
    return graded ? value * w : w;
  }
}

__device__ inline void addTo(float *a, float c) { atomicAdd(a, c); }
__device__ inline void addTo(unsigned long long *a, unsigned long long c) {
  atomicAdd(a, c);
}

/// Warps' work items of a projection with `count` events (DevMode).
__device__ inline uint32_t workItems(const DevProjection &pj, uint32_t count) {
  if (count == 0)
    return 0;
  switch (pj.mode) {
  case DevMode::PerTarget:
    return (pj.targetSize + 31) / 32;
  case DevMode::ThreadPerRow:
    return (count + 31) / 32;
  case DevMode::WarpPerRow:
    break;
  }
  return count;
}

template <bool Fixed>
__global__ void __launch_bounds__(kBlock)
    propagateKernel(DevNetwork net, PropagateLaunch launch, uint32_t k) {
  using State = typename Types<Fixed>::State;
  using Acc = typename Types<Fixed>::Acc;
  using W = typename Types<Fixed>::W;
  const long long step = *net.stepBase + k;
  const uint32_t parity = uint32_t(step & 1);
  // Work items per projection (loaded in parallel), then their prefix.
  __shared__ uint32_t prefix[kMaxPerLaunch + 1];
  if (threadIdx.x < launch.count) {
    const DevProjection &pj = net.projs[launch.index[threadIdx.x]];
    const uint32_t c = net.counts[parity * net.numPops + pj.source];
    prefix[threadIdx.x + 1] = workItems(pj, c);
  }
  __syncthreads();
  if (threadIdx.x == 0) {
    prefix[0] = 0;
    for (uint32_t i = 0; i < launch.count; ++i)
      prefix[i + 1] += prefix[i];
  }
  __syncthreads();
  const uint32_t total = prefix[launch.count];
  const uint32_t lane = threadIdx.x & 31u;
  const uint32_t warps = gridDim.x * (blockDim.x / 32);
  unsigned long long events = 0;
  for (uint32_t item = (blockIdx.x * blockDim.x + threadIdx.x) / 32;
       item < total; item += warps) {
    // The launch entry holding `item`: prefix[li] <= item < prefix[li + 1].
    uint32_t li = 0, hi = launch.count;
    while (hi - li > 1) {
      const uint32_t mid = (li + hi) / 2;
      if (item >= prefix[mid])
        li = mid;
      else
        hi = mid;
    }
    const uint32_t local = item - prefix[li];
    const DevProjection &pj = net.projs[launch.index[li]];
    const DevPopulation &src = net.pops[pj.source];
    const uint32_t count = net.counts[parity * net.numPops + pj.source];
    const bool graded = pj.graded;
    Acc *ring = static_cast<Acc *>(pj.ring);
    const uint32_t current = ringSlot(step, pj.slots);
    auto slotOf = [&](uint32_t delay) {
      const uint32_t s = current + delay; // delay <= slots
      return s >= pj.slots ? s - pj.slots : s;
    };
    auto eventValue = [&](uint32_t e) {
      return graded ? static_cast<const State *>(src.listValue)[e] : State{};
    };
    if (pj.type == DevConn::Dense) {
      const uint32_t i = local * 32 + lane;
      const W *dense = static_cast<const W *>(pj.dense);
      if (i < pj.targetSize) {
        Acc sum{};
        for (uint32_t e = 0; e < count; ++e) {
          const uint32_t j = src.listIndex[e];
          const Acc c = contribution<Fixed>(
              pj, graded, eventValue(e), dense[size_t(j) * pj.targetSize + i]);
          if (pj.delays)
            addTo(ring + size_t(slotOf(pj.delays[j])) * pj.slotStride + i, c);
          else
            sum += c;
        }
        if (!pj.delays)
          addTo(ring + size_t(slotOf(pj.delay)) * pj.slotStride + i, sum);
      }
      if (lane == 0)
        events +=
            (unsigned long long)count * min(32u, pj.targetSize - local * 32);
      continue;
    }
    // The event this lane delivers, and which part of its row: the whole
    // row (thread per row: lane l takes event 32 * local + l) or every
    // 32nd synapse from the lane's own (warp per row).
    uint32_t e = local, start = lane, stride = 32;
    bool counts = lane == 0; // adds the row's length to the statistics
    if (pj.mode == DevMode::ThreadPerRow) {
      e = local * 32 + lane;
      start = 0;
      stride = 1;
      counts = true;
      if (e >= count)
        continue;
    }
    const uint32_t j = src.listIndex[e];
    const State value = eventValue(e);
    const uint32_t first = slotOf(pj.delays ? pj.delays[j] : pj.delay);
    const W uniform = [&] {
      W w;
      memcpy(&w, &pj.weightBits, 4);
      return w;
    }();
    if (pj.type == DevConn::Sparse) {
      const uint32_t lo = pj.rowStart[j], hi = pj.rowStart[j + 1];
      const W *weights = static_cast<const W *>(pj.weights);
      const Acc cu = contribution<Fixed>(pj, graded, value, uniform);
      for (uint32_t q = lo + start; q < hi; q += stride) {
        const uint32_t t = pj.base + (pj.narrowTargets ? pj.narrowTargets[q]
                                                       : pj.wideTargets[q]);
        const Acc c = pj.uniform
                          ? cu
                          : contribution<Fixed>(pj, graded, value, weights[q]);
        uint32_t s = first;
        if (pj.synapseDelays) {
          s = first + pj.synapseDelays[q];
          s = s >= pj.slots ? s - pj.slots : s;
        }
        addTo(ring + size_t(s) * pj.slotStride + t, c);
      }
      if (counts)
        events += hi - lo;
      continue;
    }
    if (pj.type == DevConn::Procedural) {
      // Float mode only (the loader refuses fixed-mode Procedural
      // projections): the synapses of row j, regenerated by the code the
      // host expansion runs, each weight and delay drawn by its position
      // in the row. Every lane counts the positions it visited.
      if constexpr (!Fixed) {
        events += ref::forEachSynapse(
            pj.rule, j, start, stride, [&](uint32_t q, uint32_t t) {
              const W w =
                  pj.randomWeight
                      ? W(ref::sampleValue(pj.weightDist, pj.rule.key,
                                           ref::kStreamProceduralWeight, j, q))
                      : uniform;
              uint32_t s = first;
              if (pj.randomDelay) {
                s = first +
                    ref::delayToSteps(
                        ref::sampleValue(pj.delayDist, pj.rule.key,
                                         ref::kStreamProceduralDelay, j, q),
                        pj.dt);
                s = s >= pj.slots ? s - pj.slots : s;
              }
              addTo(ring + size_t(s) * pj.slotStride + t,
                    contribution<Fixed>(pj, graded, value, w));
            });
      }
      continue;
    }
    // Conv and pool: the window of output positions input j reaches
    // (Propagate.h inverts the cross-correlation the same way).
    const bool pool = pj.type == DevConn::Pool;
    const int32_t inPlane = pj.inH * pj.inW, plane = pj.outH * pj.outW;
    const int32_t c = int32_t(j) / inPlane, y = (int32_t(j) % inPlane) / pj.inW,
                  x = int32_t(j) % pj.inW;
    const int32_t inPerGroup = pj.inC / pj.groups,
                  outPerGroup = pj.outC / pj.groups;
    const int32_t group = c / inPerGroup, localC = c % inPerGroup;
    const W *kernel = static_cast<const W *>(pj.kernel);
    W poolW;
    memcpy(&poolW, &pj.poolWeightBits, 4);
    Acc *slot = ring + size_t(first) * pj.slotStride;
    const int32_t combos = pj.kh * pj.kw * outPerGroup;
    for (int32_t idx = int32_t(lane); idx < combos; idx += 32) {
      const int32_t ky = idx / (pj.kw * outPerGroup);
      const int32_t kx = (idx / outPerGroup) % pj.kw;
      const int32_t oc = group * outPerGroup + idx % outPerGroup;
      const int32_t ty = y + pj.ph - ky * pj.dh;
      const int32_t tx = x + pj.pw - kx * pj.dw;
      if (ty < 0 || ty % pj.sh != 0 || ty / pj.sh >= pj.outH || tx < 0 ||
          tx % pj.sw != 0 || tx / pj.sw >= pj.outW)
        continue;
      const int32_t t = oc * plane + (ty / pj.sh) * pj.outW + tx / pj.sw;
      const W w =
          pool ? poolW
               : kernel[((oc * inPerGroup + localC) * pj.kh + ky) * pj.kw + kx];
      addTo(slot + t, contribution<Fixed>(pj, graded, value, w));
      ++events;
    }
  }
  events = __reduce_add_sync(0xffffffffu, unsigned(events));
  if (lane == 0 && events)
    atomicAdd(net.eventTotal, events);
}

template <bool Fixed>
__global__ void __launch_bounds__(kBlock)
    recordKernel(DevNetwork net, uint32_t k) {
  using State = typename Types<Fixed>::State;
  const long long step = *net.stepBase + k;
  const uint32_t parity = uint32_t(step & 1);
  if (blockIdx.x < net.numRec) {
    const uint32_t p = net.recPops[blockIdx.x];
    const uint32_t count = net.counts[parity * net.numPops + p];
    __shared__ unsigned long long base;
    if (threadIdx.x == 0) {
      base = count ? atomicAdd(net.recCursor, (unsigned long long)count) : 0;
      uint32_t *row = net.recTable + 2 * (size_t(k) * net.numRec + blockIdx.x);
      row[0] = uint32_t(base);
      row[1] = count;
    }
    __syncthreads();
    const uint32_t *list = net.pops[p].listIndex;
    for (uint32_t i = threadIdx.x; i < count; i += blockDim.x)
      net.recIndex[base + i] = list[i];
    return;
  }
  const uint32_t w = (blockIdx.x - net.numRec) * blockDim.x + threadIdx.x;
  if (w >= net.numWatch)
    return;
  const DevPopulation &p = net.pops[net.watchPop[w]];
  const State s = static_cast<const State *>(p.v)[net.watchNeuron[w]];
  float out;
  if constexpr (Fixed)
    out = fp::fromFixed(s, p.fracBits);
  else
    out = s;
  net.watchOut[size_t(k) * net.numWatch + w] = out;
}

__global__ void setStepKernel(long long *stepBase, long long step) {
  *stepBase = step;
}

} // namespace

int launchSetStep(void *stream, long long *stepBase, long long step) {
  setStepKernel<<<1, 1, 0, cudaStream_t(stream)>>>(stepBase, step);
  return int(cudaGetLastError());
}

int launchUpdate(void *stream, bool fixed, const DevNetwork &net,
                 const UpdateLaunch &launch, uint32_t k, uint32_t blocks) {
  if (fixed)
    updateKernel<true>
        <<<blocks, kBlock, 0, cudaStream_t(stream)>>>(net, launch, k);
  else
    updateKernel<false>
        <<<blocks, kBlock, 0, cudaStream_t(stream)>>>(net, launch, k);
  return int(cudaGetLastError());
}

int launchPropagate(void *stream, bool fixed, const DevNetwork &net,
                    const PropagateLaunch &launch, uint32_t k,
                    uint32_t blocks) {
  if (fixed)
    propagateKernel<true>
        <<<blocks, kBlock, 0, cudaStream_t(stream)>>>(net, launch, k);
  else
    propagateKernel<false>
        <<<blocks, kBlock, 0, cudaStream_t(stream)>>>(net, launch, k);
  return int(cudaGetLastError());
}

int launchRecord(void *stream, bool fixed, const DevNetwork &net, uint32_t k) {
  const uint32_t blocks = net.numRec + (net.numWatch + kBlock - 1) / kBlock;
  if (blocks == 0)
    return 0;
  if (fixed)
    recordKernel<true><<<blocks, kBlock, 0, cudaStream_t(stream)>>>(net, k);
  else
    recordKernel<false><<<blocks, kBlock, 0, cudaStream_t(stream)>>>(net, k);
  return int(cudaGetLastError());
}

} // namespace snnc::cuda
