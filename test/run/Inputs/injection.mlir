// An injected current (PyNN's DCSource, StepCurrentSource): what the input
// `i` holds in a step is a current held over that step, delivered one to
// one into the `inj` receptor. Thresholds are out of reach, so v is the
// membrane's response to the current (test/run/check_injection.py).
snn.network @injection {
  %i = snn.input "i" : tensor<3xf32>
  %s = snn.sparse "s"(%i) {pre = dense<[0, 1, 2]> : tensor<3xi32>, post = dense<[0, 1, 2]> : tensor<3xi32>, weight = dense<1.0> : tensor<3xf32>, receptor = "inj"} : tensor<3xf32> -> tensor<3xf32>
  %n = snn.receptor_lif "n"(%s) {tau_mem = dense<[1.0e-2, 2.0e-2, 5.0e-3]> : tensor<3xf32>, v_rest = dense<-6.5e-2> : tensor<3xf32>, v_reset = dense<-6.5e-2> : tensor<3xf32>, v_threshold = dense<1.0> : tensor<3xf32>, r = dense<[10.0, 20.0, 40.0]> : tensor<3xf32>, refractory = 0.0 : f64, receptors = [{name = "inj", type = "injection"}, {name = "syn", type = "current", tau = 5.0e-3 : f64}]} : tensor<3xf32>
  snn.output "out"(%n) : tensor<3xf32>
}
