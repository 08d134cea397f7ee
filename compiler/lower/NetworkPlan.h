//===- NetworkPlan.h - A discretized network as populations -----*- C++ -*-===//
//
// The lowering of a discretized snn.network (snn-discretize has run) to what
// an engine executes: populations of neurons and projections between them,
// convolutions and pools kept as kernels. It is the in-memory form of a
// .snnb artifact before the numeric mode is applied (ArtifactWriter.cpp).
//
//===----------------------------------------------------------------------===//
#ifndef SNNC_COMPILER_LOWER_NETWORKPLAN_H
#define SNNC_COMPILER_LOWER_NETWORKPLAN_H

#include "snnc/runtime/Procedural.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Support/LogicalResult.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace snnc {

enum class PopKind {
  Source,
  Relay,
  LIF,
  CubaLIF,
  IF,
  LI,
  CubaLI,
  Integrator,
  Threshold,
  ReceptorLIF,  ///< snn.discrete_receptor_lif
  PoissonSource ///< snn.poisson_source
};

const char *popKindName(PopKind k);
/// The kind's name in the artifact, the nmc dialect and target
/// descriptions ("LIF", "CubaLIF", "PoissonSource", ...).
const char *popKindId(PopKind k);
/// The kind of such a name; false for an unknown one.
bool popKindFromId(const std::string &id, PopKind &kind);
bool isSpiking(PopKind k);
bool isCurrentBased(PopKind k);

/// One channel of a ReceptorLIF population (per-step constants).
struct PlanReceptor {
  std::string name;
  bool conductance = false;
  bool delta = false; ///< a delta receptor (decay 0): for reports only
  /// An alpha receptor: its rise state takes the events and feeds g
  /// (gainRise, rise; docs/discretization.md §7).
  bool alpha = false;
  /// An injection receptor: a current fed by an input acts in the step it
  /// is given (LowerExtensions.cpp, lowerReceptor).
  bool injection = false;
  std::vector<float> decay, gain, reversal; ///< one value or one per neuron
  std::vector<float> gainRise, rise;        ///< alpha only
};

/// A population's parameters in fixed point (docs/fixed-point.md), as
/// nmc-quantize chose them: state units of 2^-fracBits, saturated to
/// stateBits; decays as 12-bit fractions. Each array holds one value or
/// one per neuron, except vInit (always one per neuron when present).
struct PlanFixedNeuron {
  int stateBits = 24, fracBits = 0;
  std::vector<uint16_t> decayU, decayV;
  std::vector<int32_t> uBias, vBias, vThreshold, vReset, vInit;
};

/// A projection's weights in fixed point: mantissas of weightBits with one
/// exponent (a pool: no mantissas, the exponent is its power-of-two
/// scale), and what quantizing them did.
struct PlanFixedWeights {
  int weightBits = 8, exponent = 0;
  std::vector<int16_t> mantissas;
  int64_t weights = 0, roundedToZero = 0, clipped = 0;
};

struct PlanPopulation {
  std::string name;
  PopKind kind = PopKind::Relay;
  std::vector<int64_t> shape;
  int64_t size = 0;
  // One value (shared) or `size` values each; see runtime/schema/snnb.fbs.
  std::vector<float> alpha{0.f}, beta{1.f}, gainSyn{1.f}, gainMem{1.f},
      gainDirect{0.f}, leak{0.f}, bias{0.f}, vThreshold{1.f}, vReset{0.f},
      vInit{0.f};
  /// The bias of step 0 where the profile delays some bias (absent: bias
  /// from step 0); one value or `size`.
  std::vector<float> firstBias;
  /// The delta form (Discretization::deltaForm; LIF, LI, CubaLIF, CubaLI):
  /// k_mem, k_syn, r, w_in, v_leak, i_leak, one value or `size` each;
  /// all empty when the population updates in decay form.
  std::vector<float> deltaKMem, deltaKSyn, deltaR, deltaWIn, deltaVLeak,
      deltaILeak;
  /// This population's reset rule where it differs from the network's
  /// (spiking kinds; unset: Discretization::resetSubtract).
  std::optional<bool> resetSubtract;
  std::vector<PlanReceptor> receptors; ///< ReceptorLIF only
  uint32_t refractorySteps = 0;        ///< ReceptorLIF only
  /// A receptor LIF population with only delta receptors and no refractory
  /// period is the LIF kind (gain_mem = the receptors' common gain): their
  /// names, which projections still name, all meaning its one input.
  std::vector<std::string> deltaReceptors;
  std::vector<float> rate;              ///< PoissonSource only (Hz)
  uint64_t seed = 0;                    ///< PoissonSource only
  std::optional<PlanFixedNeuron> fixed; ///< set by nmc-quantize
  mlir::LocationAttr loc; ///< the op it came from (diagnostics); may be null
};

