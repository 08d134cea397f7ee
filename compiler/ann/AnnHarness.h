//===- AnnHarness.h - Convert an ONNX ANN, run it, score it -----*- C++ -*-===//
//
// What convert-ann-tests and the ann-accuracy benchmark share: the ANN's
// accuracy from the reference evaluator, and the converted network's
// accuracy on the CPU runtime, one sample at a time (reset in between).
// Header-only, since only those two programs link the runtime with the
// compiler; not part of the snnc_ann library's interface.
//
//===----------------------------------------------------------------------===//
#ifndef SNNC_COMPILER_ANN_ANNHARNESS_H
#define SNNC_COMPILER_ANN_ANNHARNESS_H

#include "compiler/ann/ConvertAnn.h"
#include "compiler/lower/Pipeline.h"
#include "compiler/onnx/OnnxImport.h"
#include "dialects/snn/IR/SNNDialect.h"
#include "snnc/runtime/Encoders.h"
#include "snnc/runtime/Session.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"

#include <algorithm>
#include <string>

namespace snnc::ann::harness {

struct Dataset {
  Tensor inputs; ///< [N, ...]
  std::vector<int> labels;
  int64_t count() const { return inputs.shape.empty() ? 0 : inputs.shape[0]; }
  std::vector<int64_t> sampleShape() const {
    return {inputs.shape.begin() + 1, inputs.shape.end()};
  }
  int64_t sampleSize() const { return numElements(sampleShape()); }
};

struct RunConfig {
  ConvertOptions convert;
  int64_t calibrationSamples = 100; ///< the first ones of the data set
  int64_t steps = 32;
  bool fixed = false;
  uint64_t seed = 1; ///< rate encoding
};

/// A converted, compiled network and its port names.
struct Converted {
  std::shared_ptr<const Program> program;
  std::string input, output;
  ConvertReport report;
  std::string error; ///< non-empty on failure
};

inline int argmax(const float *v, int64_t n) {
  return int(std::max_element(v, v + n) - v);
}

/// Accuracy (percent) of the ANN itself through the reference evaluator.
inline double annAccuracy(const std::string &onnx, const Dataset &d,
                          std::string &error) {
  mlir::MLIRContext ctx;
  mlir::ScopedDiagnosticHandler h(&ctx, [&](mlir::Diagnostic &diag) {
    if (diag.getSeverity() == mlir::DiagnosticSeverity::Error)
      error += diag.str() + "\n";
    return mlir::success();
  });
  auto module = importOnnxFile(onnx, &ctx);
  if (!module)
    return -1;
  auto func = *module->getOps<mlir::func::FuncOp>().begin();
  auto argT = llvm::cast<mlir::RankedTensorType>(func.getArgument(0).getType());
  int64_t correct = 0;
  for (int64_t i = 0; i < d.count(); ++i) {
    Array in;
    in.shape.assign(argT.getShape().begin(), argT.getShape().end());
    in.data.assign(d.inputs.data.begin() + i * d.sampleSize(),
                   d.inputs.data.begin() + (i + 1) * d.sampleSize());
    std::vector<Array> out;
    if (failed(evaluate(func, {in}, out)))
      return -1;
    correct +=
        argmax(out[0].data.data(), int64_t(out[0].data.size())) == d.labels[i];
  }
  return 100.0 * double(correct) / double(d.count());
}

inline Converted convert(const std::string &onnx, const Dataset &d,
                         const RunConfig &c) {
  Converted r;
  mlir::MLIRContext ctx;
  mlir::ScopedDiagnosticHandler h(&ctx, [&](mlir::Diagnostic &diag) {
    if (diag.getSeverity() == mlir::DiagnosticSeverity::Error)
      r.error += diag.str() + "\n";
    return mlir::success();
  });
  auto module = importOnnxFile(onnx, &ctx);
  if (!module)
    return r;
  Array calib;
  int64_t n = std::min(c.calibrationSamples, d.count());
  calib.shape = d.inputs.shape;
  calib.shape[0] = n;
  calib.data.assign(d.inputs.data.begin(),
                    d.inputs.data.begin() + n * d.sampleSize());
  if (failed(convertAnn(*module, c.convert, &calib, &r.report)))
    return r;
  module->walk([&](snn::InputOp in) { r.input = in.getName().str(); });
  module->walk([&](snn::OutputOp out) { r.output = out.getName().str(); });
  CompileOptions opts;
  opts.artifact.fixed = c.fixed;
  std::vector<uint8_t> bytes;
  if (failed(compileToArtifact(*module, opts, bytes, nullptr)))
    return r;
  auto program = Program::fromBytes(std::move(bytes), onnx);
  if (!program.isOk()) {
    r.error = program.status().toString();
    return r;
  }
  r.program = program.value();
  return r;
}

/// Accuracy (percent) of a converted network; -1 with `error` set on a
/// runtime failure.
inline double snnAccuracy(const Converted &net, const Dataset &d,
                          const RunConfig &c, std::string &error) {
  auto device = Device::open("cpu");
  if (!device.isOk()) {
    error = device.status().toString();
    return -1;
  }
  auto session = Session::create(device.value(), net.program);
  if (!session.isOk()) {
    error = session.status().toString();
    return -1;
  }
  Session &s = *session.value();
  Status st = s.record(net.output);
  int64_t correct = 0;
  bool membrane = c.convert.readout == "membrane";
  for (int64_t i = 0; st.isOk() && i < d.count(); ++i) {
    s.reset();
    Tensor x(
        d.sampleShape(),
        std::vector<float>(d.inputs.data.begin() + i * d.sampleSize(),
                           d.inputs.data.begin() + (i + 1) * d.sampleSize()));
    if (c.convert.inputEncoding == "rate") {
      auto enc = encodeRate(x, c.steps, c.seed + uint64_t(i));
      if (!enc.isOk()) {
        st = enc.status();
        break;
      }
      x = enc.value();
    }
    if (!(st = s.setInput(net.input, x)).isOk() ||
        !(st = s.run(c.steps)).isOk())
      break;
    int pred;
    if (membrane) {
      auto v = s.state(net.output);
      if (!v.isOk()) {
        st = v.status();
        break;
      }
      int64_t n = v.value().shape.back();
      pred = argmax(v.value().data.data() + (c.steps - 1) * n, n);
    } else {
      auto counts = s.spikeCounts(net.output);
      if (!counts.isOk()) {
        st = counts.status();
        break;
      }
      pred = argmax(counts.value().data.data(), counts.value().size());
    }
    correct += pred == d.labels[i];
  }
  if (!st.isOk()) {
    error = st.toString();
    return -1;
  }
  return 100.0 * double(correct) / double(d.count());
}

} // namespace snnc::ann::harness

#endif // SNNC_COMPILER_ANN_ANNHARNESS_H
