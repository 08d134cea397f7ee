//===- RuntimeIoTest.cpp - .npy, NIRData, raster and encoder tests --------===//
#include "snnc/runtime/Encoders.h"
#include "snnc/runtime/NirData.h"
#include "snnc/runtime/Npy.h"
#include "snnc/runtime/Raster.h"

#include "RuntimeIoTestSupport.h"

#include <cmath>
#include <numeric>

using namespace snnc;
using namespace snnc_test;
using Shape = std::vector<int64_t>;

// --- .npy ------------------------------------------------------------------

TEST_F(IoTest, NpyFloatRoundTripsManyShapes) {
  for (const Shape &shape : {Shape{}, Shape{0}, Shape{3}, Shape{2, 3},
                             Shape{2, 0, 4}, Shape{1, 2, 3, 4}}) {
    Tensor t(shape);
    for (size_t i = 0; i < t.data.size(); ++i)
      t.data[i] = float(i) * 0.25f - 1.5f;
    ASSERT_TRUE(writeNpy(path("f.npy"), t)) << shapeString(shape);
    // numpy aligns the data to 64 bytes; so must we.
    EXPECT_EQ((fs::file_size(path("f.npy")) - 4 * t.data.size()) % 64, 0u);
    StatusOr<Tensor> back = readNpy(path("f.npy"));
    ASSERT_TRUE(back) << back.status().message();
    EXPECT_EQ(back->shape, shape);
    EXPECT_EQ(back->data, t.data);
  }
  EXPECT_EQ(entries(), 1u); // no temporary files left behind
}

TEST_F(IoTest, NpyWriterMatchesNumpyBytes) {
  Tensor f({2, 3}, {1, 2, 3, 4, 5, 6});
  ASSERT_TRUE(writeNpy(path("f.npy"), f));
  EXPECT_EQ(slurp(path("f.npy")), std::string(kF4Save, sizeof kF4Save - 1));
  SpikeTensor s({2, 2}, {0, 1, 1, 0});
  ASSERT_TRUE(writeNpy(path("s.npy"), s));
  EXPECT_EQ(slurp(path("s.npy")), std::string(kU1Save, sizeof kU1Save - 1));
  StatusOr<Tensor> back = readNpy(path("s.npy"));
  ASSERT_TRUE(back);
  EXPECT_EQ(back->shape, (Shape{2, 2}));
  EXPECT_EQ(back->data, (std::vector<float>{0, 1, 1, 0}));
  SpikeTensor empty({0, 5}, {});
  ASSERT_TRUE(writeNpy(path("e.npy"), empty));
  EXPECT_EQ(readNpy(path("e.npy"))->shape, (Shape{0, 5}));
}

TEST_F(IoTest, NpyWriterFailuresLeaveNoFile) {
  Status s = writeNpy(path("bad.npy"), Tensor({2, 3}, {1, 2, 3, 4, 5}));
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("needs 6 values"), std::string::npos);
  s = writeNpy(path("missing/dir/x.npy"), Tensor({1}, {1}));
  EXPECT_EQ(s.code(), StatusCode::kNotFound) << s.message();
  EXPECT_EQ(entries(), 0u);
  // Replacing an existing file leaves only the new one.
  put("x.npy", "old");
  ASSERT_TRUE(writeNpy(path("x.npy"), Tensor({1}, {7})));
  EXPECT_EQ(readNpy(path("x.npy"))->data, std::vector<float>{7});
  EXPECT_EQ(entries(), 1u);
}

