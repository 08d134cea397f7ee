//===- CudaEngineImpl.h - The CUDA engine's class, inside the backend -----===//
//
// Shared by the three files of the CUDA engine's host side, and by nothing
// else: CudaPlan.cpp (how each projection propagates, what the device must
// hold; no device needed), CudaUpload.cpp (the model copied to the device,
// the engine made) and CudaEngine.cpp (steps, recording and readers).
//
//===----------------------------------------------------------------------===//
#ifndef SNNC_BACKENDS_CUDA_CUDAENGINEIMPL_H
#define SNNC_BACKENDS_CUDA_CUDAENGINEIMPL_H

#include "CudaEngine.h"

#include "DeviceModel.h"
#include "Model.h"
#include "snnc/runtime/Procedural.h"

#include <cuda_runtime_api.h>

#include <string>
#include <type_traits>
#include <vector>

namespace snnc::cuda::detail {

using model::Model;
using model::PopulationModel;
using model::ProjectionModel;
using snnb::NeuronKind;

/// "cudaErrorX: text" for `e`.
std::string errorText(cudaError_t e);
/// An unavailable Status saying `what` failed, with the CUDA error.
Status failure(const std::string &what, cudaError_t e);

/// Entries of the recording buffers (spike indices and watched values) a
/// batch may hold: 128 MiB of each. A batch is as many steps as fit when
/// every recorded neuron spikes in every step.
inline constexpr uint64_t kRecordEntries = uint64_t(32) << 20;
/// Most steps one batch holds, so that the observer hears often enough.
inline constexpr uint64_t kMaxBatch = 1000;

/// Targets a row of `spec` may reach (procedural::detail::targetsPerRow).
inline uint64_t candidates(const procedural::ConnectSpec &spec) {
  const bool exclude = spec.samePopulation && !spec.allowAutapses;
  return spec.nPost - (exclude && spec.nPost > 0 ? 1 : 0);
}

/// How `pj` propagates (Propagation, docs/cuda.md). CudaPlan.cpp.
template <typename W> ProjectionPlan planOf(const ProjectionModel<W> &pj);
/// The kernels' mode for a propagation. CudaPlan.cpp.
DevMode devMode(Propagation p);
/// Device bytes the engine allocates for `m` at instantiation; recording
/// buffers, allocated when a run needs them, are recordingBytes().
/// CudaPlan.cpp.
template <typename W> uint64_t deviceBytes(const Model<W> &m);
/// The most the recording buffers take. CudaPlan.cpp.
template <typename W> uint64_t recordingBytes(const Model<W> &m);
/// The engine's model of `program`, with the Procedural projections `cuda`
/// keeps on the device left as rules. CudaPlan.cpp.
template <typename W>
StatusOr<Model<W>> buildFor(const Program &program, unsigned expandThreads,
                            const CudaOptions &cuda, uint64_t freeBytes);

/// The float (W = float) or fixed (W = int32_t) engine. Members are defined
/// in CudaUpload.cpp (construction) and CudaEngine.cpp (the rest), each of
/// which instantiates its own for both W.
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

} // namespace snnc::cuda::detail

#endif // SNNC_BACKENDS_CUDA_CUDAENGINEIMPL_H
