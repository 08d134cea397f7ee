//===- ReceptorStateTest.cpp - Session::recordReceptor --------------------===//
//
// Receptor states recorded by the session: the same with one and two engine
// threads (the population is split between threads, so neuron lookup across
// slices is exercised), chosen neurons equal to columns of the full
// recording, and the refusals.
//
//===----------------------------------------------------------------------===//
#include "ReceptorLifNets.h"

#include "snnc/runtime/Session.h"

#include <gtest/gtest.h>

namespace snnc::receptortest {
namespace {

std::unique_ptr<Session> open(const Net &net, int threads) {
  auto program = load(net);
  EXPECT_TRUE(program.isOk()) << program.status().toString();
  auto device = Device::open("cpu", DeviceOptions{threads});
  EXPECT_TRUE(device.isOk());
  if (!program || !device)
    return nullptr;
  auto session = Session::create(*device, *program);
  EXPECT_TRUE(session.isOk()) << session.status().toString();
  return session ? std::move(*session) : nullptr;
}

Tensor drive() {
  Tensor t;
  t.shape = {50};
  for (int i = 0; i < 50; ++i)
    t.data.push_back(float(i % 3 == 0));
  return t;
}

TEST(ReceptorState, EqualOnOneAndTwoThreadsAndChosenColumnsMatch) {
  const Net net = randomNetwork(900, true, true, false, 3);
  const std::vector<int64_t> chosen{899, 0, 450, 64, 500, 0};
  std::vector<float> full[2], part[2];
  for (int threads : {1, 2}) {
    auto s = open(net, threads);
    ASSERT_TRUE(s);
    ASSERT_TRUE(s->setInput("drive", drive()));
    ASSERT_TRUE(s->recordReceptor("cells", "exc"));
    ASSERT_TRUE(s->recordReceptor("cells", "inh", chosen));
    ASSERT_TRUE(s->run(120));
    auto all = s->receptorState("cells", "exc");
    auto some = s->receptorState("cells", "inh");
    ASSERT_TRUE(all.isOk()) << all.status().toString();
    ASSERT_TRUE(some.isOk()) << some.status().toString();
    EXPECT_EQ(all->shape, (std::vector<int64_t>{120, 900}));
    EXPECT_EQ(some->shape, (std::vector<int64_t>{120, 6}));
    full[threads - 1] = all->data;
    part[threads - 1] = some->data;
    // The inh columns equal a full recording of inh taken the same way.
    auto again = open(net, threads);
    ASSERT_TRUE(again->setInput("drive", drive()));
    ASSERT_TRUE(again->recordReceptor("cells", "inh"));
    ASSERT_TRUE(again->run(120));
    auto inh = again->receptorState("cells", "inh");
    ASSERT_TRUE(inh.isOk());
    for (int64_t t = 0; t < 120; ++t)
      for (size_t k = 0; k < chosen.size(); ++k)
        ASSERT_EQ(some->data[size_t(t) * chosen.size() + k],
                  inh->data[size_t(t) * 900 + size_t(chosen[k])])
            << "step " << t << ", neuron " << chosen[k];
  }
  EXPECT_EQ(full[0], full[1]);
  EXPECT_EQ(part[0], part[1]);
  size_t nonzero = 0;
  for (float g : full[0])
    nonzero += g != 0.0f;
  EXPECT_GT(nonzero, 1000u) << "the receptor never moved: nothing compared";
}

TEST(ReceptorState, RefusesWhatItCannotRecord) {
  const Net net = randomNetwork(100, false, false, false, 5);
  auto s = open(net, 1);
  ASSERT_TRUE(s);
  Status st = s->recordReceptor("cells", "gaba");
  EXPECT_EQ(st.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(st.message().find("has no receptor 'gaba'; its receptors: exc, "
                              "inh"),
            std::string::npos)
      << st.message();
  st = s->recordReceptor("drive", "exc");
  EXPECT_NE(st.message().find("'drive' is a Source population"),
            std::string::npos)
      << st.message();
  st = s->recordReceptor("cells", "exc", {100});
  EXPECT_NE(st.message().find("neuron index 100 is out of range"),
            std::string::npos)
      << st.message();
  EXPECT_EQ(s->recordReceptor("nowhere", "exc").code(), StatusCode::kNotFound);
  auto before = s->receptorState("cells", "exc");
  EXPECT_EQ(before.status().code(), StatusCode::kFailedPrecondition);
  ASSERT_TRUE(s->recordReceptor("cells", "exc"));
  before = s->receptorState("cells", "exc");
  EXPECT_NE(before.status().message().find("no run since it was chosen"),
            std::string::npos);
}

} // namespace
} // namespace snnc::receptortest
