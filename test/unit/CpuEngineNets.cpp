//===- CpuEngineNets.cpp - Artifacts for the CPU engine's tests -----------===//
#include "CpuEngineNets.h"

#include "CpuDriver.h"
#include "snnc/runtime/ArtifactSeal.h"

#include "FixedPoint.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

namespace snnc::cputest {

namespace fxp = snnc::fixedpoint;

namespace {

template <typename T>
flatbuffers::Offset<flatbuffers::Vector<T>>
vec(flatbuffers::FlatBufferBuilder &b, const std::vector<T> &v) {
  if (v.empty())
    return 0;
  return b.CreateVector(v);
}

} // namespace

std::shared_ptr<const snnc::Program> build(const NetDef &net) {
  flatbuffers::FlatBufferBuilder b;
  const bool fixed = net.mode == sb::NumericMode::Fixed;
  std::vector<flatbuffers::Offset<sb::Population>> pops;
  std::vector<flatbuffers::Offset<sb::Port>> inputs;
  for (uint32_t i = 0; i < net.pops.size(); ++i) {
    const PopDef &p = net.pops[i];
    flatbuffers::Offset<sb::FixedNeuron> fx = 0;
    if (fixed)
      fx = sb::CreateFixedNeuron(b, p.stateBits, p.fracBits, vec(b, p.decayU),
                                 vec(b, p.decayV), vec(b, p.uBias),
                                 vec(b, p.vBias), vec(b, p.fThreshold),
                                 vec(b, p.fReset), vec(b, p.fInit));
    pops.push_back(sb::CreatePopulation(
        b, b.CreateString(p.name), p.kind, b.CreateVector(p.shape), p.size(),
        vec(b, p.alpha), vec(b, p.beta), vec(b, p.gainSyn), vec(b, p.gainMem),
        vec(b, p.gainDirect), vec(b, p.leak), vec(b, p.bias),
        vec(b, p.vThreshold), vec(b, p.vReset), vec(b, p.vInit), fx));
    if (p.kind == NeuronKind::Source)
      inputs.push_back(sb::CreatePort(b, b.CreateString("in_" + p.name), i,
                                      b.CreateVector(p.shape)));
  }
  std::vector<flatbuffers::Offset<sb::Projection>> projs;
  for (const ProjDef &p : net.projs) {
    flatbuffers::Offset<void> conn;
    switch (p.type) {
    case sb::Connectivity::Dense:
      conn = sb::CreateDense(b, b.CreateVector(p.weights)).Union();
      break;
    case sb::Connectivity::Sparse:
      conn =
          sb::CreateSparse(b, b.CreateVector(p.rowStart),
                           b.CreateVector(p.targets), b.CreateVector(p.weights))
              .Union();
      break;
    case sb::Connectivity::Conv:
      conn = sb::CreateConv(
                 b, b.CreateVector(p.inShape), b.CreateVector(p.outShape),
                 b.CreateVector(p.weights), b.CreateVector(p.kernelShape),
                 b.CreateVector(p.stride), b.CreateVector(p.padding),
                 b.CreateVector(p.dilation), p.groups)
                 .Union();
      break;
    default:
      conn = sb::CreatePool(
                 b, b.CreateVector(p.inShape), b.CreateVector(p.outShape),
                 b.CreateVector(p.kernelShape), b.CreateVector(p.stride),
                 b.CreateVector(p.padding), p.scale)
                 .Union();
      break;
    }
    flatbuffers::Offset<sb::FixedWeights> fw = 0;
    if (fixed)
      fw = sb::CreateFixedWeights(b, 8, p.exponent, vec(b, p.mantissas));
    projs.push_back(sb::CreateProjection(b, b.CreateString("proj"), p.source,
                                         p.target, p.type, conn,
                                         vec(b, p.delays), p.recurrent, fw));
  }
  auto disc =
      sb::CreateDiscretization(b, b.CreateString("test"), 1e-3, net.reset,
                               net.timing, net.comparison, net.order);
  auto root = sb::CreateProgram(
      b, snnc::kSnnbSchemaVersion, b.CreateString("cpu-engine-tests"),
      b.CreateString("net"), net.mode, disc, b.CreateVector(pops),
      b.CreateVector(projs), b.CreateVector(inputs),
      b.CreateVector(std::vector<flatbuffers::Offset<sb::Port>>{}));
  sb::FinishProgramBuffer(b, root);
  auto program = snnc::Program::fromBytes(
      snnc::sealedCopy(b.GetBufferPointer(), b.GetSize()));
  EXPECT_TRUE(program.isOk()) << program.status().toString();
  return program.isOk() ? program.value() : nullptr;
}

std::unique_ptr<snnc::Engine> instantiate(const snnc::Program &program,
                                          int threads) {
  auto driver = snnc::makeCpuDriver();
  auto engine = driver->instantiate(program, snnc::DeviceOptions{threads});
  EXPECT_TRUE(engine.isOk()) << engine.status().toString();
  return engine.isOk() ? std::move(engine).value() : nullptr;
}

PopDef pop(NeuronKind kind, uint32_t n, std::vector<float> beta,
           std::vector<float> th, std::vector<float> bias) {
  PopDef p;
  p.kind = kind;
  p.shape = {int64_t(n)};
  p.beta = std::move(beta);
  p.vThreshold = std::move(th);
  p.bias = std::move(bias);
  return p;
}

ProjDef dense(uint32_t from, uint32_t to, std::vector<float> w) {
  ProjDef p;
  p.source = from;
  p.target = to;
  p.weights = std::move(w);
  return p;
}

std::vector<int> spikeSteps(snnc::Engine &e, uint32_t population,
                            uint32_t neuron, int steps,
                            const std::function<void(int)> &drive) {
  std::vector<int> out;
  for (int t = 0; t < steps; ++t) {
    if (drive)
      drive(t);
    e.step();
    if (e.spikes(population)[neuron])
      out.push_back(t);
  }
  return out;
}

float state(const snnc::Engine &e, uint32_t population, uint32_t neuron,
            uint32_t size) {
  std::vector<float> v(size);
  e.readState(population, v.data());
  return v[neuron];
}

// --- A random network exercising every kind, connectivity and delay --------

/// Population sizes grow with `scale`; weights and parameters are random
/// but keep the network active. Both float and fixed fields are filled; the
/// builder writes the fixed ones in fixed mode only.
NetDef randomNet(sb::NumericMode mode, int scale, uint32_t seed) {
  std::mt19937 rng(seed);
  auto uni = [&](int lo, int hi) {
    return std::uniform_int_distribution<int>(lo, hi)(rng);
  };
  const int k = scale;
  NetDef net;
  net.mode = mode;
  auto make = [&](NeuronKind kind, std::vector<int64_t> shape, bool shared,
                  uint8_t bits, uint8_t frac) {
    PopDef p;
    p.kind = kind;
    p.shape = std::move(shape);
    p.stateBits = bits;
    p.fracBits = frac;
    const uint32_t n = shared ? 1 : p.size();
    const int one = 1 << frac;
    for (uint32_t i = 0; i < n; ++i) {
      p.alpha.push_back(uni(0, 8) / 8.0f);
      p.beta.push_back(uni(4, 8) / 8.0f);
      p.gainSyn.push_back(uni(2, 4) / 4.0f);
      p.gainMem.push_back(uni(2, 4) / 4.0f);
      p.leak.push_back(uni(-2, 2) / 64.0f);
      p.bias.push_back(uni(-4, 4) / 64.0f);
      p.vThreshold.push_back(uni(3, 8) / 4.0f);
      p.vReset.push_back(uni(-2, 0) / 8.0f);
      p.vInit.push_back(uni(-4, 4) / 8.0f);
      p.decayU.push_back(uint16_t(uni(0, 4096)));
      p.decayV.push_back(uint16_t(uni(0, 2048)));
      p.uBias.push_back(uni(-one / 8, one / 8));
      p.vBias.push_back(uni(-one / 16, one / 16));
      p.fThreshold.push_back(uni(one / 2, 2 * one));
      p.fReset.push_back(uni(-one / 4, 0));
      p.fInit.push_back(uni(-one / 2, one / 2));
    }
    return net.add(std::move(p));
  };
  auto weights = [&](ProjDef &p, size_t n) {
    for (size_t i = 0; i < n; ++i) {
      int m = uni(-127, 127);
      p.mantissas.push_back(int16_t(m));
      p.weights.push_back(m / 64.0f);
    }
    p.exponent = uint8_t(uni(0, 3));
  };
  auto denseProj = [&](uint32_t from, uint32_t to) -> ProjDef & {
    ProjDef p = dense(from, to, {});
    weights(p, size_t(net.pops[from].size()) * net.pops[to].size());
    return net.connect(std::move(p));
  };
  auto sparseProj = [&](uint32_t from, uint32_t to, int percent) -> ProjDef & {
    ProjDef p;
    p.source = from;
    p.target = to;
    p.type = sb::Connectivity::Sparse;
    p.rowStart.push_back(0);
    for (uint32_t j = 0; j < net.pops[from].size(); ++j) {
      for (uint32_t i = 0; i < net.pops[to].size(); ++i)
        if (uni(0, 99) < percent)
          p.targets.push_back(i);
      p.rowStart.push_back(uint32_t(p.targets.size()));
    }
    weights(p, p.targets.size());
    return net.connect(std::move(p));
  };
  auto perSourceDelays = [&](ProjDef &p, int maxDelay) {
    for (uint32_t j = 0; j < net.pops[p.source].size(); ++j)
      p.delays.push_back(uint32_t(uni(0, maxDelay)));
  };

  const uint32_t src = make(NeuronKind::Source, {6 * k}, true, 16, 6);
  const uint32_t lif = make(NeuronKind::LIF, {2, 3 * k, 3}, false, 20, 8);
  const uint32_t cuba = make(NeuronKind::CubaLIF, {12 * k}, true, 12, 6);
  const uint32_t relay = make(NeuronKind::Relay, {2, 3 * k, 3}, false, 18, 8);
  const uint32_t li = make(NeuronKind::LI, {2, 3 * k - 1, 2}, true, 24, 8);
  const uint32_t thr = make(NeuronKind::Threshold, {5 * k}, false, 10, 4);
  const uint32_t cubaLi = make(NeuronKind::CubaLI, {4 * k}, false, 16, 6);
  const uint32_t ifPop = make(NeuronKind::IF, {3, 3 * k - 2, 4}, true, 16, 6);
  const uint32_t integ = make(NeuronKind::Integrator, {4}, true, 32, 8);

  denseProj(src, lif);
  perSourceDelays(sparseProj(lif, cuba, 30), 3);
  ProjDef &back = denseProj(cuba, lif);
  back.recurrent = true;
  back.delays = {1};
  denseProj(src, relay);
  ProjDef pool;
  pool.source = relay;
  pool.target = li;
  pool.type = sb::Connectivity::Pool;
  pool.inShape = net.pops[relay].shape;
  pool.outShape = net.pops[li].shape;
  pool.kernelShape = {2, 2};
  pool.scale = 0.25f;
  pool.exponent = 1;
  net.connect(pool);
  sparseProj(cuba, thr, 40);
  denseProj(li, cubaLi);
  ProjDef &graded = denseProj(cubaLi, cuba);
  graded.recurrent = true;
  perSourceDelays(graded, 2);
  ProjDef conv;
  conv.source = lif;
  conv.target = ifPop;
  conv.type = sb::Connectivity::Conv;
  conv.inShape = net.pops[lif].shape;
  conv.outShape = net.pops[ifPop].shape;
  conv.kernelShape = {3, 2, 3, 2};
  conv.padding = {0, 1};
  weights(conv, 3 * 2 * 3 * 2);
  net.connect(conv);
  denseProj(ifPop, integ);
  ProjDef &self = sparseProj(ifPop, ifPop, 10);
  self.recurrent = true;
  return net;
}

std::vector<float> randomInput(std::mt19937 &rng, uint32_t n) {
  std::vector<float> x(n);
  for (float &v : x)
    v = std::uniform_int_distribution<int>(-256, 256)(rng) / 128.0f;
  return x;
}

std::vector<Link> windowLinks(const ProjDef &p, bool pool) {
  const auto &in = p.inShape, &out = p.outShape;
  const int64_t kh = pool ? p.kernelShape[0] : p.kernelShape[2];
  const int64_t kw = pool ? p.kernelShape[1] : p.kernelShape[3];
  const int64_t groups = pool ? in[0] : p.groups;
  const int64_t inPer = in[0] / groups, outPer = out[0] / groups;
  std::vector<Link> links;
  for (int64_t oc = 0; oc < out[0]; ++oc)
    for (int64_t oy = 0; oy < out[1]; ++oy)
      for (int64_t ox = 0; ox < out[2]; ++ox)
        for (int64_t l = 0; l < inPer; ++l)
          for (int64_t ky = 0; ky < kh; ++ky)
            for (int64_t kx = 0; kx < kw; ++kx) {
              int64_t ic = oc / outPer * inPer + l;
              int64_t iy = oy * p.stride[0] - p.padding[0] + ky * p.dilation[0];
              int64_t ix = ox * p.stride[1] - p.padding[1] + kx * p.dilation[1];
              if (iy < 0 || iy >= in[1] || ix < 0 || ix >= in[2])
                continue;
              links.push_back(
                  {uint32_t((ic * in[1] + iy) * in[2] + ix),
                   uint32_t((oc * out[1] + oy) * out[2] + ox),
                   pool ? -1 : ((oc * inPer + l) * kh + ky) * kw + kx});
            }
  return links;
}

} // namespace snnc::cputest
