//===- AnnAccuracy.cpp - Accuracy of converted ANNs against the ANNs ------===//
//
// ann-accuracy [DATA_DIR] [--norm max|p99.9] [--qcfs] [--encoding rate]
//              [--calibration N]
// Converts each corpus ANN (DATA_DIR, default ../shared/data/onnx), runs
// the spiking network on the CPU backend for T in {4, 8, 16, 32, 64}, in
// float and fixed mode, with membrane and spike-count readout, and prints
// the accuracy next to the ANN's on the same test vectors. The table in
// docs/ann-conversion.md comes from here.
//
//===----------------------------------------------------------------------===//
#include "compiler/ann/AnnHarness.h"
#include "snnc/runtime/Npy.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>

using namespace snnc;
using namespace snnc::ann::harness;
namespace fs = std::filesystem;

namespace {

struct Model {
  const char *onnx, *inputs, *labels;
};

bool loadDataset(const fs::path &dir, const Model &m, Dataset &d) {
  auto x = readNpy((dir / m.inputs).string());
  auto y = readNpy((dir / m.labels).string());
  if (!x.isOk() || !y.isOk()) {
    std::fprintf(stderr, "ann-accuracy: %s\n",
                 (!x.isOk() ? x.status() : y.status()).toString().c_str());
    return false;
  }
  d.inputs = x.value();
  for (float l : y.value().data)
    d.labels.push_back(int(l));
  return true;
}

} // namespace

int main(int argc, char **argv) {
  const char *env = std::getenv("SNNC_EXTERNAL_DATA");
  fs::path dir = fs::path(env ? env : SNNC_DEFAULT_EXTERNAL_DATA) / "onnx";
  RunConfig base;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--norm" && i + 1 < argc)
      base.convert.norm = argv[++i];
    else if (a == "--qcfs")
      base.convert.qcfs = true;
    else if (a == "--encoding" && i + 1 < argc)
      base.convert.inputEncoding = argv[++i];
    else if (a == "--calibration" && i + 1 < argc)
      base.calibrationSamples = std::atoll(argv[++i]);
    else if (a.rfind("--", 0) == 0) {
      std::fprintf(stderr, "ann-accuracy: unknown option %s\n", a.c_str());
      return 2;
    } else
      dir = a;
  }
  const Model models[] = {
      {"digits_mlp.onnx", "digits_mlp_test_inputs.npy",
       "digits_test_labels.npy"},
      {"digits_cnn.onnx", "digits_cnn_test_inputs.npy",
       "digits_test_labels.npy"},
      {"mnist_mlp.onnx", "mnist_test200_inputs.npy",
       "mnist_test200_labels.npy"},
      {"mnist_mlp_nobias.onnx", "mnist_test200_inputs.npy",
       "mnist_test200_labels.npy"},
  };
  std::printf("norm %s, qcfs %s, input encoding %s, calibration: first %lld "
              "test inputs\n\n",
              base.convert.norm.c_str(), base.convert.qcfs ? "on" : "off",
              base.convert.inputEncoding.c_str(),
              (long long)base.calibrationSamples);
  std::printf("| model | ANN %% | T | mode | membrane %% | diff | count %% | "
              "diff |\n|---|---|---|---|---|---|---|---|\n");
  int status = 0;
  for (const Model &m : models) {
    Dataset d;
    fs::path onnx = dir / m.onnx;
    if (!fs::exists(onnx) || !loadDataset(dir, m, d)) {
      std::fprintf(stderr, "ann-accuracy: %s: missing model or data\n",
                   onnx.string().c_str());
      status = 1;
      continue;
    }
    std::string err;
    double ann = annAccuracy(onnx.string(), d, err);
    if (ann < 0) {
      std::fprintf(stderr, "ann-accuracy: %s: %s\n", m.onnx, err.c_str());
      status = 1;
      continue;
    }
    for (bool fixed : {false, true}) {
      Converted nets[2];
      const char *readouts[2] = {"membrane", "count"};
      for (int r = 0; r < 2; ++r) {
        RunConfig c = base;
        c.fixed = fixed;
        c.convert.readout = readouts[r];
        nets[r] = convert(onnx.string(), d, c);
      }
      for (int64_t T : {4, 8, 16, 32, 64}) {
        double acc[2];
        for (int r = 0; r < 2; ++r) {
          RunConfig c = base;
          c.fixed = fixed;
          c.steps = T;
          c.convert.readout = readouts[r];
          std::string e = nets[r].error;
          acc[r] = nets[r].program ? snnAccuracy(nets[r], d, c, e) : -1;
          if (acc[r] < 0) {
            std::fprintf(stderr, "ann-accuracy: %s: %s\n", m.onnx, e.c_str());
            status = 1;
          }
        }
        std::printf("| %s | %.2f | %lld | %s | %.2f | %+.2f | %.2f | %+.2f |\n",
                    m.onnx, ann, (long long)T, fixed ? "fixed" : "float",
                    acc[0], acc[0] - ann, acc[1], acc[1] - ann);
        std::fflush(stdout);
      }
    }
  }
  return status;
}
