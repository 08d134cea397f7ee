//===- Normalize.cpp - Data-based weight normalization and the report -----===//
//
// An IF neuron with threshold 1 and reset by subtraction fires at a rate
// that approximates its ANN activation divided by the layer's scale lambda,
// as long as that ratio stays below 1 (one spike per step). Scaling each
// weighted layer by lambda_prev / lambda and its bias by 1 / lambda keeps
// every layer's rates proportional to the ANN's activations (Rueckauer et
// al. 2017). lambda comes from the positive calibration activations: their
// maximum, or their 99.9th percentile, which gives up a few saturated
// neurons for higher rates elsewhere (the choice of SNN Toolbox).
//
//===----------------------------------------------------------------------===//
#include "compiler/ann/ConvertAnnImpl.h"

#include "mlir/IR/BuiltinTypes.h"
#include "llvm/Support/Format.h"

#include <algorithm>
#include <cmath>

using namespace mlir;

namespace snnc::ann::detail {
namespace {

std::string shapeStr(ArrayRef<int64_t> s) {
  std::string out = "[";
  for (size_t i = 0; i < s.size(); ++i)
    out += (i ? ", " : "") + std::to_string(s[i]);
  return out + "]";
}

double scaleOf(std::vector<float> &pos, const std::string &norm) {
  if (pos.empty())
    return 1;
  if (norm == "max")
    return *std::max_element(pos.begin(), pos.end());
  size_t k = size_t(std::ceil(0.999 * double(pos.size())));
  k = std::min(pos.size() - 1, k == 0 ? 0 : k - 1);
  std::nth_element(pos.begin(), pos.begin() + k, pos.end());
  return pos[k];
}

void rescale(Operation *w, double wScale, double bScale) {
  auto weight = cast<DenseFPElementsAttr>(w->getAttr("weight"));
  auto bias = cast<DenseFPElementsAttr>(w->getAttr("bias"));
  SmallVector<float> wv(weight.getValues<float>()), bv(bias.getValues<float>());
  for (float &x : wv)
    x = float(x * wScale);
  for (float &x : bv)
    x = float(x * bScale);
  w->setAttr("weight",
             DenseElementsAttr::get(weight.getType(), ArrayRef<float>(wv)));
  w->setAttr("bias",
             DenseElementsAttr::get(bias.getType(), ArrayRef<float>(bv)));
}

} // namespace

LogicalResult normalize(Structure &s, const ConvertOptions &o,
                        const Array *calibration, ConvertReport &r) {
  r.norm = o.norm;
  r.readout = o.readout;
  r.inputEncoding = o.inputEncoding;
  r.qcfs = o.qcfs;
  r.timesteps = o.timesteps;
  r.warnings = s.warnings;
  size_t L = s.layers.size();
  std::vector<std::vector<float>> pos(L);
  std::vector<double> total(L, 0);
  std::vector<double> inputRate(1, 0);
  int64_t inputAbove = 0, inputNegative = 0;

  if (calibration) {
    auto argT = cast<RankedTensorType>(s.func.getArgument(0).getType());
    ArrayRef<int64_t> want = argT.getShape().drop_front();
    const std::vector<int64_t> &got = calibration->shape;
    if (got.size() != want.size() + 1 ||
        !std::equal(want.begin(), want.end(), got.begin() + 1))
      return s.func.emitError()
             << "calibration data has shape " << shapeStr(got)
             << "; expected [N, " << shapeStr(want).substr(1)
             << " (N samples of input '" << s.layers[0].name << "')";
    if (got[0] == 0)
      return s.func.emitError()
             << "the calibration set is empty (shape " << shapeStr(got)
             << "); give at least one sample";
    int64_t n = std::min(got[0], std::max<int64_t>(1, o.maxCalibrationSamples));
    int64_t per = argT.getNumElements();
    r.calibrationSamples = n;
    for (int64_t i = 0; i < n; ++i) {
      Array in;
      in.shape.assign(argT.getShape().begin(), argT.getShape().end());
      in.data.assign(calibration->data.begin() + i * per,
                     calibration->data.begin() + (i + 1) * per);
      std::vector<Array> outs;
      llvm::DenseMap<Value, Array> trace;
      if (failed(evaluate(s.func, {in}, outs, &trace)))
        return s.func.emitError()
               << "calibration: evaluating the ANN on sample " << i
               << " failed";
      for (size_t l = 0; l < L; ++l) {
        const std::vector<float> *v = &in.data;
        if (l > 0) {
          auto it = trace.find(s.layers[l].annValue);
          if (it == trace.end())
            return s.func.emitError() << "calibration: the evaluator gave no "
                                         "value for layer '"
                                      << s.layers[l].name << "'";
          v = &it->second.data;
        }
        total[l] += double(v->size());
        for (float x : *v) {
          if (x > 0)
            pos[l].push_back(x);
          if (l == 0) {
            inputRate[0] += std::clamp(double(x), 0.0, 1.0);
            inputAbove += x > 1;
            inputNegative += x < 0;
          }
        }
      }
    }
  } else {
    r.warnings.push_back(
        "no calibration data: every layer keeps lambda = 1 (no "
        "normalization); activations above 1 per step saturate. Give "
        "--calibration FILE.npy");
  }

  std::vector<double> lambda(L, 1.0);
  r.layers.assign(L, LayerReport());
  for (size_t l = 0; l < L; ++l) {
    Layer &ly = s.layers[l];
    LayerReport &lr = r.layers[l];
    lr.name = ly.name;
    lr.kind = ly.kind;
    lr.neurons = ly.neurons;
    lr.note = ly.note;
    if (l == 0) {
      // Currents and rate-coded spikes both present the input at scale 1.
      if (total[0] > 0) {
        lr.meanRate = o.inputEncoding == "rate" ? inputRate[0] / total[0] : 1;
        // Currents are presented exactly; only spike probabilities clip.
        if (o.inputEncoding == "rate" && !pos[0].empty())
          lr.clippedFraction = double(inputAbove) / double(pos[0].size());
      }
      if (o.inputEncoding == "rate") {
        lr.note = "rate-coded: spike probability = value clipped to [0, 1]";
        if (inputAbove || inputNegative)
          r.warnings.push_back("rate encoding clips " +
                               std::to_string(inputAbove) +
                               " calibration input values above 1 and " +
                               std::to_string(inputNegative) + " below 0");
      } else {
        lr.note = "currents: the input values every step (dense)";
      }
      continue;
    }
    std::vector<float> &p = pos[l];
    size_t nonzero = p.size();
    if (calibration) {
      lambda[l] = scaleOf(p, o.norm);
      if (p.empty())
        r.warnings.push_back("layer '" + ly.name +
                             "' is never active on the calibration data; "
                             "lambda = 1");
    }
    lr.lambda = lambda[l];
    if (nonzero) {
      size_t above = 0;
      double rate = 0;
      for (float x : p) {
        above += x > lambda[l];
        rate += std::min(1.0, x / lambda[l]);
      }
      lr.clippedFraction = double(above) / double(nonzero);
      lr.meanRate = rate / total[l];
    }
  }
  for (size_t l = 1; l < L; ++l)
    for (Operation *w : s.layers[l].weighted) {
      rescale(w, lambda[s.layers[l].src] / lambda[l], 1.0 / lambda[l]);
      r.layers[s.layers[l].src].synapses += synapseCount(w);
    }
  for (LayerReport &lr : r.layers) {
    lr.synOps = calibration
                    ? lr.meanRate * double(lr.synapses) * double(o.timesteps)
                    : 0;
    r.synOps += lr.synOps;
  }
  return success();
}

} // namespace snnc::ann::detail

