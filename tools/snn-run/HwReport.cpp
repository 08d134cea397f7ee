//===- HwReport.cpp - snn-run --hw-report ---------------------------------===//
#include "HwReport.h"

#include <algorithm>
#include <cstdio>
#include <string>

namespace snnc::snnrun {

void addHardwareReport(HardwareReport &total, const HardwareReport &s) {
  if (total.cores.empty()) {
    total = s;
    return;
  }
  total.steps += s.steps;
  total.cycles += s.cycles;
  total.inputCycles += s.inputCycles;
  total.maxStepCycles = std::max(total.maxStepCycles, s.maxStepCycles);
  total.synapticEvents += s.synapticEvents;
  total.neuronUpdates += s.neuronUpdates;
  total.routedPackets += s.routedPackets;
  total.droppedPackets += s.droppedPackets;
  for (size_t c = 0; c < total.cores.size() && c < s.cores.size(); ++c) {
    HardwareReport::Core &t = total.cores[c];
    const HardwareReport::Core &k = s.cores[c];
    t.inputEvents += k.inputEvents;
    t.misses += k.misses;
    t.synapticEvents += k.synapticEvents;
    t.neuronUpdates += k.neuronUpdates;
    t.outputEvents += k.outputEvents;
  }
  total.synapticPj += s.synapticPj;
  total.neuronPj += s.neuronPj;
  total.routedPj += s.routedPj;
  total.staticPj += s.staticPj;
}

void printHardwareReport(std::ostream &os, const HardwareReport &r,
                         double wallSeconds) {
  char line[256];
  auto per = [](double a, double b) { return b > 0 ? a / b : 0.0; };
  os << "hardware (target '" << r.target << "', " << r.chips << " chip(s), "
     << r.cores.size() << " core(s)):\n";
  std::snprintf(line, sizeof line,
                "  %lld steps, %lld cycles: %.1f cycles a step (longest "
                "%lld; %.1f of them streaming inputs)\n",
                (long long)r.steps, (long long)r.cycles,
                per(double(r.cycles), double(r.steps)),
                (long long)r.maxStepCycles,
                per(double(r.inputCycles), double(r.steps)));
  os << line;
  std::snprintf(
      line, sizeof line,
      "  %lld synaptic events: %.3f a cycle (%.3f a cycle a core); "
      "%lld neuron updates; %lld packets routed (hops), %lld "
      "dropped\n",
      (long long)r.synapticEvents,
      per(double(r.synapticEvents), double(r.cycles)),
      per(double(r.synapticEvents), double(r.cycles) * double(r.cores.size())),
      (long long)r.neuronUpdates, (long long)r.routedPackets,
      (long long)r.droppedPackets);
  os << line;
  os << "  core  chip   pos  in-events  misses  synaptic  updates  "
        "out-events  busy\n";
  for (size_t c = 0; c < r.cores.size(); ++c) {
    const HardwareReport::Core &k = r.cores[c];
    const std::string chip =
        "(" + std::to_string(k.chipX) + "," + std::to_string(k.chipY) + ")";
    std::snprintf(line, sizeof line,
                  "  %4zu %5s %5u %10lld %7lld %9lld %8lld %11lld %4.0f%%\n", c,
                  chip.c_str(), k.index, (long long)k.inputEvents,
                  (long long)k.misses, (long long)k.synapticEvents,
                  (long long)k.neuronUpdates, (long long)k.outputEvents,
                  100.0 * per(double(k.synapticEvents + k.neuronUpdates),
                              double(r.cycles)));
    os << line;
  }
  const double total = r.totalPj();
  std::snprintf(line, sizeof line,
                "  energy (target model): %.4g pJ in all, %.4g pJ a step: "
                "synaptic %.4g, neuron %.4g, routing %.4g, static %.4g pJ\n",
                total, per(total, double(r.steps)), r.synapticPj, r.neuronPj,
                r.routedPj, r.staticPj);
  os << line;
  std::snprintf(line, sizeof line,
                "  simulation: %.3g cycles, %.3g steps a wall second\n",
                per(double(r.cycles), wallSeconds),
                per(double(r.steps), wallSeconds));
  os << line;
}

} // namespace snnc::snnrun
