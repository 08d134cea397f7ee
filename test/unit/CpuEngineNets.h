//===- CpuEngineNets.h - Artifacts for the CPU engine's tests ---*- C++ -*-===//
//
// Networks described as plain structs and written as .snnb artifacts with
// the generated FlatBuffers helpers, then loaded through Program::fromBytes,
// so every network in these tests has passed the same verification as a
// file from the compiler.
//
//===----------------------------------------------------------------------===//
#ifndef SNNC_TEST_UNIT_CPUENGINENETS_H
#define SNNC_TEST_UNIT_CPUENGINENETS_H

#include "snnc/runtime/Engine.h"
#include "snnc/runtime/Program.h"
#include "snnc/schema/snnb_generated.h"

#include <functional>
#include <memory>
#include <random>
#include <string>
#include <vector>

namespace snnc::cputest {

namespace sb = snnc::snnb;
using sb::NeuronKind;

struct PopDef {
  std::string name;
  NeuronKind kind = NeuronKind::LIF;
  std::vector<int64_t> shape{1};
  // Float parameters; empty = absent (the engine's default applies).
  std::vector<float> alpha, beta, gainSyn, gainMem, gainDirect, leak, bias,
      vThreshold, vReset, vInit;
  // Fixed parameters (written in fixed mode only).
  uint8_t stateBits = 24, fracBits = 0;
  std::vector<uint16_t> decayU, decayV;
  std::vector<int32_t> uBias, vBias, fThreshold, fReset, fInit;

  uint32_t size() const {
    int64_t n = 1;
    for (int64_t d : shape)
      n *= d;
    return uint32_t(n);
  }
};

struct ProjDef {
  uint32_t source = 0, target = 0;
  sb::Connectivity type = sb::Connectivity::Dense;
  std::vector<float> weights; // dense [pre][post], sparse entries, kernel
  std::vector<uint32_t> rowStart, targets; // sparse
  // Conv (kernelShape [C_out, C_in/groups, kh, kw]) and pool
  // (kernelShape [kh, kw]).
  std::vector<int64_t> inShape, outShape, kernelShape, stride{1, 1},
      padding{0, 0}, dilation{1, 1};
  int64_t groups = 1;
  float scale = 1.0f;
  std::vector<uint32_t> delays;
  bool recurrent = false;
  uint8_t exponent = 0;
  std::vector<int16_t> mantissas; // fixed mode, same layout as weights
};

struct NetDef {
  sb::NumericMode mode = sb::NumericMode::Float;
  sb::ResetMode reset = sb::ResetMode::ToReset;
  sb::ResetTiming timing = sb::ResetTiming::SameStep;
  sb::Comparison comparison = sb::Comparison::Greater;
  sb::CubaOrder order = sb::CubaOrder::MembraneFirst;
  std::vector<PopDef> pops;
  std::vector<ProjDef> projs;

  uint32_t add(PopDef p) {
    if (p.name.empty())
      p.name = "p" + std::to_string(pops.size());
    pops.push_back(std::move(p));
    return uint32_t(pops.size() - 1);
  }
  ProjDef &connect(ProjDef p) {
    projs.push_back(std::move(p));
    return projs.back();
  }
};

/// Writes and loads `net`; aborts the test on a verification failure.
std::shared_ptr<const snnc::Program> build(const NetDef &net);

/// A CPU engine for `program`; null (with a test failure) when it fails.
std::unique_ptr<snnc::Engine> instantiate(const snnc::Program &program,
                                          int threads = 1);

/// A population with shared float parameters.
PopDef pop(NeuronKind kind, uint32_t n, std::vector<float> beta = {},
           std::vector<float> th = {}, std::vector<float> bias = {});
ProjDef dense(uint32_t from, uint32_t to, std::vector<float> w);

/// Steps (0-based) at which `neuron` of `population` spiked in `steps`
/// steps; `drive(t)` runs before each step.
std::vector<int> spikeSteps(snnc::Engine &e, uint32_t population,
                            uint32_t neuron, int steps,
                            const std::function<void(int)> &drive = {});
float state(const snnc::Engine &e, uint32_t population, uint32_t neuron,
            uint32_t size);

/// Structural synapses (pre, post, index into the kernel) of a conv, or of a
/// pool (index -1), computed forward from the output side: the definition,
/// independent of the engine's inverse mapping.
struct Link {
  uint32_t pre, post;
  int64_t weightIndex;
};
std::vector<Link> windowLinks(const ProjDef &p, bool pool);

/// A random network exercising every kind, connectivity and delay;
/// population sizes grow with `scale`.
NetDef randomNet(sb::NumericMode mode, int scale, uint32_t seed);
/// Input row for step t: multiples of 1/128 in [-2, 2], so that fixed-point
/// conversion meets exact halves.
std::vector<float> randomInput(std::mt19937 &rng, uint32_t n);

} // namespace snnc::cputest

#endif // SNNC_TEST_UNIT_CPUENGINENETS_H
