//===- HilCompare.cpp - One artifact on the cpu and rtl backends ----------===//
//
// rtl-hil ARTIFACT [--steps T] [--seed S] [--density P] [--scale X]
//         [--signed] [--perturb STEP]
//
// The hardware-in-the-loop check (docs/rtl-backend.md): runs a mapped
// fixed-mode artifact on the CPU engine and on the Verilated snncore chips
// with the same random inputs (each input value nonzero with probability
// P, uniform in (0, X], negated at random with --signed; one row per step)
// and requires, at every step,
// identical spikes of every spiking population and identical state of
// every population the network computes (a Source's state is its input). On the
// first difference it prints the step, the population, the neuron, the core
// that holds it and both values, and exits 1. The rtl session then runs again
// after Session::reset() and must agree again (reset brings back the loaded
// state). Prints the hardware report of the rtl run when they agree.
// --perturb STEP changes the first input value of step STEP on the rtl side
// only (0 becomes X, anything else 0): the check of the check, which must
// then report a mismatch.
//
//===----------------------------------------------------------------------===//
#include "snnc/runtime/Session.h"
#include "snnc/schema/snnb_generated.h"

#include <chrono>
#include <map>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>

using namespace snnc;

namespace {

struct Run {
  std::unique_ptr<Session> session;
  std::vector<SpikeTensor> spikes; // per population (spiking), [T, n]
  std::vector<Tensor> state;       // per population, [T, n]
};

int fail(const std::string &m) {
  std::fprintf(stderr, "rtl-hil: error: %s\n", m.c_str());
  return 2;
}

/// The core and its position on the chip holding neuron n of population p.
std::string whereIs(const Program &prog, uint32_t p, uint32_t n) {
  const snnb::Mapping *mp = prog.fb().mapping();
  if (!mp || !mp->cores())
    return "no core";
  for (const snnb::Core *c : *mp->cores())
    for (const snnb::CoreSlice *s : *c->slices())
      if (s->population() == p && n >= s->lo() && n < s->hi()) {
        const snnb::Chip *ch = mp->chips()->Get(c->chip());
        return "core " + std::to_string(c->id()) + " (chip (" +
               std::to_string(ch->x()) + "," + std::to_string(ch->y()) +
               ") position " + std::to_string(c->index()) + ")";
      }
  return "no core";
}

} // namespace

