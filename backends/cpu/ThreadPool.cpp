//===- ThreadPool.cpp - Persistent team and spinning barrier --------------===//
#include "ThreadPool.h"

#include <chrono>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#endif

namespace snnc::cpu {
namespace {

// Waiting has three stages. Spinning covers the normal case, a partner
// thread that is running and about to arrive: for up to kSpinTime, which is
// long against a step (a few microseconds) so that a partner delayed by an
// interrupt or another process does not send us to sleep, and short
// against an idle engine. Yielding then lets a partner that shares our core
// with other processes run in our place. After that the thread sleeps, so
// an idle engine costs no CPU. (With a budget of 256 pauses, runs on a
// loaded machine fell into sleep-and-wake cycles: 15-60x more context
// switches and up to 40 % longer steps.)
constexpr auto kSpinTime = std::chrono::microseconds(100);
constexpr int kSpinsPerClockRead = 64;
constexpr int kYieldIterations = 64;

inline void relax() {
#if defined(__x86_64__) || defined(__i386__)
  _mm_pause(); // lets the sibling hyperthread run while we wait
#endif
}

} // namespace

void awaitChange(const std::atomic<uint32_t> &word, uint32_t seen) {
  const auto deadline = std::chrono::steady_clock::now() + kSpinTime;
  do {
    for (int i = 0; i < kSpinsPerClockRead; ++i) {
      if (word.load(std::memory_order_acquire) != seen)
        return;
      relax();
    }
  } while (std::chrono::steady_clock::now() < deadline);
  for (int i = 0; i < kYieldIterations; ++i) {
    if (word.load(std::memory_order_acquire) != seen)
      return;
    std::this_thread::yield();
  }
  while (word.load(std::memory_order_acquire) == seen)
    word.wait(seen, std::memory_order_acquire);
}

SpinBarrier::SpinBarrier(unsigned count)
    : count_(count), arrivals_(new Arrivals[count]) {}

void SpinBarrier::wait(unsigned member) {
  if (count_ == 1)
    return;
  // Only `member` writes its counter. Counts wrap; the difference decides.
  std::atomic<uint32_t> &mine = arrivals_[member].rounds;
  const uint32_t round = mine.load(std::memory_order_relaxed) + 1;
  mine.store(round, std::memory_order_release);
  mine.notify_all();
  for (unsigned m = 0; m < count_; ++m) {
    if (m == member)
      continue;
    const std::atomic<uint32_t> &other = arrivals_[m].rounds;
    for (uint32_t seen;
         int32_t((seen = other.load(std::memory_order_acquire)) - round) < 0;)
      awaitChange(other, seen);
  }
}

ThreadPool::ThreadPool(unsigned threads)
    : size_(threads < 1 ? 1 : threads), barrier_(size_),
      done_(new Done[size_]) {
  workers_.reserve(size_ - 1);
  for (unsigned m = 1; m < size_; ++m)
    workers_.emplace_back([this, m] { worker(m); });
}

ThreadPool::~ThreadPool() {
  wait();
  stop_.store(true, std::memory_order_relaxed);
  dispatch();
  for (std::thread &t : workers_)
    t.join();
}

void ThreadPool::dispatch() {
  generation_.fetch_add(1, std::memory_order_release);
  generation_.notify_all();
}

void ThreadPool::worker(unsigned member) {
  uint32_t seen = 0;
  for (;;) {
    awaitChange(generation_, seen);
    seen = generation_.load(std::memory_order_acquire);
    if (stop_.load(std::memory_order_relaxed))
      return;
    invoke_(context_, member);
    done_[member].generation.store(seen, std::memory_order_release);
    done_[member].generation.notify_all();
  }
}

void ThreadPool::wait() const {
  const uint32_t target = generation_.load(std::memory_order_relaxed);
  for (unsigned m = 1; m < size_; ++m)
    for (uint32_t seen; (seen = done_[m].generation.load(
                             std::memory_order_acquire)) != target;)
      awaitChange(done_[m].generation, seen);
}

} // namespace snnc::cpu
