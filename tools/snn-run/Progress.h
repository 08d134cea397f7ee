//===- Progress.h - snn-run's progress line on stderr -----------*- C++ -*-===//
//
// One line, rewritten in place with '\r': sample, simulated time, wall
// time, spikes so far. Shown only on a terminal (isatty(stderr)), not with
// --quiet, and only once the run has lasted `delaySeconds`, so short runs
// and logs stay clean. Private to snn-run.
//
//===----------------------------------------------------------------------===//
#ifndef SNNC_TOOLS_SNN_RUN_PROGRESS_H
#define SNNC_TOOLS_SNN_RUN_PROGRESS_H

#include "snnc/runtime/Session.h"

#include <chrono>
#include <cstdint>

namespace snnc::snnrun {

class ProgressLine {
public:
  /// `dt` in seconds; `samples` runs of `steps` each.
  ProgressLine(bool enabled, double dt, int64_t samples, int64_t steps,
               double delaySeconds = 2.0);
  /// Installs the callback on `session` (nothing when disabled).
  void attach(Session &session);
  /// Before sample `b` (0-based) runs.
  void startSample(int64_t b);
  /// After sample `b` ran: adds its spikes to the total.
  void endSample(int64_t spikes);
  /// Ends the line with a newline if one was shown.
  void finish();

private:
  void show(const RunProgress &p);
  bool enabled_;
  double dt_;
  int64_t samples_, steps_, sample_ = 0, spikesBefore_ = 0;
  double delay_;
  std::chrono::steady_clock::time_point start_;
  size_t width_ = 0; // of the last line, to blank what a shorter one leaves
  bool shown_ = false;
};

} // namespace snnc::snnrun

#endif // SNNC_TOOLS_SNN_RUN_PROGRESS_H