struct PlanProjection {
  /// Procedural: an snn.connect rule kept unexpanded (`rule`); the
  /// runtime expands it at load.
  enum Kind { Dense, Sparse, Conv, Pool, Procedural };
  std::string name;
  uint32_t source = 0, target = 0;
  Kind kind = Dense;
  std::vector<float> weights; ///< dense [pre][post], sparse values, kernel
  std::vector<uint32_t> rowStart, targets; ///< sparse CSR by source neuron
  std::vector<int64_t> inShape, outShape, kernelShape, stride, padding,
      dilation;
  int64_t groups = 1;
  float poolScale = 1.f;
  std::vector<uint32_t> delaySteps{0}; ///< one value or one per source
  /// Sparse only: per-synapse extra delay in steps (empty: none).
  std::vector<uint16_t> synapseDelays;
  uint8_t receptor = 0; ///< the target's receptor (ReceptorLIF targets)
  bool recurrent = false;
  /// snn.sparse / snn.connect: always read the source's previous step, so
  /// an event emitted in step t acts in step t + 1 + delay (Brian2's rule).
  bool previousStep = false;
  /// snn.connect: how long the generator took (for --report), seconds.
  double expansionSeconds = 0;
  procedural::ConnectSpec rule; ///< Procedural only
  /// Procedural only: the exact count or, for fixed probability, the mean.
  int64_t expectedSynapses = 0;
  std::optional<PlanFixedWeights> fixed; ///< set by nmc-quantize
  mlir::LocationAttr loc; ///< the op it came from (diagnostics); may be null
  /// Synapses this projection holds (kernel positions count once).
  int64_t synapses() const;
};

struct PlanPort {
  std::string name;
  uint32_t population = 0;
  std::vector<int64_t> shape;
};

struct Discretization {
  std::string profile = "exact";
  double dt = 1e-4;
  bool resetSubtract = false;
  bool resetNextStep = false;
  bool resetCarry = false;
  /// Extra steps on every non-recurrent projection (Lava's channel delay).
  int projectionDelay = 0;
  bool greaterEqual = false;
  bool synapseFirst = false;
  /// lava-dl's integer states of 2^-n; 0: float32 states.
  int stateFracBits = 0;
  /// Sinabs/Rockpool: several events per step; I = alpha * (I + x).
  bool multiSpike = false;
  bool synapseInputDecays = false;
  /// Euler, Norse: leaky kinds update in delta form (PlanPopulation::
  /// deltaKMem...).
  bool deltaForm = false;
  bool ifLowerClamp = false; ///< Sinabs' IF: v >= -threshold
};

/// The program mapped onto a target (nmc.mapping, routed): what the
/// artifact's Mapping table holds (runtime/schema/snnb.fbs).
struct PlanMapping {
  struct Route {
    uint32_t key = 0, mask = 0, links = 0;
    std::vector<uint32_t> cores; ///< positions on the chip
  };
  struct Chip {
    /// (-1, -1) as uint32 before placement: the pseudo-chip of all cores.
    uint32_t x = 0, y = 0, entriesBeforeCompression = 0;
    std::vector<Route> routes;
  };
  struct Slice {
    uint32_t population = 0, lo = 0, hi = 0;
  };
  struct Core {
    uint32_t chip = 0; ///< index into chips
    uint32_t index = 0;
    std::vector<Slice> slices;
    uint32_t neurons = 0;
    uint64_t synapses = 0, synapseWords = 0;
    uint32_t fanIn = 0, fanOut = 0, key = 0, mask = 0;
  };
  std::string target, targetJson;
  std::string stage; ///< "partitioned", "placed" or "routed"
  uint32_t meshWidth = 0, meshHeight = 0, coresPerChip = 0;
  std::vector<Chip> chips;
  std::vector<Core> cores; ///< by id
};

/// How a plan was quantized (nmc-quantize): the formats and what needs
/// the user's attention (clipped parameters, decays that round far).
struct PlanQuantization {
  std::string target;
  int weightBits = 8, stateBits = 24, sourceFracBits = 12;
  int64_t clippedParameters = 0; ///< thresholds, resets, biases, v_init
  std::vector<std::string> notes;
};

struct NetworkPlan {
  std::string network;
  Discretization discretization;
  std::vector<PlanPopulation> populations; ///< in evaluation order
  std::vector<PlanProjection> projections;
  std::vector<PlanPort> inputs, outputs;
  std::optional<PlanMapping> mapping;           ///< set for a mapped program
  std::optional<PlanQuantization> quantization; ///< set for fixed mode
};

/// How procedural connectivity (snn.connect) is expanded.
struct LowerOptions {
  unsigned threads = 0; ///< 0: every core
  /// Where snn.connect is expanded: Compile (explicit synapses in the
  /// artifact), Load (the rule in the artifact, expanded by the runtime),
  /// or Auto (at compile time up to autoLimit synapses, else at load).
  enum class Expand { Auto, Compile, Load } expand = Expand::Auto;
  uint64_t autoLimit = uint64_t(1) << 20;
  /// Refuse an expansion whose synapses would need more memory than this.
  uint64_t memoryBudgetBytes = uint64_t(8) << 30;
};

/// Lowers the first snn.network of `module`, which must be discretized.
/// Errors are emitted at the offending op.
mlir::LogicalResult lowerToPlan(mlir::ModuleOp module, NetworkPlan &plan,
                                const LowerOptions &options = {});

} // namespace snnc

#endif // SNNC_COMPILER_LOWER_NETWORKPLAN_H
