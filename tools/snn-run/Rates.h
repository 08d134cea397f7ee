//===- Rates.h - snn-run --rates: per-population activity and speed -*- C++
//-*-//
#ifndef SNNC_TOOLS_SNNRUN_RATES_H
#define SNNC_TOOLS_SNNRUN_RATES_H

#include "snnc/runtime/Session.h"

#include <ostream>
#include <string>
#include <vector>

namespace snnc::snnrun {

/// Counts the spikes of every spiking population (incrementally: nothing
/// is recorded) and prints, after the run, each one's mean rate and the
/// run's speed.
class RateReport {
public:
  /// Asks `session` to count every spiking population of its program.
  Status attach(Session &session);
  /// After each sample's run: adds its counts.
  void addSample(Session &session);
  /// One line per population, then the speed: simulated time over wall
  /// time of the runs (loading excluded) and spikes per wall second.
  void print(std::ostream &os, double dt, int64_t steps, double wallSeconds,
             int64_t threads) const;

private:
  struct Pop {
    std::string name;
    int64_t size = 0;
    double spikes = 0;
  };
  std::vector<Pop> pops_;
  int64_t samples_ = 0;
};

} // namespace snnc::snnrun

#endif // SNNC_TOOLS_SNNRUN_RATES_H
