//===- FixedPointTest.cpp - runtime/reference/FixedPoint.h ----------------===//
//
// The integer arithmetic every fixed-mode implementation shares, at the
// edges of each width and for both signs.
//
//===----------------------------------------------------------------------===//
#include "FixedPoint.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <random>

namespace {

namespace fxp = snnc::fixedpoint;

// --- FixedPoint.h ------------------------------------------------------------

TEST(FixedPoint, SaturatesAtTheEdgesOfEachWidth) {
  static_assert(fxp::saturate(1 << 23, 24) == (1 << 23) - 1);
  EXPECT_EQ(fxp::saturate((1 << 23) - 1, 24), (1 << 23) - 1);
  EXPECT_EQ(fxp::saturate(-(1 << 23), 24), -(1 << 23));
  EXPECT_EQ(fxp::saturate(-(1 << 23) - 1, 24), -(1 << 23));
  EXPECT_EQ(fxp::saturate(128, 8), 127);
  EXPECT_EQ(fxp::saturate(-129, 8), -128);
  EXPECT_EQ(fxp::saturate(INT64_MIN, 32), INT32_MIN);
  EXPECT_EQ(fxp::saturate(INT64_MAX, 64), INT64_MAX);
  EXPECT_EQ(fxp::saturatingAdd(INT64_MAX, 1), INT64_MAX);
  EXPECT_EQ(fxp::saturatingAdd(INT64_MIN, -1), INT64_MIN);
  EXPECT_EQ(fxp::saturatingSub(INT64_MIN, 1), INT64_MIN);
  EXPECT_EQ(fxp::saturatingSub(0, INT64_MIN), INT64_MAX);
  EXPECT_EQ(fxp::saturatingMul(INT64_MIN, -1), INT64_MAX);
  EXPECT_EQ(fxp::saturatingMul(int64_t(1) << 40, -(int64_t(1) << 30)),
            INT64_MIN);
  EXPECT_EQ(fxp::saturatingMul(-(int64_t(1) << 31), int64_t(1) << 31),
            -(int64_t(1) << 62));
  EXPECT_EQ(fxp::resetValue(-100, 100, 0, true, 8), -128);
  EXPECT_EQ(fxp::resetValue(5, 1, 1000, false, 8), 127);
}

TEST(FixedPoint, DecayTruncatesTheDecrementForBothSigns) {
  static_assert(fxp::decay(5, 2048) == 3);
  EXPECT_EQ(fxp::decayAmount(5, 2048), 2);
  EXPECT_EQ(fxp::decayAmount(-5, 2048), -2); // toward zero, not floor (-3)
  EXPECT_EQ(fxp::decay(-5, 2048), -3);
  EXPECT_EQ(fxp::decay(-1, 4095), -1); // 4095/4096 of 1 truncates to 0
  EXPECT_EQ(fxp::decay(-4096, 1), -4095);
  EXPECT_EQ(fxp::decay(-4095, 1), -4095);
  EXPECT_EQ(fxp::decay(123456, 0), 123456);
  EXPECT_EQ(fxp::decay(-123456, 4096), 0);
  EXPECT_EQ(fxp::decay(-123456, 5000), 0); // d clamped to 4096
  EXPECT_EQ(fxp::decay(INT64_MIN, 4096), 0);
  EXPECT_EQ(fxp::decay(INT64_MIN, 2048), -(int64_t(1) << 62));
  EXPECT_EQ(fxp::decay(INT64_MAX, 1), INT64_MAX - (INT64_MAX >> 12));
  // The 32-bit form used for neuron states agrees everywhere it applies.
  for (int64_t x : {int64_t(INT32_MIN), int64_t(INT32_MIN) + 1, int64_t(-4097),
                    int64_t(-4096), int64_t(-1), int64_t(0), int64_t(1),
                    int64_t(4095), int64_t(INT32_MAX)})
    for (uint32_t d : {0u, 1u, 2048u, 4095u, 4096u, 9999u})
      ASSERT_EQ(fxp::decayState(int32_t(x), d), fxp::decay(x, d))
          << x << " " << d;
  // Symmetry: the decay of -x is minus the decay of x.
  std::mt19937_64 rng(7);
  for (int i = 0; i < 10000; ++i) {
    int64_t x = int64_t(rng() >> 20) - (int64_t(1) << 43);
    uint32_t d = uint32_t(rng() % 4097);
    ASSERT_EQ(fxp::decay(-x, d), -fxp::decay(x, d)) << x << " " << d;
    ASSERT_EQ(fxp::decayAmount(x, d),
              x < 0 ? -((-x * int64_t(d)) >> 12) : (x * int64_t(d)) >> 12);
    const int32_t x32 = int32_t(uint32_t(rng()));
    ASSERT_EQ(fxp::decayState(x32, d), fxp::decay(x32, d)) << x32 << " " << d;
  }
}

TEST(FixedPoint, GradedContributionRoundsHalfAwayFromZero) {
  static_assert(fxp::gradedContribution(3, 1, 0, 1) == 2); // 1.5
  EXPECT_EQ(fxp::gradedContribution(-3, 1, 0, 1), -2);     // -1.5
  EXPECT_EQ(fxp::gradedContribution(1, 1, 0, 2), 0);       // 0.25
  EXPECT_EQ(fxp::gradedContribution(-1, 1, 0, 2), 0);      // -0.25
  EXPECT_EQ(fxp::gradedContribution(-1, 1, 0, 1), -1);     // -0.5
  EXPECT_EQ(fxp::gradedContribution(3, -1, 0, 2), -1);     // -0.75
  EXPECT_EQ(fxp::gradedContribution(5, 3, 2, 3), 8);       // 60/8 = 7.5
  EXPECT_EQ(fxp::gradedContribution(-5, 3, 2, 3), -8);
  EXPECT_EQ(fxp::gradedContribution(7, -3, 4, 0), -336); // no division
  EXPECT_EQ(fxp::gradedContribution(INT64_MAX, 2, 0, 0), INT64_MAX);
  EXPECT_EQ(fxp::gradedContribution(int64_t(1) << 40, -(1 << 15), 24, 0),
            INT64_MIN);
  EXPECT_EQ(fxp::weightValue(-3, 4), -48);
  EXPECT_EQ(fxp::weightValue(-32768, 24), -(int64_t(1) << 39));
  EXPECT_EQ(fxp::roundingShiftRight(INT64_MIN, 63), -1);
}

TEST(FixedPoint, ToFixedRoundsHalfAwayFromZeroAndSaturates) {
  static_assert(fxp::toFixed(0.5f, 0, 8) == 1);
  EXPECT_EQ(fxp::toFixed(-0.5f, 0, 8), -1);
  EXPECT_EQ(fxp::toFixed(2.5f, 0, 8), 3);
  EXPECT_EQ(fxp::toFixed(0.375f, 2, 24), 2);   // 1.5
  EXPECT_EQ(fxp::toFixed(-0.375f, 2, 24), -2); // -1.5
  EXPECT_EQ(fxp::toFixed(0.3f, 8, 24), 77);    // 76.8
  EXPECT_EQ(fxp::toFixed(1e30f, 8, 16), 32767);
  EXPECT_EQ(fxp::toFixed(-1e30f, 8, 16), -32768);
  EXPECT_EQ(fxp::toFixed(std::numeric_limits<float>::infinity(), 0, 32),
            INT32_MAX);
  EXPECT_EQ(fxp::toFixed(std::nanf(""), 4, 16), 0);
  EXPECT_EQ(fxp::fromFixed(3, 1), 1.5f);
  EXPECT_EQ(fxp::fromFixed(-1, 2), -0.25f);
  for (int i = -1000; i <= 1000; ++i) // round trip of every 1/64
    ASSERT_EQ(fxp::toFixed(fxp::fromFixed(i, 6), 6, 16), i);
  EXPECT_TRUE(fxp::crosses(10, 10, true));
  EXPECT_FALSE(fxp::crosses(10, 10, false));
  EXPECT_TRUE(fxp::crosses(11, 10, false));
}

TEST(FixedPoint, AccumulateWrapsSoTheOrderNeverMatters) {
  EXPECT_EQ(fxp::accumulate(INT64_MAX, 1), INT64_MIN);
  std::vector<int64_t> terms = {INT64_MAX, 5, -7, INT64_MAX, -3, 1 << 20};
  int64_t forward = 0, backward = 0;
  for (size_t i = 0; i < terms.size(); ++i) {
    forward = fxp::accumulate(forward, terms[i]);
    backward = fxp::accumulate(backward, terms[terms.size() - 1 - i]);
  }
  EXPECT_EQ(forward, backward);
}

} // namespace
