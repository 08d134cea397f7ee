//===- CudaEngine.cpp - The CUDA engine's steps, recording and readers ----===//
//
// Host side of a run on the GPU: enqueues the kernels of Kernels.cu for a
// batch of steps on one stream, records spikes and watched states into
// device buffers copied back once a batch, and reads states back. The
// engine is built in CudaUpload.cpp; its class is in CudaEngineImpl.h.
//
//===----------------------------------------------------------------------===//
#include "CudaEngineImpl.h"

#include "FixedPoint.h"

#include <algorithm>
#include <cstring>

namespace snnc::cuda::detail {

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

// Every member defined in this file, for both numeric modes (the
// constructor and destructor are instantiated in CudaUpload.cpp).
template class CudaEngine<float>;
template class CudaEngine<int32_t>;

} // namespace snnc::cuda::detail
