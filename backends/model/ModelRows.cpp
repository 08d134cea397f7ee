//===- ModelRows.cpp - CSR synapses into the engine's row blocks ----------===//
//
// Each block is independent (one slice of targets), so blocks are built
// on their own threads: at load time, a projection of 1e8 synapses is
// converted in a fraction of the time its expansion takes.
//
//===----------------------------------------------------------------------===//
#include "ModelRows.h"

#include "snnc/runtime/Procedural.h"

#include <algorithm>
#include <atomic>
#include <new>
#include <system_error>
#include <thread>

namespace snnc::model {
namespace {

template <typename W>
void buildBlock(const CsrView<W> &v, Range r, RowBlock<W> &b) {
  const uint32_t n = v.sourceSize;
  const uint32_t *targets = v.targets;
  auto w = [&](uint32_t e) { return v.weights[v.sharedWeight ? 0 : e]; };
  b.base = r.lo;
  b.narrow = r.size() <= 65536;
  // First pass: count, and whether one weight serves the whole block.
  uint32_t count = 0;
  bool first = true;
  b.uniform = true;
  for (uint32_t e = 0; e < v.rowStart[n]; ++e)
    if (targets[e] >= r.lo && targets[e] < r.hi) {
      ++count;
      if (first)
        b.weight = w(e), first = false;
      else if (w(e) != b.weight)
        b.uniform = false;
    }
  b.start.assign(size_t(n) + 1, 0);
  (b.narrow ? (void)b.narrowTargets.reserve(count)
            : (void)b.wideTargets.reserve(count));
  if (!b.uniform)
    b.weights.reserve(count);
  if (v.delays)
    b.delays.reserve(count);
  for (uint32_t j = 0; j < n; ++j) {
    for (uint32_t e = v.rowStart[j]; e < v.rowStart[j + 1]; ++e) {
      const uint32_t target = targets[e];
      if (target < r.lo || target >= r.hi)
        continue;
      if (b.narrow)
        b.narrowTargets.push_back(uint16_t(target - r.lo));
      else
        b.wideTargets.push_back(target - r.lo);
      if (!b.uniform)
        b.weights.push_back(w(e));
      if (v.delays)
        b.delays.push_back(v.delays[e]);
    }
    b.start[j + 1] =
        uint32_t(b.narrow ? b.narrowTargets.size() : b.wideTargets.size());
  }
}

/// The one block of a single-slice engine, built from the expanded arrays
/// themselves (row offsets, weights, delays and wide targets moved, narrow
/// targets copied to 16 bits before the 32-bit ones are freed), so the
/// peak holds 2 more bytes per synapse, not a second copy: the same block
/// buildBlock would give, since every target is in the slice.
RowBlock<float> takeRows(procedural::Synapses syn, Range r, bool delays) {
  RowBlock<float> b;
  b.base = r.lo;
  b.narrow = r.size() <= 65536;
  b.start = std::move(syn.rowStart);
  if (b.narrow) {
    b.narrowTargets.assign(syn.targets.begin(), syn.targets.end());
    std::vector<uint32_t>().swap(syn.targets);
  } else {
    b.wideTargets = std::move(syn.targets);
  }
  const std::vector<float> &w = syn.weights;
  b.uniform =
      std::all_of(w.begin(), w.end(), [&](float x) { return x == w.front(); });
  if (!w.empty())
    b.weight = w.front();
  if (!b.uniform)
    b.weights = std::move(syn.weights);
  if (delays)
    b.delays = std::move(syn.delaySteps);
  return b;
}

} // namespace

template <typename W>
std::vector<RowBlock<W>> splitRows(const CsrView<W> &view,
                                   const std::vector<Range> &slices,
                                   unsigned threads) {
  std::vector<RowBlock<W>> blocks(slices.size());
  // Workers take blocks in turn; an allocation failure on a worker is
  // handed to the caller, since an exception must not leave a thread.
  std::atomic<size_t> next{0};
  std::atomic<bool> outOfMemory{false};
  auto work = [&] {
    for (size_t t; (t = next.fetch_add(1)) < blocks.size();) {
      if (outOfMemory.load())
        return;
      try {
        buildBlock(view, slices[t], blocks[t]);
      } catch (const std::bad_alloc &) {
        outOfMemory.store(true);
      }
    }
  };
  const size_t helpers =
      std::min<size_t>(std::max(threads, 1u), blocks.size()) -
      (blocks.empty() ? 0 : 1);
  std::vector<std::thread> team;
  for (size_t k = 0; k < helpers; ++k) {
    try {
      team.emplace_back(work);
    } catch (const std::system_error &) {
      break; // the caller builds the rest
    }
  }
  work();
  for (std::thread &t : team)
    t.join();
  if (outOfMemory.load())
    throw std::bad_alloc();
  return blocks;
}

template <typename W> uint64_t rowBytes(const std::vector<RowBlock<W>> &rows) {
  uint64_t bytes = 0;
  for (const RowBlock<W> &b : rows)
    bytes += 4 * b.start.capacity() + 2 * b.narrowTargets.capacity() +
             4 * b.wideTargets.capacity() + sizeof(W) * b.weights.capacity() +
             2 * b.delays.capacity();
  return bytes;
}

std::pair<uint32_t, uint32_t>
synapseDelayRange(uint32_t sourceSize, const uint32_t *rowStart,
                  const uint16_t *delays, uint32_t delay,
                  const std::vector<uint32_t> &base) {
  auto own = [&](uint32_t j) { return base.empty() ? delay : base[j]; };
  uint32_t lo = ~0u, hi = 0;
  for (uint32_t j = 0; j < sourceSize; ++j)
    for (uint32_t e = rowStart[j]; e < rowStart[j + 1]; ++e) {
      lo = std::min(lo, own(j) + delays[e]);
      hi = std::max(hi, own(j) + delays[e]);
    }
  return {lo == ~0u ? own(0) : lo, hi};
}

void addConstantDelay(ProjectionModel<float> &pj, uint32_t steps,
                      uint32_t &longest) {
  pj.delay += steps;
  for (uint32_t &d : pj.delays)
    d += steps;
  longest += steps;
  pj.immediate = pj.delays.empty() ? pj.delay == 0
                                   : *std::min_element(pj.delays.begin(),
                                                       pj.delays.end()) == 0;
}

Status expandProcedural(const Program &program, uint32_t index,
                        const std::vector<Range> &slices, unsigned threads,
                        uint64_t resident, ProjectionModel<float> &pj,
                        uint32_t &longest, const char *backend) {
  const snnb::Projection &pr = *program.fb().projections()->Get(index);
  const std::string where = std::string(backend) + ": " + program.origin() +
                            ": projection " + std::to_string(index) + " ('" +
                            (pr.name() ? pr.name()->str() : std::string()) +
                            "')";
  const uint64_t budget = program.expansionBudgetBytes();
  const uint64_t left = budget > resident ? budget - resident : 0;
  const std::string held =
      resident ? " (" + std::to_string(resident) +
                     " bytes of the budget hold the rows of earlier "
                     "Procedural projections)"
               : std::string();
  const procedural::ConnectSpec spec = program.connectSpec(index);
  StatusOr<procedural::Synapses> expanded =
      procedural::expand(spec, threads, left);
  if (!expanded)
    return Status(expanded.status().code(),
                  where + ": " + expanded.status().message() + held);
  procedural::Synapses syn = std::move(expanded).value();
  // The engine's rows take at most the bytes of the synapses (targets of
  // 2 or 4 bytes instead of 4), plus row offsets for every slice.
  const uint64_t synapses = syn.targets.size();
  const uint64_t synBytes = procedural::bytesFor(synapses, spec);
  const uint64_t rowsBound =
      synBytes + 4 * (uint64_t(spec.nPre) + 1) * (slices.size() - 1);
  if (synBytes + rowsBound > left)
    return invalidArgument(
        where + ": " + std::to_string(synapses) + " synapses take " +
        std::to_string(synBytes) + " bytes and their engine rows up to " +
        std::to_string(rowsBound) + " more while converted, " +
        std::to_string(synBytes + rowsBound) +
        " bytes in all, but the memory budget left is " + std::to_string(left) +
        " bytes" + held +
        "; raise LoadOptions::expansionBudgetBytes or make the rule sparser");

  pj.type = snnb::Connectivity::Sparse;
  CsrView<float> v;
  v.sourceSize = spec.nPre;
  v.rowStart = syn.rowStart.data();
  v.targets = syn.targets.data();
  v.weights = syn.weights.data();
  v.sharedWeight = syn.weights.size() == 1;
  if (spec.delay.kind == procedural::Distribution::Kind::Constant) {
    // One value for every synapse: the same as that many more delay_steps.
    addConstantDelay(pj, syn.delaySteps.empty() ? 0 : syn.delaySteps[0],
                     longest);
  } else {
    v.delays = syn.delaySteps.data();
    pj.synapseDelays = true;
    auto [fastest, slowest] =
        synapseDelayRange(spec.nPre, v.rowStart, v.delays, pj.delay, pj.delays);
    pj.immediate = fastest == 0;
    longest = slowest;
  }
  if (slices.size() == 1)
    pj.rows.push_back(takeRows(std::move(syn), slices[0], v.delays != nullptr));
  else
    pj.rows = splitRows(v, slices, threads);
  return Status::ok();
}

template std::vector<RowBlock<float>>
splitRows(const CsrView<float> &, const std::vector<Range> &, unsigned);
template std::vector<RowBlock<int32_t>>
splitRows(const CsrView<int32_t> &, const std::vector<Range> &, unsigned);
template uint64_t rowBytes(const std::vector<RowBlock<float>> &);
template uint64_t rowBytes(const std::vector<RowBlock<int32_t>> &);

} // namespace snnc::model
