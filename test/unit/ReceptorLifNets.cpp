//===- ReceptorLifNets.cpp - Small ReceptorLIF artifacts for tests --------===//
#include "ReceptorLifNets.h"

#include "CpuDriver.h"
#include "snnc/runtime/ArtifactSeal.h"

#include <gtest/gtest.h>

#include <random>

namespace snnc::receptortest {

namespace {

template <typename T>
flatbuffers::Offset<flatbuffers::Vector<T>>
vec(flatbuffers::FlatBufferBuilder &b, const std::vector<T> &v) {
  return v.empty() ? 0 : b.CreateVector(v);
}

} // namespace

std::vector<uint8_t> bytes(const Net &net) {
  flatbuffers::FlatBufferBuilder b;
  std::vector<flatbuffers::Offset<sb::Population>> pops;
  std::vector<flatbuffers::Offset<sb::Port>> inputs;
  for (uint32_t i = 0; i < net.pops.size(); ++i) {
    const Pop &p = net.pops[i];
    std::vector<flatbuffers::Offset<sb::Receptor>> rs;
    for (const Rec &r : p.receptors)
      rs.push_back(sb::CreateReceptor(
          b, b.CreateString(r.name),
          r.conductance ? sb::ReceptorType::Conductance
          : r.alpha     ? sb::ReceptorType::Alpha
                        : sb::ReceptorType::Current,
          vec(b, r.decay), vec(b, r.gain), vec(b, r.reversal),
          vec(b, r.gainRise), vec(b, r.rise)));
    const std::vector<int64_t> shape{p.size};
    flatbuffers::Offset<sb::FixedNeuron> fx = 0;
    if (net.mode == sb::NumericMode::Fixed)
      fx = sb::CreateFixedNeuron(b);
    pops.push_back(sb::CreatePopulation(
        b, b.CreateString(p.name), p.kind, b.CreateVector(shape), p.size,
        vec(b, p.alpha), vec(b, p.beta), 0, 0, 0, vec(b, p.leak), 0,
        vec(b, p.th), vec(b, p.reset), vec(b, p.init), fx,
        rs.empty() ? 0 : b.CreateVector(rs), p.refractory));
    if (p.kind == sb::NeuronKind::Source)
      inputs.push_back(
          sb::CreatePort(b, b.CreateString(p.name), i, b.CreateVector(shape)));
  }
  std::vector<flatbuffers::Offset<sb::Projection>> projs;
  for (const Proj &p : net.projs) {
    auto sp =
        sb::CreateSparse(b, b.CreateVector(p.rowStart),
                         b.CreateVector(p.targets), b.CreateVector(p.weights));
    flatbuffers::Offset<sb::FixedWeights> fw = 0;
    if (net.mode == sb::NumericMode::Fixed)
      fw = sb::CreateFixedWeights(
          b, 8, 0, b.CreateVector(std::vector<int16_t>(p.weights.size(), 1)));
    projs.push_back(sb::CreateProjection(
        b, b.CreateString("proj"), p.source, p.target, sb::Connectivity::Sparse,
        sp.Union(), 0, p.recurrent, fw, p.receptor));
  }
  auto disc = sb::CreateDiscretization(b, b.CreateString("test"), 1e-3,
                                       sb::ResetMode::ToReset, net.timing);
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

Net singleNeuron(const Pop &target, float weight) {
  Net net;
  for (size_t c = 0; c < target.receptors.size(); ++c) {
    Pop s;
    s.name = "in" + std::to_string(c);
    s.kind = sb::NeuronKind::Source;
    net.pops.push_back(s);
  }
  net.pops.push_back(target);
  const uint32_t t = uint32_t(net.pops.size() - 1);
  for (uint32_t c = 0; c < target.receptors.size(); ++c)
    net.projs.push_back({c, t, {0, 1}, {0}, {weight}, false, uint8_t(c)});
  return net;
}

Pop excInhNeuron() {
  Pop p;
  p.name = "cell";
  p.beta = {0.95f};
  p.leak = {0.06f};
  p.th = {1.0f};
  p.reset = {0.0f};
  p.init = {0.3f};
  p.refractory = 3;
  p.receptors = {{"exc", false, {0.9f}, {0.05f}, {}},
                 {"inh", true, {0.8f}, {0.01f}, {-2.0f}}};
  return p;
}

Net randomNetwork(uint32_t n, bool conductance, bool perNeuronReceptors,
                  bool extraReceptor, uint32_t seed) {
  std::mt19937 rng(seed);
  Net net;
  Pop src;
  src.name = "drive";
  src.kind = sb::NeuronKind::Source;
  src.size = 50;
  Pop cells;
  cells.name = "cells";
  cells.size = n;
  cells.beta = {0.96f};
  cells.leak = {0.0f};
  cells.th = {1.0f};
  cells.reset = {0.0f};
  cells.refractory = 2;
  std::uniform_real_distribution<float> u(0.0f, 1.0f);
  for (uint32_t i = 0; i < n; ++i)
    cells.init.push_back(u(rng));
  auto param = [&](float x) {
    return perNeuronReceptors ? std::vector<float>(n, x)
                              : std::vector<float>{x};
  };
  Rec exc{"exc", conductance, param(0.85f), param(0.08f), {}};
  Rec inh{"inh", conductance, param(0.9f), param(0.05f), {}};
  if (conductance) {
    exc.reversal = param(4.0f);
    inh.reversal = param(-1.0f);
  }
  cells.receptors = {exc, inh};
  if (extraReceptor) // a silent third channel: adds exact zeros
    cells.receptors.push_back({"extra", false, {0.5f}, {0.0f}, {}});
  net.pops = {src, cells};
  auto sparse = [&](uint32_t sources, double p, float w, uint32_t from,
                    bool recurrent, uint8_t receptor, uint32_t first) {
    Proj pj;
    pj.source = from, pj.target = 1, pj.recurrent = recurrent;
    pj.receptor = receptor;
    pj.rowStart.push_back(0);
    std::bernoulli_distribution edge(p);
    for (uint32_t j = 0; j < sources; ++j) {
      if (j >= first)
        for (uint32_t i = 0; i < n; ++i)
          if (edge(rng)) {
            pj.targets.push_back(i);
            pj.weights.push_back(w * (0.5f + u(rng)));
          }
      pj.rowStart.push_back(uint32_t(pj.targets.size()));
    }
    net.projs.push_back(pj);
  };
  sparse(50, 0.2, 1.0f, 0, false, 0, 0);    // drive -> exc
  sparse(n, 0.05, 0.6f, 1, true, 0, n / 5); // last 80 %: excitatory
  // First 20 %: inhibitory (rows of the rest empty).
  Proj &last = (sparse(n, 0.05, 1.5f, 1, true, 1, 0), net.projs.back());
  for (uint32_t j = n / 5; j < n; ++j)
    last.rowStart[j + 1] = last.rowStart[n / 5];
  last.targets.resize(last.rowStart[n / 5]);
  last.weights.resize(last.rowStart[n / 5]);
  return net;
}

} // namespace snnc::receptortest
