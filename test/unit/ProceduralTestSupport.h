// Helpers shared by the procedural connectivity tests.
#ifndef SNNC_TEST_UNIT_PROCEDURALTESTSUPPORT_H
#define SNNC_TEST_UNIT_PROCEDURALTESTSUPPORT_H

#include "snnc/runtime/Procedural.h"

#include <gtest/gtest.h>

namespace snnc::procedural::test {

inline constexpr uint64_t kBigBudget = uint64_t(1) << 34;

/// Expands or fails the test.
inline Synapses expandOk(const ConnectSpec &s, unsigned threads = 2) {
  StatusOr<Synapses> r = expand(s, threads, kBigBudget);
  EXPECT_TRUE(r.isOk()) << r.status().toString();
  return r.isOk() ? std::move(r).value() : Synapses{};
}

/// The CSR invariants every result must hold; `distinct` = no repeated
/// pair (targets strictly ascending within a row).
inline void expectWellFormed(const ConnectSpec &s, const Synapses &syn,
                             bool distinct) {
  ASSERT_EQ(syn.rowStart.size(), uint64_t(s.nPre) + 1);
  EXPECT_EQ(syn.rowStart.front(), 0u);
  EXPECT_EQ(syn.rowStart.back(), syn.targets.size());
  for (uint64_t i = 0; i < s.nPre; ++i) {
    ASSERT_LE(syn.rowStart[i], syn.rowStart[i + 1]) << "row " << i;
    for (uint32_t k = syn.rowStart[i]; k < syn.rowStart[i + 1]; ++k) {
      ASSERT_LT(syn.targets[k], s.nPost) << "row " << i;
      if (k > syn.rowStart[i]) {
        if (distinct)
          ASSERT_LT(syn.targets[k - 1], syn.targets[k]) << "row " << i;
        else
          ASSERT_LE(syn.targets[k - 1], syn.targets[k]) << "row " << i;
      }
    }
  }
  uint64_t perSynapse = syn.targets.size();
  EXPECT_EQ(syn.weights.size(),
            s.weight.kind == Distribution::Kind::Constant ? 1 : perSynapse);
  EXPECT_EQ(syn.delaySteps.size(),
            s.delay.kind == Distribution::Kind::Constant ? 1 : perSynapse);
}

/// Synapses onto each target.
inline std::vector<uint64_t> inDegrees(const ConnectSpec &s,
                                       const Synapses &syn) {
  std::vector<uint64_t> d(s.nPost, 0);
  for (uint32_t t : syn.targets)
    ++d[t];
  return d;
}

inline uint64_t autapses(const Synapses &syn) {
  uint64_t n = 0;
  for (uint64_t i = 0; i + 1 < syn.rowStart.size(); ++i)
    for (uint32_t k = syn.rowStart[i]; k < syn.rowStart[i + 1]; ++k)
      n += syn.targets[k] == i;
  return n;
}

inline bool sameSynapses(const Synapses &a, const Synapses &b) {
  return a.rowStart == b.rowStart && a.targets == b.targets &&
         a.weights == b.weights && a.delaySteps == b.delaySteps;
}

} // namespace snnc::procedural::test

#endif // SNNC_TEST_UNIT_PROCEDURALTESTSUPPORT_H
