// A small recurrent spiking network in the snn dialect: 4 input channels,
// 6 current-based LIF neurons with recurrent weights, 3 leaky-integrator
// readouts. Parameters in NIR's units (seconds), encoded the way snnTorch
// exports them for dt = 1e-4 s (r = tau_mem / dt, w_in = tau_syn / dt).
snn.network @rsnn attributes {nir_version = "1.0.0"} {
  %input = snn.input "input" : tensor<4xf32>
  %fc1 = snn.affine "fc1"(%input) {
      weight = dense<[[0.9, 0.0, 0.1, 0.0], [0.0, 0.8, 0.0, 0.2], [0.5, 0.5, 0.0, 0.0],
                      [0.0, 0.0, 0.7, 0.3], [0.2, 0.0, 0.0, 0.9], [0.1, 0.1, 0.1, 0.1]]> : tensor<6x4xf32>,
      bias = dense<0.0> : tensor<6xf32>} : tensor<4xf32> -> tensor<6xf32>
  %lif1 = snn.cuba_lif "lif1"(%fc1, %rec) {
      tau_syn = dense<2.0e-4> : tensor<6xf32>, tau_mem = dense<1.0e-3> : tensor<6xf32>,
      r = dense<10.0> : tensor<6xf32>, v_leak = dense<0.0> : tensor<6xf32>,
      v_threshold = dense<1.0> : tensor<6xf32>, v_reset = dense<0.0> : tensor<6xf32>,
      w_in = dense<2.0> : tensor<6xf32>} : tensor<6xf32>
  // Recurrent weights: %lif1 above uses %rec, defined here (a graph region).
  %rec = snn.linear "rec"(%lif1) {
      weight = dense<[[0.0, -0.2, 0.0, 0.0, 0.0, 0.1], [-0.2, 0.0, 0.1, 0.0, 0.0, 0.0],
                      [0.0, 0.1, 0.0, -0.3, 0.0, 0.0], [0.0, 0.0, -0.3, 0.0, 0.2, 0.0],
                      [0.0, 0.0, 0.0, 0.2, 0.0, -0.1], [0.1, 0.0, 0.0, 0.0, -0.1, 0.0]]> : tensor<6x6xf32>}
      : tensor<6xf32>
  %fc2 = snn.linear "fc2"(%lif1) {
      weight = dense<[[1.0, 1.0, 0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 1.0, 1.0, 0.0, 0.0],
                      [0.0, 0.0, 0.0, 0.0, 1.0, 1.0]]> : tensor<3x6xf32>} : tensor<6xf32> -> tensor<3xf32>
  %readout = snn.li "readout"(%fc2) {
      tau = dense<5.0e-3> : tensor<3xf32>, r = dense<1.0> : tensor<3xf32>,
      v_leak = dense<0.0> : tensor<3xf32>} : tensor<3xf32>
  snn.output "output"(%readout) : tensor<3xf32>
}
