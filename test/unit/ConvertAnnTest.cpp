//===- ConvertAnnTest.cpp - ANN-to-SNN conversion on the ONNX corpus ------===//
//
// The accuracy floors users were promised (against the ANN on the same
// test vectors, CPU backend), the structure of the converted N-MNIST CNNs
// against the published sinabs NIR graph, and the calibration errors.
// Skips when the external corpus is absent.
//
//===----------------------------------------------------------------------===//
#include "compiler/ann/AnnHarness.h"
#include "compiler/import/NirImport.h"
#include "snnc/runtime/Encoders.h"
#include "snnc/runtime/Npy.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>

using namespace snnc;
using namespace snnc::ann::harness;
namespace fs = std::filesystem;

namespace {

fs::path data() {
  const char *env = std::getenv("SNNC_EXTERNAL_DATA");
  return fs::path(env ? env : SNNC_DEFAULT_EXTERNAL_DATA);
}

#define REQUIRE_DATA(path)                                                     \
  if (!fs::exists(path))                                                       \
  GTEST_SKIP() << "external data not found: " << (path)

Dataset load(const std::string &inputs, const std::string &labels) {
  Dataset d;
  auto x = readNpy((data() / "onnx" / inputs).string());
  auto y = readNpy((data() / "onnx" / labels).string());
  EXPECT_TRUE(x.isOk() && y.isOk());
  if (x.isOk() && y.isOk()) {
    d.inputs = x.value();
    for (float l : y.value().data)
      d.labels.push_back(int(l));
  }
  return d;
}

struct Floor {
  const char *model, *inputs, *labels;
  int64_t membraneSteps;
  double membraneFloor; ///< allowed loss in points at membraneSteps
  double countFloor;    ///< allowed loss in points at T = 32
};

// Test names from ctest show the model, not the struct's bytes.
void PrintTo(const Floor &f, std::ostream *os) { *os << f.model; }

class Floors : public testing::TestWithParam<std::tuple<Floor, bool>> {};

// The settings docs/ann-conversion.md names for the floors: max
// normalization, half-threshold initial membrane, calibration on the first
// 100 test inputs.
TEST_P(Floors, WithinThePromisedPointsOfTheAnn) {
  auto [f, fixed] = GetParam();
  fs::path onnx = data() / "onnx" / f.model;
  REQUIRE_DATA(onnx);
  Dataset d = load(f.inputs, f.labels);
  ASSERT_GT(d.count(), 0);
  std::string err;
  double ann = annAccuracy(onnx.string(), d, err);
  ASSERT_GE(ann, 0) << err;
  for (const char *readout : {"membrane", "count"}) {
    RunConfig c;
    c.convert.norm = "max";
    c.convert.qcfs = true;
    c.convert.readout = readout;
    c.fixed = fixed;
    c.steps = std::string(readout) == "membrane" ? f.membraneSteps : 32;
    Converted net = convert(onnx.string(), d, c);
    ASSERT_TRUE(net.program) << net.error;
    double snn = snnAccuracy(net, d, c, err);
    ASSERT_GE(snn, 0) << err;
    double floor =
        std::string(readout) == "membrane" ? f.membraneFloor : f.countFloor;
    EXPECT_GE(snn, ann - floor - 1e-9)
        << f.model << " " << readout << " T=" << c.steps
        << (fixed ? " fixed" : " float") << ": SNN " << snn << "% vs ANN "
        << ann << "%";
  }
}

const Floor kFloors[] = {
    {"digits_mlp.onnx", "digits_mlp_test_inputs.npy", "digits_test_labels.npy",
     16, 0.5, 1.0},
    {"digits_cnn.onnx", "digits_cnn_test_inputs.npy", "digits_test_labels.npy",
     16, 0.5, 1.0},
    {"mnist_mlp.onnx", "mnist_test200_inputs.npy", "mnist_test200_labels.npy",
     32, 1.0, 1.0},
    {"mnist_mlp_nobias.onnx", "mnist_test200_inputs.npy",
     "mnist_test200_labels.npy", 32, 1.0, 1.0},
};

INSTANTIATE_TEST_SUITE_P(
    Corpus, Floors,
    testing::Combine(testing::ValuesIn(kFloors), testing::Bool()),
    [](const testing::TestParamInfo<Floors::ParamType> &i) {
      std::string n = std::get<0>(i.param).model;
      n = n.substr(0, n.find('.'));
      return n + (std::get<1>(i.param) ? "_fixed" : "_float");
    });

// One step of the feed-forward chain from the input: kind, output shape
// and the weight (if any).
struct Step {
  std::string kind;
  std::vector<int64_t> shape;
  std::vector<float> weight;
};

std::vector<Step> chain(mlir::ModuleOp m) {
  std::vector<Step> out;
  mlir::Value v;
  m.walk([&](snn::InputOp in) { v = in.getResult(); });
  while (v) {
    mlir::Operation *next = nullptr;
    for (mlir::Operation *u : v.getUsers())
      if (!isa<snn::OutputOp>(u))
        next = u;
    if (!next)
      break;
    Step s;
    s.kind = next->getName().getStringRef().str();
    if (auto n = dyn_cast<snn::DiscreteNeuronOp>(next))
      s.kind = "snn." + n.getKind().str();
    auto t = llvm::cast<mlir::RankedTensorType>(next->getResult(0).getType());
    s.shape.assign(t.getShape().begin(), t.getShape().end());
    if (auto w = next->getAttrOfType<mlir::DenseFPElementsAttr>("weight"))
      for (llvm::APFloat x : w.getValues<llvm::APFloat>())
        s.weight.push_back(float(x.convertToDouble()));
    out.push_back(s);
    v = next->getResult(0);
  }
  return out;
}

class NmnistStructure : public testing::TestWithParam<const char *> {};

TEST_P(NmnistStructure, EqualsTheSinabsGraphUpToPerLayerScale) {
  fs::path onnx = data() / "onnx" / GetParam();
  fs::path nir = data() / "nir/NIR_repo/paper/02_cnn/cnn_sinabs.nir";
  REQUIRE_DATA(onnx);
  REQUIRE_DATA(nir);
  mlir::MLIRContext ctx;
  std::string diags;
  mlir::ScopedDiagnosticHandler h(&ctx, [&](mlir::Diagnostic &d) {
    diags += d.str() + "\n";
    return mlir::success();
  });
  auto ref = importNirFile(nir.string(), &ctx, NirImportOptions{});
  auto conv = importOnnxFile(onnx.string(), &ctx);
  ASSERT_TRUE(ref && conv) << diags;
  ann::ConvertOptions o;
  o.readout = "count";
  ann::ConvertReport rep;
  ASSERT_TRUE(succeeded(ann::convertAnn(*conv, o, nullptr, &rep))) << diags;
  std::vector<Step> a = chain(*conv), b = chain(*ref);
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    SCOPED_TRACE("layer " + std::to_string(i) + " " + b[i].kind);
    EXPECT_EQ(a[i].kind, b[i].kind);
    EXPECT_EQ(a[i].shape, b[i].shape);
    ASSERT_EQ(a[i].weight.size(), b[i].weight.size());
    if (a[i].weight.empty())
      continue;
    double ab = 0, bb = 0, aa = 0;
    for (size_t k = 0; k < a[i].weight.size(); ++k) {
      ab += double(a[i].weight[k]) * b[i].weight[k];
      bb += double(b[i].weight[k]) * b[i].weight[k];
      aa += double(a[i].weight[k]) * a[i].weight[k];
    }
    double r = ab / bb, err = 0;
    for (size_t k = 0; k < a[i].weight.size(); ++k)
      err = std::max(err, std::abs(a[i].weight[k] - r * b[i].weight[k]));
    EXPECT_GT(r, 0);
    EXPECT_LE(err, 1e-4 * std::sqrt(aa / double(a[i].weight.size())) + 1e-6);
  }
}