TEST_F(IoTest, NpyReadsNumpyDtypesAndVersions) {
  auto read = [&](const std::string &bytes) {
    StatusOr<Tensor> t = readNpy(put("n.npy", bytes));
    EXPECT_TRUE(t) << t.status().message();
    return t ? *t : Tensor();
  };
  auto s = [](const char *lit, size_t n) { return std::string(lit, n - 1); };
  Tensor f8 = read(s(kF8, sizeof kF8));
  EXPECT_EQ(f8.shape, (Shape{2, 3}));
  EXPECT_EQ(f8.data, (std::vector<float>{1.5f, -2.25f, 3e10f, 0, 1e-3f, -7}));
  EXPECT_EQ(read(s(kB1, sizeof kB1)).data, (std::vector<float>{1, 0, 1, 1}));
  EXPECT_EQ(read(s(kI8, sizeof kI8)).data,
            (std::vector<float>{-3, 0, 1099511627776.0f}));
  Tensor f2 = read(s(kF2, sizeof kF2));
  EXPECT_EQ(f2.data[0], 1.0f);
  EXPECT_EQ(f2.data[1], -0.5f);
  EXPECT_EQ(f2.data[2], 65504.0f);
  EXPECT_EQ(f2.data[3], std::ldexp(1.0f, -24)); // smallest subnormal
  EXPECT_TRUE(std::isinf(f2.data[4]));
  Tensor scalar = read(s(kScalar, sizeof kScalar));
  EXPECT_TRUE(scalar.shape.empty());
  EXPECT_EQ(scalar.data, std::vector<float>{2.5f});
  Tensor v2 = read(s(kV2U1, sizeof kV2U1));
  EXPECT_EQ(v2.shape, (Shape{1, 2}));
  EXPECT_EQ(v2.data, (std::vector<float>{7, 255}));
  EXPECT_EQ(read(s(kV3I2, sizeof kV3I2)).data, (std::vector<float>{-32768, 5}));
}

// Expects readNpy(file) to fail with `code` and a message naming the file
// and containing `text`.
void expectNpyError(const std::string &file, StatusCode code,
                    const std::string &text) {
  StatusOr<Tensor> t = readNpy(file);
  ASSERT_FALSE(t) << file;
  EXPECT_EQ(t.status().code(), code) << t.status().message();
  EXPECT_NE(t.status().message().find(file), std::string::npos)
      << t.status().message();
  EXPECT_NE(t.status().message().find(text), std::string::npos)
      << t.status().message();
}

TEST_F(IoTest, NpyRejectsWhatItCannotRead) {
  auto k = StatusCode::kInvalidArgument;
  expectNpyError(put("be.npy", kBigEndianF4), k, "unsupported dtype '>f4'");
  expectNpyError(put("u.npy", kUnicode), k, "unsupported dtype '<U5'");
  expectNpyError(put("fo.npy", kFortran), k, "fortran_order");
  expectNpyError(put("magic.npy", "PK\x03\x04 a zip file"), k,
                 "not a .npy file");
  expectNpyError(put("empty.npy", ""), k, "not a .npy file");
  expectNpyError(path("absent.npy"), StatusCode::kNotFound, "no such file");

  std::string f8(kF8, sizeof kF8 - 1);
  expectNpyError(put("trunc.npy", f8.substr(0, f8.size() - 8)),
                 StatusCode::kDataLoss,
                 "holds 40 bytes of data, shape [2, 3] of <f8 needs 48");
  expectNpyError(put("hdr.npy", f8.substr(0, 40)), StatusCode::kDataLoss,
                 "header truncated");
  std::string garbled = f8;
  garbled.replace(garbled.find("'shape'"), 7, "'shapf'");
  expectNpyError(put("garbled.npy", garbled), k,
                 "cannot parse the .npy header: unexpected key 'shapf'");

  // Headers built by hand (same framing numpy uses) for absurd shapes.
  auto handMade = [](const std::string &dict) {
    std::string h = dict + std::string(64 - (10 + dict.size() + 1) % 64, ' ');
    h += '\n';
    return std::string("\x93NUMPY\x01\x00", 8) + char(h.size() & 0xff) +
           char(h.size() >> 8) + h;
  };
  expectNpyError(put("huge.npy", handMade("{'descr': '<f4', 'fortran_order': "
                                          "False, 'shape': (100000, 100000), "
                                          "}")),
                 k, "more than 2^31 elements");
  expectNpyError(put("ovf.npy", handMade("{'descr': '<f4', 'fortran_order': "
                                         "False, 'shape': "
                                         "(4611686018427387904, 4), }")),
                 k, "more than 2^31 elements");
  expectNpyError(put("rec.npy", handMade("{'descr': [('a', '<f4')], "
                                         "'fortran_order': False, 'shape': "
                                         "(1,), }")),
                 k, "unsupported dtype '[('a', '<f4')]'");
}

