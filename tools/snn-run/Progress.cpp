//===- Progress.cpp - snn-run's progress line on stderr -------------------===//
#include "Progress.h"

#include <cstdio>
#include <string>

namespace snnc::snnrun {

ProgressLine::ProgressLine(bool enabled, double dt, int64_t samples,
                           int64_t steps, double delaySeconds)
    : enabled_(enabled), dt_(dt), samples_(samples), steps_(steps),
      delay_(delaySeconds), start_(std::chrono::steady_clock::now()) {}

void ProgressLine::attach(Session &session) {
  if (enabled_)
    session.setProgress([this](const RunProgress &p) { show(p); }, 0.25);
}

void ProgressLine::startSample(int64_t b) { sample_ = b; }

void ProgressLine::endSample(int64_t spikes) { spikesBefore_ += spikes; }

void ProgressLine::show(const RunProgress &p) {
  const double wall =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start_)
          .count();
  if (wall < delay_)
    return;
  char buf[256];
  int len = 0;
  if (samples_ > 1)
    len = std::snprintf(buf, sizeof buf, "sample %lld/%lld, ",
                        (long long)(sample_ + 1), (long long)samples_);
  std::snprintf(buf + len, sizeof buf - size_t(len),
                "t = %.4f of %.4f s simulated, %.1f s wall, %lld spikes",
                double(p.stepsDone) * dt_, double(steps_) * dt_, wall,
                (long long)(spikesBefore_ + p.spikes));
  std::string line = std::string("snn-run: ") + buf;
  const size_t width = line.size();
  if (line.size() < width_)
    line.append(width_ - line.size(), ' ');
  width_ = width;
  std::fprintf(stderr, "\r%s", line.c_str());
  std::fflush(stderr);
  shown_ = true;
}

void ProgressLine::finish() {
  if (shown_)
    std::fputc('\n', stderr);
  shown_ = false;
}

} // namespace snnc::snnrun
