//===- Passes.td - snn dialect passes ---------------------------------------===//
#ifndef SNNC_SNN_PASSES_TD
#define SNNC_SNN_PASSES_TD

include "mlir/Pass/PassBase.td"

def SNNDiscretize : Pass<"snn-discretize", "::mlir::ModuleOp"> {
  let summary = "Continuous-time neuron ops to discrete time for one dt and profile";
  let description = [{
    Replaces every continuous neuron op (`snn.lif`, `snn.cuba_lif`, `snn.if`,
    `snn.li`, `snn.cuba_li`, `snn.integrator`) by `snn.discrete_neuron` with
    per-step decays and gains computed from its time constants, `r`,
    `v_leak` and `w_in` for the time step `dt` (seconds) under `profile`,
    and records the discretization on each `snn.network` as the attribute
    `snn.discretization` (profile, dt, reset rule and timing, comparison,
    CubaLIF order, and the rules a profile sets). `reset` (`zero` or
    `subtract`) overrides the profile's reset rule for every kind; without
    it, a kind whose default differs from the network's keeps its own
    (`snntorch`'s IF subtracts: its op gets `reset = "subtract"`). Under
    `euler` and `norse` the leaky kinds also get `delta`, the coefficients
    of the delta form those frameworks evaluate. docs/discretization.md
    lists every profile's equations.

    `snn.receptor_lif` (an snnc extension) becomes
    `snn.discrete_receptor_lif`: under `exact` the exponential integrator
    (the membrane's response to each decaying current receptor over one
    step), under `euler` forward Euler; conductance receptors need `euler`
    (no exact solution exists), and other profiles are refused for it, since
    their frameworks have no such neuron. The refractory period is rounded
    to whole steps.

    Before (`--snn-discretize="dt=1e-4 profile=exact"`):
    ```mlir
    %1 = snn.lif "1"(%0) {r = dense<1.0> : tensor<1xf32>, tau = dense<2.5e-3> : tensor<1xf32>,
                          v_leak = dense<0.0> : tensor<1xf32>, v_reset = dense<0.0> : tensor<1xf32>,
                          v_threshold = dense<0.1> : tensor<1xf32>} : tensor<1xf32>
    ```
    After:
    ```mlir
    %1 = snn.discrete_neuron "1"(%0) {kind = "lif", alpha = dense<0.0> : tensor<1xf32>,
        beta = dense<0.960789442> : tensor<1xf32>, gain_mem = dense<0.0392105579> : tensor<1xf32>,
        gain_syn = dense<1.0> : tensor<1xf32>, gain_direct = ..., leak = dense<0.0> : tensor<1xf32>,
        v_init = ..., v_reset = ..., v_threshold = dense<1.000000e-01> : tensor<1xf32>} : tensor<1xf32>
    ```
  }];
  let options = [
    Option<"dt", "dt", "double", "1e-4", "time step in seconds">,
    Option<"profile", "profile", "std::string", "\"exact\"",
           "exact, euler, snntorch, norse, sinabs, rockpool, lava, spinnaker2, "
           "lava-dl, spyx">,
    Option<"reset", "reset", "std::string", "\"\"",
           "override the profile's reset rule: zero or subtract">,
  ];
}

#endif // SNNC_SNN_PASSES_TD