int main(int argc, char **argv) {
  if (argc < 2)
    return fail("usage: rtl-hil ARTIFACT [--steps T] [--seed S] [--density "
                "P] [--scale X] [--signed] [--perturb STEP]");
  std::string path = argv[1];
  int64_t steps = 100;
  uint64_t seed = 1;
  double density = 0.3, scale = 1.0;
  int64_t perturb = -1;
  bool signedValues = false;
  for (int i = 2; i < argc; i += 2) {
    const std::string k = argv[i];
    if (k == "--signed") {
      signedValues = true;
      --i;
      continue;
    }
    if (i + 1 >= argc)
      return fail("option " + k + " needs a value");
    if (k == "--steps")
      steps = std::atoll(argv[i + 1]);
    else if (k == "--seed")
      seed = std::strtoull(argv[i + 1], nullptr, 10);
    else if (k == "--density")
      density = std::atof(argv[i + 1]);
    else if (k == "--scale")
      scale = std::atof(argv[i + 1]);
    else if (k == "--perturb")
      perturb = std::atoll(argv[i + 1]);
    else
      return fail("unknown option " + k);
  }
  auto loaded = Program::load(path);
  if (!loaded)
    return fail(loaded.status().message());
  std::shared_ptr<const Program> prog = std::move(*loaded);
  const std::vector<std::string> names = prog->populationNames();

  std::mt19937_64 rng(seed);
  std::map<std::string, Tensor> inputs;
  for (const PortInfo &in : prog->inputs()) {
    std::vector<int64_t> shape = in.shape;
    shape.insert(shape.begin(), steps);
    Tensor t(shape);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    for (float &v : t.data) {
      v = u(rng) < density ? float(scale * (1.0 - u(rng))) : 0.0f;
      if (signedValues && u(rng) < 0.5)
        v = -v;
    }
    inputs[in.name] = std::move(t);
  }

  // cpu, rtl, and rtl again after Session::reset() (the engine's reset
  // must bring back the loaded state exactly).
  Run runs[3];
  const char *backends[3] = {"cpu", "rtl", "rtl after reset"};
  double seconds[3] = {0, 0, 0};
  for (int b = 0; b < 3; ++b) {
    Run &r = runs[b];
    if (b == 2) {
      r.session = std::move(runs[1].session);
      r.session->reset();
    } else {
      DeviceOptions opts;
      opts.threads = 1;
      auto dev = Device::open(backends[b], opts);
      if (!dev)
        return fail(dev.status().message());
      auto s = Session::create(*dev, prog);
      if (!s)
        return fail(s.status().message());
      r.session = std::move(*s);
    }
    for (const std::string &n : names) {
      auto spiking = r.session->isSpiking(n);
      if (spiking && *spiking)
        if (Status st = r.session->record(n); !st)
          return fail(st.message());
      if (Status st = r.session->recordState(n); !st)
        return fail(st.message());
    }
    for (auto &[name, t] : inputs) {
      Tensor in = t;
      if (b >= 1 && perturb >= 0 && perturb < steps &&
          name == prog->inputs()[0].name) {
        float &v = in.data[size_t(perturb) * (in.data.size() / steps)];
        v = v == 0.0f ? float(scale) : 0.0f;
      }
      if (Status st = r.session->setInput(name, std::move(in)); !st)
        return fail(st.message());
    }
    auto t0 = std::chrono::steady_clock::now();
    if (Status st = r.session->run(steps); !st)
      return fail(std::string(backends[b]) + ": " + st.message());
    seconds[b] =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0)
            .count();
    for (const std::string &n : names) {
      auto spiking = r.session->isSpiking(n);
      if (spiking && *spiking)
        r.spikes.push_back(*r.session->spikes(n));
      else
        r.spikes.emplace_back();
      r.state.push_back(*r.session->state(n));
    }
  }

  // The first step where anything differs: spikes first, then state.
  int64_t spikes = 0;
  auto compare = [&](const Run &other, const char *label) -> bool {
    spikes = 0;
    for (int64_t t = 0; t < steps; ++t)
      for (uint32_t p = 0; p < names.size(); ++p) {
        if (prog->fb().populations()->Get(p)->kind() ==
            snnb::NeuronKind::Source)
          continue;
        const Tensor &a = runs[0].state[p], &b = other.state[p];
        const size_t n = a.data.size() / size_t(steps);
        const SpikeTensor &sa = runs[0].spikes[p], &sb = other.spikes[p];
        for (size_t i = 0; i < n; ++i) {
          const size_t k = size_t(t) * n + i;
          const bool spk = !sa.data.empty();
          if (spk)
            spikes += sa.data[k];
          const bool spikeDiff = spk && sa.data[k] != sb.data[k];
          const bool stateDiff =
              std::memcmp(&a.data[k], &b.data[k], sizeof(float)) != 0;
          if (!spikeDiff && !stateDiff)
            continue;
          std::printf("rtl-hil: %s: MISMATCH (cpu vs %s) at step %lld, "
                      "population '%s' neuron %zu on %s:\n",
                      path.c_str(), label, (long long)t, names[p].c_str(), i,
                      whereIs(*prog, p, uint32_t(i)).c_str());
          if (spk)
            std::printf("  spike: cpu %d, rtl %d\n", sa.data[k], sb.data[k]);
          std::printf("  state: cpu %.9g, rtl %.9g", a.data[k], b.data[k]);
          if (t > 0)
            std::printf(" (step %lld: cpu %.9g, rtl %.9g)", (long long)t - 1,
                        a.data[k - n], b.data[k - n]);
          std::printf("\n");
          return false;
        }
      }
    return true;
  };
  if (!compare(runs[1], "rtl") || !compare(runs[2], "rtl after reset"))
    return 1;
  HardwareReport hw;
  runs[2].session->hardwareReport(hw);
  std::printf("rtl-hil: %s: %lld steps identical on cpu and rtl (%zu "
              "populations, %lld spikes); %lld cycles (%.1f a step), %.3f "
              "synaptic events a cycle, %.4g pJ; cpu %.3f s, rtl %.3f s\n",
              path.c_str(), (long long)steps, names.size(), (long long)spikes,
              (long long)hw.cycles, hw.steps ? double(hw.cycles) / hw.steps : 0,
              hw.cycles ? double(hw.synapticEvents) / hw.cycles : 0,
              hw.totalPj(), seconds[0], seconds[1]);
  if (spikes == 0) {
    std::printf("rtl-hil: %s: no spikes at all: the comparison says "
                "nothing\n",
                path.c_str());
    return 1;
  }
  return 0;
}
