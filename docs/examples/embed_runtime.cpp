// An application that embeds the snnc runtime: no MLIR, no compiler, only
// the runtime and the CPU backend (CMake targets snnc_devices and
// snnc_runtime_io).
//
//   embed_runtime NET.snnb [STEPS]
//
// It loads a compiled network, encodes a made-up stimulus as Poisson spike
// trains (seeded, so every run is the same), runs it, and prints each
// output's spike counts or final membrane values.
#include "snnc/runtime/Encoders.h"
#include "snnc/runtime/Session.h"

#include <cstdio>
#include <cstdlib>

int main(int argc, char **argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s NET.snnb [STEPS]\n", argv[0]);
    return 2;
  }
  int64_t steps = argc > 2 ? std::atoll(argv[2]) : 100;

  auto program = snnc::Program::load(argv[1]);
  if (!program) {
    std::fprintf(stderr, "error: %s\n", program.status().message().c_str());
    return 1;
  }
  auto device = snnc::Device::open("cpu");
  if (!device) {
    std::fprintf(stderr, "error: %s\n", device.status().message().c_str());
    return 1;
  }
  auto session = snnc::Session::create(*device, *program);
  if (!session) {
    std::fprintf(stderr, "error: %s\n", session.status().message().c_str());
    return 1;
  }
  snnc::Session &s = **session;
  std::printf("network: %zu input(s), %zu output(s), dt = %g s, profile %s\n",
              (*program)->inputs().size(), (*program)->outputs().size(),
              (*program)->dt(), (*program)->profile().c_str());

  // Every input gets a ramp of firing probabilities, as Poisson spikes.
  for (const snnc::PortInfo &in : (*program)->inputs()) {
    snnc::Tensor rates(in.shape);
    for (size_t i = 0; i < rates.data.size(); ++i)
      rates.data[i] = float(i + 1) / float(rates.data.size());
    auto spikes = snnc::encodeRate(rates, steps, /*seed=*/42, /*maxRate=*/0.5);
    if (!spikes || !s.setInput(in.name, *spikes)) {
      std::fprintf(stderr, "error: cannot set input '%s'\n", in.name.c_str());
      return 1;
    }
  }
  for (const snnc::PortInfo &out : (*program)->outputs())
    if (snnc::Status st = s.record(out.name); !st) {
      std::fprintf(stderr, "error: %s\n", st.message().c_str());
      return 1;
    }
  if (snnc::Status st = s.run(steps); !st) {
    std::fprintf(stderr, "error: %s\n", st.message().c_str());
    return 1;
  }
  for (const snnc::PortInfo &out : (*program)->outputs()) {
    bool spiking = *s.isSpiking(out.name);
    std::printf("%s (%s):", out.name.c_str(),
                spiking ? "spike counts" : "final state");
    if (spiking) {
      auto counts = s.spikeCounts(out.name);
      for (float c : counts->data)
        std::printf(" %g", c);
    } else {
      auto state = s.state(out.name);
      for (int64_t i = 0; i < out.size; ++i)
        std::printf(" %.4g", state->data[(steps - 1) * out.size + i]);
    }
    std::printf("\n");
  }
  snnc::EngineStats st = s.stats();
  std::printf("steps %lld, spikes %lld, synaptic events %lld\n",
              (long long)st.steps, (long long)st.spikes,
              (long long)st.synapticEvents);
  return 0;
}
