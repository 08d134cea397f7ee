//===- Profiles.cpp - Discretization profiles
//-------------------------------===//
#include "dialects/snn/Transforms/Profiles.h"

#include <cmath>

namespace snnc::snn {
namespace {

// name, integrator, subtract, >=, synapse-first, carry, delay, IF gain r
const Profile kProfiles[] = {
    {"exact", Profile::Exact, false, false, false, false, 0, false},
    {"euler", Profile::Euler, false, false, false, false, 0, false},
    {"snntorch", Profile::Euler, false, false, true, true, 0, true},
    {"norse", Profile::Euler, false, false, true, false, 0, true},
    {"sinabs", Profile::Sinabs, true, true, true, false, 0, false},
    {"rockpool", Profile::Rockpool, true, true, true, false, 0, false},
    {"lava", Profile::Euler, false, false, true, false, 1, true},
    {"spinnaker2", Profile::Euler, false, false, true, false, 0, true},
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
    break;
  case Profile::Sinabs:
  case Profile::Rockpool: {
    double b = std::exp(-dt / n.tauMem);
    d.beta = b;
    d.gainMem = 1;
    d.leak = p.integrator == Profile::Sinabs ? (1 - b) * n.vLeak : n.vLeak;
    if (cuba) {
      // I = alpha * (I + x): the input decays once before reaching v.
      d.alpha = std::exp(-dt / n.tauSyn);
      d.gainSyn = d.alpha;
    } else if (kind == "li" && p.integrator == Profile::Rockpool) {
      d.gainMem = b; // Rockpool's LI: v = b * (v + x)
      d.leak = 0;
    }
    break;
  }
  }
  return d;
}

} // namespace snnc::snn
