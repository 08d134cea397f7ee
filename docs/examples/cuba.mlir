// The Vogels-Abbott CUBA benchmark network (Brette et al. 2007, benchmark 2),
// as Brian2's examples/CUBA.py writes it: 4000 LIF neurons, 3200 excitatory
// and 800 inhibitory, each pair connected with probability 0.02 (self-pairs
// included), exponential current synapses. Units: seconds and volts.
//
//   build/bin/snnc docs/examples/cuba.mlir -o cuba.snnb --report
//   build/bin/snn-run cuba.snnb --steps 10000 --counts
snn.network @cuba {
  %exc = snn.receptor_lif "exc"(%ee, %ie) {
      tau_mem = dense<2.0e-2> : tensor<3200xf32>,
      v_rest = dense<-4.9e-2> : tensor<3200xf32>,
      v_reset = dense<-6.0e-2> : tensor<3200xf32>,
      v_threshold = dense<-5.0e-2> : tensor<3200xf32>,
      r = dense<1.0> : tensor<3200xf32>,
      v_init_dist = {dist = "uniform", low = -6.0e-2 : f64, high = -5.0e-2 : f64, seed = 11 : i64},
      refractory = 5.0e-3 : f64,
      receptors = [{name = "exc", type = "current", tau = 5.0e-3 : f64},
                   {name = "inh", type = "current", tau = 1.0e-2 : f64}]} : tensor<3200xf32>
  %inh = snn.receptor_lif "inh"(%ei, %ii) {
      tau_mem = dense<2.0e-2> : tensor<800xf32>,
      v_rest = dense<-4.9e-2> : tensor<800xf32>,
      v_reset = dense<-6.0e-2> : tensor<800xf32>,
      v_threshold = dense<-5.0e-2> : tensor<800xf32>,
      r = dense<1.0> : tensor<800xf32>,
      v_init_dist = {dist = "uniform", low = -6.0e-2 : f64, high = -5.0e-2 : f64, seed = 12 : i64},
      refractory = 5.0e-3 : f64,
      receptors = [{name = "exc", type = "current", tau = 5.0e-3 : f64},
                   {name = "inh", type = "current", tau = 1.0e-2 : f64}]} : tensor<800xf32>
  // we = 60 * 0.27 / 10 mV, wi = -20 * 4.5 / 10 mV.
  %ee = snn.connect "ee"(%exc) {rule = "fixed_probability", p = 0.02 : f64,
      weight = {dist = "constant", value = 1.62e-3 : f64}, seed = 1 : i64,
      receptor = "exc"} : tensor<3200xf32>
  %ei = snn.connect "ei"(%exc) {rule = "fixed_probability", p = 0.02 : f64,
      weight = {dist = "constant", value = 1.62e-3 : f64}, seed = 1 : i64,
      receptor = "exc"} : tensor<3200xf32> -> tensor<800xf32>
  %ie = snn.connect "ie"(%inh) {rule = "fixed_probability", p = 0.02 : f64,
      weight = {dist = "constant", value = -9.0e-3 : f64}, seed = 1 : i64,
      receptor = "inh"} : tensor<800xf32> -> tensor<3200xf32>
  %ii = snn.connect "ii"(%inh) {rule = "fixed_probability", p = 0.02 : f64,
      weight = {dist = "constant", value = -9.0e-3 : f64}, seed = 1 : i64,
      receptor = "inh"} : tensor<800xf32>
  snn.output "exc_spikes"(%exc) : tensor<3200xf32>
  snn.output "inh_spikes"(%inh) : tensor<800xf32>
}