TEST(NpyCorpus, BrailleInputMatchesItsCsv) {
  std::string npy = corpus("nir/derived/braille_ds_test0_input.npy");
  std::string csv = corpus("nir/derived/braille_ds_test0_input.csv");
  if (!fs::exists(npy) || !fs::exists(csv))
    GTEST_SKIP() << "external corpus absent: looked for " << npy << " and "
                 << csv << " (set SNNC_EXTERNAL_DATA)";
  StatusOr<Tensor> t = readNpy(npy);
  ASSERT_TRUE(t) << t.status().message();
  EXPECT_EQ(t->shape, (Shape{256, 12}));
  std::ifstream in(csv);
  std::vector<float> fromCsv;
  for (std::string cell; std::getline(in, cell, ',');) {
    std::stringstream line(cell); // a cell may end in "\n<next cell>"
    for (float v; line >> v;)
      fromCsv.push_back(v);
  }
  EXPECT_EQ(t->data, fromCsv);
}

// --- NIRData -----------------------------------------------------------------

TEST_F(IoTest, NirDataLayoutMatchesNir) {
  RecordedObservable spikes{"spikes", {2, 3, 2, 2}, std::vector<float>(24)};
  for (size_t i = 0; i < 24; i += 5)
    spikes.data[i] = 1;
  RecordedObservable v{"v", {2, 3, 4}, std::vector<float>(24)};
  for (size_t i = 0; i < 24; ++i)
    v.data[i] = float(i) / 8 - 1;
  RecordedObservable li{"v", {1, 5}, {1, 2, 3, 4, 5}};
  ASSERT_TRUE(writeNirData(path("rec.h5"), 1e-3,
                           {{"lif1", {spikes, v}}, {"li", {li}}}));
  EXPECT_EQ(entries(), 1u);

  H5 file{H5Fopen(path("rec.h5").c_str(), H5F_ACC_RDONLY, H5P_DEFAULT),
          H5Fclose};
  ASSERT_GE(file.id, 0);
  EXPECT_EQ(stringAttr(file.id, "__type__"), "NIRGraphData");
  H5 node{H5Gopen2(file.id, "nodes/lif1", H5P_DEFAULT), H5Gclose};
  EXPECT_EQ(stringAttr(node.id, "__type__"), "NIRNodeData");
  H5 obs{H5Gopen2(node.id, "observables/spikes", H5P_DEFAULT), H5Gclose};
  EXPECT_EQ(stringAttr(obs.id, "__type__"), "TimeGriddedData");

  H5 dt{H5Aopen(obs.id, "dt", H5P_DEFAULT), H5Aclose};
  H5 dtType{H5Aget_type(dt.id), H5Tclose};
  EXPECT_EQ(H5Tget_class(dtType.id), H5T_FLOAT);
  EXPECT_EQ(H5Tget_size(dtType.id), 8u);
  double dtValue = 0;
  H5Aread(dt.id, H5T_NATIVE_DOUBLE, &dtValue);
  EXPECT_EQ(dtValue, 1e-3);

  H5 shapeAttr{H5Aopen(obs.id, "snnc_shape", H5P_DEFAULT), H5Aclose};
  int64_t shape[4] = {};
  H5Aread(shapeAttr.id, H5T_NATIVE_INT64, shape);
  EXPECT_EQ(Shape(shape, shape + 4), (Shape{2, 3, 2, 2}));

  // Spikes: (samples, steps, neurons) as h5py's bool enum.
  H5 data{H5Dopen2(obs.id, "data", H5P_DEFAULT), H5Dclose};
  H5 space{H5Dget_space(data.id), H5Sclose};
  hsize_t dims[3] = {};
  ASSERT_EQ(H5Sget_simple_extent_ndims(space.id), 3);
  H5Sget_simple_extent_dims(space.id, dims, nullptr);
  EXPECT_EQ(std::vector<hsize_t>(dims, dims + 3),
            (std::vector<hsize_t>{2, 3, 4}));
  H5 type{H5Dget_type(data.id), H5Tclose};
  ASSERT_EQ(H5Tget_class(type.id), H5T_ENUM);
  char member[8] = {};
  int8_t one = 1;
  ASSERT_GE(H5Tenum_nameof(type.id, &one, member, sizeof member), 0);
  EXPECT_STREQ(member, "TRUE");
  std::vector<int8_t> bits(24);
  H5Dread(data.id, type.id, H5S_ALL, H5S_ALL, H5P_DEFAULT, bits.data());
  for (size_t i = 0; i < 24; ++i)
    EXPECT_EQ(bits[i], spikes.data[i]) << i;

  H5 vData{H5Dopen2(node.id, "observables/v/data", H5P_DEFAULT), H5Dclose};
  H5 vType{H5Dget_type(vData.id), H5Tclose};
  EXPECT_EQ(H5Tget_class(vType.id), H5T_FLOAT);
  EXPECT_EQ(H5Tget_size(vType.id), 4u);
  std::vector<float> values(24);
  H5Dread(vData.id, H5T_NATIVE_FLOAT, H5S_ALL, H5S_ALL, H5P_DEFAULT,
          values.data());
  EXPECT_EQ(values, v.data);

  // No neuron dimensions: one neuron.
  H5 liData{H5Dopen2(file.id, "nodes/li/observables/v/data", H5P_DEFAULT),
            H5Dclose};
  H5 liSpace{H5Dget_space(liData.id), H5Sclose};
  H5Sget_simple_extent_dims(liSpace.id, dims, nullptr);
  EXPECT_EQ(std::vector<hsize_t>(dims, dims + 3),
            (std::vector<hsize_t>{1, 5, 1}));
}

