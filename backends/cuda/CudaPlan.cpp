//===- CudaPlan.cpp - What the CUDA engine decides before the device ------===//
//
// The host-side decisions of the CUDA backend that need no GPU: how each
// projection propagates (docs/cuda.md, "Propagation"), which Procedural
// projections are regenerated on the device, the device bytes a model
// needs, and the options read from the environment. planCuda() reports
// them without a device; the engine (CudaUpload.cpp) follows them.
//
//===----------------------------------------------------------------------===//
#include "CudaEngineImpl.h"

#include "snnc/runtime/Procedural.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <new>
#include <thread>

namespace snnc::cuda {
namespace detail {
namespace {

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

} // namespace

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

template ProjectionPlan planOf(const ProjectionModel<float> &);
template ProjectionPlan planOf(const ProjectionModel<int32_t> &);
template uint64_t deviceBytes(const Model<float> &);
template uint64_t deviceBytes(const Model<int32_t> &);
template uint64_t recordingBytes(const Model<float> &);
template uint64_t recordingBytes(const Model<int32_t> &);
template StatusOr<Model<float>> buildFor(const Program &, unsigned,
                                         const CudaOptions &, uint64_t);
template StatusOr<Model<int32_t>> buildFor(const Program &, unsigned,
                                           const CudaOptions &, uint64_t);

namespace {

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
} // namespace detail

using namespace detail;

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

} // namespace snnc::cuda
