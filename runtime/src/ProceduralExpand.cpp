//===- ProceduralExpand.cpp - The parallel expansion driver ---------------===//
//
// Validates, decides the targets (ProceduralRules.cpp), then draws weights
// and delays (ProceduralDistributions.cpp). Threads only split the work:
// every value is a function of counters, so the result does not depend on
// their number. Allocation failures surface as a Status, never as an
// exception across the API.
//
//===----------------------------------------------------------------------===//
#include "ProceduralInternal.h"

#include <new>

namespace snnc::procedural {

namespace {
constexpr unsigned kMaxThreads = 256;
} // namespace

StatusOr<Synapses> expand(const ConnectSpec &spec, unsigned threads,
                          uint64_t memoryBudgetBytes) {
  if (Status st = validate(spec); !st)
    return st;
  if (threads == 0)
    threads = std::max(1u, std::thread::hardware_concurrency());
  // Some rules keep per-thread arrays (fixed in-degree: one cursor per
  // source row); past this many threads they cost more than they save.
  threads = std::min(threads, kMaxThreads);
  try {
    Synapses out;
    if (Status st = detail::buildTargets(spec, threads, memoryBudgetBytes, out);
        !st)
      return st;
    detail::fillValues(spec, threads, out);
    return out;
  } catch (const std::bad_alloc &) {
    return Status(StatusCode::kFailedPrecondition,
                  std::string("procedural connect (") +
                      detail::ruleName(spec.rule) + ", " +
                      std::to_string(spec.nPre) + " x " +
                      std::to_string(spec.nPost) +
                      "): out of memory while expanding (the result needs " +
                      std::to_string(bytesFor(0, spec)) +
                      " bytes plus the synapses, and the working memory of "
                      "docs/procedural.md); free memory or shrink the rule");
  } catch (const std::exception &e) {
    return Status(StatusCode::kInternal, std::string("procedural connect (") +
                                             detail::ruleName(spec.rule) +
                                             "): " + e.what());
  }
}

} // namespace snnc::procedural
