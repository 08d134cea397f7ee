//===- ConformanceTest.cpp - Published NIR results, reproduced
//---------------===//
//
// Compiles the NIR paper's networks with each discretization profile, runs
// them on the CPU backend, and compares with what each platform published
// (../shared/data, or $SNNC_EXTERNAL_DATA; skipped with the path when absent).
//
//===----------------------------------------------------------------------===//
#include "compiler/import/NirImport.h"
#include "compiler/lower/Pipeline.h"
#include "snnc/runtime/Npy.h"
#include "snnc/runtime/Session.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace fs = std::filesystem;
using namespace snnc;

namespace {

fs::path data() {
  const char *env = std::getenv("SNNC_EXTERNAL_DATA");
  return fs::path(env ? env : SNNC_DEFAULT_EXTERNAL_DATA);
}

#define REQUIRE_DATA(path)                                                     \
  if (!fs::exists(path))                                                       \
  GTEST_SKIP() << "external data not found: " << (path)

// Compiles a NIR file to an in-memory artifact and opens a CPU session.
std::unique_ptr<Session> compile(const fs::path &nir, CompileOptions opts,
                                 NirImportOptions imp = {}) {
  mlir::MLIRContext ctx;
  std::string diags;
  mlir::ScopedDiagnosticHandler h(&ctx, [&](mlir::Diagnostic &d) {
    if (d.getSeverity() == mlir::DiagnosticSeverity::Error)
      diags += d.str() + "\n";
    return mlir::success();
  });
  auto module = importNirFile(nir.string(), &ctx, imp);
  EXPECT_TRUE(module) << diags;
  if (!module)
    return nullptr;
  std::vector<uint8_t> bytes;
  bool ok = succeeded(compileToArtifact(*module, opts, bytes, nullptr));
  EXPECT_TRUE(ok) << diags;
  if (!ok)
    return nullptr;
  auto program = Program::fromBytes(std::move(bytes), nir.string());
  EXPECT_TRUE(program.isOk()) << program.status().toString();
  auto device = Device::open("cpu");
  EXPECT_TRUE(device.isOk()) << device.status().toString();
  auto session = Session::create(*device, *program);
  EXPECT_TRUE(session.isOk()) << session.status().toString();
  return session ? std::move(*session) : nullptr;
}

// Column `col` of a numeric CSV.
std::vector<float> csvColumn(const fs::path &p, int col) {
  std::ifstream in(p);
  std::vector<float> out;
  for (std::string line; std::getline(in, line);) {
    std::stringstream ss(line);
    std::string cell;
    for (int c = 0; c <= col && std::getline(ss, cell, ','); ++c)
      if (c == col)
        out.push_back(std::stof(cell));
  }
  return out;
}

std::vector<int64_t> spikeSteps(const SpikeTensor &s) {
  std::vector<int64_t> steps;
  for (int64_t t = 0; t < s.shape[0]; ++t)
    if (s.data[t])
      steps.push_back(t);
  return steps;
}

struct LifCase {
  const char *profile;
  const char *file;  // NIR file under NIR_repo/paper/01_lif
  const char *input; // CSV whose column 0 drives it
  std::vector<int64_t> published;
};

class SingleLif : public ::testing::TestWithParam<LifCase> {};

TEST_P(SingleLif, ReproducesPublishedSpikeSteps) {
  const LifCase &c = GetParam();
  fs::path dir = data() / "nir/NIR_repo/paper/01_lif";
  REQUIRE_DATA(dir / c.file);
  CompileOptions opts;
  opts.dt = 1e-4;
  opts.profile = c.profile;
  auto session = compile(dir / c.file, opts);
  ASSERT_TRUE(session);
  std::vector<float> input = csvColumn(dir / c.input, 0);
  ASSERT_EQ(input.size(), 1000u);
  ASSERT_TRUE(session->setInput("input", Tensor({1000, 1}, input)));
  std::string lif = session->program().populationNames().back();
  ASSERT_TRUE(session->record(lif));
  ASSERT_TRUE(session->run(1000));
  auto spikes = session->spikes(lif);
  ASSERT_TRUE(spikes.isOk()) << spikes.status().toString();
  EXPECT_EQ(spikeSteps(*spikes), c.published) << "profile " << c.profile;
}

INSTANTIATE_TEST_SUITE_P(
    NirPaper, SingleLif,
    ::testing::Values(
        LifCase{
            "exact", "lif_norse.nir", "lif_exact.csv", {460, 510, 710, 760}},
        LifCase{
            "euler", "lif_norse.nir", "lif_exact.csv", {460, 510, 710, 760}},
        LifCase{"snntorch",
                "lif_norse.nir",
                "lif_snntorch.csv",
                {460, 510, 710, 760}},
        LifCase{
            "norse", "lif_norse.nir", "lif_norse.csv", {460, 510, 710, 760}},
        LifCase{"spinnaker2",
                "lif_norse.nir",
                "lif_spinnaker2.csv",
                {460, 510, 710, 760}},
        LifCase{"lava",
                "lif_norse.nir",
                "lif_lava_cpu_float.csv",
                {461, 511, 711, 761}},
        LifCase{
            "sinabs", "lif_norse.nir", "lif_sinabs.csv", {450, 500, 710, 760}},
        LifCase{"rockpool",
                "lif_rockpool.nir",
                "lif_rockpool.csv",
                {450, 500, 710, 760}},
        LifCase{"spyx", "lif_norse.nir", "lif_spyx.csv", {461, 511, 711, 761}}),
    [](const auto &info) {
      std::string name = info.param.profile;
      std::replace(name.begin(), name.end(), '-', '_');
      return name;
    });

struct BrailleRun {
  SpikeTensor lif1;
  int predicted = -1;
};

BrailleRun runBraille(const std::string &model, const std::string &profile,
                      const std::string &reset, bool fixed) {
  fs::path dir = data() / "nir/NIR_repo/paper/03_rnn";
  CompileOptions opts;
  opts.profile = profile;
  opts.reset = reset;
  opts.artifact.fixed = fixed;
  BrailleRun out;
  auto session = compile(dir / ("braille_" + model + ".nir"), opts);
  if (!session)
    return out;
  auto input =
      readNpy((data() / "nir/derived/braille_ds_test0_input.npy").string());
  EXPECT_TRUE(input.isOk());
  EXPECT_TRUE(session->setInput("input", *input));
  EXPECT_TRUE(session->record("lif1.lif"));
  EXPECT_TRUE(session->record("lif2"));
  EXPECT_TRUE(session->run(input->shape[0]));
  out.lif1 = *session->spikes("lif1.lif");
  auto counts = *session->spikeCounts("lif2");
  out.predicted = int(std::max_element(counts.data.begin(), counts.data.end()) -
                      counts.data.begin());
  return out;
}

int64_t mismatches(const SpikeTensor &a, const Tensor &published) {
  int64_t n = 0;
  for (size_t i = 0; i < a.data.size(); ++i)
    n += (a.data[i] != 0) != (published.data[i] != 0);
  return n;
}

struct BrailleCase {
  const char *model; // file stem after "braille_"
  const char *reset;
};

class Braille : public ::testing::TestWithParam<BrailleCase> {};

TEST_P(Braille, SnnTorchProfileMatchesPublishedActivityCellForCell) {
  const BrailleCase &c = GetParam();
  fs::path dir = data() / "nir/NIR_repo/paper/03_rnn";
  REQUIRE_DATA(dir / ("snntorch_activity_" + std::string(c.model) + ".npy"));
  auto published = readNpy(
      (dir / ("snntorch_activity_" + std::string(c.model) + ".npy")).string());
  ASSERT_TRUE(published.isOk());
  BrailleRun r = runBraille(c.model, "snntorch", c.reset, false);
  ASSERT_EQ(r.lif1.data.size(), published->data.size());
  EXPECT_EQ(mismatches(r.lif1, *published), 0);
  EXPECT_EQ(r.predicted, 1); // the sample's label
}

// A published activity as (steps, neurons): lava-dl's file is stored
// (neurons, steps).
Tensor stepMajor(Tensor t, const std::vector<int64_t> &shape) {
  if (t.shape == shape || t.shape.size() != 2 || shape.size() != 2 ||
      t.shape[0] != shape[1] || t.shape[1] != shape[0])
    return t;
  Tensor out(shape, std::vector<float>(t.data.size()));
  for (int64_t i = 0; i < shape[0]; ++i)
    for (int64_t j = 0; j < shape[1]; ++j)
      out.data[size_t(i * shape[1] + j)] = t.data[size_t(j * shape[0] + i)];
  return out;
}

struct PlatformCase {
  const char *platform; // file prefix: <platform>_activity_<model>.npy
  const char *profile;
  const char *reset; // "" for the profile's default
  const char *model;
  int64_t expected;          // mismatching first-layer cells; -1: reported only
  int expectedClass = 1;     // the sample's label; -1: not asserted
  int64_t identicalFrom = 0; // every cell of this step and later matches
};

class Platform : public ::testing::TestWithParam<PlatformCase> {};

// Each platform's published first-layer activity under its own profile.
// Where snnc implements what the platform computed, every cell matches;
// the others are reported (docs/discretization.md §5 explains them).
TEST_P(Platform, ProfileReproducesPublishedActivity) {
  const PlatformCase &c = GetParam();
  fs::path f = data() / "nir/NIR_repo/paper/03_rnn" /
               (std::string(c.platform) + "_activity_" + c.model + ".npy");
  REQUIRE_DATA(f);
  auto pub = readNpy(f.string());
  ASSERT_TRUE(pub.isOk()) << pub.status().toString();
  BrailleRun r = runBraille(c.model, c.profile, c.reset, false);
  Tensor published = stepMajor(*pub, r.lif1.shape);
  ASSERT_EQ(published.shape, r.lif1.shape);
  int64_t n = mismatches(r.lif1, published);
  std::cout << "[braille " << c.model << "] " << c.platform << " (profile "
            << c.profile << (*c.reset ? ", reset " : "") << c.reset
            << "): " << n << " of " << published.data.size()
            << " cells differ, class " << r.predicted << "\n";
  if (c.expected >= 0)
    EXPECT_EQ(n, c.expected);
  if (c.identicalFrom > 0) {
    const int64_t width = r.lif1.shape[1];
    int64_t late = 0;
    for (size_t i = size_t(c.identicalFrom * width); i < r.lif1.data.size();
         ++i)
      late += (r.lif1.data[i] != 0) != (published.data[i] != 0);
    EXPECT_EQ(late, 0) << "mismatches from step " << c.identicalFrom;
  }
  if (c.expectedClass >= 0)
    EXPECT_EQ(r.predicted, c.expectedClass);
}

INSTANTIATE_TEST_SUITE_P(
    NirPaper, Platform,
    ::testing::Values(
        // Norse's notebook always passed reset_value: reset to zero, also
        // for the "subtract" file.
        PlatformCase{"norse", "norse", "", "noDelay_bias_zero", 0},
        PlatformCase{"norse", "norse", "", "noDelay_noBias_subtract", 0},
        PlatformCase{"spyx", "spyx", "", "noDelay_bias_zero", 0},
        PlatformCase{"spyx", "spyx", "", "noDelay_noBias_subtract", 0},
        // Only lava-dl's first layer is published (its accuracy, 0.49, is
        // far below the others'); our run of its second layer predicts 2.
        PlatformCase{"lava", "lava-dl", "", "noDelay_bias_zero", 0, -1},
        // Rockpool's recorded run started from the state its notebook left
        // (docs/discretization.md §5): differences only until step 117.
        PlatformCase{"rockpool", "rockpool", "", "noDelay_noBias_subtract", 32,
                     1, 118},
        PlatformCase{"s2", "spinnaker2", "zero", "noDelay_bias_zero", -1},
        PlatformCase{"s2", "spinnaker2", "subtract", "noDelay_noBias_subtract",
                     -1},
        PlatformCase{"nengo", "exact", "zero", "noDelay_bias_zero", -1},
        PlatformCase{"nengo", "exact", "subtract", "noDelay_noBias_subtract",
                     -1}),
    [](const auto &info) {
      std::string name =
          std::string(info.param.platform) + "_" +
          (std::string(info.param.model).find("zero") != std::string::npos
               ? "zero"
               : "subtract");
      return name;
    });

TEST_P(Braille, FixedModeKeepsThePredictedClass) {
  const BrailleCase &c = GetParam();
  REQUIRE_DATA(data() / "nir/derived/braille_ds_test0_input.npy");
  BrailleRun f = runBraille(c.model, "snntorch", c.reset, false);
  BrailleRun q = runBraille(c.model, "snntorch", c.reset, true);
  ASSERT_EQ(f.lif1.data.size(), q.lif1.data.size());
  EXPECT_EQ(f.predicted, q.predicted);
  int64_t same =
      int64_t(f.lif1.data.size()) -
      mismatches(q.lif1,
                 Tensor(f.lif1.shape, std::vector<float>(f.lif1.data.begin(),
                                                         f.lif1.data.end())));
  std::cout << "[braille " << c.model << "] fixed vs float: " << same << " of "
            << f.lif1.data.size() << " first-layer spike cells agree, class "
            << q.predicted << "\n";
}

INSTANTIATE_TEST_SUITE_P(
    NirPaper, Braille,
    ::testing::Values(BrailleCase{"noDelay_bias_zero", "zero"},
                      BrailleCase{"noDelay_noBias_subtract", "subtract"}),
    [](const auto &info) { return std::string(info.param.reset); });

TEST(OtherGraphs, FeedbackGraphAndRepairedSpyxRun) {
  fs::path fb = data() / "nir/NIRTorch_repo/tests/feedback_graph.nir";
  fs::path spyx = data() / "nir/spyx_repo/research/paper/spyx_shd.nir";
  REQUIRE_DATA(fb);
  CompileOptions opts;
  auto s1 = compile(fb, opts);
  ASSERT_TRUE(s1);
  ASSERT_TRUE(s1->setInput("input", Tensor({3}, {1.0f, 0.5f, 0.25f})));
  ASSERT_TRUE(s1->record("state"));
  ASSERT_TRUE(s1->run(100));
  EXPECT_TRUE(s1->spikes("state").isOk());

  NirImportOptions imp;
  imp.transposeWeights = true;
  auto s2 = compile(spyx, opts, imp);
  ASSERT_TRUE(s2);
  std::vector<float> in(50 * 128);
  for (size_t i = 0; i < in.size(); ++i)
    in[i] = float((i * 7919) % 13 == 0);
  ASSERT_TRUE(s2->setInput("input", Tensor({50, 128}, in)));
  ASSERT_TRUE(s2->record("output"));
  ASSERT_TRUE(s2->run(50));
  auto out = s2->state("output");
  ASSERT_TRUE(out.isOk()) << out.status().toString();
  EXPECT_EQ(out->shape, (std::vector<int64_t>{50, 20}));
}

} // namespace
