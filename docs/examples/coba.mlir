// The Vogels-Abbott COBA benchmark network (Brette et al. 2007, benchmark 1)
// in the variant with a constant drive that the Brian2CUDA benchmarks use:
// the CUBA populations and connectivity, conductance synapses relative to the
// leak (reversal 0 mV and -80 mV), leak reversal -60 mV plus a constant 20 mV
// drive, so v_rest = -40 mV. Conductances need forward Euler (Brian2 picks it
// too). Units: seconds and volts.
//
//   build/bin/snnc docs/examples/coba.mlir -o coba.snnb --profile euler --report
//   build/bin/snn-run coba.snnb --steps 10000 --counts
snn.network @coba {
  %exc = snn.receptor_lif "exc"(%ee, %ie) {
      tau_mem = dense<2.0e-2> : tensor<3200xf32>,
      v_rest = dense<-4.0e-2> : tensor<3200xf32>,
      v_reset = dense<-6.0e-2> : tensor<3200xf32>,
      v_threshold = dense<-5.0e-2> : tensor<3200xf32>,
      r = dense<1.0> : tensor<3200xf32>,
      v_init_dist = {dist = "uniform", low = -6.0e-2 : f64, high = -5.0e-2 : f64, seed = 11 : i64},
      refractory = 5.0e-3 : f64,
      receptors = [{name = "exc", type = "conductance", tau = 5.0e-3 : f64, e_rev = 0.0 : f64},
                   {name = "inh", type = "conductance", tau = 1.0e-2 : f64, e_rev = -8.0e-2 : f64}]} : tensor<3200xf32>
  %inh = snn.receptor_lif "inh"(%ei, %ii) {
      tau_mem = dense<2.0e-2> : tensor<800xf32>,
      v_rest = dense<-4.0e-2> : tensor<800xf32>,
      v_reset = dense<-6.0e-2> : tensor<800xf32>,
      v_threshold = dense<-5.0e-2> : tensor<800xf32>,
      r = dense<1.0> : tensor<800xf32>,
      v_init_dist = {dist = "uniform", low = -6.0e-2 : f64, high = -5.0e-2 : f64, seed = 12 : i64},
      refractory = 5.0e-3 : f64,
      receptors = [{name = "exc", type = "conductance", tau = 5.0e-3 : f64, e_rev = 0.0 : f64},
                   {name = "inh", type = "conductance", tau = 1.0e-2 : f64, e_rev = -8.0e-2 : f64}]} : tensor<800xf32>
  // Conductance increments relative to the leak: we = 6 / 10, wi = 67 / 10.
  %ee = snn.connect "ee"(%exc) {rule = "fixed_probability", p = 0.02 : f64,
      weight = {dist = "constant", value = 0.6 : f64}, seed = 1 : i64,
      receptor = "exc"} : tensor<3200xf32>
  %ei = snn.connect "ei"(%exc) {rule = "fixed_probability", p = 0.02 : f64,
      weight = {dist = "constant", value = 0.6 : f64}, seed = 1 : i64,
      receptor = "exc"} : tensor<3200xf32> -> tensor<800xf32>
  %ie = snn.connect "ie"(%inh) {rule = "fixed_probability", p = 0.02 : f64,
      weight = {dist = "constant", value = 6.7 : f64}, seed = 1 : i64,
      receptor = "inh"} : tensor<800xf32> -> tensor<3200xf32>
  %ii = snn.connect "ii"(%inh) {rule = "fixed_probability", p = 0.02 : f64,
      weight = {dist = "constant", value = 6.7 : f64}, seed = 1 : i64,
      receptor = "inh"} : tensor<800xf32>
  snn.output "exc_spikes"(%exc) : tensor<3200xf32>
  snn.output "inh_spikes"(%inh) : tensor<800xf32>
}
