// An IF neuron driven hard enough to cross its threshold twice in one step,
// read out by an integrator that sums what its projection delivers.
snn.network @multi_spike attributes {nir_version = "1.0.0"} {
  %input = snn.input "input" : tensor<1xf32>
  %fc = snn.affine "fc"(%input) {weight = dense<[[1.0]]> : tensor<1x1xf32>,
      bias = dense<0.0> : tensor<1xf32>} : tensor<1xf32> -> tensor<1xf32>
  %if = snn.if "if"(%fc) {r = dense<1.0> : tensor<1xf32>,
      v_reset = dense<0.0> : tensor<1xf32>, v_threshold = dense<1.0> : tensor<1xf32>}
      : tensor<1xf32>
  %out = snn.linear "out"(%if) {weight = dense<[[1.0]]> : tensor<1x1xf32>}
      : tensor<1xf32> -> tensor<1xf32>
  %sum = snn.integrator "sum"(%out) {r = dense<1.0> : tensor<1xf32>} : tensor<1xf32>
  snn.output "output"(%sum) : tensor<1xf32>
}