TEST_F(IoTest, NirDataRejectsBadRecordings) {
  auto err = [&](double dt, const std::vector<RecordedNode> &nodes) {
    Status s = writeNirData(path("r.h5"), dt, nodes);
    EXPECT_FALSE(s);
    return s.message();
  };
  RecordedObservable ok{"v", {1, 2, 1}, {0.5f, 1.5f}};
  EXPECT_NE(err(0, {{"a", {ok}}}).find("dt must be"), std::string::npos);
  EXPECT_NE(err(1, {{"a", {ok}}, {"a", {ok}}}).find("appears twice"),
            std::string::npos);
  EXPECT_NE(err(1, {{"a/b", {ok}}}).find("no '/'"), std::string::npos);
  EXPECT_NE(err(1, {{"a", {{"v", {1, 3, 1}, {1, 2}}}}}).find("needs 3 values"),
            std::string::npos);
  EXPECT_NE(err(1, {{"a", {{"spikes", {1, 2, 1}, {0, 2}}}}})
                .find("spikes must be 0 or 1"),
            std::string::npos);
  EXPECT_EQ(entries(), 0u);
  Status s = writeNirData(path("no/such/dir.h5"), 1, {{"a", {ok}}});
  EXPECT_EQ(s.code(), StatusCode::kNotFound) << s.message();
}

// --- Raster ------------------------------------------------------------------

TEST_F(IoTest, RasterIsWellFormedAndShowsEverySpike) {
  RasterTrack a{"input <x>", 12, 50, std::vector<uint8_t>(600)};
  for (size_t i = 0; i < 600; i += 7)
    a.spikes[i] = 1;
  RasterTrack b{"lif1", 3, 20, std::vector<uint8_t>(60)};
  b.spikes[0] = b.spikes[59] = 1;
  ASSERT_TRUE(writeRasterSvg(path("r.svg"), {a, b}, 1e-3, "net & co"));
  std::string svg = slurp(path("r.svg"));
  EXPECT_EQ(svg, *rasterSvg({a, b}, 1e-3, "net & co"));
  EXPECT_TRUE(balancedTags(svg));
  EXPECT_EQ(svg.rfind("<?xml", 0), 0u);
  EXPECT_NE(svg.find("input &lt;x&gt;"), std::string::npos);
  EXPECT_NE(svg.find(">lif1<"), std::string::npos);
  EXPECT_NE(svg.find("net &amp; co"), std::string::npos);
  EXPECT_NE(svg.find("86 spikes, 12 neurons x 50 steps"), std::string::npos);
  EXPECT_NE(svg.find("2 spikes, 3 neurons x 20 steps"), std::string::npos);
  EXPECT_NE(svg.find("time (ms)"), std::string::npos);
  EXPECT_EQ(markCounts(svg), (std::vector<size_t>{86, 2}));
  EXPECT_EQ(svg.find("binned"), std::string::npos);
}

