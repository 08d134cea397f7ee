//===- Profiles.cpp - Discretization profiles
//-------------------------------===//
#include "dialects/snn/Transforms/Profiles.h"

#include <cmath>

namespace snnc::snn {
namespace {

// name, integrator, subtract, >=, synapse-first, carry, delay, IF gain r,
// feed-forward bias, recurrent bias, integer state bits, multi-spike,
// I = alpha * (I + x), IF clamp, IF subtracts, delta form
const Profile kProfiles[] = {
    {"exact", Profile::Exact, false, false, false, false, 0, false},
    // NIR's reference implementation: v + dt/tau * ((v_leak - v) + r * x).
    {"euler", Profile::Euler, false, false, false, false, 0, false,
     Profile::Step0, Profile::Step0, 0, false, false, false, false,
     Profile::DeltaDouble},
    // snnTorch imports IF as Leaky(beta = 1), which subtracts.
    {"snntorch", Profile::Euler, false, false, true, true, 0, true,
     Profile::Step0, Profile::Step0, 0, false, false, false, true},
    // NIRTorch's executor delays the recurrent Affine's output, bias too.
    // Delta form with Norse's float32 dt * (1 / tau).
    {"norse", Profile::Euler, false, false, true, false, 0, true,
     Profile::Step0, Profile::Step1, 0, false, false, false, false,
     Profile::DeltaFloat32},
    // MultiSpike and I = alpha * (I + x) in both.
    {"sinabs", Profile::Sinabs, true, true, true, false, 0, false,
     Profile::Step0, Profile::Step0, 0, true, true, true},
    {"rockpool", Profile::Rockpool, true, true, true, false, 0, false,
     Profile::Step0, Profile::Step0, 0, true, true},
    // Lava's Dense processes: y[0] = 0, y[k] = W u[k-1] + b.
    {"lava", Profile::Euler, false, false, true, false, 1, true, Profile::Step1,
     Profile::Step1},
    {"spinnaker2", Profile::Euler, false, false, true, false, 0, true},
    // lava-dl (slayer CUBA blocks): integer states x4096, >=, no delay, and
    // the recurrent synapse has no bias.
    {"lava-dl", Profile::Euler, false, true, true, false, 0, true,
     Profile::Step0, Profile::Never, 12},
    // Spyx: Lava's timing (its spikes one step late), subtracting resets.
    {"spyx", Profile::Euler, true, false, true, false, 1, true, Profile::Step1,
     Profile::Step1},
};

} // namespace

const Profile *findProfile(llvm::StringRef name) {
  for (const Profile &p : kProfiles)
    if (name == p.name)
      return &p;
  return nullptr;
}

std::string profileNames() {
  std::string s;
  for (const Profile &p : kProfiles)
    s += (s.empty() ? "" : ", ") + std::string(p.name);
  return s;
}

DiscreteNeuron discretize(const Profile &p, llvm::StringRef kind, double dt,
                          const ContinuousNeuron &n) {
  DiscreteNeuron d;
  bool unitGains =
      p.integrator == Profile::Sinabs || p.integrator == Profile::Rockpool;
  if (kind == "if" || kind == "integrator") {
    d.gainMem = unitGains ? 1.0 : p.gainsUseR ? n.r : n.r * dt;
    return d;
  }
  bool cuba = kind == "cuba_lif" || kind == "cuba_li";
  switch (p.integrator) {
  case Profile::Exact: {
    double b = std::exp(-dt / n.tauMem);
    d.beta = b;
    d.leak = n.vLeak * (1 - b);
    if (!cuba) {
      d.gainMem = n.r * (1 - b);
      break;
    }
    // Exact solution for an input held constant over the step: v picks up
    // the old current through kappa and the new input directly.
    double a = std::exp(-dt / n.tauSyn);
    double kappa = n.tauSyn == n.tauMem
                       ? dt / n.tauMem * b
                       : n.tauSyn * (a - b) / (n.tauSyn - n.tauMem);
    d.alpha = a;
    d.gainSyn = n.wIn * (1 - a);
    d.gainMem = n.r * kappa;
    d.gainDirect = n.r * n.wIn * (1 - b - kappa);
    break;
  }
  case Profile::Euler:
    d.beta = 1 - dt / n.tauMem;
    d.gainMem = n.r * dt / n.tauMem;
    d.leak = n.vLeak * dt / n.tauMem;
    if (cuba) {
      d.alpha = 1 - dt / n.tauSyn;
      d.gainSyn = n.wIn * dt / n.tauSyn;
    }
    if (p.delta != Profile::NoDelta) {
      // Norse multiplies its float32 dt by the float32 inverse of tau.
      auto k = [&](double tau) {
        return p.delta == Profile::DeltaFloat32
                   ? double(float(dt) * float(1.0 / tau))
                   : dt / tau;
      };
      d.delta = true;
      d.kMem = k(n.tauMem);
      d.kSyn = cuba ? k(n.tauSyn) : 0.0;
      d.r = n.r;
      d.wIn = cuba ? n.wIn : 1.0;
      d.vLeak = n.vLeak;
      // Norse's synapse relaxes towards v_leak, NIR's towards 0.
      d.iLeak = cuba && p.delta == Profile::DeltaFloat32 ? n.vLeak : 0.0;
    }
    break;
  case Profile::Sinabs:
  case Profile::Rockpool: {
    double b = std::exp(-dt / n.tauMem);
    d.beta = b;
    d.gainMem = 1;
    d.leak = p.integrator == Profile::Sinabs ? (1 - b) * n.vLeak : n.vLeak;
    if (cuba) {
      // I = alpha * (I + x): the input decays once before reaching v
      // (the synapse_input_decays rule), gain 1.
      d.alpha = std::exp(-dt / n.tauSyn);
      d.gainSyn = p.synapseInputDecays ? 1.0 : d.alpha;
    } else if (kind == "li" && p.integrator == Profile::Rockpool) {
      d.gainMem = b; // Rockpool's LI: v = b * (v + x)
      d.leak = 0;
    }
    break;
  }
  }
  if (p.stateFracBits) {
    // lava-dl quantizes each decay 1 - alpha (1 - beta) to an integer of
    // 2^-n (slayer: decay * p_scale, rounded); the kernel multiplies by
    // 2^n minus it.
    const double one = std::ldexp(1.0, p.stateFracBits);
    auto quantize = [&](double keep) {
      return (one - std::round((1 - keep) * one)) / one;
    };
    d.alpha = quantize(d.alpha);
    d.beta = quantize(d.beta);
  }
  return d;
}

} // namespace snnc::snn
