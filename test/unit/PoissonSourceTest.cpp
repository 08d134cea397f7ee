//===- PoissonSourceTest.cpp - PoissonSource populations ------------------===//
//
// The draw of runtime/reference/PoissonSource.h (statistics, the reference
// itself), the CPU engine's counts and their delivery in float and fixed
// mode, determinism across thread counts, and the artifact checks.
//
//===----------------------------------------------------------------------===//
#include "PoissonDelayNets.h"

#include "PoissonSource.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>

namespace snnc::pdtest {
namespace {

/// Counts of every neuron of population 0 over `steps` steps.
std::vector<std::vector<float>> counts(const Net &net, int steps,
                                       int threads = 1) {
  auto e = engine(net, threads);
  if (!e)
    return {};
  return states(*e, 0, net.pops[0].size, steps);
}

TEST(PoissonTable, ThresholdsFollowTheCdf) {
  for (double lambda : {0.01, 0.5, 1.6, 20.0, 999.0}) {
    ref::PoissonTable t = ref::poissonTable(lambda);
    ASSERT_FALSE(t.thresholds.empty()) << lambda;
    // P(count <= k) = T[k - first] / 2^32 against the pmf summed with
    // lgamma (an independent route).
    double cdf = 0;
    for (uint32_t k = 0; k < t.first + t.thresholds.size(); ++k) {
      cdf += std::exp(-lambda + k * std::log(lambda) - std::lgamma(k + 1.0));
      if (k >= t.first)
        EXPECT_NEAR(t.thresholds[k - t.first] / 4294967296.0, cdf, 1e-9)
            << "lambda " << lambda << " k " << k;
    }
    for (size_t i = 1; i < t.thresholds.size(); ++i)
      EXPECT_LE(t.thresholds[i - 1], t.thresholds[i]);
  }
  EXPECT_TRUE(ref::poissonTable(0).thresholds.empty());
  EXPECT_EQ(ref::poissonTable(0).first, 0u);
  // The largest lambda starts far above 0 (its lower tail is cut).
  EXPECT_GT(ref::poissonTable(1000).first, 700u);
}

TEST(PoissonTable, CountIsFirstPlusThresholdsBelowTheWord) {
  const uint32_t t[] = {10, 20, 20, 30};
  EXPECT_EQ(ref::poissonCount(t, 4, 3, 0), 3u);
  EXPECT_EQ(ref::poissonCount(t, 4, 3, 10), 4u);
  EXPECT_EQ(ref::poissonCount(t, 4, 3, 20), 6u);
  EXPECT_EQ(ref::poissonCount(t, 4, 3, 0xffffffffu), 7u);
  // The binary search of long tables gives the same answer.
  std::vector<uint32_t> big(100);
  for (uint32_t i = 0; i < 100; ++i)
    big[i] = i * 1000;
  EXPECT_EQ(ref::poissonCount(big.data(), 100, 0, 0), 1u);
  EXPECT_EQ(ref::poissonCount(big.data(), 100, 0, 54999), 55u);
  EXPECT_EQ(ref::poissonCount(big.data(), 100, 0, 55000), 56u);
}

TEST(PoissonTable, CountMatchesUpperBoundForEveryLength) {
  std::mt19937 rng(3);
  for (uint32_t n = 0; n < 80; ++n) {
    std::vector<uint32_t> t(n);
    for (uint32_t &x : t)
      x = rng() % 64; // many repeats
    std::sort(t.begin(), t.end());
    for (uint32_t word = 0; word < 70; ++word)
      ASSERT_EQ(
          ref::poissonCount(t.data(), n, 5, word),
          5 + uint32_t(std::upper_bound(t.begin(), t.end(), word) - t.begin()))
          << "n " << n << " word " << word;
  }
}

TEST(PoissonSource, MeanAndVarianceMatchLambda) {
  for (double lambda : {0.01, 0.5, 1.6, 20.0}) {
    Net net;
    const uint32_t n = 10000;
    const int steps = 20;
    net.add(poisson(n, float(lambda / net.dt), 11));
    auto c = counts(net, steps);
    ASSERT_EQ(c.size(), size_t(steps));
    double sum = 0, sq = 0, zeros = 0;
    for (const auto &row : c)
      for (float x : row) {
        ASSERT_EQ(x, std::floor(x));
        sum += x, sq += double(x) * x, zeros += x == 0;
      }
    const double samples = double(n) * steps;
    const double mean = sum / samples;
    const double var = sq / samples - mean * mean;
    // Five standard errors: var(mean) = lambda / N, and for the sample
    // variance (mu4 - sigma^4) / N = (lambda + 2 lambda^2) / N.
    EXPECT_NEAR(mean, lambda, 5 * std::sqrt(lambda / samples)) << lambda;
    EXPECT_NEAR(var, lambda,
                5 * std::sqrt((lambda + 2 * lambda * lambda) / samples))
        << lambda;
    const double p0 = std::exp(-lambda);
    EXPECT_NEAR(zeros / samples, p0, 5 * std::sqrt(p0 * (1 - p0) / samples))
        << lambda;
  }
}

TEST(PoissonSource, EngineDrawsTheReferenceCounts) {
  Net net;
  // 301: the last Philox block serves one neuron only.
  net.add(poisson(301, 1600.0f, 0x123456789abcdefull)); // lambda 1.6
  auto c = counts(net, 50);
  ref::PoissonTable t = ref::poissonTable(ref::poissonLambda(1600.0f, 1e-3));
  const ref::PhiloxKey key = ref::philoxKey(0x123456789abcdefull);
  int above1 = 0;
  for (int s = 0; s < 50; ++s)
    for (uint32_t i = 0; i < 301; ++i) {
      const uint32_t want =
          ref::poissonCount(t.thresholds.data(), uint32_t(t.thresholds.size()),
                            t.first, ref::poissonWord(key, i, uint64_t(s)));
      ASSERT_EQ(c[s][i], float(want)) << "step " << s << " neuron " << i;
      above1 += want > 1;
    }
  EXPECT_GT(above1, 1000); // counts above 1 are common at lambda 1.6
}

TEST(PoissonSource, FourNeuronsShareABlockWordByWord) {
  const ref::PhiloxKey key = ref::philoxKey(77);
  for (uint64_t step : {uint64_t(0), uint64_t(5), (uint64_t(3) << 32) + 9})
    for (uint32_t i : {0u, 1u, 2u, 3u, 4u, 1001u, 4294967295u}) {
      const ref::PhiloxCounter b = ref::philox4x32_10(
          {i / 4, uint32_t(step), uint32_t(step >> 32), ref::kPoissonStream},
          key);
      EXPECT_EQ(ref::poissonWord(key, i, step), b[i % 4])
          << "neuron " << i << " step " << step;
    }
}

TEST(PoissonSource, NeighboursSharingABlockAreUncorrelated) {
  // Counts of neurons 4q + j and 4q + j' (the same block) over many steps:
  // Pearson correlation within five standard errors (1 / sqrt(samples)) of
  // zero, for each pair of word positions.
  Net net;
  const uint32_t n = 4000;
  const int steps = 50;
  const double lambda = 0.5;
  net.add(poisson(n, float(lambda / net.dt), 3));
  auto c = counts(net, steps);
  const double samples = double(n / 4) * steps;
  for (uint32_t a = 0; a < 4; ++a)
    for (uint32_t b = a + 1; b < 4; ++b) {
      double sa = 0, sb = 0, saa = 0, sbb = 0, sab = 0;
      for (const auto &row : c)
        for (uint32_t q = 0; q < n / 4; ++q) {
          const double x = row[4 * q + a], y = row[4 * q + b];
          sa += x, sb += y, saa += x * x, sbb += y * y, sab += x * y;
        }
      const double cov = sab / samples - sa / samples * (sb / samples);
      const double va = saa / samples - sa / samples * (sa / samples);
      const double vb = sbb / samples - sb / samples * (sb / samples);
      EXPECT_NEAR(cov / std::sqrt(va * vb), 0.0, 5 / std::sqrt(samples))
          << "words " << a << " and " << b;
    }
}

TEST(PoissonSource, ZeroRateEmitsNothing) {
  Net net;
  net.add(poisson(100, 0.0f));
  Pop probe;
  probe.size = 1;
  net.add(probe);
  Proj p;
  p.source = 0, p.target = 1;
  p.dense.assign(100, 1.0f);
  net.projs.push_back(p);
  auto e = engine(net);
  ASSERT_TRUE(e);
  std::vector<uint32_t> idx(100);
  for (int s = 0; s < 100; ++s) {
    e->step();
    EXPECT_EQ(e->spikeIndices(0, idx.data()), 0u);
    float in = -1;
    e->readState(1, &in);
    EXPECT_EQ(in, 0.0f);
  }
  EXPECT_EQ(e->stats().spikes, 0);
  EXPECT_EQ(e->stats().synapticEvents, 0);
}

TEST(PoissonSource, PerNeuronRates) {
  Net net;
  const uint32_t n = 8000;
  Pop p = poisson(n, 0, 3);
  const float rates[4] = {0.0f, 200.0f, 1000.0f, 5000.0f}; // lambda 0..5
  p.rate.resize(n);
  for (uint32_t i = 0; i < n; ++i)
    p.rate[i] = rates[i % 4];
  net.add(p);
  const int steps = 25;
  auto c = counts(net, steps);
  double sum[4] = {0, 0, 0, 0};
  for (const auto &row : c)
    for (uint32_t i = 0; i < n; ++i)
      sum[i % 4] += row[i];
  const double samples = double(n / 4) * steps;
  EXPECT_EQ(sum[0], 0.0);
  for (int g = 1; g < 4; ++g) {
    const double lambda = rates[g] * 1e-3;
    EXPECT_NEAR(sum[g] / samples, lambda, 5 * std::sqrt(lambda / samples))
        << "rate " << rates[g];
  }
}

TEST(PoissonSource, SameEventsForAnyThreadCountAndRun) {
  Net net;
  net.add(poisson(5000, 1600.0f, 99));
  auto one = counts(net, 30, 1);
  EXPECT_EQ(counts(net, 30, 2), one);
  EXPECT_EQ(counts(net, 30, 3), one);
  auto e = engine(net, 2);
  ASSERT_TRUE(e);
  states(*e, 0, 5000, 7);
  e->reset();
  EXPECT_EQ(states(*e, 0, 5000, 30), one);
  // Another seed, other events.
  net.pops[0].seed = 100;
  EXPECT_NE(counts(net, 30, 1), one);
}

TEST(PoissonSource, SpikeListHoldsNeuronsWithEvents) {
  Net net;
  net.add(poisson(500, 500.0f, 5));
  auto e = engine(net, 2);
  ASSERT_TRUE(e);
  std::vector<uint32_t> idx(500);
  std::vector<float> c(500);
  for (int s = 0; s < 20; ++s) {
    e->step();
    e->readState(0, c.data());
    const uint8_t *spk = e->spikes(0);
    ASSERT_NE(spk, nullptr);
    std::vector<uint32_t> want;
    for (uint32_t i = 0; i < 500; ++i) {
      EXPECT_EQ(spk[i] != 0, c[i] > 0) << i;
      if (c[i] > 0)
        want.push_back(i);
    }
    const uint32_t k = e->spikeIndices(0, idx.data());
    EXPECT_EQ(std::vector<uint32_t>(idx.begin(), idx.begin() + k), want);
  }
}

/// A PoissonSource of 40 neurons into a Relay probe: dense onto probe
/// neuron 0, sparse (row j onto neuron j % 3 + 1) onto the others.
Net deliveryNet(sb::NumericMode mode) {
  Net net;
  net.mode = mode;
  net.add(poisson(40, 1600.0f, 21));
  Pop probe;
  probe.size = 4;
  net.add(probe);
  Proj d;
  d.source = 0, d.target = 1;
  d.dense.assign(40 * 4, 0.0f);
  std::vector<uint32_t> pre, post;
  std::vector<float> w;
  for (uint32_t j = 0; j < 40; ++j) {
    const int m = int(j % 7) - 3; // -3..3
    d.dense[j * 4] = float(m) * 0.25f;
    d.mantissas.push_back(int16_t(m));
    for (int k = 1; k < 4; ++k)
      d.mantissas.push_back(0);
    pre.push_back(j), post.push_back(j % 3 + 1), w.push_back(0.5f);
  }
  d.exponent = 2;
  Proj s = sparse(0, 1, 40, pre, post, w);
  s.exponent = 3;
  s.mantissas.assign(40, 5);
  if (mode == sb::NumericMode::Float)
    d.mantissas.clear(), s.mantissas.clear();
  net.projs = {d, s};
  return net;
}

TEST(PoissonSource, DeliversCountTimesWeightFloatAndFixed) {
  for (auto mode : {sb::NumericMode::Float, sb::NumericMode::Fixed}) {
    const bool fixed = mode == sb::NumericMode::Fixed;
    Net net = deliveryNet(mode);
    auto e = engine(net);
    ASSERT_TRUE(e);
    bool multi = false;
    for (int s = 0; s < 40; ++s) {
      e->step();
      std::vector<float> c(40), in(4);
      e->readState(0, c.data());
      e->readState(1, in.data());
      // Weights are multiples of 1/4 (float) or integers (fixed): every
      // sum is exact in either order.
      double want[4] = {0, 0, 0, 0};
      for (uint32_t j = 0; j < 40; ++j) {
        const int m = int(j % 7) - 3;
        want[0] += c[j] * (fixed ? double(m << 2) : m * 0.25);
        want[j % 3 + 1] += c[j] * (fixed ? double(5 << 3) : 0.5);
        multi |= c[j] > 1;
      }
      for (int k = 0; k < 4; ++k)
        EXPECT_EQ(in[k], float(want[k]))
            << (fixed ? "fixed" : "float") << " step " << s << " probe " << k;
    }
    EXPECT_TRUE(multi);
  }
}

TEST(PoissonSource, FixedAndFloatDrawTheSameCounts) {
  Net f = deliveryNet(sb::NumericMode::Float);
  Net x = deliveryNet(sb::NumericMode::Fixed);
  EXPECT_EQ(counts(f, 30), counts(x, 30));
}

std::string refusal(const Net &net) {
  auto p = load(net);
  EXPECT_FALSE(p.isOk());
  return p.isOk() ? std::string() : p.status().message();
}

TEST(PoissonSourceArtifact, BadRatesAreRefusedByName) {
  Net net;
  net.add(poisson(3, 10.0f));
  net.pops[0].name = "bg";
  net.pops[0].rate = {1.0f, -2.0f, 3.0f};
  std::string m = refusal(net);
  EXPECT_NE(m.find("'bg'"), std::string::npos) << m;
  EXPECT_NE(m.find("'rate' of neuron 1 is -2 Hz"), std::string::npos) << m;

  net.pops[0].rate = {std::nanf("")};
  m = refusal(net);
  EXPECT_NE(m.find("'rate' of neuron 0 is nan"), std::string::npos) << m;

  net.pops[0].rate = {1.0f, 2.0f};
  m = refusal(net);
  EXPECT_NE(m.find("'rate' has 2 values, expected 1 or 3"), std::string::npos)
      << m;

  net.pops[0].rate.clear();
  m = refusal(net);
  EXPECT_NE(m.find("'rate' has 0 values"), std::string::npos) << m;
}

TEST(PoissonSourceArtifact, HugeLambdaIsRefused) {
  Net net;
  net.add(poisson(2, 2e6f)); // 2000 events per 1 ms step
  net.pops[0].name = "bg";
  auto p = load(net);
  ASSERT_FALSE(p.isOk());
  EXPECT_EQ(p.status().code(), snnc::StatusCode::kInvalidArgument);
  const std::string &m = p.status().message();
  EXPECT_NE(m.find("'bg'"), std::string::npos) << m;
  EXPECT_NE(m.find("2000 events per step"), std::string::npos) << m;
  EXPECT_NE(m.find("limit of 1000"), std::string::npos) << m;
  net.pops[0].rate = {1e6f}; // exactly the limit
  EXPECT_TRUE(load(net).isOk());
}

TEST(PoissonSourceArtifact, VersionThreeFieldsInAVersionTwoFile) {
  Net net;
  net.version = 2;
  net.add(poisson(2, 10.0f));
  std::string m = refusal(net);
  EXPECT_NE(m.find("kind PoissonSource needs schema version 3"),
            std::string::npos)
      << m;
  net.pops[0].kind = NeuronKind::Relay;
  m = refusal(net);
  EXPECT_NE(m.find("field 'rate' needs schema version 3, the file has "
                   "version 2"),
            std::string::npos)
      << m;
  net.pops[0].rate.clear();
  m = refusal(net);
  EXPECT_NE(m.find("field 'seed' needs schema version 3"), std::string::npos)
      << m;
  net.pops[0].seed = 0;
  EXPECT_TRUE(load(net).isOk()); // a plain version 2 file still loads
}

TEST(PoissonSourceArtifact, MisplacedFieldsAndInputsAreRefused) {
  Net net;
  net.add(poisson(2, 10.0f));
  Pop lif;
  lif.kind = NeuronKind::LIF;
  lif.name = "lif";
  lif.rate = {5.0f};
  net.add(lif);
  std::string m = refusal(net);
  EXPECT_NE(m.find("'lif'): field 'rate' belongs to PoissonSource"),
            std::string::npos)
      << m;
  net.pops[1].rate.clear();
  // Nothing may drive a PoissonSource.
  Proj p;
  p.source = 1, p.target = 0, p.recurrent = true;
  p.dense = {1.0f, 1.0f};
  net.projs.push_back(p);
  m = refusal(net);
  EXPECT_NE(m.find("targets PoissonSource population 0 ('p0')"),
            std::string::npos)
      << m;
  net.projs.clear();
  net.pops[0].beta = {0.5f};
  m = refusal(net);
  EXPECT_NE(m.find("a PoissonSource takes only 'rate' and 'seed'"),
            std::string::npos)
      << m;
  net.pops[0].beta.clear();
  net.mode = sb::NumericMode::Fixed;
  net.pops[0].fracBits = 4;
  m = refusal(net);
  EXPECT_NE(m.find("frac_bits 0"), std::string::npos) << m;
}

} // namespace
} // namespace snnc::pdtest
