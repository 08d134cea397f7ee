// Two inputs to two LIF neurons whose small weights (0.001 against 1.0)
// round to zero in 8 bits beside the large ones.
snn.network @small {
  %x = snn.input "x" : tensor<2xf32>
  %fc = snn.sparse "fc"(%x) {pre = dense<[0, 0, 1, 1]> : tensor<4xi32>, post = dense<[0, 1, 0, 1]> : tensor<4xi32>, weight = dense<[1.0, 0.001, 0.9, -0.001]> : tensor<4xf32>} : tensor<2xf32> -> tensor<2xf32>
  %y = snn.lif "y"(%fc) {tau = dense<2.0e-2> : tensor<2xf32>, r = dense<1.0> : tensor<2xf32>, v_leak = dense<0.0> : tensor<2xf32>, v_threshold = dense<1.0> : tensor<2xf32>, v_reset = dense<0.0> : tensor<2xf32>} : tensor<2xf32>
  snn.output "out"(%y) : tensor<2xf32>
}
