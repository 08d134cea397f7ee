// A feed-forward bias (0.25) and a recurrent one (0.5, through a weight of
// 0) into an integrator: the profiles differ only in when each bias acts.
snn.network @bias_timing attributes {nir_version = "1.0.0"} {
  %input = snn.input "input" : tensor<1xf32>
  %ff = snn.affine "ff"(%input) {weight = dense<[[0.0]]> : tensor<1x1xf32>,
      bias = dense<0.25> : tensor<1xf32>} : tensor<1xf32> -> tensor<1xf32>
  %acc = snn.integrator "acc"(%ff, %rec) {r = dense<1.0> : tensor<1xf32>}
      : tensor<1xf32>
  %rec = snn.affine "rec"(%acc) {weight = dense<[[0.0]]> : tensor<1x1xf32>,
      bias = dense<0.5> : tensor<1xf32>} : tensor<1xf32> -> tensor<1xf32>
  snn.output "output"(%acc) : tensor<1xf32>
}
