//===- CpuEngineFixedTest.cpp - Fixed mode and thread counts --------------===//
//
// Fixed mode against a deliberately naive scalar model of
// docs/fixed-point.md (never the engine), and results that do not depend on
// the number of threads, in both modes.
//
//===----------------------------------------------------------------------===//
#include "CpuDriver.h"
#include "CpuEngineNets.h"
#include "FixedPoint.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <random>

namespace {

using namespace snnc::cputest;
namespace fxp = snnc::fixedpoint;

// --- Fixed mode against a naive model of docs/fixed-point.md --------------

/// Pull-based and history-keeping, unlike the engine: each step, every
/// population sums over all incoming synapses the source's output of the
/// step its delay names.
class FixedReference {
public:
  explicit FixedReference(const NetDef &net) : net_(net) {
    for (const PopDef &p : net.pops) {
      const uint32_t n = p.size();
      v_.emplace_back(n, 0);
      u_.emplace_back(n, 0);
      input_.emplace_back(n, 0);
      spike_.emplace_back(n, 0);
      for (uint32_t i = 0; i < n; ++i)
        v_.back()[i] = isMembrane(p.kind)
                           ? fxp::saturate(at(p.fInit, i, 0), p.stateBits)
                           : 0;
    }
    history_.resize(net.pops.size());
    for (const ProjDef &pr : net.projs) {
      Incoming in;
      in.proj = &pr;
      switch (pr.type) {
      case sb::Connectivity::Dense: {
        const uint32_t nt = net.pops[pr.target].size();
        for (uint32_t j = 0; j < net.pops[pr.source].size(); ++j)
          for (uint32_t i = 0; i < nt; ++i)
            in.synapses.push_back({j, i, pr.mantissas[j * nt + i]});
        break;
      }
      case sb::Connectivity::Sparse:
        for (uint32_t j = 0; j + 1 < pr.rowStart.size(); ++j)
          for (uint32_t e = pr.rowStart[j]; e < pr.rowStart[j + 1]; ++e)
            in.synapses.push_back({j, pr.targets[e], pr.mantissas[e]});
        break;
      default: {
        const bool pool = pr.type == sb::Connectivity::Pool;
        for (const Link &l : windowLinks(pr, pool))
          in.synapses.push_back(
              {l.pre, l.post, pool ? 1 : pr.mantissas[l.weightIndex]});
      }
      }
      incoming_.push_back(std::move(in));
    }
  }

  void setSource(uint32_t p, const std::vector<float> &x) {
    for (uint32_t i = 0; i < x.size(); ++i)
      input_[p][i] =
          fxp::toFixed(x[i], net_.pops[p].fracBits, net_.pops[p].stateBits);
  }

  void step() {
    const bool ge = net_.comparison == sb::Comparison::GreaterEqual;
    const bool subtract = net_.reset == sb::ResetMode::Subtract;
    const bool next = net_.timing == sb::ResetTiming::NextStep;
    const bool carry = net_.timing == sb::ResetTiming::Carry && subtract;
    const bool synapseFirst = net_.order == sb::CubaOrder::SynapseFirst;
    for (uint32_t p = 0; p < net_.pops.size(); ++p) {
      const PopDef &pd = net_.pops[p];
      const int bits = pd.stateBits;
      std::vector<int64_t> acc(pd.size(), 0);
      for (const Incoming &in : incoming_) {
        const ProjDef &pr = *in.proj;
        if (pr.target != p)
          continue;
        const PopDef &sd = net_.pops[pr.source];
        for (const Syn &s : in.synapses) {
          const int64_t back = at(pr.delays, s.pre, 0) + (pr.recurrent ? 1 : 0);
          if (back > t_)
            continue;
          const int64_t out = history_[pr.source][t_ - back][s.pre];
          if (out == 0)
            continue;
          acc[s.post] = fxp::accumulate(
              acc[s.post],
              spiking(sd.kind)
                  ? fxp::weightValue(s.mantissa, pr.exponent)
                  : fxp::gradedContribution(out, s.mantissa, pr.exponent,
                                            sd.fracBits));
        }
      }
      std::vector<int64_t> out(pd.size(), 0);
      for (uint32_t i = 0; i < pd.size(); ++i) {
        const int64_t x = fxp::saturate(acc[i], bits);
        const int64_t th =
            fxp::saturate(at(pd.fThreshold, i, 1 << pd.fracBits), bits);
        const int64_t vr = at(pd.fReset, i, 0), vb = at(pd.vBias, i, 0);
        const int64_t ub = at(pd.uBias, i, 0);
        const uint32_t dv = at(pd.decayV, i, 0), du = at(pd.decayU, i, 0);
        int64_t &v = v_[p][i], &u = u_[p][i];
        switch (pd.kind) {
        case NeuronKind::Source:
          v = out[i] = input_[p][i];
          continue;
        case NeuronKind::Relay:
        case NeuronKind::Threshold:
          v = fxp::saturate(x + vb, bits);
          out[i] = pd.kind == NeuronKind::Relay ? v : fxp::crosses(v, th, ge);
          spike_[p][i] = uint8_t(out[i]);
          continue;
        default:
          break;
        }
        if (next && spike_[p][i])
          v = fxp::resetValue(v, th, vr, subtract, bits);
        const bool over = carry && fxp::crosses(v, th, ge);
        const bool cubaKind =
            pd.kind == NeuronKind::CubaLIF || pd.kind == NeuronKind::CubaLI;
        if (cubaKind) {
          const int64_t newU = fxp::saturate(fxp::decay(u, du) + x + ub, bits);
          v = fxp::saturate(fxp::decay(v, dv) + (synapseFirst ? newU : u) + vb,
                            bits);
          u = newU;
        } else {
          v = fxp::saturate(fxp::decay(v, dv) + x + vb, bits);
        }
        if (!spiking(pd.kind)) {
          out[i] = v;
          continue;
        }
        v = fxp::saturate(v - (over ? th : 0), bits);
        const bool s = fxp::crosses(v, th, ge);
        if (s && !next && !carry)
          v = fxp::resetValue(v, th, vr, subtract, bits);
        if (carry)
          v = fxp::saturate(v - (int64_t(s) - int64_t(over)) * th, bits);
        spike_[p][i] = s;
        out[i] = s;
      }
      for (uint32_t i = 0; i < pd.size(); ++i)
        if (out[i] != 0) {
          spikes_ += spiking(pd.kind);
          for (const Incoming &in : incoming_)
            if (in.proj->source == p)
              for (const Syn &s : in.synapses)
                events_ += s.pre == i;
        }
      history_[p].push_back(std::move(out));
    }
    ++t_;
  }

