// Philox4x32-10 against Random123's published known-answer vectors, and the
// derived uniform draws' ranges.
#include "Philox.h"

#include <gtest/gtest.h>

using snnc::ref::philox4x32_10;

TEST(Philox, KnownAnswerVectors) {
  EXPECT_EQ(philox4x32_10({0, 0, 0, 0}, {0, 0}),
            (snnc::ref::PhiloxCounter{0x6627e8d5, 0xe169c58d, 0xbc57ac4c,
                                      0x9b00dbd8}));
  EXPECT_EQ(philox4x32_10({0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff},
                          {0xffffffff, 0xffffffff}),
            (snnc::ref::PhiloxCounter{0x408f276d, 0x41c83b0e, 0xa20bc7c6,
                                      0x6d5451fd}));
  EXPECT_EQ(philox4x32_10({0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344},
                          {0xa4093822, 0x299f31d0}),
            (snnc::ref::PhiloxCounter{0xd16cfe09, 0x94fdcceb, 0x5001e420,
                                      0x24126ea1}));
}

TEST(Philox, UniformsStayInRangeAndStreamsDiffer) {
  snnc::ref::PhiloxStream a(snnc::ref::philoxKey(42), 7, 0, 1);
  snnc::ref::PhiloxStream b(snnc::ref::philoxKey(42), 7, 0, 2);
  double sum = 0;
  int same = 0;
  for (int i = 0; i < 100000; ++i) {
    double u = a.uniform(), o = b.uniformOpen();
    ASSERT_GE(u, 0.0);
    ASSERT_LT(u, 1.0);
    ASSERT_GT(o, 0.0);
    ASSERT_LT(o, 1.0);
    sum += u;
    same += u == o;
  }
  // Mean of 1e5 uniforms: standard error 9.1e-4; 5 sigma.
  EXPECT_NEAR(sum / 100000, 0.5, 4.6e-3);
  EXPECT_EQ(same, 0);
  snnc::ref::PhiloxStream c(snnc::ref::philoxKey(42), 7, 0, 1);
  std::vector<int> hist(10, 0);
  for (int i = 0; i < 100000; ++i)
    ++hist[snnc::ref::uniformBelow(c, 10)];
  for (int h : hist) // binomial(1e5, 0.1): sd 94.9; 5 sigma
    EXPECT_NEAR(h, 10000, 475);
}
