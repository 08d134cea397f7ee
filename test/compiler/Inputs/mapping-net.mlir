// A small recurrent network for the mapping tests: 64 inputs, 300 LIF
// neurons with a random input projection and a fixed in-degree recurrence
// (delay 2 steps).
snn.network @m {
  %x = snn.input "x" : tensor<64xf32>
  %in = snn.connect "in"(%x) {rule = "fixed_probability", p = 0.1 : f64, weight = {dist = "constant", value = 0.5 : f64}, seed = 1 : i64} : tensor<64xf32> -> tensor<300xf32>
  %rec = snn.connect "rec"(%exc) {rule = "fixed_in_degree", n = 20 : i64, weight = {dist = "normal", mean = 0.1 : f64, std = 0.02 : f64}, delay = {dist = "constant", value = 2.0e-4 : f64}, seed = 2 : i64} : tensor<300xf32>
  %exc = snn.lif "exc"(%in, %rec) {tau = dense<2.0e-2> : tensor<300xf32>, r = dense<1.0> : tensor<300xf32>, v_leak = dense<0.0> : tensor<300xf32>, v_threshold = dense<1.0> : tensor<300xf32>, v_reset = dense<0.0> : tensor<300xf32>} : tensor<300xf32>
  snn.output "out"(%exc) : tensor<300xf32>
}
