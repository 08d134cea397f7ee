//===- SpikeEvents.cpp - Dense and event files from spike events ----------===//
#include "snnc/runtime/SpikeEvents.h"

#include "IoUtil.h"

#include <algorithm>
#include <cstring>
#include <limits>

namespace snnc {
namespace {

// Every sample must describe the same node over the same steps, and every
// event must lie inside it (a hand-built SpikeEvents could be wrong; a
// writer must not index past its row buffer).
Status checkSamples(const std::string &path,
                    std::span<const SpikeEvents> samples, bool batched) {
  auto bad = [&](const std::string &m) {
    return invalidArgument("cannot write '" + path + "': " + m);
  };
  if (samples.empty())
    return bad("no samples to write");
  if (!batched && samples.size() != 1)
    return bad(std::to_string(samples.size()) +
               " samples given without the sample dimension");
  const SpikeEvents &first = samples.front();
  for (size_t s = 0; s < samples.size(); ++s) {
    const SpikeEvents &e = samples[s];
    std::string where = "sample " + std::to_string(s);
    if (e.shape != first.shape || e.numSteps != first.numSteps)
      return bad(where + " has " + std::to_string(e.numSteps) +
                 " steps of shape " + shapeString(e.shape) + ", sample 0 " +
                 std::to_string(first.numSteps) + " of " +
                 shapeString(first.shape));
    if (e.steps.size() != e.indices.size())
      return bad(where + " holds " + std::to_string(e.steps.size()) +
                 " steps but " + std::to_string(e.indices.size()) + " indices");
    const int64_t n = e.neurons();
    for (size_t i = 0; i < e.size(); ++i) {
      bool ordered =
          i == 0 || e.steps[i] > e.steps[i - 1] ||
          (e.steps[i] == e.steps[i - 1] && e.indices[i] > e.indices[i - 1]);
      if (int64_t(e.steps[i]) >= e.numSteps || int64_t(e.indices[i]) >= n ||
          !ordered)
        return bad(where + ", event " + std::to_string(i) + " (step " +
                   std::to_string(e.steps[i]) + ", neuron " +
                   std::to_string(e.indices[i]) +
                   ") is out of range or out of order (" +
                   std::to_string(e.numSteps) + " steps, " + std::to_string(n) +
                   " neurons)");
    }
  }
  return Status::ok();
}

void putLE64(int64_t v, unsigned char *p) {
  for (int i = 0; i < 8; ++i)
    p[i] = (unsigned char)(uint64_t(v) >> (8 * i));
}

} // namespace

SpikeTensor denseSpikes(const SpikeEvents &events) {
  const size_t n = size_t(events.neurons());
  std::vector<int64_t> shape{events.numSteps};
  shape.insert(shape.end(), events.shape.begin(), events.shape.end());
  SpikeTensor out(std::move(shape));
  for (size_t i = 0; i < events.size(); ++i)
    out.data[size_t(events.steps[i]) * n + events.indices[i]] = 1;
  return out;
}

Tensor countSpikes(const SpikeEvents &events) {
  Tensor out(events.shape);
  for (uint32_t i : events.indices)
    out.data[i] += 1.0f;
  return out;
}

Status writeSpikesNpy(const std::string &path,
                      std::span<const SpikeEvents> samples, bool batched) {
  if (Status s = checkSamples(path, samples, batched); !s)
    return s;
  const SpikeEvents &first = samples.front();
  std::vector<int64_t> shape{first.numSteps};
  shape.insert(shape.end(), first.shape.begin(), first.shape.end());
  if (batched)
    shape.insert(shape.begin(), int64_t(samples.size()));
  if (detail::checkedElementCount(shape, std::numeric_limits<int64_t>::max()) <
      0)
    return invalidArgument("cannot write '" + path + "': shape " +
                           shapeString(shape) + " overflows");
  const std::string header = detail::npyHeader("|u1", shape);
  const size_t n = size_t(first.neurons());
  // A block of whole rows, at most 1 MiB (at least one row).
  const size_t rows = n == 0 ? 1 : std::max<size_t>(1, (size_t(1) << 20) / n);
  return detail::writeAtomically(path, [&](std::FILE *f) {
    if (std::fwrite(header.data(), 1, header.size(), f) != header.size())
      return false;
    if (n == 0)
      return true;
    std::vector<uint8_t> block(rows * n);
    for (const SpikeEvents &e : samples) {
      size_t next = 0; // the first event not yet placed
      for (int64_t t0 = 0; t0 < e.numSteps; t0 += int64_t(rows)) {
        const size_t m =
            size_t(std::min<int64_t>(int64_t(rows), e.numSteps - t0));
        std::memset(block.data(), 0, m * n);
        const uint32_t end = uint32_t(t0 + int64_t(m));
        for (; next < e.size() && e.steps[next] < end; ++next)
          block[size_t(e.steps[next] - uint32_t(t0)) * n + e.indices[next]] = 1;
        if (std::fwrite(block.data(), 1, m * n, f) != m * n)
          return false;
      }
    }
    return true;
  });
}

Status writeEventsNpy(const std::string &path,
                      std::span<const SpikeEvents> samples, bool batched) {
  if (Status s = checkSamples(path, samples, batched); !s)
    return s;
  int64_t total = 0;
  for (const SpikeEvents &e : samples)
    total += int64_t(e.size());
  const int64_t cols = batched ? 3 : 2;
  const std::string header = detail::npyHeader("<i8", {total, cols});
  return detail::writeAtomically(path, [&](std::FILE *f) {
    if (std::fwrite(header.data(), 1, header.size(), f) != header.size())
      return false;
    constexpr size_t kRows = 1 << 14;
    std::vector<unsigned char> buf(kRows * size_t(cols) * 8);
    for (size_t s = 0; s < samples.size(); ++s) {
      const SpikeEvents &e = samples[s];
      for (size_t i = 0; i < e.size(); i += kRows) {
        const size_t m = std::min(kRows, e.size() - i);
        unsigned char *p = buf.data();
        for (size_t j = i; j < i + m; ++j) {
          if (batched) {
            putLE64(int64_t(s), p);
            p += 8;
          }
          putLE64(e.steps[j], p);
          putLE64(e.indices[j], p + 8);
          p += 16;
        }
        const size_t bytes = size_t(p - buf.data());
        if (std::fwrite(buf.data(), 1, bytes, f) != bytes)
          return false;
      }
    }
    return true;
  });
}

} // namespace snnc
