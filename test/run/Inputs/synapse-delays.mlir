// A Poisson source drives three receptor LIF neurons through synapses of
// 1, 2 and 3.5 ms delay; each event makes its target spike once (a 10 us
// receptor with a large gain), so the targets replay the source shifted by
// one step plus each synapse's delay (test/run/extensions.test checks it).
snn.network @delays {
  %src = snn.poisson_source "src"() {rate = dense<200.0> : tensor<1xf32>, seed = 3 : i64} : tensor<1xf32>
  %syn = snn.sparse "syn"(%src) {pre = dense<[0, 0, 0]> : tensor<3xi32>, post = dense<[0, 1, 2]> : tensor<3xi32>, weight = dense<1.0> : tensor<1xf32>, delay = dense<[1.0e-3, 2.0e-3, 3.5e-3]> : tensor<3xf32>, receptor = "exc"} : tensor<1xf32> -> tensor<3xf32>
  %dst = snn.receptor_lif "dst"(%syn) {tau_mem = dense<1.0e-2> : tensor<3xf32>, v_rest = dense<0.0> : tensor<3xf32>, v_reset = dense<0.0> : tensor<3xf32>, v_threshold = dense<0.5> : tensor<3xf32>, r = dense<1.0e3> : tensor<3xf32>, refractory = 0.0 : f64, receptors = [{name = "exc", type = "current", tau = 1.0e-5 : f64}]} : tensor<3xf32>
  snn.output "out"(%dst) : tensor<3xf32>
}