TEST_F(IoTest, RasterBinsLargeTracks) {
  RasterTrack big{"big", 1000, 3000, std::vector<uint8_t>(3'000'000, 1)};
  StatusOr<std::string> svg = rasterSvg({big}, 1e-3, "");
  ASSERT_TRUE(svg);
  EXPECT_TRUE(balancedTags(*svg));
  // One mark per pixel cell: 870 columns x 300 rows.
  EXPECT_EQ(markCounts(*svg), std::vector<size_t>{870 * 300});
  EXPECT_NE(svg->find("binned"), std::string::npos);
  EXPECT_NE(svg->find("3000000 spikes"), std::string::npos);
}

TEST(Raster, RejectsBadTracks) {
  EXPECT_FALSE(rasterSvg({}, 1e-3, "t"));
  EXPECT_FALSE(rasterSvg({{"a", 2, 2, {1, 0, 0}}}, 1e-3, "t"));
  EXPECT_FALSE(rasterSvg({{"a", 0, 2, {}}}, 1e-3, "t"));
  StatusOr<std::string> s = rasterSvg({{"a", 1, 1, {1}}}, 0, "t");
  ASSERT_FALSE(s);
  EXPECT_NE(s.status().message().find("dt"), std::string::npos);
}

// --- Encoders ----------------------------------------------------------------

TEST(Encoders, CurrentRepeatsTheInput) {
  Tensor out = encodeCurrent(Tensor({2, 2}, {1, 2, 3, 4}), 3);
  EXPECT_EQ(out.shape, (Shape{3, 2, 2}));
  EXPECT_EQ(out.data, (std::vector<float>{1, 2, 3, 4, 1, 2, 3, 4, 1, 2, 3, 4}));
  EXPECT_EQ(encodeCurrent(Tensor({2}, {1, 2}), 0).shape, (Shape{0, 2}));
}

TEST(Encoders, RateIsReproducibleAndPinned) {
  Tensor x({4}, {0.5f, 0.5f, 0.5f, 0.5f});
  StatusOr<Tensor> a = encodeRate(x, 4, 42), b = encodeRate(x, 4, 42);
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->shape, (Shape{4, 4}));
  EXPECT_EQ(a->data, b->data);
  EXPECT_NE(a->data, encodeRate(x, 4, 43)->data);
  // mt19937_64's sequence is fixed by the C++ standard, so these bits are
  // the same on every platform (checked against an independent MT19937-64
  // written in Python); a change here breaks users' reproducibility.
  std::string bits;
  for (float v : a->data)
    bits += v ? '1' : '0';
  EXPECT_EQ(bits, "0001010111100000");
}

TEST(Encoders, RateMatchesItsProbability) {
  const int64_t T = 10000;
  Tensor x({5}, {0.1f, 0.5f, 0.9f, -1.0f, 2.0f});
  StatusOr<Tensor> out = encodeRate(x, T, 7, 0.5);
  ASSERT_TRUE(out);
  const double p[5] = {0.05, 0.25, 0.45, 0, 0.5}; // clamped, times maxRate
  for (int64_t i = 0; i < 5; ++i) {
    double count = 0;
    for (int64_t t = 0; t < T; ++t)
      count += out->data[size_t(t * 5 + i)];
    double sigma = std::sqrt(double(T) * p[i] * (1 - p[i]));
    EXPECT_LE(std::abs(count - double(T) * p[i]), 3 * sigma + 1e-9) << i;
  }
  StatusOr<Tensor> nan = encodeRate(Tensor({2}, {0, NAN}), 3, 1);
  ASSERT_FALSE(nan);
  EXPECT_NE(nan.status().message().find("element 1"), std::string::npos);
  EXPECT_FALSE(encodeRate(x, 0, 1));
  EXPECT_FALSE(encodeRate(x, 3, 1, 1.5));
  EXPECT_FALSE(encodeRate(Tensor({0}, {}), 3, 1));
  EXPECT_FALSE(encodeRate(Tensor({3}, {1, 2}), 3, 1));
}

