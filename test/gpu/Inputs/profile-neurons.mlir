// Every membrane kind behind one biased affine input and a recurrent biased
// affine, compiled by run-gpu-checks' preparation under every profile so
// that the CUDA backend is compared with the CPU engine on each profile's
// rules (reset, timing, comparison, Cuba order, delta form, first-step
// bias, multi-spike, I = alpha*(I + x), the IF clamp, integer states).
// Weights up to 3 on inputs in [-2, 2] cross thresholds several times over
// in one step, so multi-spike counts above 1 occur.
snn.network @profile_neurons attributes {nir_version = "1.0.0"} {
  %input = snn.input "input" : tensor<2xf32>
  %ff = snn.affine "ff"(%input) {
      weight = dense<[[3.0, 0.5], [-1.0, 2.5], [1.5, 1.5], [0.25, -3.0]]> : tensor<4x2xf32>,
      bias = dense<0.25> : tensor<4xf32>} : tensor<2xf32> -> tensor<4xf32>
  %lif = snn.lif "lif"(%ff, %rec) {tau = dense<2.0e-3> : tensor<4xf32>,
      r = dense<1.0> : tensor<4xf32>, v_leak = dense<0.0> : tensor<4xf32>,
      v_threshold = dense<1.0> : tensor<4xf32>, v_reset = dense<0.0> : tensor<4xf32>}
      : tensor<4xf32>
  %if = snn.if "if"(%ff) {r = dense<1.0> : tensor<4xf32>,
      v_reset = dense<0.0> : tensor<4xf32>, v_threshold = dense<1.0> : tensor<4xf32>}
      : tensor<4xf32>
  %cuba = snn.cuba_lif "cuba"(%ff) {
      tau_syn = dense<5.0e-4> : tensor<4xf32>, tau_mem = dense<2.0e-3> : tensor<4xf32>,
      r = dense<1.0> : tensor<4xf32>, v_leak = dense<0.0> : tensor<4xf32>,
      v_threshold = dense<1.0> : tensor<4xf32>, v_reset = dense<0.0> : tensor<4xf32>,
      w_in = dense<1.0> : tensor<4xf32>} : tensor<4xf32>
  %rec = snn.affine "rec"(%lif) {
      weight = dense<[[0.0, -0.5, 0.0, 0.5], [0.5, 0.0, -0.5, 0.0],
                      [0.0, 0.5, 0.0, -0.5], [-0.5, 0.0, 0.5, 0.0]]> : tensor<4x4xf32>,
      bias = dense<0.125> : tensor<4xf32>} : tensor<4xf32> -> tensor<4xf32>
  %sum = snn.linear "sum"(%if) {weight = dense<[[1.0, 1.0, 1.0, 1.0]]> : tensor<1x4xf32>}
      : tensor<4xf32> -> tensor<1xf32>
  %acc = snn.integrator "acc"(%sum) {r = dense<1.0> : tensor<1xf32>} : tensor<1xf32>
  %out = snn.linear "out"(%cuba) {weight = dense<[[1.0, -1.0, 1.0, -1.0]]> : tensor<1x4xf32>}
      : tensor<4xf32> -> tensor<1xf32>
  %li = snn.li "li"(%out) {tau = dense<5.0e-3> : tensor<1xf32>, r = dense<1.0> : tensor<1xf32>,
      v_leak = dense<0.0> : tensor<1xf32>} : tensor<1xf32>
  snn.output "output"(%li) : tensor<1xf32>
  snn.output "count"(%acc) : tensor<1xf32>
}
