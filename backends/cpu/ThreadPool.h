//===- ThreadPool.h - A persistent team with a barrier ----------*- C++ -*-===//
//
// The CPU engine runs one simulation step as one job on a fixed team of
// threads and synchronizes inside it with barriers, several times per step
// (tens of thousands of times per simulated second). Creating threads or
// waking them through the kernel at that rate would cost more than the step
// itself, so the team lives as long as the engine and waits by spinning
// briefly before it sleeps (std::atomic::wait).
//
// Thread safety: launch() and wait() are called by one thread at a time
// (the engine's owner), which becomes member 0 of the team; barrier() is
// called only from inside a job, by every member the same number of times.
//
//===----------------------------------------------------------------------===//
#ifndef SNNC_BACKENDS_CPU_THREADPOOL_H
#define SNNC_BACKENDS_CPU_THREADPOOL_H

#include <atomic>
#include <cstdint>
#include <memory>
#include <thread>
#include <vector>

namespace snnc::cpu {

/// A reusable barrier for a fixed number of threads, each with its own
/// arrival counter on its own cache line: a thread arrives with one store
/// to its line and waits by reading the others', so a round costs about one
/// cache-line transfer of latency instead of a chain of read-modify-writes
/// on one shared line (each transfer between cores costs ~100 ns). Spins,
/// then sleeps.
class SpinBarrier {
public:
  explicit SpinBarrier(unsigned count);
  /// Returns once all `count` threads have called wait() for this round;
  /// `member` (< count) names the caller. Everything written before wait()
  /// by any of them is visible after it.
  void wait(unsigned member);

private:
  struct alignas(64) Arrivals {
    std::atomic<uint32_t> rounds{0};
  };
  const unsigned count_;
  std::unique_ptr<Arrivals[]> arrivals_;
};

/// Spins on `word` until it differs from `seen`, then sleeps on it.
void awaitChange(const std::atomic<uint32_t> &word, uint32_t seen);

class ThreadPool {
public:
  /// A team of `threads` members (>= 1): the caller of run() and
  /// threads - 1 workers started here.
  explicit ThreadPool(unsigned threads);
  ~ThreadPool();
  ThreadPool(const ThreadPool &) = delete;
  ThreadPool &operator=(const ThreadPool &) = delete;

  unsigned size() const { return size_; }

  /// Starts job(member) on every worker and runs job(0) on the caller;
  /// returns when the caller's part is done, without waiting for the
  /// workers (a job synchronizes inside itself with barrier()). A worker
  /// still busy with the previous job starts this one when it finishes.
  /// `job` is referenced, not copied: it must outlive the next wait().
  /// No allocation.
  template <typename F> void launch(F &job) {
    context_ = &job;
    invoke_ = [](void *c, unsigned member) { (*static_cast<F *>(c))(member); };
    dispatch();
    job(0);
  }

  /// Returns once every worker has finished the last launched job; what
  /// they wrote is visible afterwards.
  void wait() const;

  /// Synchronizes all members inside a job; `member` is the caller's.
  void barrier(unsigned member) { barrier_.wait(member); }

private:
  void dispatch();
  void worker(unsigned member);

  unsigned size_;
  SpinBarrier barrier_;
  void *context_ = nullptr;
  void (*invoke_)(void *, unsigned) = nullptr;
  alignas(64) std::atomic<uint32_t> generation_{0};
  std::atomic<bool> stop_{false};
  /// Per worker, on its own cache line: the generation it last finished.
  struct alignas(64) Done {
    std::atomic<uint32_t> generation{0};
  };
  std::unique_ptr<Done[]> done_;
  std::vector<std::thread> workers_;
};

} // namespace snnc::cpu

#endif // SNNC_BACKENDS_CPU_THREADPOOL_H
