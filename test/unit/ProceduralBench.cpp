// Expansion speed of each rule at about 1e7 synapses, for 1 and 2 threads
// (or the counts given as arguments). Prints synapses per second; not a
// test and never timed against a limit. Run from a Release build:
//   build/test/procedural-bench [threads...]
#include "snnc/runtime/Procedural.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

using namespace snnc::procedural;
using snnc::StatusOr;

namespace {
struct Case {
  const char *name;
  ConnectSpec spec;
};

std::vector<Case> cases() {
  std::vector<Case> out;
  Distribution normal{Distribution::Kind::Normal, 0.5, 0.1, 0, INFINITY};
  Distribution delay{Distribution::Kind::Uniform, 1e-4, 5e-3};
  auto add = [&](const char *name, ConnectSpec s, bool randomValues) {
    s.seed = 1;
    if (randomValues) {
      s.weight = normal;
      s.delay = delay;
    }
    out.push_back({name, s});
  };
  ConnectSpec p;
  p.rule = Rule::FixedProbability;
  p.nPre = p.nPost = 10000;
  p.p = 0.1;
  add("fixed-probability 1e4^2 p=0.1, constant values", p, false);
  add("fixed-probability 1e4^2 p=0.1, normal weight, uniform delay", p, true);
  ConnectSpec a;
  a.rule = Rule::AllToAll;
  a.nPre = a.nPost = 3163;
  add("all-to-all 3163^2, constant values", a, false);
  ConnectSpec in;
  in.rule = Rule::FixedInDegree;
  in.nPre = in.nPost = 10000;
  in.n = 1000;
  in.allowMultapses = false;
  add("fixed-in-degree 1e4 x 1000, no multapses", in, false);
  ConnectSpec od = in;
  od.rule = Rule::FixedOutDegree;
  add("fixed-out-degree 1e4 x 1000, no multapses", od, false);
  ConnectSpec t;
  t.rule = Rule::FixedTotalNumber;
  t.nPre = t.nPost = 10000;
  t.n = 10000000;
  add("fixed-total-number 1e7, multapses", t, false);
  t.allowMultapses = false;
  add("fixed-total-number 1e7, no multapses", t, false);
  return out;
}
} // namespace

int main(int argc, char **argv) {
  std::vector<unsigned> threads;
  for (int i = 1; i < argc; ++i)
    threads.push_back(unsigned(std::strtoul(argv[i], nullptr, 10)));
  if (threads.empty())
    threads = {1, 2};
  for (const Case &c : cases()) {
    for (unsigned t : threads) {
      auto start = std::chrono::steady_clock::now();
      StatusOr<Synapses> r = expand(c.spec, t, uint64_t(1) << 36);
      double s = std::chrono::duration<double>(
                     std::chrono::steady_clock::now() - start)
                     .count();
      if (!r.isOk()) {
        std::printf("%s: %s\n", c.name, r.status().toString().c_str());
        return 1;
      }
      double n = double(r->targets.size());
      std::printf("%-62s threads=%u synapses=%.0f  %.3f s  %.3g synapses/s\n",
                  c.name, t, n, s, n / s);
    }
  }
  return 0;
}
