//===- CudaEngine.cpp - The float and fixed CUDA engines ------------------===//
//
// Host side of the CUDA backend, compiled by the C++ compiler against the
// CUDA runtime API: builds the shared model, checks that it fits the
// device, copies it there (DeviceModel.h) and enqueues the kernels of
// Kernels.cu. All device memory is allocated at instantiation (recording
// buffers when a run first needs them); steps never allocate.
//
//===----------------------------------------------------------------------===//
#include "CudaEngine.h"

#include "DeviceModel.h"
#include "FixedPoint.h"
#include "Model.h"
#include "snnc/runtime/Procedural.h"

#include <cuda_runtime_api.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <new>
#include <thread>
#include <type_traits>

namespace snnc::cuda {
namespace {

using model::Model;
using model::PopulationModel;
using model::ProjectionModel;
using snnb::NeuronKind;

std::string errorText(cudaError_t e) {
  return std::string(cudaGetErrorName(e)) + ": " + cudaGetErrorString(e);
}

Status failure(const std::string &what, cudaError_t e) {
  return unavailable("cuda: " + what + " failed (" + errorText(e) + ")");
}

/// Entries of the recording buffers (spike indices and watched values) a
/// batch may hold: 128 MiB of each. A batch is as many steps as fit when
/// every recorded neuron spikes in every step.
constexpr uint64_t kRecordEntries = uint64_t(32) << 20;
/// Most steps one batch holds, so that the observer hears often enough.
constexpr uint64_t kMaxBatch = 1000;

DevKind devKind(NeuronKind k) {
  switch (k) {
  case NeuronKind::Source:
    return DevKind::Source;
  case NeuronKind::Relay:
    return DevKind::Relay;
  case NeuronKind::Threshold:
    return DevKind::Threshold;
  case NeuronKind::CubaLIF:
  case NeuronKind::CubaLI:
    return DevKind::Cuba;
  case NeuronKind::ReceptorLIF:
    return DevKind::Receptor;
  case NeuronKind::PoissonSource:
    return DevKind::Poisson;
  default:
    return DevKind::Membrane;
  }
}

/// Targets a row of `spec` may reach (procedural::detail::targetsPerRow).
uint64_t candidates(const procedural::ConnectSpec &spec) {
  const bool exclude = spec.samePopulation && !spec.allowAutapses;
  return spec.nPost - (exclude && spec.nPost > 0 ? 1 : 0);
}

/// Synapses a regenerable rule gives (FixedProbability: the mean).
RowStats proceduralStats(const procedural::ConnectSpec &spec) {
  RowStats r;
  r.rows = spec.nPre;
  const uint64_t m = candidates(spec);
  switch (spec.rule) {
  case procedural::Rule::OneToOne:
    r.synapses = spec.nPre;
    r.longest = 1;
    break;
  case procedural::Rule::FixedProbability:
    r.synapses = uint64_t(std::ceil(spec.p * double(m) * double(spec.nPre)));
    r.longest = m;
    break;
  case procedural::Rule::FixedOutDegree:
    r.synapses = spec.n * spec.nPre;
    r.longest = spec.n;
    break;
  default: // AllToAll
    r.synapses = m * spec.nPre;
    r.longest = m;
    break;
  }
  return r;
}

/// How `pj` propagates (Propagation, docs/cuda.md).
template <typename W> ProjectionPlan planOf(const ProjectionModel<W> &pj) {
  ProjectionPlan p;
  switch (pj.type) {
  case snnb::Connectivity::Dense:
    p.propagation = Propagation::PerTarget;
    break;
  case snnb::Connectivity::Sparse: {
    // One row block: the cuda engine builds the model for one thread.
    const std::vector<uint32_t> &start = pj.rows.at(0).start;
    p.rows.rows = pj.sourceSize;
    p.rows.synapses = start.empty() ? 0 : start.back();
    for (size_t j = 0; j + 1 < start.size(); ++j)
      p.rows.longest =
          std::max<uint64_t>(p.rows.longest, start[j + 1] - start[j]);
    p.propagation = sparsePropagation(p.rows);
    break;
  }
  case snnb::Connectivity::Procedural:
    p.procedural = true;
    p.rows = proceduralStats(pj.spec);
    // Only AllToAll positions can be split among lanes.
    p.propagation = pj.spec.rule == procedural::Rule::AllToAll &&
                            sparsePropagation(p.rows) == Propagation::WarpPerRow
                        ? Propagation::ProceduralWarp
                        : Propagation::ProceduralThread;
    break;
  default: // conv, pool
    p.propagation = Propagation::Window;
    break;
  }
  return p;
}

DevMode devMode(Propagation p) {
  switch (p) {
  case Propagation::PerTarget:
    return DevMode::PerTarget;
  case Propagation::ThreadPerRow:
  case Propagation::ProceduralThread:
    return DevMode::ThreadPerRow;
  default:
    return DevMode::WarpPerRow;
  }
}

/// Which Procedural projections stay on the device (CudaOptions).
model::KeepProcedural keeper(const Program &program, const CudaOptions &o,
                             uint64_t freeDeviceBytes) {
  if (o.procedural == ProceduralPlacement::Host)
    return {};
  const uint64_t limit =
      o.proceduralBytes
          ? o.proceduralBytes
          : std::min(program.expansionBudgetBytes(), freeDeviceBytes / 2);
  const bool all = o.procedural == ProceduralPlacement::Device;
  return [all, limit](uint32_t, const procedural::ConnectSpec &spec) {
    return all ||
           procedural::bytesFor(proceduralStats(spec).synapses, spec) > limit;
  };
}

template <typename W> class CudaEngine final : public Engine {
  static constexpr bool kFixed = std::is_same_v<W, int32_t>;
  using State = std::conditional_t<kFixed, int32_t, float>;
  static constexpr size_t kAccBytes = kFixed ? 8 : 4;

public:
  CudaEngine(Model<W> model, const std::string &origin, bool syncEachLaunch);
  ~CudaEngine() override;
  /// The first failure of the constructor, or ok.
  Status built() const { return error_; }

  void reset() override;
  void setSource(uint32_t population, const float *values) override;
  void step() override { run(1, nullptr); }
  void run(int64_t steps, StepObserver *observer) override;
  const uint8_t *spikes(uint32_t population) const override;
  uint32_t spikeIndices(uint32_t population, uint32_t *out) const override;
  void readState(uint32_t population, float *out) const override;
  Status readReceptorState(uint32_t population, uint32_t receptor,
                           const std::vector<uint32_t> &neurons,
                           float *out) const override;
  void watchState(uint32_t population,
                  const std::vector<uint32_t> &neurons) override;
  const float *watchedState(uint32_t population) const override;
  void recordSpikes(const std::vector<uint32_t> &populations) override;
  Status health() const override { return error_; }
  EngineStats stats() const override;
  const std::vector<ProjectionPlan> &plans() const { return plans_; }

private:
  /// One launch of a step: an update or a propagation.
  struct Op {
    bool update = true;
    UpdateLaunch u;
    PropagateLaunch p;
    uint32_t blocks = 1;
  };

  void *alloc(size_t bytes);
  template <typename T> T *upload(const std::vector<T> &v) {
    if (v.empty())
      return nullptr;
    T *d = static_cast<T *>(alloc(v.size() * sizeof(T)));
    if (d)
      check(
          cudaMemcpy(d, v.data(), v.size() * sizeof(T), cudaMemcpyHostToDevice),
          "copying the network to the device");
    return d;
  }
  /// Records the first error; true when `e` is success.
  bool check(cudaError_t e, const std::string &what) const;
  bool checkLaunch(int e, const char *kernel) const {
    return check(cudaError_t(e),
                 std::string("launching kernel '") + kernel + "'");
  }
  void buildPopulations();
  void buildProjections();
  void buildPlan();
  /// Waits for every enqueued step; false after a device error.
  bool settle() const;
  /// Allocates the recording buffers for the current choice of recorded
  /// populations and watched neurons; returns the steps per batch.
  uint64_t prepareRecording();
  void enqueueStep(uint32_t k);
  uint32_t liveCount(uint32_t population) const;

  Model<W> model_;
  std::string origin_;
  cudaStream_t stream_ = nullptr;
  std::vector<void *> allocations_;
  std::vector<DevPopulation> pops_;
  std::vector<DevProjection> projs_;
  std::vector<const void *> vInit_; ///< per population, device, or null
  DevPopulation *dPops_ = nullptr;
  DevProjection *dProjs_ = nullptr;
  long long *dStep_ = nullptr;
  DevNetwork net_;
  std::vector<Op> plan_;
  int smCount_ = 1;
  int64_t steps_ = 0;
  mutable Status error_;
  bool syncEachLaunch_ = false;
  /// Per projection: how it propagates (recorded for planCuda's callers
  /// and docs/cuda.md's rule).
  std::vector<ProjectionPlan> plans_;

  // Recording.
  std::vector<uint32_t> recordSet_;          ///< populations recorded per step
  bool recordAll_ = true;                    ///< recordSpikes() not called yet
  std::vector<std::vector<uint32_t>> watch_; ///< per population
  bool recordingDirty_ = true;
  uint64_t batch_ = 1;
  std::vector<void *> recAllocations_;
  std::vector<uint32_t> recSlot_;   ///< per population: index in recPops, or ~0
  std::vector<uint32_t> watchBase_; ///< per population: offset in a row
  std::vector<uint32_t> hostTable_, hostIndex_;
  std::vector<float> hostWatch_;
  int64_t viewK_ = -1; ///< batch step the observer is told about, or -1
  // Readers' caches.
  mutable std::vector<uint8_t> spikeView_;
  mutable std::vector<float> watchView_;
};

template <typename W>
bool CudaEngine<W>::check(cudaError_t e, const std::string &what) const {
  if (e == cudaSuccess)
    return true;
  if (error_)
    error_ = failure(what + " for '" + origin_ + "'", e);
  return false;
}

template <typename W> void *CudaEngine<W>::alloc(size_t bytes) {
  if (bytes == 0 || !error_)
    return nullptr;
  void *p = nullptr;
  if (!check(cudaMalloc(&p, bytes),
             "allocating " + std::to_string(bytes) + " bytes"))
    return nullptr;
  allocations_.push_back(p);
  return p;
}

template <typename W>
CudaEngine<W>::CudaEngine(Model<W> model, const std::string &origin,
                          bool syncEachLaunch)
    : model_(std::move(model)), origin_(origin),
      syncEachLaunch_(syncEachLaunch) {
  if (!check(cudaStreamCreateWithFlags(&stream_, cudaStreamNonBlocking),
             "creating a stream"))
    return;
  int device = 0;
  cudaGetDevice(&device);
  cudaDeviceGetAttribute(&smCount_, cudaDevAttrMultiProcessorCount, device);
  smCount_ = std::max(smCount_, 1);
  buildPopulations();
  if (!error_)
    return;
  buildProjections();
  if (!error_)
    return;
  dPops_ = upload(pops_);
  dProjs_ = upload(projs_);
  dStep_ = static_cast<long long *>(alloc(sizeof(long long)));
  net_.pops = dPops_;
  net_.projs = dProjs_;
  net_.numPops = uint32_t(pops_.size());
  net_.counts = static_cast<uint32_t *>(alloc(2 * pops_.size() * 4 + 4));
  net_.spikeTotal = static_cast<unsigned long long *>(alloc(16));
  net_.eventTotal = net_.spikeTotal + 1;
  net_.stepBase = dStep_;
  watch_.resize(pops_.size());
  recSlot_.assign(pops_.size(), ~0u);
  watchBase_.assign(pops_.size(), 0);
  buildPlan();
  // The synapses live on the device now; the host keeps sizes and params.
  for (ProjectionModel<W> &pj : model_.projections) {
    pj.rows.clear();
    pj.rows.shrink_to_fit();
    pj.dense = {};
    pj.kernel = {};
  }
  if (error_)
    reset();
}

template <typename W> CudaEngine<W>::~CudaEngine() {
  if (stream_)
    cudaStreamSynchronize(stream_);
  for (void *p : recAllocations_)
    cudaFree(p);
  for (void *p : allocations_)
    cudaFree(p);
  if (stream_)
    cudaStreamDestroy(stream_);
}

template <typename W> void CudaEngine<W>::buildPopulations() {
  for (const PopulationModel &pm : model_.populations) {
    DevPopulation d;
    d.kind = devKind(pm.kind);
    d.size = pm.size;
    d.spiking = pm.spiking;
    d.gatherOut = !pm.spiking && !pm.outgoing.empty();
    d.channels = pm.channels;
    d.ringSlots = pm.ringSlots;
    d.refractorySteps = pm.refractorySteps;
    d.rules.subtract = pm.rules.subtract;
    d.rules.nextStep = pm.rules.nextStep;
    d.rules.carry = pm.rules.carry;
    d.rules.greaterEqual = pm.rules.greaterEqual;
    d.rules.synapseFirst = pm.rules.synapseFirst;
    d.rules.multiSpike = pm.rules.multiSpike;
    d.rules.synapseInputDecays = pm.rules.synapseInputDecays;
    d.rules.ifLowerClamp = pm.rules.ifLowerClamp;
    d.rules.stateFracBits = pm.rules.stateFracBits;
    d.multiSpike = pm.multiSpike;
    d.clamp = pm.rules.ifLowerClamp && pm.kind == NeuronKind::IF;
    const size_t n = pm.size;
    d.v = alloc(n * 4);
    if (pm.cuba)
      d.u = alloc(n * 4);
    if (pm.kind == NeuronKind::ReceptorLIF) {
      if (pm.channels > kMaxReceptors) {
        error_ = invalidArgument("cuda: '" + origin_ +
                                 "': a ReceptorLIF population has " +
                                 std::to_string(pm.channels) +
                                 " receptors; the cuda backend runs "
                                 "at most " +
                                 std::to_string(kMaxReceptors));
        return;
      }
      d.u = alloc(size_t(pm.stateChannels) * n * 4);
      d.refractory = static_cast<int32_t *>(alloc(n * 4));
      for (uint32_t c = 0; c < pm.channels; ++c) {
        const model::ReceptorModel &r = pm.receptors[c];
        d.receptorShared |= uint32_t(r.shared) << c;
        d.receptorConductance |= uint32_t(r.conductance) << c;
        d.recDecay[c] = upload(r.decay);
        d.recGain[c] = upload(r.gain);
        d.recReversal[c] = upload(r.reversal);
        if (r.alpha) {
          d.receptorAlpha |= 1u << c;
          d.recRiseSlot[c] = r.riseSlot;
          d.recGainRise[c] = upload(r.gainRise);
          d.recRise[c] = upload(r.rise);
        }
      }
    }
    if (pm.kind == NeuronKind::Source)
      d.input = alloc(n * 4);
    if (pm.spiking)
      d.spikes = static_cast<uint8_t *>(alloc(n));
    if (pm.kind != NeuronKind::PoissonSource)
      d.ring = alloc(size_t(pm.ringSlots) * pm.channels * n * kAccBytes);
    d.listIndex = static_cast<uint32_t *>(alloc(n * 4));
    if (!pm.spiking || pm.counts || pm.multiSpike)
      d.listValue = alloc(n * 4);
    if constexpr (kFixed) {
      const model::FixedParams &f = pm.fix;
      d.shared = f.shared;
      d.stateBits = f.stateBits;
      d.fracBits = f.fracBits;
      d.decayU = upload(f.decayU);
      d.decayV = upload(f.decayV);
      d.uBias = upload(f.uBias);
      d.vBias = upload(f.vBias);
      d.fThreshold = upload(f.vThreshold);
      d.fReset = upload(f.vReset);
    } else {
      const model::FloatParams &f = pm.flt;
      d.shared = f.shared;
      d.alpha = upload(f.alpha);
      d.beta = upload(f.beta);
      d.gainSyn = upload(f.gainSyn);
      d.gainMem = upload(f.gainMem);
      if (f.delta) {
        d.delta = 1;
        d.kMem = upload(f.kMem);
        d.kSyn = upload(f.kSyn);
        d.r = upload(f.r);
        d.wIn = upload(f.wIn);
        d.vLeak = upload(f.vLeak);
        d.iLeak = upload(f.iLeak);
      }
      d.gainDirect = upload(f.gainDirect);
      d.leak = upload(f.leak);
      d.bias = upload(f.bias);
      d.firstBias = upload(f.firstBias); // null when empty
      d.vThreshold = upload(f.vThreshold);
      d.vReset = upload(f.vReset);
    }
    const bool membrane =
        pm.kind != NeuronKind::Source && pm.kind != NeuronKind::PoissonSource &&
        pm.kind != NeuronKind::Relay && pm.kind != NeuronKind::Threshold;
    if constexpr (kFixed)
      vInit_.push_back(membrane ? upload(pm.fix.vInit) : nullptr);
    else
      vInit_.push_back(membrane ? upload(pm.flt.vInit) : nullptr);
    if (pm.counts) {
      const model::PoissonModel &p = pm.poisson;
      d.key0 = p.key[0];
      d.key1 = p.key[1];
      std::vector<DevTable> tables;
      for (const auto &t : p.tables)
        tables.push_back({t.offset, t.size, t.first});
      d.tables = upload(tables);
      d.thresholds = upload(p.thresholds);
      d.tableOf = upload(p.tableOf);
    }
    pops_.push_back(d);
  }
}

template <typename W> void CudaEngine<W>::buildProjections() {
  for (const ProjectionModel<W> &pj : model_.projections) {
    DevProjection d;
    const PopulationModel &src = model_.populations[pj.source];
    const PopulationModel &tgt = model_.populations[pj.target];
    plans_.push_back(planOf(pj));
    d.mode = devMode(plans_.back().propagation);
    d.source = pj.source;
    d.target = pj.target;
    d.graded = !src.spiking || src.counts || src.multiSpike;
    d.sourceSize = pj.sourceSize;
    d.targetSize = pj.targetSize;
    d.delay = pj.delay;
    d.delays = upload(pj.delays);
    d.slotStride = size_t(tgt.channels) * tgt.size;
    d.slots = tgt.ringSlots;
    d.ring = static_cast<char *>(pops_[pj.target].ring) +
             size_t(pj.receptor) * tgt.size * kAccBytes;
    d.exponent = pj.exponent;
    d.sourceFracBits = pj.sourceFracBits;
    switch (pj.type) {
    case snnb::Connectivity::Dense:
      d.type = DevConn::Dense;
      d.dense = upload(pj.dense);
      break;
    case snnb::Connectivity::Sparse: {
      d.type = DevConn::Sparse;
      const model::RowBlock<W> &b = pj.rows.at(0);
      d.rowStart = upload(b.start);
      d.base = b.base;
      if (b.narrow)
        d.narrowTargets = upload(b.narrowTargets);
      else
        d.wideTargets = upload(b.wideTargets);
      d.uniform = b.uniform;
      std::memcpy(&d.weightBits, &b.weight, 4);
      d.weights = upload(b.weights);
      if (pj.synapseDelays)
        d.synapseDelays = upload(b.delays);
      break;
    }
    case snnb::Connectivity::Procedural: {
      // Kept on the device (buildModel's keepProcedural; float mode only).
      const procedural::ConnectSpec &spec = pj.spec;
      d.type = DevConn::Procedural;
      switch (spec.rule) {
      case procedural::Rule::OneToOne:
        d.rule.kind = ref::RowRule::OneToOne;
        break;
      case procedural::Rule::FixedProbability:
        d.rule.kind = ref::RowRule::FixedProbability;
        break;
      case procedural::Rule::FixedOutDegree:
        d.rule.kind = ref::RowRule::FixedOutDegree;
        break;
      default: // AllToAll (model::regenerable admits no other rule)
        d.rule.kind = ref::RowRule::AllToAll;
        break;
      }
      d.rule.n = uint32_t(spec.n);
      d.rule.multapses = spec.allowMultapses;
      d.rule.candidates = uint32_t(candidates(spec));
      d.rule.exclude = spec.samePopulation && !spec.allowAutapses;
      d.rule.p = spec.p;
      d.rule.key = ref::philoxKey(spec.seed);
      auto plain = [](const procedural::Distribution &x) {
        ref::ValueDistribution v;
        v.kind = uint32_t(x.kind);
        v.a = x.a;
        v.b = x.b;
        v.low = x.low;
        v.high = x.high;
        return v;
      };
      d.weightDist = plain(spec.weight);
      d.delayDist = plain(spec.delay);
      d.dt = spec.dt;
      d.randomWeight =
          spec.weight.kind != procedural::Distribution::Kind::Constant;
      // A Constant delay is in d.delay / d.delays already (keepRule).
      d.randomDelay = pj.synapseDelays;
      // The expansion stores a Constant weight as float(a).
      const float w = float(spec.weight.a);
      std::memcpy(&d.weightBits, &w, 4);
      break;
    }
    case snnb::Connectivity::Conv:
    case snnb::Connectivity::Pool: {
      d.type =
          pj.type == snnb::Connectivity::Conv ? DevConn::Conv : DevConn::Pool;
      const model::Window &w = pj.window;
      d.inC = int32_t(w.inC), d.inH = int32_t(w.inH), d.inW = int32_t(w.inW);
      d.outC = int32_t(w.outC), d.outH = int32_t(w.outH);
      d.outW = int32_t(w.outW);
      d.kh = int32_t(w.kh), d.kw = int32_t(w.kw), d.sh = int32_t(w.sh);
      d.sw = int32_t(w.sw), d.ph = int32_t(w.ph), d.pw = int32_t(w.pw);
      d.dh = int32_t(w.dh), d.dw = int32_t(w.dw);
      d.groups = int32_t(w.groups);
      d.kernel = upload(pj.kernel);
      std::memcpy(&d.poolWeightBits, &pj.poolWeight, 4);
      break;
    }
    default:
      break;
    }
    projs_.push_back(d);
  }
}

template <typename W> void CudaEngine<W>::buildPlan() {
  Op update;
  uint32_t blocks = 0;
  bool first = true;
  auto flushUpdate = [&] {
    if (update.u.count == 0)
      return;
    update.update = true;
    update.u.clearNext = first;
    update.blocks = std::max(blocks, 1u);
    plan_.push_back(update);
    first = false;
    update = Op{};
    blocks = 0;
  };
  auto addPropagations = [&](const std::vector<uint32_t> &list) {
    for (size_t i = 0; i < list.size(); i += kMaxPerLaunch) {
      Op op;
      op.update = false;
      uint64_t items = 0;
      for (size_t j = i; j < std::min(list.size(), i + kMaxPerLaunch); ++j) {
        const DevProjection &d = projs_[list[j]];
        op.p.index[op.p.count++] = list[j];
        // Work items when every source neuron has an event.
        items += d.mode == DevMode::PerTarget      ? (d.targetSize + 31) / 32
                 : d.mode == DevMode::ThreadPerRow ? (d.sourceSize + 31) / 32
                                                   : d.sourceSize;
      }
      const uint64_t warpsPerBlock = kBlock / 32;
      op.blocks = uint32_t(
          std::clamp<uint64_t>((items + warpsPerBlock - 1) / warpsPerBlock, 1,
                               uint64_t(smCount_) * 8));
      plan_.push_back(op);
    }
  };
  std::vector<uint32_t> deferred;
  for (uint32_t p = 0; p < model_.populations.size(); ++p) {
    const PopulationModel &pm = model_.populations[p];
    if (update.u.count == kMaxPerLaunch)
      flushUpdate();
    update.u.index[update.u.count] = p;
    update.u.blockStart[update.u.count] = blocks;
    blocks += (pm.size + kBlock - 1) / kBlock;
    ++update.u.count;
    update.u.blockStart[update.u.count] = blocks;
    std::vector<uint32_t> now;
    for (uint32_t j : pm.outgoing)
      (model_.projections[j].immediate ? now : deferred).push_back(j);
    if (!now.empty()) {
      flushUpdate();
      addPropagations(now);
    }
  }
  flushUpdate();
  addPropagations(deferred);
}

template <typename W> bool CudaEngine<W>::settle() const {
  if (!error_ || !stream_)
    return false;
  return check(cudaStreamSynchronize(stream_),
               "running the kernels of steps up to " + std::to_string(steps_) +
                   " (SNNC_CUDA_SYNC=1 names the failing kernel)");
}

template <typename W> void CudaEngine<W>::reset() {
  if (!settle())
    return;
  for (size_t i = 0; i < pops_.size(); ++i) {
    const DevPopulation &d = pops_[i];
    const PopulationModel &pm = model_.populations[i];
    const size_t n = pm.size;
    if (vInit_[i])
      check(cudaMemcpyAsync(d.v, vInit_[i], n * 4, cudaMemcpyDeviceToDevice,
                            stream_),
            "resetting");
    else if (d.v)
      check(cudaMemsetAsync(d.v, 0, n * 4, stream_), "resetting");
    if (d.u)
      check(cudaMemsetAsync(
                d.u, 0,
                (pm.kind == NeuronKind::ReceptorLIF ? pm.stateChannels : 1) *
                    n * 4,
                stream_),
            "resetting");
    if (d.refractory)
      check(cudaMemsetAsync(d.refractory, 0, n * 4, stream_), "resetting");
    if (d.input)
      check(cudaMemsetAsync(d.input, 0, n * 4, stream_), "resetting");
    if (d.spikes)
      check(cudaMemsetAsync(d.spikes, 0, n, stream_), "resetting");
    if (d.ring)
      check(cudaMemsetAsync(d.ring, 0,
                            size_t(pm.ringSlots) * pm.channels * n * kAccBytes,
                            stream_),
            "resetting");
  }
  check(cudaMemsetAsync(net_.counts, 0, 2 * pops_.size() * 4 + 4, stream_),
        "resetting");
  check(cudaMemsetAsync(net_.spikeTotal, 0, 16, stream_), "resetting");
  steps_ = 0;
  viewK_ = -1;
  settle();
}

template <typename W>
void CudaEngine<W>::setSource(uint32_t population, const float *values) {
  if (population >= pops_.size() || !error_)
    return;
  const PopulationModel &pm = model_.populations[population];
  if (pm.kind != NeuronKind::Source)
    return;
  std::vector<State> in(pm.size);
  for (uint32_t n = 0; n < pm.size; ++n) {
    if constexpr (kFixed)
      in[n] = State(
          fixedpoint::toFixed(values[n], pm.fix.fracBits, pm.fix.stateBits));
    else
      in[n] = values[n];
  }
  // From pageable memory: returns once `in` has been staged.
  check(cudaMemcpyAsync(pops_[population].input, in.data(), pm.size * 4,
                        cudaMemcpyHostToDevice, stream_),
        "copying source values");
}

template <typename W> void CudaEngine<W>::enqueueStep(uint32_t k) {
  for (const Op &op : plan_) {
    const char *kernel = op.update ? "update" : "propagate";
    const int e =
        op.update ? launchUpdate(stream_, kFixed, net_, op.u, k, op.blocks)
                  : launchPropagate(stream_, kFixed, net_, op.p, k, op.blocks);
    if (!checkLaunch(e, kernel))
      return;
    // CudaOptions::syncEachLaunch: an error while the kernel runs is
    // reported with its name and step.
    if (syncEachLaunch_ &&
        !check(cudaStreamSynchronize(stream_),
               std::string("running kernel '") + kernel + "' (offset " +
                   std::to_string(k) + " of the batch from step " +
                   std::to_string(steps_) + ")"))
      return;
  }
}

template <typename W> uint64_t CudaEngine<W>::prepareRecording() {
  if (!recordingDirty_)
    return batch_;
  settle();
  for (void *p : recAllocations_)
    cudaFree(p);
  recAllocations_.clear();
  auto recAlloc = [&](size_t bytes) -> void * {
    void *p = nullptr;
    if (bytes == 0 ||
        !check(cudaMalloc(&p, bytes), "allocating " + std::to_string(bytes) +
                                          " bytes of recording buffers"))
      return nullptr;
    recAllocations_.push_back(p);
    return p;
  };
  std::vector<uint32_t> recPops;
  if (recordAll_) {
    for (uint32_t p = 0; p < pops_.size(); ++p)
      if (pops_[p].spiking)
        recPops.push_back(p);
  } else {
    for (uint32_t p : recordSet_)
      if (p < pops_.size() && pops_[p].spiking &&
          std::find(recPops.begin(), recPops.end(), p) == recPops.end())
        recPops.push_back(p);
  }
  recSlot_.assign(pops_.size(), ~0u);
  uint64_t perStep = 0;
  for (uint32_t r = 0; r < recPops.size(); ++r) {
    recSlot_[recPops[r]] = r;
    perStep += pops_[recPops[r]].size;
  }
  std::vector<uint32_t> wPop, wNeuron;
  for (uint32_t p = 0; p < pops_.size(); ++p) {
    watchBase_[p] = uint32_t(wPop.size());
    for (uint32_t n : watch_[p]) {
      wPop.push_back(p);
      wNeuron.push_back(n < pops_[p].size ? n : 0);
    }
  }
  const uint64_t perStepEntries =
      std::max<uint64_t>({perStep, uint64_t(wPop.size()), uint64_t(1)});
  batch_ = std::clamp<uint64_t>(kRecordEntries / perStepEntries, 1, kMaxBatch);
  net_.numRec = uint32_t(recPops.size());
  net_.numWatch = uint32_t(wPop.size());
  auto put = [&](const std::vector<uint32_t> &v) -> uint32_t * {
    auto *d = static_cast<uint32_t *>(recAlloc(v.size() * 4));
    if (d)
      check(cudaMemcpy(d, v.data(), v.size() * 4, cudaMemcpyHostToDevice),
            "copying the recording choice");
    return d;
  };
  net_.recPops = put(recPops);
  net_.watchPop = put(wPop);
  net_.watchNeuron = put(wNeuron);
  net_.recCursor = static_cast<unsigned long long *>(recAlloc(8));
  net_.recTable =
      static_cast<uint32_t *>(recAlloc(batch_ * recPops.size() * 8));
  net_.recIndex = static_cast<uint32_t *>(recAlloc(batch_ * perStep * 4));
  net_.watchOut = static_cast<float *>(recAlloc(batch_ * wPop.size() * 4));
  recordingDirty_ = false;
  return batch_;
}

template <typename W>
void CudaEngine<W>::run(int64_t steps, StepObserver *observer) {
  if (steps <= 0 || !error_ || plan_.empty())
    return;
  if (!observer) {
    // Nothing to tell between steps: enqueue them all.
    int64_t done = 0;
    while (done < steps && error_) {
      const int64_t m = std::min<int64_t>(steps - done, int64_t(1) << 30);
      checkLaunch(launchSetStep(stream_, dStep_, steps_ + done), "setStep");
      for (int64_t k = 0; k < m && error_; ++k)
        enqueueStep(uint32_t(k));
      done += m;
    }
    steps_ += steps;
    viewK_ = -1;
    return;
  }
  const uint64_t batch = prepareRecording();
  int64_t done = 0;
  while (done < steps && error_) {
    const uint32_t m =
        uint32_t(std::min<int64_t>(steps - done, int64_t(batch)));
    checkLaunch(launchSetStep(stream_, dStep_, steps_), "setStep");
    check(cudaMemsetAsync(net_.recCursor, 0, 8, stream_),
          "clearing the recording");
    for (uint32_t k = 0; k < m && error_; ++k) {
      enqueueStep(k);
      if (net_.numRec + net_.numWatch &&
          checkLaunch(launchRecord(stream_, kFixed, net_, k), "record") &&
          syncEachLaunch_)
        check(cudaStreamSynchronize(stream_),
              "running kernel 'record' (offset " + std::to_string(k) +
                  " of the batch from step " + std::to_string(steps_) + ")");
    }
    unsigned long long used = 0;
    check(cudaMemcpyAsync(&used, net_.recCursor, 8, cudaMemcpyDeviceToHost,
                          stream_),
          "reading the recording");
    if (!settle())
      return;
    hostTable_.resize(size_t(m) * net_.numRec * 2);
    hostIndex_.resize(used);
    hostWatch_.resize(size_t(m) * net_.numWatch);
    if (!hostTable_.empty())
      cudaMemcpyAsync(hostTable_.data(), net_.recTable, hostTable_.size() * 4,
                      cudaMemcpyDeviceToHost, stream_);
    if (used)
      cudaMemcpyAsync(hostIndex_.data(), net_.recIndex, used * 4,
                      cudaMemcpyDeviceToHost, stream_);
    if (!hostWatch_.empty())
      cudaMemcpyAsync(hostWatch_.data(), net_.watchOut, hostWatch_.size() * 4,
                      cudaMemcpyDeviceToHost, stream_);
    if (!settle())
      return;
    const int64_t base = steps_;
    steps_ += m;
    for (uint32_t k = 0; k < m; ++k) {
      viewK_ = k;
      observer->afterStep(base + k);
    }
    done += m;
  }
  viewK_ = -1;
}

template <typename W>
uint32_t CudaEngine<W>::liveCount(uint32_t population) const {
  uint32_t count = 0;
  const size_t at = size_t((steps_ - 1) & 1) * pops_.size() + population;
  check(cudaMemcpyAsync(&count, net_.counts + at, 4, cudaMemcpyDeviceToHost,
                        stream_),
        "reading spike counts");
  settle();
  return count;
}

template <typename W>
const uint8_t *CudaEngine<W>::spikes(uint32_t population) const {
  if (population >= pops_.size() || !pops_[population].spiking)
    return nullptr;
  spikeView_.assign(pops_[population].size, 0);
  if (!settle() || steps_ == 0)
    return spikeView_.data();
  check(cudaMemcpy(spikeView_.data(), pops_[population].spikes,
                   spikeView_.size(), cudaMemcpyDeviceToHost),
        "reading spikes");
  return spikeView_.data();
}

template <typename W>
uint32_t CudaEngine<W>::spikeIndices(uint32_t population, uint32_t *out) const {
  if (population >= pops_.size() || !pops_[population].spiking || steps_ == 0 ||
      !error_)
    return 0;
  if (viewK_ >= 0) {
    const uint32_t r = recSlot_[population];
    if (r == ~0u)
      return 0;
    const uint32_t *row =
        hostTable_.data() + 2 * (size_t(viewK_) * net_.numRec + r);
    std::copy(hostIndex_.begin() + row[0], hostIndex_.begin() + row[0] + row[1],
              out);
    std::sort(out, out + row[1]);
    return row[1];
  }
  if (!settle())
    return 0;
  const uint32_t count = liveCount(population);
  if (count)
    check(cudaMemcpy(out, pops_[population].listIndex, size_t(count) * 4,
                     cudaMemcpyDeviceToHost),
          "reading spike indices");
  std::sort(out, out + count);
  return count;
}

template <typename W>
void CudaEngine<W>::readState(uint32_t population, float *out) const {
  if (population >= pops_.size())
    return;
  const uint32_t n = pops_[population].size;
  std::vector<State> v(n);
  if (settle() && n)
    check(cudaMemcpy(v.data(), pops_[population].v, size_t(n) * 4,
                     cudaMemcpyDeviceToHost),
          "reading state");
  for (uint32_t i = 0; i < n; ++i) {
    if constexpr (kFixed)
      out[i] = fixedpoint::fromFixed(
          v[i], model_.populations[population].fix.fracBits);
    else
      out[i] = v[i];
  }
}

template <typename W>
Status CudaEngine<W>::readReceptorState(uint32_t population, uint32_t receptor,
                                        const std::vector<uint32_t> &neurons,
                                        float *out) const {
  if (Status s = model::checkReceptor(model_, population, receptor, "cuda"); !s)
    return s;
  // Channel c's states are u[c * size, (c + 1) * size) (Kernels.cu).
  const uint32_t n = pops_[population].size;
  std::vector<float> g(n);
  if (settle() && n)
    check(cudaMemcpy(g.data(),
                     static_cast<const char *>(pops_[population].u) +
                         size_t(receptor) * n * 4,
                     size_t(n) * 4, cudaMemcpyDeviceToHost),
          "reading receptor state");
  if (Status h = health(); !h)
    return h;
  for (size_t k = 0; k < neurons.size(); ++k)
    out[k] = g[neurons[k]];
  return Status::ok();
}

template <typename W>
void CudaEngine<W>::watchState(uint32_t population,
                               const std::vector<uint32_t> &neurons) {
  if (population >= pops_.size() || watch_[population] == neurons)
    return;
  watch_[population] = neurons;
  recordingDirty_ = true;
}

template <typename W>
const float *CudaEngine<W>::watchedState(uint32_t population) const {
  if (population >= pops_.size() || watch_[population].empty() || steps_ == 0)
    return nullptr;
  const std::vector<uint32_t> &w = watch_[population];
  if (viewK_ >= 0 && !recordingDirty_)
    return hostWatch_.data() + size_t(viewK_) * net_.numWatch +
           watchBase_[population];
  std::vector<float> all(pops_[population].size);
  readState(population, all.data());
  watchView_.resize(w.size());
  for (size_t k = 0; k < w.size(); ++k)
    watchView_[k] = w[k] < all.size() ? all[w[k]] : 0.0f;
  return watchView_.data();
}

template <typename W>
void CudaEngine<W>::recordSpikes(const std::vector<uint32_t> &populations) {
  if (!recordAll_ && populations == recordSet_)
    return;
  recordAll_ = false;
  recordSet_ = populations;
  recordingDirty_ = true;
}

template <typename W> EngineStats CudaEngine<W>::stats() const {
  EngineStats s;
  s.steps = steps_;
  unsigned long long totals[2] = {0, 0};
  if (settle() && net_.spikeTotal)
    check(cudaMemcpy(totals, net_.spikeTotal, 16, cudaMemcpyDeviceToHost),
          "reading statistics");
  s.spikes = int64_t(totals[0]);
  s.synapticEvents = int64_t(totals[1]);
  return s;
}

/// Device bytes the engine allocates for `m` at instantiation, array by
/// array as buildPopulations, buildProjections and the constructor do
/// (each an upper bound where an array is optional); recording buffers,
/// allocated when a run needs them, are recordingBytes().
template <typename W> uint64_t deviceBytes(const Model<W> &m) {
  const uint64_t acc = std::is_same_v<W, int32_t> ? 8 : 4;
  uint64_t b = 0;
  auto bytes = [](const auto &v) { return uint64_t(v.size()) * sizeof(v[0]); };
  for (const PopulationModel &p : m.populations) {
    const uint64_t n = p.size;
    b += n * 4 * 3 + n; // v, list index and value, spikes
    b += p.cuba ? n * 4 : 0;
    if (p.kind == NeuronKind::ReceptorLIF) {
      b += uint64_t(p.stateChannels) * n * 4 + n * 4; // states, refractory
      for (const model::ReceptorModel &r : p.receptors)
        b += bytes(r.decay) + bytes(r.gain) + bytes(r.reversal) +
             bytes(r.gainRise) + bytes(r.rise);
    }
    b += p.kind == NeuronKind::Source ? n * 4 : 0;
    b += p.kind == NeuronKind::PoissonSource
             ? 0
             : uint64_t(p.ringSlots) * p.channels * n * acc;
    if constexpr (std::is_same_v<W, int32_t>) {
      const model::FixedParams &f = p.fix;
      b += bytes(f.decayU) + bytes(f.decayV) + bytes(f.uBias) + bytes(f.vBias) +
           bytes(f.vThreshold) + bytes(f.vReset) + bytes(f.vInit);
    } else {
      const model::FloatParams &f = p.flt;
      for (const std::vector<float> *v :
           {&f.alpha, &f.beta, &f.gainSyn, &f.gainMem, &f.gainDirect, &f.leak,
            &f.bias, &f.firstBias, &f.vThreshold, &f.vReset, &f.vInit, &f.kMem,
            &f.kSyn, &f.r, &f.wIn, &f.vLeak, &f.iLeak})
        b += bytes(*v);
    }
    b += p.poisson.tables.size() * sizeof(DevTable) +
         bytes(p.poisson.thresholds) + bytes(p.poisson.tableOf);
  }
  for (const ProjectionModel<W> &pj : m.projections) {
    // A Procedural projection kept on the device has no synapse arrays.
    b += bytes(pj.delays) + bytes(pj.dense) + bytes(pj.kernel);
    for (const model::RowBlock<W> &r : pj.rows)
      b += bytes(r.start) + bytes(r.narrowTargets) + bytes(r.wideTargets) +
           bytes(r.weights) + bytes(r.delays);
  }
  // The descriptors, the step, the list counts and the totals.
  b += m.populations.size() * sizeof(DevPopulation) +
       m.projections.size() * sizeof(DevProjection) + sizeof(long long) +
       (2 * m.populations.size() * 4 + 4) + 16;
  return b;
}

/// The most the recording buffers take (prepareRecording): a batch's
/// spike indices and watched values (kRecordEntries each, or one step's
/// worth when a step alone holds more), the (offset, count) table of up to
/// kMaxBatch steps, the watched neurons' population and index lists, the
/// recorded populations and the cursor. Each neuron counted once.
template <typename W> uint64_t recordingBytes(const Model<W> &m) {
  uint64_t neurons = 0;
  for (const PopulationModel &p : m.populations)
    neurons += p.size;
  const uint64_t pops = m.populations.size();
  const uint64_t entries = std::max<uint64_t>(kRecordEntries, neurons);
  return 2 * entries * 4 + kMaxBatch * pops * 8 + 2 * neurons * 4 + pops * 4 +
         8;
}

template <typename W>
StatusOr<Model<W>> buildFor(const Program &program, unsigned expandThreads,
                            const CudaOptions &cuda, uint64_t freeBytes) {
  return model::buildModel<W>(program, 1, "cuda", expandThreads,
                              keeper(program, cuda, freeBytes));
}

template <typename W>
StatusOr<std::unique_ptr<Engine>> instantiate(const Program &program,
                                              unsigned expandThreads,
                                              const CudaOptions &cuda) {
  size_t freeBytes = 0, totalBytes = 0;
  if (cudaError_t e = cudaMemGetInfo(&freeBytes, &totalBytes); e != cudaSuccess)
    return failure("querying device memory", e);
  StatusOr<Model<W>> model =
      buildFor<W>(program, expandThreads, cuda, freeBytes);
  if (!model)
    return model.status();
  const uint64_t need = deviceBytes(*model);
  // Headroom for the recording buffers and the CUDA runtime's own use.
  const uint64_t headroom = recordingBytes(*model) + (uint64_t(64) << 20);
  if (need + headroom > freeBytes)
    return unavailable(
        "cuda: '" + program.origin() + "' needs " + std::to_string(need) +
        " bytes of device memory (plus up to " + std::to_string(headroom) +
        " for recording buffers and the runtime) but the device has " +
        std::to_string(freeBytes) + " of " + std::to_string(totalBytes) +
        " free; run it on the cpu backend, shorten its delays (input rings "
        "are slots x neurons) or keep its Procedural projections on the "
        "device (SNNC_CUDA_PROCEDURAL=device)");
  auto engine = std::make_unique<CudaEngine<W>>(
      std::move(model).value(), program.origin(), cuda.syncEachLaunch);
  if (Status s = engine->built(); !s)
    return s;
  return std::unique_ptr<Engine>(std::move(engine));
}

template <typename W>
StatusOr<CudaPlan> planFor(const Program &program, const CudaOptions &cuda,
                           uint64_t freeBytes) {
  StatusOr<Model<W>> model =
      buildFor<W>(program, std::max(1u, std::thread::hardware_concurrency()),
                  cuda, freeBytes);
  if (!model)
    return model.status();
  CudaPlan plan;
  for (const ProjectionModel<W> &pj : model->projections)
    plan.projections.push_back(planOf(pj));
  plan.deviceBytes = deviceBytes(*model);
  return plan;
}

} // namespace

Status deviceAvailable() {
  int count = 0;
  const cudaError_t e = cudaGetDeviceCount(&count);
  if (e != cudaSuccess)
    return unavailable("no CUDA device: " + errorText(e));
  if (count == 0)
    return unavailable("no CUDA device: the CUDA runtime found none");
  return Status::ok();
}

const char *propagationName(Propagation p) {
  switch (p) {
  case Propagation::PerTarget:
    return "per-target";
  case Propagation::WarpPerRow:
    return "warp-per-row";
  case Propagation::ThreadPerRow:
    return "thread-per-row";
  case Propagation::Window:
    return "window";
  case Propagation::ProceduralWarp:
    return "procedural-warp";
  case Propagation::ProceduralThread:
    return "procedural-thread";
  }
  return "?";
}

Propagation sparsePropagation(const RowStats &rows) {
  const bool shortRows =
      rows.rows > 0 &&
      double(rows.synapses) < kThreadRowMean * double(rows.rows);
  return shortRows && rows.longest <= kThreadRowLongest
             ? Propagation::ThreadPerRow
             : Propagation::WarpPerRow;
}

StatusOr<CudaPlan> planCuda(const Program &program, const CudaOptions &cuda,
                            uint64_t freeDeviceBytes) {
  try {
    if (program.fb().mode() == snnb::NumericMode::Fixed)
      return planFor<int32_t>(program, cuda, freeDeviceBytes);
    return planFor<float>(program, cuda, freeDeviceBytes);
  } catch (const std::bad_alloc &) {
    return unavailable("cuda: not enough host memory to prepare '" +
                       program.origin() + "'");
  }
}

StatusOr<std::unique_ptr<Engine>> makeCudaEngine(const Program &program,
                                                 const DeviceOptions &options,
                                                 const CudaOptions &cuda) {
  if (Status s = deviceAvailable(); !s)
    return s;
  const unsigned threads =
      options.threads > 0 ? unsigned(options.threads)
                          : std::max(1u, std::thread::hardware_concurrency());
  try {
    if (program.fb().mode() == snnb::NumericMode::Fixed)
      return instantiate<int32_t>(program, threads, cuda);
    return instantiate<float>(program, threads, cuda);
  } catch (const std::bad_alloc &) {
    return unavailable("cuda: not enough host memory to prepare '" +
                       program.origin() + "'");
  }
}

std::vector<ProjectionPlan> projectionPlans(const Engine &engine) {
  if (auto *f = dynamic_cast<const CudaEngine<float> *>(&engine))
    return f->plans();
  if (auto *x = dynamic_cast<const CudaEngine<int32_t> *>(&engine))
    return x->plans();
  return {};
}

std::string describePlans(const std::vector<ProjectionPlan> &plans) {
  std::string out;
  uint32_t onDevice = 0;
  for (int k = 0; k <= int(Propagation::ProceduralThread); ++k) {
    uint32_t n = 0;
    for (const ProjectionPlan &p : plans)
      n += int(p.propagation) == k;
    if (n)
      out += std::string(out.empty() ? "" : ", ") +
             propagationName(Propagation(k)) + " " + std::to_string(n);
  }
  for (const ProjectionPlan &p : plans)
    onDevice += p.procedural;
  if (onDevice)
    out += " (" + std::to_string(onDevice) + " rules on the device)";
  return out.empty() ? "no projections" : out;
}

StatusOr<CudaOptions> cudaOptionsFromEnvironment() {
  CudaOptions cuda;
  if (const char *p = std::getenv("SNNC_CUDA_PROCEDURAL")) {
    const std::string v = p;
    if (v == "device")
      cuda.procedural = ProceduralPlacement::Device;
    else if (v == "host")
      cuda.procedural = ProceduralPlacement::Host;
    else if (v != "auto" && !v.empty())
      return invalidArgument("cuda: SNNC_CUDA_PROCEDURAL is '" + v +
                             "'; use auto, device or host");
  }
  if (const char *p = std::getenv("SNNC_CUDA_SYNC"))
    cuda.syncEachLaunch = std::string(p) == "1";
  return cuda;
}

StatusOr<std::unique_ptr<Engine>> makeCudaEngine(const Program &program,
                                                 const DeviceOptions &options) {
  StatusOr<CudaOptions> cuda = cudaOptionsFromEnvironment();
  if (!cuda)
    return cuda.status();
  return makeCudaEngine(program, options, *cuda);
}

} // namespace snnc::cuda