  float state(uint32_t p, uint32_t i) const {
    return fxp::fromFixed(v_[p][i], net_.pops[p].fracBits);
  }
  bool spiked(uint32_t p, uint32_t i) const { return spike_[p][i] != 0; }
  int64_t spikes() const { return spikes_; }
  int64_t events() const { return events_; }

private:
  struct Syn {
    uint32_t pre, post;
    int64_t mantissa;
  };
  struct Incoming {
    const ProjDef *proj;
    std::vector<Syn> synapses;
  };
  template <typename T>
  static int64_t at(const std::vector<T> &v, uint32_t i, int64_t fallback) {
    return v.empty() ? fallback : int64_t(v.size() == 1 ? v[0] : v[i]);
  }
  static bool spiking(NeuronKind k) {
    return k == NeuronKind::LIF || k == NeuronKind::CubaLIF ||
           k == NeuronKind::IF || k == NeuronKind::Threshold;
  }
  static bool isMembrane(NeuronKind k) {
    return k != NeuronKind::Source && k != NeuronKind::Relay &&
           k != NeuronKind::Threshold;
  }

  const NetDef &net_;
  std::vector<Incoming> incoming_;
  std::vector<std::vector<int64_t>> v_, u_, input_;
  std::vector<std::vector<uint8_t>> spike_;
  std::vector<std::vector<std::vector<int64_t>>> history_; // [pop][t][i]
  int64_t t_ = 0, spikes_ = 0, events_ = 0;
};

struct RuleSet {
  sb::ResetMode reset;
  sb::ResetTiming timing;
  sb::Comparison comparison;
  sb::CubaOrder order;
};

class FixedAgainstReference : public ::testing::TestWithParam<RuleSet> {};

TEST_P(FixedAgainstReference, MatchesBitForBitOver200Steps) {
  NetDef net = randomNet(sb::NumericMode::Fixed, 1, 1234);
  net.reset = GetParam().reset;
  net.timing = GetParam().timing;
  net.comparison = GetParam().comparison;
  net.order = GetParam().order;
  auto e = instantiate(*build(net));
  FixedReference ref(net);
  std::mt19937 rng(99);
  for (int t = 0; t < 200; ++t) {
    std::vector<float> x = randomInput(rng, net.pops[0].size());
    e->setSource(0, x.data());
    ref.setSource(0, x);
    e->step();
    ref.step();
    for (uint32_t p = 0; p < net.pops.size(); ++p) {
      const uint32_t n = net.pops[p].size();
      std::vector<float> v(n);
      e->readState(p, v.data());
      const uint8_t *s = e->spikes(p);
      for (uint32_t i = 0; i < n; ++i) {
        ASSERT_EQ(v[i], ref.state(p, i))
            << "step " << t << " population " << p << " neuron " << i;
        if (s) {
          ASSERT_EQ(s[i] != 0, ref.spiked(p, i))
              << "step " << t << " population " << p << " neuron " << i;
        }
      }
    }
  }
  EXPECT_GT(ref.spikes(), 200);
  EXPECT_EQ(e->stats().spikes, ref.spikes());
  EXPECT_EQ(e->stats().synapticEvents, ref.events());
}

INSTANTIATE_TEST_SUITE_P(
    Rules, FixedAgainstReference,
    ::testing::Values(
        RuleSet{sb::ResetMode::ToReset, sb::ResetTiming::SameStep,
                sb::Comparison::Greater, sb::CubaOrder::MembraneFirst},
        RuleSet{sb::ResetMode::Subtract, sb::ResetTiming::NextStep,
                sb::Comparison::GreaterEqual, sb::CubaOrder::SynapseFirst},
        RuleSet{sb::ResetMode::Subtract, sb::ResetTiming::Carry,
                sb::Comparison::Greater, sb::CubaOrder::SynapseFirst}),
    [](const ::testing::TestParamInfo<RuleSet> &info) {
      return std::string(sb::EnumNameResetMode(info.param.reset)) +
             sb::EnumNameResetTiming(info.param.timing) +
             sb::EnumNameComparison(info.param.comparison) +
             sb::EnumNameCubaOrder(info.param.order);
    });

TEST(CpuEngineFixed, SourceValuesAreConvertedAndReadBackInFloatUnits) {
  NetDef net;
  net.mode = sb::NumericMode::Fixed;
  PopDef src = pop(NeuronKind::Source, 4);
  src.stateBits = 8;
  src.fracBits = 2;
  net.add(src);
  PopDef relay = pop(NeuronKind::Relay, 4);
  relay.stateBits = 12;
  relay.fracBits = 4;
  net.add(relay);
  ProjDef d = dense(0, 1, std::vector<float>(16, 0.0f));
  d.mantissas = {1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1};
  d.exponent = 4; // g * 1 * 2^4 / 2^2: rescales frac 2 to frac 4 (x4)
  net.connect(d);
  auto e = instantiate(*build(net));
  // 0.375 * 4 = 1.5 -> 2 (half away from zero); -0.375 -> -2; 100 -> 127
  // (8 bits); NaN -> 0.
  const float x[4] = {0.375f, -0.375f, 100.0f, std::nanf("")};
  e->setSource(0, x);
  e->step();
  float v[4];
  e->readState(0, v);
  EXPECT_EQ(std::vector<float>(v, v + 4),
            (std::vector<float>{0.5f, -0.5f, 31.75f, 0.0f}));
  e->readState(1, v);
  EXPECT_EQ(std::vector<float>(v, v + 4),
            (std::vector<float>{0.5f, -0.5f, 31.75f, 0.0f}));
}

// --- Thread counts do not change results -----------------------------------

void expectSameAcrossThreadCounts(sb::NumericMode mode) {
  NetDef net = randomNet(mode, 24, 77);
  auto program = build(net);
  std::vector<std::unique_ptr<snnc::Engine>> engines;
  for (int threads : {1, 2, 3})
    engines.push_back(instantiate(*program, threads));
  std::mt19937 rng(5);
  int64_t spikes = 0;
  for (int t = 0; t < 60; ++t) {
    std::vector<float> x = randomInput(rng, net.pops[0].size());
    for (auto &e : engines) {
      e->setSource(0, x.data());
      e->step();
    }
    for (uint32_t p = 0; p < net.pops.size(); ++p) {
      const uint32_t n = net.pops[p].size();
      std::vector<float> first(n), other(n);
      engines[0]->readState(p, first.data());
      for (size_t k = 1; k < engines.size(); ++k) {
        engines[k]->readState(p, other.data());
        // Bitwise, so that -0 vs +0 or NaN payloads would show too.
        ASSERT_EQ(0, std::memcmp(first.data(), other.data(), n * 4))
            << "step " << t << " population " << p << ", threads " << k + 1;
        if (const uint8_t *s = engines[0]->spikes(p)) {
          ASSERT_EQ(0, std::memcmp(s, engines[k]->spikes(p), n))
              << "step " << t << " population " << p << ", threads " << k + 1;
          if (k == 1)
            spikes += std::count(s, s + n, 1);
        }
      }
    }
  }
  EXPECT_GT(spikes, 1000);
  for (size_t k = 1; k < engines.size(); ++k) {
    EXPECT_EQ(engines[k]->stats().spikes, engines[0]->stats().spikes);
    EXPECT_EQ(engines[k]->stats().synapticEvents,
              engines[0]->stats().synapticEvents);
  }
}

TEST(CpuEngineThreads, FloatResultsAreIdenticalForOneTwoAndThreeThreads) {
  expectSameAcrossThreadCounts(sb::NumericMode::Float);
}

TEST(CpuEngineThreads, FixedResultsAreIdenticalForOneTwoAndThreeThreads) {
  expectSameAcrossThreadCounts(sb::NumericMode::Fixed);
}

} // namespace
