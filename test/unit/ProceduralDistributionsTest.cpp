// Weights and delays: the portable log/exp against the C library, moments
// of every distribution (5 sigma), clipping, and delay rounding.
#include "Philox.h"
#include "ProceduralTestSupport.h"

#include <cfloat>
#include <cmath>

namespace snnc::procedural {
namespace {
using Kind = Distribution::Kind;
using test::expandOk;

TEST(ProceduralMath, PortableLogAndExpMatchTheCLibrary) {
  EXPECT_EQ(portableLog(1.0), 0.0);
  EXPECT_EQ(portableExp(0.0), 1.0);
  EXPECT_EQ(portableExp(-800), 0.0);
  EXPECT_EQ(portableExp(800), INFINITY);
  ref::PhiloxStream st(ref::philoxKey(7), 0, 0, 0);
  double worstLog = 0, worstExp = 0;
  for (int i = 0; i < 200000; ++i) {
    // Logs over (0, 1) (the draws' range) and over wide magnitudes.
    double u = st.uniformOpen();
    double x = i % 2 ? u : std::ldexp(u + 0.5, int(st.uniform() * 600) - 300);
    double l = std::log(x);
    worstLog = std::max(worstLog, std::fabs(portableLog(x) - l) /
                                      std::max(std::fabs(l), 1e-300));
    double y = (st.uniform() - 0.5) * 1400; // [-700, 700)
    double e = std::exp(y);
    worstExp = std::max(worstExp, std::fabs(portableExp(y) - e) / e);
  }
  EXPECT_LT(worstLog, 5e-16); // about 2 ulp
  EXPECT_LT(worstExp, 5e-16);
}

// Known answers, bit for bit: another implementation (CUDA, an RTL host)
// must reproduce these; a change here changes every seeded network.
TEST(ProceduralMath, KnownAnswers) {
  EXPECT_EQ(portableLog(0.3), -0x1.34378fcbda721p+0);
  EXPECT_EQ(portableExp(-2.5), 0x1.50385c094f425p-4);
  EXPECT_EQ(portableLog(1e-300), -0x1.5963447f87fb5p+9);
  auto at = [](Distribution d, uint32_t q) {
    return sampleValue(d, 42, ref::kStreamProceduralWeight, 3, q);
  };
  EXPECT_EQ(at({Kind::Uniform, -1, 2}, 0), -0x1.c498330d42da4p-1);
  EXPECT_EQ(at({Kind::Uniform, -1, 2}, 1), 0x1.d8982a5942cbp-1);
  EXPECT_EQ(at({Kind::Normal, 0.5, 0.25}, 0), 0x1.7455c2a1a19eep-2);
  EXPECT_EQ(at({Kind::Normal, 0.5, 0.25}, 1), 0x1.f57585c53123ap-1);
  EXPECT_EQ(at({Kind::Normal, 0, 1, 0.5, 0.7}, 0), 0x1.5e5ac274b692ep-1);
  EXPECT_EQ(at({Kind::Normal, 0, 1, 0.5, 0.7}, 1), 0x1.2704013941be9p-1);
  EXPECT_EQ(at({Kind::Lognormal, -1, 0.5}, 0), 0x1.1ec5b705c6c2ap-2);
  EXPECT_EQ(at({Kind::Lognormal, -1, 0.5}, 1), 0x1.eb58a593bac99p-1);
}

TEST(ProceduralMath, DelayStepsRoundHalfAwayFromZeroAndClamp) {
  EXPECT_EQ(delayToSteps(2.5, 1), 3);
  EXPECT_EQ(delayToSteps(3.5, 1), 4);
  EXPECT_EQ(delayToSteps(0.49, 1), 0);
  EXPECT_EQ(delayToSteps(0, 1e-4), 0);
  EXPECT_EQ(delayToSteps(1.5e-3, 1e-4), 15);
  EXPECT_EQ(delayToSteps(70000, 1), 65535);
  EXPECT_EQ(delayToSteps(-1, 1), 0);
}

struct Moments {
  double mean = 0, var = 0, min = INFINITY, max = -INFINITY;
  uint64_t n = 0;
};
Moments moments(const std::vector<float> &v) {
  Moments m;
  m.n = v.size();
  for (float x : v) {
    m.mean += x;
    m.min = std::min(m.min, double(x));
    m.max = std::max(m.max, double(x));
  }
  m.mean /= double(m.n);
  for (float x : v)
    m.var += (x - m.mean) * (x - m.mean);
  m.var /= double(m.n - 1);
  return m;
}

/// 400 x 500 all-to-all with the given weight distribution.
std::vector<float> weights(Distribution d, uint64_t seed = 9) {
  ConnectSpec s;
  s.rule = Rule::AllToAll;
  s.nPre = 400;
  s.nPost = 500;
  s.seed = seed;
  s.weight = d;
  Synapses syn = expandOk(s, 3);
  EXPECT_EQ(syn.weights.size(), 200000u);
  return syn.weights;
}

double phi(double x) { return std::exp(-0.5 * x * x) / std::sqrt(2 * M_PI); }
double cdf(double x) { return 0.5 * std::erfc(-x / std::sqrt(2.0)); }

TEST(ProceduralDistributions, ConstantIsStoredOnce) {
  ConnectSpec s;
  s.rule = Rule::AllToAll;
  s.nPre = 3;
  s.nPost = 4;
  s.weight.a = -0.25;
  s.delay.a = 1.5e-3;
  Synapses syn = expandOk(s);
  EXPECT_EQ(syn.weights, std::vector<float>{-0.25f});
  EXPECT_EQ(syn.delaySteps, std::vector<uint16_t>{15});
}

TEST(ProceduralDistributions, NormalMoments) {
  Moments m = moments(weights({Kind::Normal, 1.0, 0.5}));
  double n = double(m.n);
  EXPECT_NEAR(m.mean, 1.0, 5 * 0.5 / std::sqrt(n));
  EXPECT_NEAR(m.var, 0.25, 5 * 0.25 * std::sqrt(2 / n));
}

TEST(ProceduralDistributions, ClippedNormalStaysInBoundsWithTruncatedMean) {
  Distribution d{Kind::Normal, 1.0, 0.5, 0.5, 1.2};
  Moments m = moments(weights(d));
  EXPECT_GE(m.min, double(float(0.5)));
  EXPECT_LE(m.max, double(float(1.2)));
  double al = (0.5 - 1.0) / 0.5, be = (1.2 - 1.0) / 0.5;
  double z = cdf(be) - cdf(al);
  double mean = 1.0 + 0.5 * (phi(al) - phi(be)) / z;
  double var = 0.25 * (1 + (al * phi(al) - be * phi(be)) / z -
                       std::pow((phi(al) - phi(be)) / z, 2));
  EXPECT_NEAR(m.mean, mean, 5 * std::sqrt(var / double(m.n)));
  // A one-sided clip (weights kept non-negative).
  m = moments(weights({Kind::Normal, 0.1, 0.3, 0, INFINITY}));
  EXPECT_GE(m.min, 0.0);
}

TEST(ProceduralDistributions, LognormalMeanIsExpMuPlusHalfSigmaSquared) {
  double mu = 0.1, sigma = 0.4;
  Moments m = moments(weights({Kind::Lognormal, mu, sigma}));
  double mean = std::exp(mu + sigma * sigma / 2);
  double var = (std::exp(sigma * sigma) - 1) * std::exp(2 * mu + sigma * sigma);
  EXPECT_GT(m.min, 0.0);
  EXPECT_NEAR(m.mean, mean, 5 * std::sqrt(var / double(m.n)));
  EXPECT_NEAR(m.var, var, 0.03 * var); // ~6 sd of the sample variance
}

TEST(ProceduralDistributions, UniformMomentsAndRange) {
  Moments m = moments(weights({Kind::Uniform, -2.0, 3.0}));
  EXPECT_GE(m.min, -2.0);
  EXPECT_LE(m.max, 3.0); // [a, b) in double; float rounding may reach b
  double var = 25.0 / 12;
  EXPECT_NEAR(m.mean, 0.5, 5 * std::sqrt(var / double(m.n)));
  EXPECT_NEAR(m.var, var, 5 * var * std::sqrt(0.8 / double(m.n)));
}

TEST(ProceduralDistributions, RandomDelaysRoundToSteps) {
  ConnectSpec s;
  s.rule = Rule::AllToAll;
  s.nPre = 400;
  s.nPost = 500;
  s.dt = 1e-4;
  s.delay = {Kind::Uniform, 0.5e-3, 2e-3};
  Synapses syn = expandOk(s);
  ASSERT_EQ(syn.delaySteps.size(), 200000u);
  double mean = 0;
  uint16_t lo = 65535, hi = 0;
  for (uint16_t d : syn.delaySteps) {
    mean += d;
    lo = std::min(lo, d);
    hi = std::max(hi, d);
  }
  mean /= 200000;
  EXPECT_EQ(lo, 5);
  EXPECT_EQ(hi, 20);
  // round(U[5, 20)) has mean 12.5 (5 and 20 get half a bin each).
  EXPECT_NEAR(mean, 12.5, 5 * std::sqrt(18.75 / 200000) + 0.01);
  s.delay = {Kind::Normal, 1e-3, 0.3e-3, 0.2e-3, 1.5e-3};
  syn = expandOk(s);
  for (uint16_t d : syn.delaySteps) {
    ASSERT_GE(d, 2);
    ASSERT_LE(d, 15);
  }
  // Lognormal around 1 ms: steps >= 0, median near 10.
  s.delay = {Kind::Lognormal, std::log(1e-3), 0.5};
  syn = expandOk(s);
  ASSERT_EQ(syn.delaySteps.size(), 200000u);
  uint64_t below10 = 0;
  for (uint16_t d : syn.delaySteps)
    below10 += d < 10;
  // P(d < 9.5 steps) = Phi(log(0.95) / 0.5) = 0.459; binomial sd 223.
  EXPECT_NEAR(double(below10), 0.4591 * 200000, 5 * 223);
  // Lognormal around 100 s = 1e6 steps: clamped to the 65535 maximum.
  s.delay = {Kind::Lognormal, std::log(100.0), 0.1};
  syn = expandOk(s);
  for (uint16_t d : syn.delaySteps)
    ASSERT_EQ(d, 65535);
  // Zero delays are allowed (same-step delivery).
  s.delay = {Kind::Constant, 0};
  EXPECT_EQ(expandOk(s).delaySteps, std::vector<uint16_t>{0});
}

TEST(ProceduralDistributions, WeightAndDelayStreamsAreIndependent) {
  // The same distribution on the weight and the delay stream must not give
  // the same numbers.
  Distribution d{Kind::Uniform, 0, 1};
  int same = 0;
  for (uint32_t q = 0; q < 1000; ++q)
    same += sampleValue(d, 5, ref::kStreamProceduralWeight, 3, q) ==
            sampleValue(d, 5, ref::kStreamProceduralDelay, 3, q);
  EXPECT_EQ(same, 0);
}

} // namespace
} // namespace snnc::procedural
