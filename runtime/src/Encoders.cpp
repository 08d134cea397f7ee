//===- Encoders.cpp - Data to input time series ---------------------------===//
#include "snnc/runtime/Encoders.h"

#include "IoUtil.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>

namespace snnc {
namespace {

std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

// x must be a well-formed, non-empty tensor: an encoder of nothing is
// almost always a caller's mix-up, not an intent.
Status checkInput(const char *fn, const char *what, const Tensor &x) {
  int64_t n = detail::checkedElementCount(x.shape);
  std::string where =
      std::string(fn) + ": " + what + " " + shapeString(x.shape);
  if (n < 0)
    return invalidArgument(where +
                           " has a negative dimension or over 2^31 elements");
  if (uint64_t(n) != x.data.size())
    return invalidArgument(where + " needs " + std::to_string(n) +
                           " values, the tensor holds " +
                           std::to_string(x.data.size()));
  if (n == 0)
    return invalidArgument(where + " has no elements");
  return Status::ok();
}

Status checkSteps(const char *fn, int64_t steps, const Tensor &x) {
  if (steps <= 0)
    return invalidArgument(std::string(fn) + ": steps must be positive, got " +
                           std::to_string(steps));
  std::vector<int64_t> shape = {steps};
  shape.insert(shape.end(), x.shape.begin(), x.shape.end());
  if (detail::checkedElementCount(shape) < 0)
    return invalidArgument(std::string(fn) + ": output " + shapeString(shape) +
                           " would exceed 2^31 elements");
  return Status::ok();
}

Status checkNoNaN(const char *fn, const Tensor &x) {
  for (size_t i = 0; i < x.data.size(); ++i)
    if (std::isnan(x.data[i]))
      return invalidArgument(std::string(fn) + ": element " +
                             std::to_string(i) + " (flat index) is NaN");
  return Status::ok();
}

Tensor zeros(int64_t steps, const std::vector<int64_t> &shape) {
  std::vector<int64_t> s = {steps};
  s.insert(s.end(), shape.begin(), shape.end());
  int64_t n = detail::checkedElementCount(s);
  return Tensor(std::move(s), std::vector<float>(size_t(n), 0.0f));
}

} // namespace

Tensor encodeCurrent(const Tensor &x, int64_t steps) {
  steps = std::max<int64_t>(steps, 0);
  std::vector<int64_t> shape = {steps};
  shape.insert(shape.end(), x.shape.begin(), x.shape.end());
  std::vector<float> data;
  data.reserve(size_t(steps) * x.data.size());
  for (int64_t t = 0; t < steps; ++t)
    data.insert(data.end(), x.data.begin(), x.data.end());
  return Tensor(std::move(shape), std::move(data));
}

StatusOr<Tensor> encodeRate(const Tensor &x, int64_t steps, uint64_t seed,
                            double maxRate) {
  const char *fn = "encodeRate";
  if (Status s = checkInput(fn, "x", x); !s)
    return s;
  if (Status s = checkSteps(fn, steps, x); !s)
    return s;
  if (!(maxRate >= 0 && maxRate <= 1))
    return invalidArgument(std::string(fn) +
                           ": maxRate must lie in [0, 1], got " + num(maxRate));
  if (Status s = checkNoNaN(fn, x); !s)
    return s;
  std::vector<double> prob(x.data.size());
  for (size_t i = 0; i < prob.size(); ++i)
    prob[i] = std::clamp(double(x.data[i]), 0.0, 1.0) * maxRate;
  Tensor out = zeros(steps, x.shape);
  // mt19937_64's sequence is fixed by the standard; the conversion to
  // [0, 1) is ours (53 high bits), unlike uniform_real_distribution's.
  std::mt19937_64 gen(seed);
  size_t k = 0;
  for (int64_t t = 0; t < steps; ++t)
    for (size_t i = 0; i < prob.size(); ++i, ++k)
      out.data[k] = double(gen() >> 11) * 0x1.0p-53 < prob[i] ? 1.0f : 0.0f;
  return out;
}

StatusOr<Tensor> encodeLatency(const Tensor &x, int64_t steps, double xMin,
                               double xMax) {
  const char *fn = "encodeLatency";
  if (Status s = checkInput(fn, "x", x); !s)
    return s;
  if (Status s = checkSteps(fn, steps, x); !s)
    return s;
  if (!std::isfinite(xMin) || !std::isfinite(xMax) || !(xMin < xMax))
    return invalidArgument(std::string(fn) +
                           ": needs finite xMin < xMax, got [" + num(xMin) +
                           ", " + num(xMax) + "]");
  if (Status s = checkNoNaN(fn, x); !s)
    return s;
  Tensor out = zeros(steps, x.shape);
  int64_t n = int64_t(x.data.size());
  for (int64_t i = 0; i < n; ++i) {
    double v = x.data[size_t(i)];
    if (v <= xMin)
      continue;
    int64_t step = 0;
    if (v < xMax) {
      double frac = 1 - (v - xMin) / (xMax - xMin);
      step = std::clamp<int64_t>(int64_t(std::round(frac * double(steps - 1))),
                                 0, steps - 1);
    }
    out.data[size_t(step * n + i)] = 1.0f;
  }
  return out;
}

StatusOr<Tensor> encodeDelta(const Tensor &series, double threshold) {
  const char *fn = "encodeDelta";
  if (Status s = checkInput(fn, "series", series); !s)
    return s;
  if (series.shape.empty())
    return invalidArgument(std::string(fn) +
                           ": series needs a leading time dimension, got a "
                           "scalar");
  if (!(threshold > 0) || !std::isfinite(threshold))
    return invalidArgument(std::string(fn) +
                           ": threshold must be positive and finite, got " +
                           num(threshold));
  if (Status s = checkNoNaN(fn, series); !s)
    return s;
  int64_t T = series.shape[0];
  size_t channels = series.data.size() / size_t(T);
  Tensor out(series.shape, std::vector<float>(series.data.size(), 0.0f));
  std::vector<double> ref(series.data.begin(),
                          series.data.begin() + std::ptrdiff_t(channels));
  for (int64_t t = 1; t < T; ++t) {
    for (size_t c = 0; c < channels; ++c) {
      size_t at = size_t(t) * channels + c;
      double d = double(series.data[at]) - ref[c];
      double mag = std::abs(d);
      // floor(mag / threshold) can be off by one when the quotient rounds;
      // settle it against the product, which is what ">= k thresholds"
      // means.
      double k = std::floor(mag / threshold);
      while ((k + 1) * threshold <= mag)
        ++k;
      while (k > 0 && k * threshold > mag)
        --k;
      if (k < 1)
        continue;
      double signedK = d > 0 ? k : -k;
      out.data[at] = float(signedK);
      ref[c] += signedK * threshold;
    }
  }
  return out;
}

StatusOr<Tensor> eventsToFrames(const std::vector<int64_t> &x,
                                const std::vector<int64_t> &y,
                                const std::vector<int64_t> &p,
                                const std::vector<int64_t> &t_us, int64_t width,
                                int64_t height, double dt_seconds,
                                int64_t steps) {
  const std::string fn = "eventsToFrames: ";
  size_t n = x.size();
  if (y.size() != n || p.size() != n || t_us.size() != n)
    return invalidArgument(
        fn +
        "x, y, p and t_us must have one entry per "
        "event; got " +
        std::to_string(x.size()) + ", " + std::to_string(y.size()) + ", " +
        std::to_string(p.size()) + ", " + std::to_string(t_us.size()));
  if (width <= 0 || height <= 0)
    return invalidArgument(fn + "sensor size " + std::to_string(width) + " x " +
                           std::to_string(height) + " must be positive");
  if (!(dt_seconds > 0) || !std::isfinite(dt_seconds))
    return invalidArgument(fn + "dt_seconds must be positive, got " +
                           num(dt_seconds));
  if (steps <= 0)
    return invalidArgument(fn + "steps must be positive, got " +
                           std::to_string(steps));
  std::vector<int64_t> shape = {steps, 2, height, width};
  if (detail::checkedElementCount(shape) < 0)
    return invalidArgument(fn + "output " + shapeString(shape) +
                           " would exceed 2^31 elements");
  Tensor out(shape, std::vector<float>(size_t(steps * 2 * height * width)));
  double dtUs = dt_seconds * 1e6;
  for (size_t i = 0; i < n; ++i) {
    std::string ev = fn + "event " + std::to_string(i);
    if (x[i] < 0 || x[i] >= width || y[i] < 0 || y[i] >= height)
      return invalidArgument(ev + " at (x=" + std::to_string(x[i]) +
                             ", y=" + std::to_string(y[i]) +
                             ") lies outside the " + std::to_string(width) +
                             " x " + std::to_string(height) + " sensor");
    if (p[i] != 0 && p[i] != 1)
      return invalidArgument(ev + " has polarity " + std::to_string(p[i]) +
                             "; expected 0 (OFF) or 1 (ON)");
    if (t_us[i] < 0)
      return invalidArgument(ev + " has negative timestamp " +
                             std::to_string(t_us[i]) + " us");
    double bin = std::floor(double(t_us[i]) / dtUs);
    if (bin >= double(steps))
      continue;
    int64_t s = int64_t(bin);
    out.data[size_t(((s * 2 + p[i]) * height + y[i]) * width + x[i])] += 1.0f;
  }
  return out;
}

StatusOr<EventStream> readNmnistBin(const std::string &path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::exists(fs::status(path, ec)))
    return notFound("'" + path + "': no such file");
  std::ifstream in(path, std::ios::binary);
  if (!in || fs::is_directory(path, ec))
    return invalidArgument("cannot open '" + path + "' as an event file");
  std::vector<unsigned char> raw((std::istreambuf_iterator<char>(in)),
                                 std::istreambuf_iterator<char>());
  if (raw.size() % 5 != 0)
    return dataLoss("'" + path + "' holds " + std::to_string(raw.size()) +
                    " bytes, not a whole number of 5-byte N-MNIST events");
  EventStream ev;
  size_t count = raw.size() / 5;
  ev.x.reserve(count);
  ev.y.reserve(count);
  ev.p.reserve(count);
  ev.t_us.reserve(count);
  int64_t offset = 0;
  for (size_t i = 0; i < count; ++i) {
    const unsigned char *e = &raw[i * 5];
    if (e[1] == 240) { // a timestamp-overflow marker, not an event
      offset += int64_t(1) << 13;
      continue;
    }
    ev.x.push_back(e[0]);
    ev.y.push_back(e[1]);
    ev.p.push_back(e[2] >> 7);
    ev.t_us.push_back(offset + (int64_t(e[2] & 0x7f) << 16) +
                      (int64_t(e[3]) << 8) + e[4]);
  }
  return ev;
}

} // namespace snnc
