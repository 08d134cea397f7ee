//===- CudaUpload.cpp - The CUDA engine made and its model copied ---------===//
//
// Makes the CUDA engine: checks that the model fits the device (sizes from
// CudaPlan.cpp), copies populations, projections and the launch plan there
// (DeviceModel.h), and answers Device::open("cuda"). All device memory is
// allocated here (recording buffers when a run first needs them,
// CudaEngine.cpp); steps never allocate.
//
//===----------------------------------------------------------------------===//
#include "CudaEngineImpl.h"

#include "FixedPoint.h"

#include <algorithm>
#include <cstring>
#include <new>
#include <thread>

namespace snnc::cuda {
namespace detail {

std::string errorText(cudaError_t e) {
  return std::string(cudaGetErrorName(e)) + ": " + cudaGetErrorString(e);
}

Status failure(const std::string &what, cudaError_t e) {
  return unavailable("cuda: " + what + " failed (" + errorText(e) + ")");
}

namespace {

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

} // namespace

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
      d.weightDist = procedural::plainDistribution(spec.weight);
      d.delayDist = procedural::plainDistribution(spec.delay);
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

template CudaEngine<float>::CudaEngine(Model<float>, const std::string &, bool);
template CudaEngine<int32_t>::CudaEngine(Model<int32_t>, const std::string &,
                                         bool);
template CudaEngine<float>::~CudaEngine();
template CudaEngine<int32_t>::~CudaEngine();

namespace {

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

} // namespace
} // namespace detail

using namespace detail;

Status deviceAvailable() {
  int count = 0;
  const cudaError_t e = cudaGetDeviceCount(&count);
  if (e != cudaSuccess)
    return unavailable("no CUDA device: " + errorText(e));
  if (count == 0)
    return unavailable("no CUDA device: the CUDA runtime found none");
  return Status::ok();
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

StatusOr<std::unique_ptr<Engine>> makeCudaEngine(const Program &program,
                                                 const DeviceOptions &options) {
  StatusOr<CudaOptions> cuda = cudaOptionsFromEnvironment();
  if (!cuda)
    return cuda.status();
  return makeCudaEngine(program, options, *cuda);
}

} // namespace snnc::cuda
