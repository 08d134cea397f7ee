//===- RecordingWritersTest.cpp - Files written from spike events ---------===//
//
// The dense .npy written from events is byte-identical to writeNpy of the
// dense tensor (also across its row blocks and with a sample dimension);
// the events .npy holds the events; NIRData's EventData holds them in NIR's
// layout, with times that floor back to their steps.
//
//===----------------------------------------------------------------------===//
#include "snnc/runtime/NirData.h"
#include "snnc/runtime/Npy.h"
#include "snnc/runtime/SpikeEvents.h"

#include <gtest/gtest.h>

#include <hdf5.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>

namespace {

using namespace snnc;
namespace fs = std::filesystem;

std::string tempPath(const std::string &name) {
  return (fs::temp_directory_path() /
          ("snnc-rec-" + std::to_string(::getpid()) + "-" + name))
      .string();
}

std::string bytesOf(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// Random events over `steps` x `shape`, about `p` of the grid spiking.
SpikeEvents randomEvents(std::vector<int64_t> shape, int64_t steps, double p,
                         uint32_t seed) {
  std::mt19937 rng(seed);
  std::bernoulli_distribution spike(p);
  SpikeEvents e;
  e.shape = std::move(shape);
  e.numSteps = steps;
  for (int64_t t = 0; t < steps; ++t)
    for (int64_t i = 0; i < e.neurons(); ++i)
      if (spike(rng)) {
        e.steps.push_back(uint32_t(t));
        e.indices.push_back(uint32_t(i));
      }
  return e;
}

TEST(RecordingWriters, DenseNpyFromEventsEqualsWriteNpyOfTheDenseTensor) {
  // 3000 neurons x 700 steps: 2.1 MB, so rows go out in several blocks.
  const std::vector<SpikeEvents> samples{
      randomEvents({3, 1000}, 700, 0.01, 1),
      randomEvents({3, 1000}, 700, 0.002, 2)};
  const std::string a = tempPath("a.npy"), b = tempPath("b.npy");
  ASSERT_TRUE(writeSpikesNpy(a, {samples.data(), 1}, false).isOk());
  ASSERT_TRUE(writeNpy(b, denseSpikes(samples[0])).isOk());
  EXPECT_EQ(bytesOf(a), bytesOf(b));
  ASSERT_TRUE(writeSpikesNpy(a, samples, true).isOk());
  SpikeTensor both = denseSpikes(samples[0]);
  const SpikeTensor second = denseSpikes(samples[1]);
  both.data.insert(both.data.end(), second.data.begin(), second.data.end());
  both.shape.insert(both.shape.begin(), 2);
  ASSERT_TRUE(writeNpy(b, both).isOk());
  EXPECT_EQ(bytesOf(a), bytesOf(b));
  auto back = readNpy(a);
  ASSERT_TRUE(back.isOk());
  EXPECT_EQ(back->shape, (std::vector<int64_t>{2, 700, 3, 1000}));
  fs::remove(a);
  fs::remove(b);
}

TEST(RecordingWriters, EventsNpyHoldsStepAndIndexRows) {
  const std::vector<SpikeEvents> samples{randomEvents({40}, 30, 0.1, 3),
                                         randomEvents({40}, 30, 0.1, 4)};
  const std::string path = tempPath("events.npy");
  ASSERT_TRUE(writeEventsNpy(path, {samples.data(), 1}, false).isOk());
  EXPECT_NE(bytesOf(path).find("'descr': '<i8'"), std::string::npos);
  auto one = readNpy(path);
  ASSERT_TRUE(one.isOk());
  const size_t n0 = samples[0].size();
  ASSERT_EQ(one->shape, (std::vector<int64_t>{int64_t(n0), 2}));
  for (size_t i = 0; i < n0; ++i) {
    EXPECT_EQ(one->data[2 * i], float(samples[0].steps[i]));
    EXPECT_EQ(one->data[2 * i + 1], float(samples[0].indices[i]));
  }
  ASSERT_TRUE(writeEventsNpy(path, samples, true).isOk());
  auto two = readNpy(path);
  ASSERT_TRUE(two.isOk());
  const size_t n = n0 + samples[1].size();
  ASSERT_EQ(two->shape, (std::vector<int64_t>{int64_t(n), 3}));
  for (size_t i = 0; i < n; ++i) {
    const size_t s = i < n0 ? 0 : 1, j = i < n0 ? i : i - n0;
    EXPECT_EQ(two->data[3 * i], float(s));
    EXPECT_EQ(two->data[3 * i + 1], float(samples[s].steps[j]));
    EXPECT_EQ(two->data[3 * i + 2], float(samples[s].indices[j]));
  }
  fs::remove(path);
}

TEST(RecordingWriters, MalformedEventsAreRefusedNamingTheEvent) {
  SpikeEvents e = randomEvents({5}, 4, 0.5, 5);
  e.indices.back() = 5; // outside 5 neurons
  const std::string path = tempPath("bad.npy");
  Status st = writeSpikesNpy(path, {&e, 1}, false);
  EXPECT_EQ(st.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(st.message().find("event " + std::to_string(e.size() - 1)),
            std::string::npos)
      << st.message();
  EXPECT_FALSE(fs::exists(path));
  SpikeEvents other = randomEvents({6}, 4, 0.5, 6);
  const std::vector<SpikeEvents> mixed{randomEvents({5}, 4, 0.5, 7), other};
  st = writeEventsNpy(path, mixed, true);
  EXPECT_NE(st.message().find("sample 1"), std::string::npos) << st.message();
}

// Reads a whole dataset of `type` at `path` inside `file`.
template <typename T>
std::vector<T> readDataset(hid_t file, const std::string &path, hid_t type,
                           std::vector<hsize_t> &dims) {
  hid_t d = H5Dopen2(file, path.c_str(), H5P_DEFAULT);
  hid_t space = H5Dget_space(d);
  dims.assign(size_t(H5Sget_simple_extent_ndims(space)), 0);
  H5Sget_simple_extent_dims(space, dims.data(), nullptr);
  hsize_t n = 1;
  for (hsize_t x : dims)
    n *= x;
  std::vector<T> out(n);
  if (n)
    H5Dread(d, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, out.data());
  H5Sclose(space);
  H5Dclose(d);
  return out;
}

template <typename T>
T readAttr(hid_t file, const std::string &object, const char *name,
           hid_t type) {
  T v{};
  hid_t a =
      H5Aopen_by_name(file, object.c_str(), name, H5P_DEFAULT, H5P_DEFAULT);
  H5Aread(a, type, &v);
  H5Aclose(a);
  return v;
}

TEST(RecordingWriters, NirDataEventDataHoldsTheEventsInNirLayout) {
  // dt = 0.1 ms: k * dt / dt is not always k in binary, which the writer
  // must correct for NIR's floor(time / dt).
  const double dt = 1e-4;
  const std::vector<SpikeEvents> samples{randomEvents({2, 3}, 900, 0.05, 8),
                                         randomEvents({2, 3}, 900, 0.02, 9)};
  RecordedObservable spikes;
  spikes.name = "spikes";
  spikes.events = samples;
  RecordedObservable v{"v", {2, 900, 2}, std::vector<float>(3600, 0.5f)};
  v.neurons = {4, 1};
  const std::string path = tempPath("rec.h5");
  Status st = writeNirData(path, dt, {{"lif1", {spikes, v}}});
  ASSERT_TRUE(st.isOk()) << st.toString();

  hid_t f = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  ASSERT_GE(f, 0);
  const std::string obs = "/nodes/lif1/observables/spikes";
  std::vector<hsize_t> dims;
  auto idx = readDataset<int64_t>(f, obs + "/idx", H5T_NATIVE_INT64, dims);
  const size_t most = std::max(samples[0].size(), samples[1].size());
  ASSERT_EQ(dims, (std::vector<hsize_t>{2, most}));
  auto time = readDataset<double>(f, obs + "/time", H5T_NATIVE_DOUBLE, dims);
  ASSERT_EQ(time.size(), idx.size());
  for (size_t s = 0; s < 2; ++s)
    for (size_t i = 0; i < most; ++i) {
      const size_t at = s * most + i;
      if (i >= samples[s].size()) {
        EXPECT_EQ(idx[at], -1);
        EXPECT_TRUE(std::isinf(time[at]));
        continue;
      }
      EXPECT_EQ(idx[at], int64_t(samples[s].indices[i]));
      EXPECT_EQ(std::floor(time[at] / dt), double(samples[s].steps[i]))
          << "sample " << s << " event " << i;
      EXPECT_NEAR(time[at], samples[s].steps[i] * dt, 1e-15);
    }
  EXPECT_EQ(readAttr<int64_t>(f, obs, "n_neurons", H5T_NATIVE_INT64), 6);
  const double tMax = readAttr<double>(f, obs, "t_max", H5T_NATIVE_DOUBLE);
  EXPECT_EQ(std::trunc(tMax / dt), 900.0);
  std::vector<hsize_t> vd;
  auto chosen = readDataset<float>(f, "/nodes/lif1/observables/v/data",
                                   H5T_NATIVE_FLOAT, vd);
  EXPECT_EQ(vd, (std::vector<hsize_t>{2, 900, 2}));
  hid_t a = H5Aopen_by_name(f, "/nodes/lif1/observables/v", "snnc_neurons",
                            H5P_DEFAULT, H5P_DEFAULT);
  int64_t neurons[2] = {0, 0};
  H5Aread(a, H5T_NATIVE_INT64, neurons);
  H5Aclose(a);
  EXPECT_EQ(neurons[0], 4);
  EXPECT_EQ(neurons[1], 1);
  H5Fclose(f);
  fs::remove(path);
}

} // namespace
