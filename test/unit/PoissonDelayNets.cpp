//===- PoissonDelayNets.cpp - Artifacts with Poisson sources and delays ---===//
#include "PoissonDelayNets.h"

#include "CpuDriver.h"
#include "snnc/runtime/ArtifactSeal.h"

#include <gtest/gtest.h>

#include <random>

namespace snnc::pdtest {

namespace {

template <typename T>
flatbuffers::Offset<flatbuffers::Vector<T>>
vec(flatbuffers::FlatBufferBuilder &b, const std::vector<T> &v) {
  return v.empty() ? 0 : b.CreateVector(v);
}

} // namespace

std::vector<uint8_t> bytes(const Net &net) {
  flatbuffers::FlatBufferBuilder b;
  const bool fixed = net.mode == sb::NumericMode::Fixed;
  std::vector<flatbuffers::Offset<sb::Population>> pops;
  std::vector<flatbuffers::Offset<sb::Port>> inputs;
  for (uint32_t i = 0; i < net.pops.size(); ++i) {
    const Pop &p = net.pops[i];
    std::vector<flatbuffers::Offset<sb::Receptor>> rs;
    for (size_t k = 0; k < p.receptors.size(); ++k)
      rs.push_back(sb::CreateReceptor(
          b, b.CreateString("r" + std::to_string(k)), sb::ReceptorType::Current,
          vec(b, p.receptors[k].decay), vec(b, p.receptors[k].gain)));
    const std::vector<int64_t> shape{p.size};
    flatbuffers::Offset<sb::FixedNeuron> fx = 0;
    if (fixed)
      fx = sb::CreateFixedNeuron(b, 24, p.fracBits, 0, 0, 0, 0,
                                 vec(b, p.fThreshold));
    pops.push_back(sb::CreatePopulation(
        b, b.CreateString(p.name), p.kind, b.CreateVector(shape), p.size, 0,
        vec(b, p.beta), 0, 0, 0, vec(b, p.leak), 0, vec(b, p.th), 0, 0, fx,
        rs.empty() ? 0 : b.CreateVector(rs), 0, vec(b, p.rate), p.seed));
    if (p.kind == NeuronKind::Source)
      inputs.push_back(
          sb::CreatePort(b, b.CreateString(p.name), i, b.CreateVector(shape)));
  }
  std::vector<flatbuffers::Offset<sb::Projection>> projs;
  for (const Proj &p : net.projs) {
    const bool dense = !p.dense.empty();
    flatbuffers::Offset<void> conn =
        dense ? sb::CreateDense(b, b.CreateVector(p.dense)).Union()
              : sb::CreateSparse(b, b.CreateVector(p.rowStart),
                                 b.CreateVector(p.targets),
                                 b.CreateVector(p.weights), vec(b, p.delays))
                    .Union();
    flatbuffers::Offset<sb::FixedWeights> fw = 0;
    if (fixed)
      fw = sb::CreateFixedWeights(b, 16, p.exponent, vec(b, p.mantissas));
    projs.push_back(sb::CreateProjection(
        b, b.CreateString("proj" + std::to_string(projs.size())), p.source,
        p.target, dense ? sb::Connectivity::Dense : sb::Connectivity::Sparse,
        conn, vec(b, p.delaySteps), p.recurrent, fw, p.receptor));
  }
  auto disc = sb::CreateDiscretization(b, b.CreateString("test"), net.dt);
  auto root = sb::CreateProgram(
      b, net.version, b.CreateString("test"), b.CreateString("net"), net.mode,
      disc, b.CreateVector(pops), b.CreateVector(projs), b.CreateVector(inputs),
      b.CreateVector(std::vector<flatbuffers::Offset<sb::Port>>{}));
  sb::FinishProgramBuffer(b, root);
  return snnc::sealedCopy(b.GetBufferPointer(), b.GetSize());
}

snnc::StatusOr<std::shared_ptr<const snnc::Program>> load(const Net &net) {
  return snnc::Program::fromBytes(bytes(net), "test.snnb");
}

std::unique_ptr<snnc::Engine> engine(const Net &net, int threads) {
  auto program = load(net);
  EXPECT_TRUE(program.isOk()) << program.status().toString();
  if (!program.isOk())
    return nullptr;
  auto e = snnc::makeCpuDriver()->instantiate(**program,
                                              snnc::DeviceOptions{threads});
  EXPECT_TRUE(e.isOk()) << e.status().toString();
  return e.isOk() ? std::move(e).value() : nullptr;
}

Pop poisson(uint32_t n, float rate, uint64_t seed) {
  Pop p;
  p.kind = NeuronKind::PoissonSource;
  p.size = n;
  p.rate = {rate};
  p.seed = seed;
  return p;
}

Proj sparse(uint32_t from, uint32_t to, uint32_t sourceSize,
            const std::vector<uint32_t> &pre, const std::vector<uint32_t> &post,
            std::vector<float> weights) {
  Proj p;
  p.source = from;
  p.target = to;
  p.rowStart.assign(sourceSize + 1, 0);
  for (uint32_t j : pre)
    ++p.rowStart[j + 1];
  for (uint32_t j = 0; j < sourceSize; ++j)
    p.rowStart[j + 1] += p.rowStart[j];
  p.targets = post;
  p.weights = std::move(weights);
  return p;
}

std::vector<std::vector<float>> states(snnc::Engine &e, uint32_t population,
                                       uint32_t size, int steps) {
  std::vector<std::vector<float>> out;
  for (int t = 0; t < steps; ++t) {
    e.step();
    out.emplace_back(size);
    e.readState(population, out.back().data());
  }
  return out;
}

Net randomNet(sb::NumericMode mode, uint32_t n, uint16_t maxDelay,
              uint32_t seed) {
  std::mt19937 rng(seed);
  const bool fixed = mode == sb::NumericMode::Fixed;
  Net net;
  net.mode = mode;
  net.dt = 1e-4;
  Pop bg = poisson(200, 2000.0f, seed); // 0.2 events per step
  net.add(bg);
  Pop lif;
  lif.kind = NeuronKind::LIF;
  lif.size = n;
  lif.beta = {0.95f};
  lif.th = {1.0f};
  lif.fThreshold = {1 << 10};
  net.add(lif);
  std::uniform_int_distribution<uint32_t> pick(0, n - 1);
  std::uniform_int_distribution<int> delay(0, maxDelay);
  std::uniform_int_distribution<int> mant(-40, 200);
  auto project = [&](uint32_t from, uint32_t sourceSize, uint32_t perRow,
                     bool recurrent) {
    std::vector<uint32_t> pre, post;
    std::vector<float> w;
    Proj p;
    for (uint32_t j = 0; j < sourceSize; ++j)
      for (uint32_t k = 0; k < perRow; ++k) {
        pre.push_back(j);
        post.push_back(pick(rng));
        const int m = mant(rng);
        w.push_back(float(m) / 1024.0f);
        p.mantissas.push_back(int16_t(m));
        p.delays.push_back(uint16_t(delay(rng)));
      }
    Proj s = sparse(from, 1, sourceSize, pre, post, w);
    s.mantissas = p.mantissas;
    s.delays = p.delays;
    s.recurrent = recurrent;
    if (!fixed)
      s.mantissas.clear();
    return s;
  };
  Proj in = project(0, 200, 20, false);
  in.delaySteps.resize(200);
  for (uint32_t &d : in.delaySteps)
    d = uint32_t(delay(rng));
  net.projs.push_back(std::move(in));
  net.projs.push_back(project(1, n, 10, true));
  return net;
}

} // namespace snnc::pdtest