namespace snnc::ann {

void printReport(const ConvertReport &r, llvm::raw_ostream &os) {
  os << "ANN-to-SNN conversion: IF neurons, reset by subtraction, threshold "
        "1"
     << (r.qcfs ? ", initial membrane 0.5 (QCFS)" : "") << "\n"
     << "  normalization: " << r.norm << " of the non-zero activations over "
     << r.calibrationSamples << " calibration samples\n"
     << "  readout: " << r.readout << ", input encoding: " << r.inputEncoding
     << ", timesteps assumed: " << r.timesteps << "\n";
  os << llvm::format("  %-24s %-10s %8s %10s %9s %9s %12s %14s\n",
                     (const char *)"layer", (const char *)"kind",
                     (const char *)"neurons", (const char *)"lambda",
                     (const char *)"clipped", (const char *)"rate",
                     (const char *)"synapses", (const char *)"synops/inf");
  for (const LayerReport &l : r.layers) {
    os << llvm::format("  %-24s %-10s %8lld %10.4g %8.3f%% %9.4f %12lld "
                       "%14.4g",
                       l.name.c_str(), l.kind.c_str(), (long long)l.neurons,
                       l.lambda, 100 * l.clippedFraction, l.meanRate,
                       (long long)l.synapses, l.synOps);
    if (!l.note.empty())
      os << "  (" << l.note << ")";
    os << "\n";
  }
  if (r.calibrationSamples)
    os << llvm::format("  estimated synaptic operations per inference "
                       "(T = %lld): %.4g\n",
                       (long long)r.timesteps, r.synOps);
  else
    os << "  estimated synaptic operations: n/a without calibration data\n";
  for (const std::string &w : r.warnings)
    os << "  warning: " << w << "\n";
}

} // namespace snnc::ann
