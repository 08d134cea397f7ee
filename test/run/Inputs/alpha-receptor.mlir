// Alpha receptors (PyNN's IF_curr_alpha, NEST's iaf_psc_alpha): an event of
// weight w drives the current w (t / tau) e^(1 - t / tau). The input `src`
// holds each step's event count (graded, so the test knows every event). Neuron 0 has
// tau = 2 ms, neuron 1 tau = tau_mem (the limit case of the exact gains).
// Thresholds are out of reach, so v is the membrane's response to the
// currents (test/run/check_alpha.py).
snn.network @alpha {
  %src = snn.input "src" : tensor<1xf32>
  %s = snn.sparse "s"(%src) {pre = dense<[0, 0]> : tensor<2xi32>, post = dense<[0, 1]> : tensor<2xi32>, weight = dense<[0.5, 0.3]> : tensor<2xf32>, receptor = "a"} : tensor<1xf32> -> tensor<2xf32>
  %n = snn.receptor_lif "n"(%s) {tau_mem = dense<2.0e-2> : tensor<2xf32>, v_rest = dense<0.0> : tensor<2xf32>, v_reset = dense<0.0> : tensor<2xf32>, v_threshold = dense<1.0e3> : tensor<2xf32>, r = dense<1.0> : tensor<2xf32>, refractory = 0.0 : f64, receptors = [{name = "a", type = "alpha", tau = dense<[2.0e-3, 2.0e-2]> : tensor<2xf32>}]} : tensor<2xf32>
  snn.output "out"(%n) : tensor<2xf32>
}