TEST(Encoders, LatencySpikesOnceAtTheExactStep) {
  Tensor x({7}, {0.0f, 0.1f, 0.5f, 1.0f, 1.5f, -1.0f, 0.25f});
  StatusOr<Tensor> out = encodeLatency(x, 11);
  ASSERT_TRUE(out);
  EXPECT_EQ(out->shape, (Shape{11, 7}));
  // -1: no spike. round((1 - x) * 10); 0.25 -> 7.5 rounds away from zero.
  const int64_t expected[7] = {-1, 9, 5, 0, 0, -1, 8};
  for (int64_t i = 0; i < 7; ++i)
    for (int64_t t = 0; t < 11; ++t)
      EXPECT_EQ(out->data[size_t(t * 7 + i)], t == expected[i] ? 1.0f : 0.0f)
          << "element " << i << " step " << t;
  StatusOr<Tensor> scaled = encodeLatency(Tensor({1}, {15}), 5, 10, 20);
  EXPECT_EQ(scaled->data, (std::vector<float>{0, 0, 1, 0, 0}));
  EXPECT_FALSE(encodeLatency(x, 11, 1, 1));
  EXPECT_FALSE(encodeLatency(x, -2));
}

TEST(Encoders, DeltaOnARampAndAJump) {
  Tensor ramp({9, 1}, {0, 0.5, 1, 1.5, 2, 2.5, 3, 3.5, 4});
  StatusOr<Tensor> out = encodeDelta(ramp, 1.0);
  ASSERT_TRUE(out);
  EXPECT_EQ(out->shape, (Shape{9, 1}));
  EXPECT_EQ(out->data, (std::vector<float>{0, 0, 1, 0, 1, 0, 1, 0, 1}));
  // Several thresholds in one step give +-k; the reference moves by k.
  StatusOr<Tensor> jump = encodeDelta(Tensor({4}, {0, 3.5, 3.5, 0}), 1.0);
  EXPECT_EQ(jump->data, (std::vector<float>{0, 3, 0, -3}));
  EXPECT_FALSE(encodeDelta(ramp, 0));
  EXPECT_FALSE(encodeDelta(ramp, -1));
  EXPECT_FALSE(encodeDelta(Tensor({}, {1}), 1));
}

TEST(Encoders, DeltaTracksASine) {
  const int64_t T = 200;
  const double th = 0.25, pi = std::acos(-1.0);
  Tensor sine({T, 2});
  for (int64_t t = 0; t < T; ++t) {
    sine.data[size_t(2 * t)] = float(std::sin(2 * pi * double(t) / 100));
    sine.data[size_t(2 * t + 1)] = -sine.data[size_t(2 * t)];
  }
  StatusOr<Tensor> out = encodeDelta(sine, th);
  ASSERT_TRUE(out);
  for (int64_t c = 0; c < 2; ++c) {
    double level = sine.data[size_t(c)];
    int ups = 0, downs = 0;
    for (int64_t t = 0; t < T; ++t) {
      float e = out->data[size_t(2 * t + c)];
      EXPECT_EQ(e,
                c == 0 ? out->data[size_t(2 * t)] : -out->data[size_t(2 * t)]);
      level += th * e;
      (e > 0 ? ups : downs) += e != 0;
      // The decoded level stays within one threshold of the signal.
      EXPECT_LT(std::abs(sine.data[size_t(2 * t + c)] - level), th) << t;
    }
    EXPECT_GE(ups, 8);
    EXPECT_GE(downs, 8);
  }
}

