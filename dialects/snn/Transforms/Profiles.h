//===- Profiles.h - Discretization profiles ---------------------*- C++ -*-===//
//
// How each framework turns NIR's continuous-time neurons into per-step
// updates. The numbers come from docs/discretization.md, which gives the
// equations and the source each was read in.
//
//===----------------------------------------------------------------------===//
#ifndef SNNC_DIALECTS_SNN_TRANSFORMS_PROFILES_H
#define SNNC_DIALECTS_SNN_TRANSFORMS_PROFILES_H

#include "mlir/Support/LogicalResult.h"
#include "llvm/ADT/StringRef.h"

#include <string>

namespace snnc::snn {

class ReceptorLIFOp;

struct Profile {
  const char *name;
  enum Integrator {
    Exact,    ///< exponential (zero-order hold) solution
    Euler,    ///< forward Euler, beta = 1 - dt/tau, gains r*dt/tau
    Sinabs,   ///< exponential decays, unit gains, leak (1-beta)*v_leak
    Rockpool, ///< exponential decays, unit gains, leak v_leak
  } integrator;
  bool subtractReset;  ///< default reset rule (else to v_reset)
  bool greaterEqual;   ///< spike when v >= threshold (else >)
  bool synapseFirst;   ///< CubaLIF: v integrates the new I
  bool carrySubtract;  ///< snnTorch's subtraction without reset delay
  int projectionDelay; ///< extra steps on feed-forward projections
  bool gainsUseR;      ///< IF/I gain r (else r*dt, or 1 for unit gains)
  /// When an Affine/Conv bias first acts: from step 0, from step 1 (its
  /// projection's output is delayed: nothing at step 0), or never.
  enum BiasStart { Step0, Step1, Never };
  BiasStart feedForwardBias = Step0; ///< biases of non-recurrent projections
  BiasStart recurrentBias = Step0;   ///< biases of projections closing a cycle
  /// lava-dl's integer states of 2^-n (0: float32 states); the decays are
  /// rounded to multiples of 2^-n.
  int stateFracBits = 0;
  /// Sinabs/Rockpool MultiSpike: floor(v / threshold) events per step.
  bool multiSpike = false;
  /// Sinabs/Rockpool: I = alpha * (I + x), the input decays once.
  bool synapseInputDecays = false;
  /// Sinabs' IF: v = max(v, -threshold) after the reset.
  bool ifLowerClamp = false;
  /// snnTorch's IF (Leaky with beta = 1) resets by subtraction when the
  /// network's reset is the profile's default (no --reset).
  bool ifSubtracts = false;
  /// The update in delta form, v + k * ((v_leak - v) + r * x): Euler's
  /// with k = dt / tau in double rounded once, Norse's with
  /// k = f32(dt) * f32(1 / tau) in float32 (Population.delta).
  enum DeltaForm { NoDelta, DeltaDouble, DeltaFloat32 };
  DeltaForm delta = NoDelta;
};

/// Replaces snn.receptor_lif by snn.discrete_receptor_lif for one dt
/// (DiscretizeReceptor.cpp); errors at the op.
mlir::LogicalResult rewriteReceptorLIF(ReceptorLIFOp op, const Profile &p,
                                       double dt);

/// The profile called `name`, or null.
const Profile *findProfile(llvm::StringRef name);
/// "exact, euler, snntorch, ..." for messages.
std::string profileNames();

struct ContinuousNeuron {
  double tauMem = 1, tauSyn = 1, r = 1, vLeak = 0, wIn = 1;
};

struct DiscreteNeuron {
  double alpha = 0, beta = 1, gainSyn = 1, gainMem = 1, gainDirect = 0,
         leak = 0;
  /// The delta form's coefficients (Profile::delta; leaky kinds only).
  bool delta = false;
  double kMem = 0, kSyn = 0, r = 1, wIn = 1, vLeak = 0, iLeak = 0;
};

/// Per-step coefficients of one neuron of `kind` (the snn op mnemonic:
/// lif, cuba_lif, if, li, cuba_li, integrator) for step `dt` seconds.
DiscreteNeuron discretize(const Profile &p, llvm::StringRef kind, double dt,
                          const ContinuousNeuron &n);

} // namespace snnc::snn

#endif // SNNC_DIALECTS_SNN_TRANSFORMS_PROFILES_H
