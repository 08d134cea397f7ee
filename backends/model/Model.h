//===- Model.h - The artifact rearranged for an engine ----------*- C++ -*-===//
//
// Shared by the cpu and cuda backends (which never depend on each other).
// Built once per engine from a verified Program: per-neuron parameters as
// flat arrays, synapse rows split by the thread that owns their targets
// (Procedural projections expanded into such rows, ModelRows.h),
// delays folded with the recurrent step, and each population's slice of
// neurons per thread. Everything the step loop touches is here, copied out
// of the FlatBuffer so the engine does not depend on the Program's lifetime.
// Immutable once built; shared read-only by the engine's threads.
//
//===----------------------------------------------------------------------===//
#ifndef SNNC_BACKENDS_MODEL_MODEL_H
#define SNNC_BACKENDS_MODEL_MODEL_H

#include "Philox.h"
#include "snnc/runtime/Procedural.h"
#include "snnc/runtime/Program.h"
#include "snnc/schema/snnb_generated.h"

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace snnc::model {

/// Half-open neuron index range [lo, hi).
struct Range {
  uint32_t lo = 0, hi = 0;
  uint32_t size() const { return hi - lo; }
};

/// Splits every population into `parts` contiguous slices, one per
/// thread, so that each thread gets about the same number of neurons in
/// all (a small population may go to one thread whole). Boundaries inside
/// a population are multiples of 64 neurons, so slices start on cache
/// lines in every per-neuron array (bytes, floats or int64s).
std::vector<std::vector<Range>>
splitPopulations(const std::vector<uint32_t> &sizes, unsigned parts);

/// The discretization flags every update kernel needs.
struct Rules {
  bool subtract = false; ///< ResetMode::Subtract (else ToReset)
  /// Exactly one timing holds. Carry with ToReset is SameStep: snnTorch's
  /// carried term only exists for subtraction.
  bool sameStep = true;      ///< ResetTiming::SameStep
  bool nextStep = false;     ///< ResetTiming::NextStep
  bool carry = false;        ///< ResetTiming::Carry with Subtract
  bool greaterEqual = false; ///< Comparison::GreaterEqual (else Greater)
  bool synapseFirst = false; ///< CubaOrder::SynapseFirst (else MembraneFirst)
  /// Discretization.state_frac_bits: 0, float32 states; n, lava-dl's
  /// integer states of 2^-n (only with sameStep; Program checks it).
  int stateFracBits = 0;
  /// Discretization.multi_spike, .synapse_input_decays (Sinabs, Rockpool;
  /// float mode, sameStep only: Program checks it).
  bool multiSpike = false;
  bool synapseInputDecays = false;
  bool ifLowerClamp = false; ///< Discretization.if_lower_clamp (IF only)
};

/// Float parameters; each array holds 1 value when `shared`, else `size`,
/// except vInit, which always holds `size` (only reset() reads it, so
/// per-neuron initial values leave the step's parameters shared), and
/// firstBias, which is empty when step 0 has `bias` too (else it holds
/// as many values as bias: the kernels read it instead at step 0).
struct FloatParams {
  bool shared = true;
  std::vector<float> alpha, beta, gainSyn, gainMem, gainDirect, leak, bias,
      vThreshold, vReset, vInit, firstBias;
  /// Population.delta (Euler's and Norse's delta form): the kernels update
  /// v + kMem*((vLeak - v) + r*J) and I + kSyn*((iLeak - I) + wIn*x)
  /// instead of the decay form. Empty when `delta` is false.
  bool delta = false;
  std::vector<float> kMem, kSyn, r, wIn, vLeak, iLeak;
};

/// Fixed parameters in state units (thresholds, resets and initial values
/// already saturated to state_bits); 1 value each when `shared`, except
/// vInit (always `size`).
struct FixedParams {
  bool shared = true;
  int stateBits = 24, fracBits = 0;
  std::vector<uint32_t> decayU, decayV;
  std::vector<int32_t> uBias, vBias, vThreshold, vReset, vInit;
};

/// One channel of a ReceptorLIF population (float mode only); each array
/// holds 1 value when `shared`, else `size`.
struct ReceptorModel {
  bool conductance = false;
  bool shared = true;
  std::vector<float> decay, gain, reversal;
  /// An alpha receptor (ReceptorType::Alpha): its rise state, the events'
  /// channel, lives in state slot `riseSlot` (after the channels' own
  /// states); gainRise and rise as the schema says.
  bool alpha = false;
  uint32_t riseSlot = 0;
  std::vector<float> gainRise, rise;
};

/// A PoissonSource's generator (runtime/reference/PoissonSource.h): its
/// key, one table of CDF thresholds per distinct rate, and each neuron's
/// table when the rates differ.
struct PoissonModel {
  struct Table {
    uint32_t offset = 0, size = 0; ///< thresholds[offset, offset + size)
    uint32_t first = 0;            ///< the count below every threshold
  };
  ref::PhiloxKey key{};
  std::vector<Table> tables;
  std::vector<uint32_t> thresholds; ///< every table, concatenated
  std::vector<uint32_t> tableOf;    ///< per neuron; empty: tables[0] for all
};

struct PopulationModel {
  snnb::NeuronKind kind = snnb::NeuronKind::Source;
  uint32_t size = 0;
  bool spiking = false; ///< LIF, CubaLIF, IF, Threshold, ReceptorLIF
  bool cuba = false;    ///< has a synaptic current (CubaLIF, CubaLI)
  /// PoissonSource: spiking (a neuron with events is in the spike list),
  /// but its output is the number of events, delivered as a graded value.
  bool counts = false;
  /// A spiking kind under Rules::multiSpike: its spike bytes hold the
  /// number of events n, delivered as a graded value (n * w).
  bool multiSpike = false;
  PoissonModel poisson; ///< PoissonSource
  /// Input channels: the receptors of a ReceptorLIF, else 1. The ring holds
  /// ringSlots x channels accumulator arrays, slot-major.
  uint32_t channels = 1;
  std::vector<ReceptorModel> receptors; ///< ReceptorLIF
  /// ReceptorLIF: state arrays of `size` it holds, one per channel plus one
  /// rise state per alpha receptor (the engines allocate this many).
  uint32_t stateChannels = 1;
  uint32_t refractorySteps = 0; ///< ReceptorLIF
  /// Input ring buffer depth: the longest delay (recurrent edges count one
  /// more, per-synapse delays add in) of any projection into this population,
  /// plus one if that projection delivers within the step (see buildModel); at
  /// least 1.
  uint32_t ringSlots = 1;
  /// The network's rules with this population's own reset rule
  /// (Population.reset) applied: what its update kernel follows.
  Rules rules;
  std::vector<uint32_t> outgoing; ///< projection indices, ascending
  std::vector<Range> slices;      ///< per thread
  FloatParams flt;
  FixedParams fix;
};

/// Sparse rows restricted to one thread's targets, in the artifact's order,
/// stored as compactly as the block allows: targets as 16-bit offsets from
/// `base` when the thread's slice spans at most 65,536 neurons (else 32-bit
/// indices), and no weights at all when every weight of the block is the
/// same. Propagation streams these arrays, so bytes per synapse (2 to 8)
/// decide its speed on large networks.
template <typename W> struct RowBlock {
  std::vector<uint32_t> start; ///< source size + 1 offsets
  uint32_t base = 0;           ///< targets are relative to it
  bool narrow = false;         ///< targets in `narrowTargets`
  std::vector<uint16_t> narrowTargets;
  std::vector<uint32_t> wideTargets;
  bool uniform = false; ///< every synapse has `weight`; `weights` is empty
  W weight{};
  std::vector<W> weights;
  /// Sparse.delays of each synapse, in steps (added to the event's delay);
  /// empty unless the projection has per-synapse delays.
  std::vector<uint16_t> delays;
};

/// Conv and pool geometry; a pool is a conv with one input channel per
/// output channel and a kernel of ones.
struct Window {
  int64_t inC = 0, inH = 0, inW = 0, outC = 0, outH = 0, outW = 0;
  int64_t kh = 1, kw = 1, sh = 1, sw = 1, ph = 0, pw = 0, dh = 1, dw = 1;
  int64_t groups = 1;
};

/// W is float (float mode) or int32_t (fixed-mode mantissas).
template <typename W> struct ProjectionModel {
  uint32_t source = 0, target = 0;
  uint32_t receptor = 0; ///< target channel (ReceptorLIF), else 0
  /// Delivers within the step of its source (some delay is 0): propagated
  /// right after the source updates, before later populations read it.
  /// Every other projection is propagated after all updates of the step.
  bool immediate = false;
  uint32_t sourceSize = 0, targetSize = 0;
  snnb::Connectivity type = snnb::Connectivity::NONE;
  /// Steps from the source's step to the step whose input receives the
  /// event: delay_steps, plus one when recurrent. `delays` is empty when
  /// every source neuron shares `delay`.
  uint32_t delay = 0;
  std::vector<uint32_t> delays;
  /// Sparse.delays present: each synapse adds its own delay (RowBlock::
  /// delays) and the projection takes the per-synapse kernel.
  bool synapseDelays = false;
  std::vector<W> dense;          ///< [source][target]
  std::vector<RowBlock<W>> rows; ///< sparse, per thread
  Window window;                 ///< conv and pool
  std::vector<W> kernel;         ///< conv, [C_out][C_in/groups][kh][kw]
  W poolWeight{};                ///< pool: scale (float) or 1 (fixed)
  int exponent = 0;              ///< fixed: shared weight exponent
  int sourceFracBits = 0;        ///< fixed: scale of graded sources
  /// type Procedural (only when buildModel's keepProcedural asked for it):
  /// the rule, left unexpanded for an engine that regenerates each row
  /// (runtime/reference/ProceduralRow.h). A Constant delay is folded into
  /// `delay` / `delays` as for an expanded projection; other delays make
  /// `synapseDelays` true, with the ring sized for their largest value.
  procedural::ConnectSpec spec;
};

template <typename W> struct Model {
  bool fixed = false;
  Rules rules;
  std::vector<PopulationModel> populations;
  std::vector<ProjectionModel<W>> projections;
};

/// Engine::readReceptorState's argument check: ok when `population` is a
/// ReceptorLIF population of `m` with a receptor `receptor`, else
/// invalid-argument beginning with `backend`.
template <typename W>
Status checkReceptor(const Model<W> &m, uint32_t population, uint32_t receptor,
                     const char *backend) {
  if (population < m.populations.size() &&
      m.populations[population].kind == snnb::NeuronKind::ReceptorLIF &&
      receptor < m.populations[population].channels)
    return Status::ok();
  return invalidArgument(std::string(backend) + ": population " +
                         std::to_string(population) + " has no receptor " +
                         std::to_string(receptor));
}

/// Builds the model of `program` for a team of `threads`, expanding its
/// Procedural projections with as many threads. W must match the program's
/// mode: float for Float, int32_t for Fixed. Fails when an expansion does
/// not fit the program's expansion budget; throws std::bad_alloc when
/// memory runs out (makeCpuEngine turns it into a Status).
/// `backend` ("cpu", "cuda") begins every error message. `expandThreads`
/// (0: `threads`) is how many threads expand Procedural projections, for an
/// engine that wants one slice per population but a fast load.
/// `keepProcedural` (may be empty): asked for each Procedural projection
/// whose rule an engine can regenerate row by row (regenerable()); when it
/// answers true the projection stays Procedural instead of being expanded.
using KeepProcedural =
    std::function<bool(uint32_t index, const procedural::ConnectSpec &spec)>;
template <typename W>
StatusOr<Model<W>> buildModel(const Program &program, unsigned threads,
                              const char *backend = "cpu",
                              unsigned expandThreads = 0,
                              const KeepProcedural &keepProcedural = {});

extern template StatusOr<Model<float>>
buildModel<float>(const Program &, unsigned, const char *, unsigned,
                  const KeepProcedural &);
extern template StatusOr<Model<int32_t>>
buildModel<int32_t>(const Program &, unsigned, const char *, unsigned,
                    const KeepProcedural &);

/// Whether each row of `spec` can be regenerated on its own
/// (ref::forEachSynapse: AllToAll, OneToOne, FixedProbability, and
/// FixedOutDegree of at most ref::kMaxRegeneratedOutDegree targets per
/// source) with delays of known bounds (Constant, Uniform, or Normal with
/// a finite window), so that an engine may keep it unexpanded.
/// FixedInDegree and FixedTotalNumber decide a row from draws made for
/// other neurons, so they are always expanded.
bool regenerable(const procedural::ConnectSpec &spec);

/// The delays in steps that `spec`'s delay distribution can give, lowest
/// and highest (regenerable specs only).
std::pair<uint16_t, uint16_t> delayBounds(const procedural::ConnectSpec &spec);

} // namespace snnc::model

#endif // SNNC_BACKENDS_MODEL_MODEL_H