TEST(Encoders, EventsToFramesCountsEvents) {
  // (x, y, p, t): two in step 0 at the same pixel, one in step 1, one
  // past the window.
  StatusOr<Tensor> f = eventsToFrames({2, 2, 1, 0}, {1, 1, 1, 0}, {0, 0, 1, 1},
                                      {999, 500, 1000, 5000}, 3, 2, 1e-3, 3);
  ASSERT_TRUE(f) << f.status().message();
  EXPECT_EQ(f->shape, (Shape{3, 2, 2, 3}));
  auto at = [&](int64_t t, int64_t p, int64_t y, int64_t x) {
    return f->data[size_t(((t * 2 + p) * 2 + y) * 3 + x)];
  };
  EXPECT_EQ(at(0, 0, 1, 2), 2.0f);
  EXPECT_EQ(at(1, 1, 1, 1), 1.0f);
  EXPECT_EQ(std::accumulate(f->data.begin(), f->data.end(), 0.0f), 3.0f);
  StatusOr<Tensor> bad =
      eventsToFrames({0, 3}, {0, 0}, {0, 0}, {0, 0}, 3, 2, 1e-3, 3);
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.status().message().find("event 1"), std::string::npos);
  EXPECT_FALSE(eventsToFrames({0}, {0}, {2}, {0}, 3, 2, 1e-3, 3));
  EXPECT_FALSE(eventsToFrames({0}, {0}, {0}, {-1}, 3, 2, 1e-3, 3));
  EXPECT_FALSE(eventsToFrames({0}, {0, 1}, {0}, {0}, 3, 2, 1e-3, 3));
  EXPECT_FALSE(eventsToFrames({0}, {0}, {0}, {0}, 3, 2, 0, 3));
}

TEST_F(IoTest, NmnistOverflowMarkersAndTruncation) {
  // x=1 y=2 ON t=5; overflow marker; x=3 y=4 OFF t=0x010203.
  std::string bytes("\x01\x02\x80\x00\x05"
                    "\x00\xf0\x00\x00\x00"
                    "\x03\x04\x01\x02\x03",
                    15);
  StatusOr<EventStream> ev = readNmnistBin(put("e.bin", bytes));
  ASSERT_TRUE(ev) << ev.status().message();
  EXPECT_EQ(ev->x, (std::vector<int64_t>{1, 3}));
  EXPECT_EQ(ev->y, (std::vector<int64_t>{2, 4}));
  EXPECT_EQ(ev->p, (std::vector<int64_t>{1, 0}));
  EXPECT_EQ(ev->t_us, (std::vector<int64_t>{5, 8192 + 0x010203}));
  EXPECT_EQ(readNmnistBin(put("t.bin", bytes.substr(0, 7))).status().code(),
            StatusCode::kDataLoss);
  EXPECT_EQ(readNmnistBin(path("none.bin")).status().code(),
            StatusCode::kNotFound);
}

TEST(Nmnist, SampleFileBinsIntoFrames) {
  std::string file = corpus("events/tonic_test_data/sample_nmnist.bin");
  if (!fs::exists(file))
    GTEST_SKIP() << "sample absent: looked for " << file;
  StatusOr<EventStream> ev = readNmnistBin(file);
  ASSERT_TRUE(ev) << ev.status().message();
  ASSERT_EQ(ev->x.size(), fs::file_size(file) / 5);
  EXPECT_EQ(ev->x.size(), 4325u);
  for (size_t i = 0; i < ev->x.size(); ++i) {
    ASSERT_TRUE(ev->x[i] >= 0 && ev->x[i] < 34 && ev->y[i] >= 0 &&
                ev->y[i] < 34 && (ev->p[i] == 0 || ev->p[i] == 1))
        << "event " << i;
    if (i) {
      ASSERT_GE(ev->t_us[i], ev->t_us[i - 1]) << "event " << i;
    }
  }
  int64_t steps = ev->t_us.back() / 1000 + 1;
  StatusOr<Tensor> f =
      eventsToFrames(ev->x, ev->y, ev->p, ev->t_us, 34, 34, 1e-3, steps);
  ASSERT_TRUE(f) << f.status().message();
  EXPECT_EQ(f->shape, (Shape{steps, 2, 34, 34}));
  double on = 0, total = 0;
  for (size_t i = 0; i < f->data.size(); ++i) {
    total += f->data[i];
    on += (i / (34 * 34)) % 2 ? f->data[i] : 0;
  }
  EXPECT_EQ(total, 4325);
  EXPECT_EQ(on, double(std::count(ev->p.begin(), ev->p.end(), 1)));
}

