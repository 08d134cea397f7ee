//===- DeviceModel.h - What the CUDA kernels see of a network ---*- C++ -*-===//
//
// Plain structs of device pointers and scalars, filled on the host by
// CudaEngine.cpp from the shared model (backends/model/Model.h) and copied
// to the device once; the kernels (Kernels.cu) read nothing else. No CUDA or
// FlatBuffers header is needed to include this file, so host code compiled
// by the C++ compiler and device code compiled by nvcc share it.
//
// Units and rules are the CPU engine's (backends/cpu/CpuEngine.h): float
// state in network units, fixed state as integers of the population's
// frac_bits, accumulators float (float mode) or int64 wrapping (fixed).
//
//===----------------------------------------------------------------------===//
#ifndef SNNC_BACKENDS_CUDA_DEVICEMODEL_H
#define SNNC_BACKENDS_CUDA_DEVICEMODEL_H

#include "ProceduralRow.h"

#include <cstddef>
#include <cstdint>

namespace snnc::cuda {

/// Population kinds as the kernels branch on them (a whole launch block
/// holds one population, so the branch is uniform).
enum class DevKind : uint32_t {
  Source,
  Relay,
  Threshold,
  Membrane, ///< LIF, IF (spiking) or LI, Integrator
  Cuba,     ///< CubaLIF (spiking) or CubaLI
  Receptor, ///< ReceptorLIF, float only
  Poisson,
};

/// Receptor channels a ReceptorLIF may have on the device.
constexpr uint32_t kMaxReceptors = 8;

/// Discretization flags (Model.h's Rules).
struct DevRules {
  uint32_t subtract = 0, nextStep = 0, carry = 0, greaterEqual = 0,
           synapseFirst = 0;
  /// Sinabs' and Rockpool's rules and lava-dl's integer states (float mode,
  /// same-step reset; runtime/reference/NeuronRules.h).
  uint32_t multiSpike = 0, synapseInputDecays = 0, ifLowerClamp = 0;
  int32_t stateFracBits = 0;
};

struct DevTable {
  uint32_t offset = 0, size = 0, first = 0;
};

struct DevPopulation {
  DevKind kind = DevKind::Source;
  uint32_t size = 0;
  uint32_t spiking = 0;
  uint32_t shared = 1;    ///< parameters hold one value each
  uint32_t gatherOut = 0; ///< graded kind with outgoing projections
  uint32_t channels = 1, ringSlots = 1;
  uint32_t refractorySteps = 0;
  /// Rules::multiSpike on a spiking membrane kind: the spike byte holds the
  /// event count, delivered as a graded value (listValue holds it).
  uint32_t multiSpike = 0;
  /// Rules::ifLowerClamp applies (an IF population): v >= -threshold.
  uint32_t clamp = 0;
  /// The network's rules with this population's own reset applied
  /// (model::PopulationModel::rules).
  DevRules rules;
  // State; `State` is float or int32_t, `Acc` float or int64_t (as bytes).
  void *v = nullptr;
  void *u = nullptr; ///< Cuba current, or channels x size receptor states
  int32_t *refractory = nullptr;
  void *input = nullptr; ///< Source values (State)
  uint8_t *spikes = nullptr;
  void *ring = nullptr; ///< ringSlots x channels x size accumulators (Acc)
  /// This step's outputs: indices (and values of graded kinds and Poisson
  /// counts), in no particular order; counts live in the engine's count
  /// array, two per population (step parity).
  uint32_t *listIndex = nullptr;
  void *listValue = nullptr; ///< State
  // Float parameters (1 or size values each).
  const float *alpha = nullptr, *beta = nullptr, *gainSyn = nullptr,
              *gainMem = nullptr, *gainDirect = nullptr, *leak = nullptr,
              *bias = nullptr, *vThreshold = nullptr, *vReset = nullptr;
  /// Population.first_bias: read instead of `bias` at step 0, or null.
  const float *firstBias = nullptr;
  /// The delta form (model::FloatParams::delta): v + kMem*((vLeak - v) +
  /// r*J), I + kSyn*((iLeak - I) + wIn*x).
  uint32_t delta = 0;
  const float *kMem = nullptr, *kSyn = nullptr, *r = nullptr, *wIn = nullptr,
              *vLeak = nullptr, *iLeak = nullptr;
  // Fixed parameters.
  int32_t stateBits = 24, fracBits = 0;
  const uint32_t *decayU = nullptr, *decayV = nullptr;
  const int32_t *uBias = nullptr, *vBias = nullptr, *fThreshold = nullptr,
                *fReset = nullptr;
  // ReceptorLIF channels.
  uint32_t receptorShared = 0;      ///< bit c: channel c's params shared
  uint32_t receptorConductance = 0; ///< bit c: channel c is a conductance
  const float *recDecay[kMaxReceptors] = {}, *recGain[kMaxReceptors] = {},
              *recReversal[kMaxReceptors] = {};
  /// Alpha receptors (bit c): the rise state of channel c is state array
  /// recRiseSlot[c] of u; its events go there.
  uint32_t receptorAlpha = 0;
  uint32_t recRiseSlot[kMaxReceptors] = {};
  const float *recGainRise[kMaxReceptors] = {}, *recRise[kMaxReceptors] = {};
  // PoissonSource.
  uint32_t key0 = 0, key1 = 0;
  const DevTable *tables = nullptr;
  const uint32_t *thresholds = nullptr;
  const uint32_t *tableOf = nullptr; ///< null: tables[0] for every neuron
};

enum class DevConn : uint32_t { Dense, Sparse, Conv, Pool, Procedural };

/// How a projection's events are spread over the propagate kernel's warps
/// (chosen on the host per projection, CudaEngine.h's Propagation):
/// PerTarget: 32 targets of a dense projection per warp, each lane summing
/// every event of its target; WarpPerRow: one event per warp, the lanes
/// over its row (or convolution window); ThreadPerRow: 32 events per warp,
/// each lane walking its event's row alone.
enum class DevMode : uint32_t { PerTarget, WarpPerRow, ThreadPerRow };

struct DevProjection {
  DevConn type = DevConn::Sparse;
  DevMode mode = DevMode::WarpPerRow;
  uint32_t source = 0, target = 0;
  uint32_t graded = 0; ///< deliver value * weight (graded or Poisson source)
  uint32_t sourceSize = 0, targetSize = 0;
  uint32_t delay = 0;
  const uint32_t *delays = nullptr; ///< per source neuron, or null
  // Target ring, this projection's receptor channel already added.
  void *ring = nullptr;
  size_t slotStride = 0; ///< elements between ring slots
  uint32_t slots = 1;
  // Sparse rows.
  const uint32_t *rowStart = nullptr;
  const uint16_t *narrowTargets = nullptr; ///< else wideTargets
  const uint32_t *wideTargets = nullptr;
  uint32_t base = 0;
  uint32_t uniform = 0;
  int32_t weightBits = 0;        ///< the uniform weight (float or int32 bits)
  const void *weights = nullptr; ///< per synapse (W)
  const uint16_t *synapseDelays = nullptr; ///< per synapse, or null
  // Dense [source][target] (W).
  const void *dense = nullptr;
  // Conv and pool.
  int32_t inC = 0, inH = 0, inW = 0, outC = 0, outH = 0, outW = 0;
  int32_t kh = 1, kw = 1, sh = 1, sw = 1, ph = 0, pw = 0, dh = 1, dw = 1;
  int32_t groups = 1;
  const void *kernel = nullptr; ///< W
  int32_t poolWeightBits = 0;
  // Fixed mode.
  int32_t exponent = 0, sourceFracBits = 0;
  // Procedural (float mode): the row of each spiking source is regenerated
  // (runtime/reference/ProceduralRow.h); a constant weight is weightBits.
  ref::RowRule rule;
  uint32_t randomWeight = 0, randomDelay = 0;
  ref::ValueDistribution weightDist, delayDist;
  double dt = 0;
};

/// Populations or projections of one launch; at most kMaxPerLaunch.
constexpr uint32_t kMaxPerLaunch = 64;

struct UpdateLaunch {
  uint32_t count = 0;
  uint32_t index[kMaxPerLaunch] = {};
  uint32_t blockStart[kMaxPerLaunch + 1] = {}; ///< prefix of blocks
  /// Clears the other parity's list counts (first launch of a step).
  uint32_t clearNext = 0;
};

struct PropagateLaunch {
  uint32_t count = 0;
  uint32_t index[kMaxPerLaunch] = {};
};

/// Device-wide pointers every kernel shares.
struct DevNetwork {
  const DevPopulation *pops = nullptr;
  const DevProjection *projs = nullptr;
  uint32_t numPops = 0;
  uint32_t *counts = nullptr; ///< [2][numPops]: list lengths per parity
  unsigned long long *spikeTotal = nullptr, *eventTotal = nullptr;
  const long long *stepBase = nullptr; ///< step of offset 0 of a batch
  // Batched recording: per batch step k and recorded population r,
  // recTable[k * numRec + r] = (offset, count) into recIndex.
  uint32_t numRec = 0;
  const uint32_t *recPops = nullptr;
  unsigned long long *recCursor = nullptr;
  uint32_t *recTable = nullptr; ///< pairs
  uint32_t *recIndex = nullptr;
  // Watched state: per batch step k, numWatch floats of (population, neuron).
  uint32_t numWatch = 0;
  const uint32_t *watchPop = nullptr, *watchNeuron = nullptr;
  float *watchOut = nullptr;
};

/// Threads per block of every kernel.
constexpr uint32_t kBlock = 256;

// Launchers (Kernels.cu); each enqueues on `stream` (a cudaStream_t) and
// returns the cudaError_t of the launch as an int.
int launchSetStep(void *stream, long long *stepBase, long long step);
int launchUpdate(void *stream, bool fixed, const DevNetwork &net,
                 const UpdateLaunch &launch, uint32_t k, uint32_t blocks);
int launchPropagate(void *stream, bool fixed, const DevNetwork &net,
                    const PropagateLaunch &launch, uint32_t k, uint32_t blocks);
int launchRecord(void *stream, bool fixed, const DevNetwork &net, uint32_t k);

} // namespace snnc::cuda

#endif // SNNC_BACKENDS_CUDA_DEVICEMODEL_H
