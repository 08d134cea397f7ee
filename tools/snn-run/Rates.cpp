//===- Rates.cpp - snn-run --rates ----------------------------------------===//
#include "Rates.h"

#include <cstdio>

namespace snnc::snnrun {

Status RateReport::attach(Session &s) {
  for (const std::string &name : s.program().populationNames()) {
    auto spiking = s.isSpiking(name);
    if (!spiking)
      return spiking.status();
    if (!*spiking)
      continue;
    if (Status st = s.count(name); !st)
      return st;
    pops_.push_back({name, 0, 0});
  }
  return Status::ok();
}

void RateReport::addSample(Session &s) {
  for (Pop &p : pops_) {
    auto c = s.spikeCounts(p.name);
    if (!c)
      continue;
    p.size = int64_t(c->data.size());
    for (float x : c->data)
      p.spikes += x;
  }
  ++samples_;
}

void RateReport::print(std::ostream &os, double dt, int64_t steps, double wall,
                       int64_t threads) const {
  double simulated = dt * double(steps) * double(samples_);
  double total = 0;
  char line[256];
  for (const Pop &p : pops_) {
    double hz = p.size && simulated > 0 ? p.spikes / (p.size * simulated) : 0;
    std::snprintf(line, sizeof line,
                  "  %-24s %9lld neurons %12.0f spikes %9.3f Hz\n",
                  p.name.c_str(), (long long)p.size, p.spikes, hz);
    os << line;
    total += p.spikes;
  }
  std::snprintf(line, sizeof line,
                "  %.3f s simulated in %.3f s wall on %lld thread(s): %.2fx "
                "real time, %.3g spikes/s\n",
                simulated, wall, (long long)threads,
                wall > 0 ? simulated / wall : 0.0,
                wall > 0 ? total / wall : 0.0);
  os << line;
}

} // namespace snnc::snnrun
