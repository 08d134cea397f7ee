// Every validation error names the parameter and its value; the memory
// budget is enforced before allocation with the byte count in the message.
#include "ProceduralTestSupport.h"

#include <cmath>

namespace snnc::procedural {
namespace {
using Kind = Distribution::Kind;

ConnectSpec good() {
  ConnectSpec s;
  s.rule = Rule::FixedProbability;
  s.p = 0.1;
  s.nPre = 10;
  s.nPost = 20;
  return s;
}

/// validate() and expand() both refuse, with every fragment in the message.
void expectRejected(const ConnectSpec &s,
                    std::initializer_list<const char *> fragments) {
  Status st = validate(s);
  ASSERT_FALSE(st.isOk()) << "accepted";
  EXPECT_EQ(st.code(), StatusCode::kInvalidArgument);
  for (const char *f : fragments)
    EXPECT_NE(st.message().find(f), std::string::npos)
        << "'" << f << "' missing from: " << st.message();
  StatusOr<Synapses> r = expand(s, 2, test::kBigBudget);
  ASSERT_FALSE(r.isOk());
  EXPECT_EQ(r.status().message(), st.message());
  EXPECT_FALSE(synapseBound(s).isOk());
}

TEST(ProceduralValidate, GoodSpecPasses) {
  EXPECT_TRUE(validate(good()).isOk());
}

TEST(ProceduralValidate, Sizes) {
  ConnectSpec s = good();
  s.nPre = 0;
  expectRejected(s, {"fixed-probability", "nPre = 0"});
  s = good();
  s.nPost = 0;
  expectRejected(s, {"nPost = 0"});
  s = good();
  s.samePopulation = true;
  expectRejected(s, {"samePopulation", "nPre = 10", "nPost = 20"});
}

TEST(ProceduralValidate, TimeStep) {
  for (double dt : {0.0, -1e-4, double(NAN), double(INFINITY)}) {
    ConnectSpec s = good();
    s.dt = dt;
    expectRejected(s, {"dt = "});
  }
}

TEST(ProceduralValidate, Probability) {
  for (double p : {-0.1, 1.5, double(NAN)}) {
    ConnectSpec s = good();
    s.p = p;
    expectRejected(s, {"p = ", "[0, 1]"});
  }
  ConnectSpec s = good();
  s.p = 1.5;
  expectRejected(s, {"p = 1.5"});
}

TEST(ProceduralValidate, OneToOne) {
  ConnectSpec s = good();
  s.rule = Rule::OneToOne;
  expectRejected(s, {"one-to-one", "nPre == nPost", "10", "20"});
  s.nPost = 10;
  s.samePopulation = true;
  s.allowAutapses = false;
  expectRejected(s, {"allowAutapses = false"});
}

TEST(ProceduralValidate, FixedInDegree) {
  ConnectSpec s = good();
  s.rule = Rule::FixedInDegree;
  s.allowMultapses = false;
  s.n = 11;
  expectRejected(s, {"n = 11", "10 distinct sources"});
  s.nPost = 10;
  s.samePopulation = true;
  s.allowAutapses = false;
  s.n = 10;
  expectRejected(s, {"n = 10", "9 distinct sources"});
  s.n = 9;
  EXPECT_TRUE(validate(s).isOk());
  s = good();
  s.rule = Rule::FixedInDegree;
  s.nPre = s.nPost = 1;
  s.samePopulation = true;
  s.allowAutapses = false;
  s.n = 1;
  expectRejected(s, {"n = 1", "no source"});
  s = good();
  s.rule = Rule::FixedInDegree;
  s.n = uint64_t(1) << 30;
  expectRejected(s, {"n = 1073741824", "4294967295"});
}

TEST(ProceduralValidate, FixedOutDegree) {
  ConnectSpec s = good();
  s.rule = Rule::FixedOutDegree;
  s.allowMultapses = false;
  s.n = 21;
  expectRejected(s, {"fixed-out-degree", "n = 21", "20 distinct targets"});
  s.n = 20;
  EXPECT_TRUE(validate(s).isOk());
  EXPECT_EQ(synapseBound(s).value(), 200u);
  s = good();
  s.rule = Rule::FixedOutDegree;
  s.nPre = s.nPost = 1;
  s.samePopulation = true;
  s.allowAutapses = false;
  s.n = 1;
  expectRejected(s, {"n = 1", "no target"});
  s = good();
  s.rule = Rule::FixedOutDegree;
  s.n = uint64_t(1) << 30;
  expectRejected(s, {"n = 1073741824", "10 sources", "4294967295"});
}

TEST(ProceduralValidate, FixedTotalNumber) {
  ConnectSpec s = good();
  s.rule = Rule::FixedTotalNumber;
  s.allowMultapses = false;
  s.n = 201;
  expectRejected(s, {"n = 201", "200 distinct pairs"});
  s.n = 200;
  EXPECT_TRUE(validate(s).isOk());
  s.n = uint64_t(1) << 33;
  s.allowMultapses = true;
  expectRejected(s, {"n = 8589934592", "4294967295"});
  s = good();
  s.rule = Rule::FixedTotalNumber;
  s.nPre = s.nPost = 1;
  s.samePopulation = true;
  s.allowAutapses = false;
  s.n = 3;
  expectRejected(s, {"n = 3", "no pair"});
}

TEST(ProceduralValidate, AllToAllTooLarge) {
  ConnectSpec s = good();
  s.rule = Rule::AllToAll;
  s.nPre = s.nPost = 100000;
  expectRejected(s, {"10000000000 synapses", "4294967295"});
}

TEST(ProceduralValidate, WeightDistributions) {
  auto with = [](Distribution d) {
    ConnectSpec s = good();
    s.weight = d;
    return s;
  };
  expectRejected(with({Kind::Constant, double(NAN)}), {"weight.a = nan"});
  expectRejected(with({Kind::Constant, double(INFINITY)}), {"weight.a = inf"});
  expectRejected(with({Kind::Constant, 1e300}), {"weight.a = 1e+300", "float"});
  expectRejected(with({Kind::Uniform, 2, 1}), {"weight", "a = 2", "b = 1"});
  expectRejected(with({Kind::Uniform, 0, double(NAN)}), {"weight.b = nan"});
  expectRejected(with({Kind::Normal, 0, -1}), {"weight", "std b = -1"});
  expectRejected(with({Kind::Normal, 0, 1, 2, 1}),
                 {"weight", "low = 2", "high = 1"});
  expectRejected(with({Kind::Normal, 0, 1, double(NAN), 1}), {"weight", "NaN"});
  expectRejected(with({Kind::Normal, 0, 1, 5, 6}),
                 {"weight", "[5, 6]", "mass"});
  expectRejected(with({Kind::Normal, 0, 0, 1, 2}), {"weight", "[1, 2]"});
  expectRejected(with({Kind::Lognormal, 0, -0.5}),
                 {"weight", "sigma b = -0.5"});
  expectRejected(with({Kind::Lognormal, double(INFINITY), 0.5}),
                 {"weight.a = inf"});
  EXPECT_TRUE(validate(with({Kind::Normal, 0, 1, 0, INFINITY})).isOk());
}

TEST(ProceduralValidate, DelayDistributions) {
  auto with = [](Distribution d) {
    ConnectSpec s = good();
    s.delay = d;
    return s;
  };
  expectRejected(with({Kind::Constant, -1e-3}), {"delay.a = -0.001", ">= 0"});
  expectRejected(with({Kind::Constant, 7.0}),
                 {"delay.a = 7", "70000 steps", "65535"});
  expectRejected(with({Kind::Uniform, -1e-3, 1e-3}), {"delay.a = -0.001"});
  expectRejected(with({Kind::Uniform, 0, 7.0}), {"delay.b = 7", "65535"});
  expectRejected(with({Kind::Normal, 1e-3, 1e-4}),
                 {"delay", "low >= 0", "-inf"});
  expectRejected(with({Kind::Normal, 1e-3, 1e-4, 0, INFINITY}),
                 {"delay", "finite high", "inf"});
  expectRejected(with({Kind::Normal, 1e-3, 1e-4, 0, 7.0}),
                 {"delay.high = 7", "65535"});
  EXPECT_TRUE(validate(with({Kind::Constant, 0})).isOk()) << "0 steps";
  EXPECT_TRUE(validate(with({Kind::Lognormal, -7, 1})).isOk());
  EXPECT_TRUE(validate(with({Kind::Normal, 1e-3, 1e-4, 0, 2e-3})).isOk());
}

TEST(ProceduralValidate, BudgetIsRefusedBeforeAllocatingWithTheByteCount) {
  ConnectSpec s = good();
  s.rule = Rule::AllToAll;
  s.nPre = s.nPost = 1000;
  // 4 * 1001 offsets + 4 * 1e6 targets + one weight + one delay.
  EXPECT_EQ(bytesFor(1000000, s), 4004010u);
  StatusOr<Synapses> r = expand(s, 2, 4004009);
  ASSERT_FALSE(r.isOk());
  EXPECT_NE(r.status().message().find("4004010 bytes"), std::string::npos)
      << r.status().message();
  EXPECT_NE(r.status().message().find("4004009 bytes"), std::string::npos);
  EXPECT_TRUE(expand(s, 2, 4004010).isOk());
  // Per-synapse weights and delays add 6 bytes each.
  s.weight = {Kind::Uniform, 0, 1};
  s.delay = {Kind::Uniform, 0, 1e-3};
  EXPECT_EQ(bytesFor(1000000, s), 4004 + 10000000u);
  // Fixed probability counts first, then refuses with the exact need.
  s = good();
  s.nPre = s.nPost = 2000;
  s.p = 0.05;
  uint64_t count = synapseCount(s, 2).value();
  EXPECT_GT(count, 0u);
  EXPECT_EQ(synapseBound(s).value(), 4000000u);
  uint64_t need = bytesFor(count, s);
  r = expand(s, 3, need - 1);
  ASSERT_FALSE(r.isOk());
  EXPECT_NE(r.status().message().find(std::to_string(need) + " bytes"),
            std::string::npos)
      << r.status().message();
  StatusOr<Synapses> ok = expand(s, 3, need);
  ASSERT_TRUE(ok.isOk());
  EXPECT_EQ(ok->targets.size(), count);
  // Even the row offsets over the budget: refused before counting.
  r = expand(s, 1, 100);
  ASSERT_FALSE(r.isOk());
  EXPECT_NE(r.status().message().find("row offsets alone need 8010 bytes"),
            std::string::npos)
      << r.status().message();
  EXPECT_NE(r.status().message().find("100 bytes"), std::string::npos);
}

} // namespace
} // namespace snnc::procedural