TEST(Npz, RefusesWhatIsNotAnArchive) {
  auto missing = snnc::readNpz("/nonexistent/x.npz");
  ASSERT_FALSE(missing.isOk());
  EXPECT_EQ(missing.status().code(), snnc::StatusCode::kNotFound);
  std::string path = ::testing::TempDir() + "/not-an-archive.npz";
  {
    std::ofstream f(path, std::ios::binary);
    f << std::string(100, 'x');
  }
  auto bad = snnc::readNpz(path);
  ASSERT_FALSE(bad.isOk());
  EXPECT_NE(bad.status().message().find("is not a .npz file"),
            std::string::npos)
      << bad.status().message();
}

TEST(Npz, ReadsTheCorpusEventRecording) {
  std::string path = std::string(SNNC_DEFAULT_EXTERNAL_DATA) +
                     "/onnx/nmnist_sample_events.npz";
  if (!std::filesystem::exists(path))
    GTEST_SKIP() << "external data not found: " << path;
  auto members = snnc::readNpz(path);
  ASSERT_TRUE(members.isOk()) << members.status().message();
  ASSERT_EQ(members->size(), 4u);
  for (const char *k : {"x", "y", "p", "t_us"})
    EXPECT_EQ(members->at(k).shape, (std::vector<int64_t>{4325})) << k;
}

// The header as the format specifies it: a newline at its end, the data at a
// multiple of 64 (16 for older NumPy), and exactly the bytes the shape and
// dtype take (docs/hardening.md). An off-by-one header_len would otherwise
// read the data shifted by a byte.
TEST_F(IoTest, NpyHeaderIsCheckedAsSpecified) {
  const std::string f8(kF8, sizeof kF8 - 1);
  const unsigned len = uint8_t(f8[8]) | unsigned(uint8_t(f8[9])) << 8;
  auto withLen = [&](unsigned n) {
    std::string b = f8;
    b[8] = char(n & 0xff);
    b[9] = char(n >> 8);
    return b;
  };
  auto message = [](const std::string &file) {
    StatusOr<Tensor> t = readNpy(file);
    EXPECT_FALSE(t) << file;
    return t ? std::string() : t.status().message();
  };
  for (unsigned n : {len + 1, len - 1}) {
    std::string file = put("len" + std::to_string(n) + ".npy", withLen(n));
    EXPECT_EQ(message(file), "'" + file + "': the .npy header (header_len " +
                                 std::to_string(n) +
                                 ") does not end in a newline; the header_len "
                                 "field is wrong or the header is damaged");
  }
  // A newline at the end, but the data starts at byte 77.
  std::string dict =
      "{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }";
  std::string h = dict + std::string(9, ' ') + "\n";
  std::string bytes = std::string("\x93NUMPY\x01\x00", 8) + char(h.size()) +
                      char(0) + h + std::string(4, '\0');
  std::string file = put("align.npy", bytes);
  EXPECT_EQ(message(file),
            "'" + file + "': header_len " + std::to_string(h.size()) +
                " puts the data at byte " + std::to_string(10 + h.size()) +
                ", which is not a multiple of 64 (or 16, as "
                "older NumPy wrote); the header_len field is "
                "wrong");
  file = put("extra.npy", f8 + "abcd");
  EXPECT_EQ(message(file),
            "'" + file +
                "' holds 52 bytes of data, but shape [2, 3] of <f8 takes 48: 4 "
                "bytes too many (the shape or descr field is wrong, or the "
                "file was appended to)");
  // The untouched file still reads.
  EXPECT_TRUE(readNpy(put("ok.npy", f8)));
}