INSTANTIATE_TEST_SUITE_P(Corpus, NmnistStructure,
                         testing::Values("nmnist_cnn_avgx4.onnx",
                                         "nmnist_cnn_lppool.onnx"),
                         [](const testing::TestParamInfo<const char *> &i) {
                           std::string n = i.param;
                           return n.substr(6, n.find('.') - 6);
                         });

// Calibration arrays of the wrong shape or with no samples are refused
// with a message, not a crash.
// The N-MNIST recording, as address events through the event-stream
// encoder (1 ms bins), drives the converted CNN to the class the ANN gives
// its summed frames (4, see TosaEvalTest's CorpusNmnist tests).
TEST(NmnistEvents, RecordingRunsThroughTheConvertedCnn) {
  fs::path dir = data() / "onnx";
  if (!fs::exists(dir / "nmnist_sample_events.npz"))
    GTEST_SKIP() << "external data not found: " << dir;
  auto frames = readNpz((dir / "nmnist_sample_frames_1ms.npz").string());
  ASSERT_TRUE(frames.isOk()) << frames.status().message();
  auto events = readNpz((dir / "nmnist_sample_events.npz").string());
  ASSERT_TRUE(events.isOk()) << events.status().message();
  ASSERT_EQ(events->size(), 4u);
  auto column = [&](const char *k) {
    const Tensor &t = events->at(k);
    return std::vector<int64_t>(t.data.begin(), t.data.end());
  };
  std::vector<int64_t> x = column("x"), y = column("y"), p = column("p"),
                       t = column("t_us");
  ASSERT_EQ(x.size(), 4325u);
  int64_t steps = frames->at("frames").shape[0];
  auto input = eventsToFrames(x, y, p, t, 34, 34, 1e-3, steps);
  ASSERT_TRUE(input.isOk()) << input.status().message();
  ASSERT_EQ(input->shape, (std::vector<int64_t>{steps, 2, 34, 34}));

  // Calibrate on the recording's own 1 ms frames.
  Dataset d;
  d.inputs = frames->at("frames");
  d.labels.assign(size_t(d.count()), 0);
  RunConfig c;
  c.convert.norm = "max";
  c.convert.qcfs = true;
  c.calibrationSamples = d.count();
  Converted net = convert((dir / "nmnist_cnn_avgx4.onnx").string(), d, c);
  ASSERT_TRUE(net.error.empty()) << net.error;
  auto device = Device::open("cpu");
  ASSERT_TRUE(device.isOk());
  auto session = Session::create(*device, net.program);
  ASSERT_TRUE(session.isOk()) << session.status().message();
  Session &s = **session;
  ASSERT_TRUE(s.setInput(net.input, *input));
  ASSERT_TRUE(s.record(net.output));
  ASSERT_TRUE(s.run(steps));
  auto out = s.state(net.output);
  ASSERT_TRUE(out.isOk()) << out.status().message();
  int64_t n = out->shape[1];
  EXPECT_EQ(argmax(out->data.data() + (steps - 1) * n, n), 4);
  EXPECT_GT(s.stats().spikes, 0);
}

TEST(ConvertAnnErrors, CalibrationShapeAndEmptySet) {
  fs::path onnx = data() / "onnx/digits_mlp.onnx";
  REQUIRE_DATA(onnx);
  for (auto shape : {std::vector<int64_t>{3, 65}, std::vector<int64_t>{0, 64},
                     std::vector<int64_t>{64}}) {
    mlir::MLIRContext ctx;
    std::string diags;
    mlir::ScopedDiagnosticHandler h(&ctx, [&](mlir::Diagnostic &d) {
      diags += d.str() + "\n";
      return mlir::success();
    });
    auto m = importOnnxFile(onnx.string(), &ctx);
    ASSERT_TRUE(m);
    ann::Array calib;
    calib.shape = shape;
    calib.data.assign(size_t(numElements(shape)), 0.5f);
    EXPECT_TRUE(failed(ann::convertAnn(*m, {}, &calib)));
    EXPECT_NE(diags.find(shape[0] == 0 ? "calibration set is empty"
                                       : "calibration data has shape"),
              std::string::npos)
        << diags;
  }
}

} // namespace
