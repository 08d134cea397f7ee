// sparse1m: the random E/I network of delta-synapse LIF neurons that
// network-bench also generates as `sparse1m` (docs/benchmarks.md):
// 1000000 neurons, 80 % excitatory, every ordered pair (self-pairs included)
// connected with probability K/N = 100/1000000, tau_m 20 ms, rest 1 mV above the
// -50 mV threshold (every neuron fires on its own), reset -60 mV, no
// refractory period, initial potentials uniform in [-60, -50] mV; each
// excitatory spike moves its targets' v by we = 20/K mV, each inhibitory one
// by -5 we. Units: seconds and volts.
//
//   build/bin/snnc test/bench/networks/sparse1m.mlir -o net.snnb --report
//   build/bin/snn-run net.snnb --steps 10000 --counts
snn.network @sparse1m {
  %exc = snn.receptor_lif "exc"(%ee, %ie) {
      tau_mem = dense<2.0e-2> : tensor<800000xf32>, v_rest = dense<-4.9e-2> : tensor<800000xf32>,
      v_reset = dense<-6.0e-2> : tensor<800000xf32>, v_threshold = dense<-5.0e-2> : tensor<800000xf32>,
      r = dense<1.0> : tensor<800000xf32>, refractory = 0.0 : f64,
      v_init_dist = {dist = "uniform", low = -6.0e-2 : f64, high = -5.0e-2 : f64, seed = 41 : i64},
      receptors = [{name = "syn", type = "delta"}]} : tensor<800000xf32>
  %inh = snn.receptor_lif "inh"(%ei, %ii) {
      tau_mem = dense<2.0e-2> : tensor<200000xf32>, v_rest = dense<-4.9e-2> : tensor<200000xf32>,
      v_reset = dense<-6.0e-2> : tensor<200000xf32>, v_threshold = dense<-5.0e-2> : tensor<200000xf32>,
      r = dense<1.0> : tensor<200000xf32>, refractory = 0.0 : f64,
      v_init_dist = {dist = "uniform", low = -6.0e-2 : f64, high = -5.0e-2 : f64, seed = 42 : i64},
      receptors = [{name = "syn", type = "delta"}]} : tensor<200000xf32>
  %ee = snn.connect "ee"(%exc) {rule = "fixed_probability", p = 0.0001 : f64,
      weight = {dist = "constant", value = 2.000000e-04 : f64}, seed = 43 : i64,
      receptor = "syn"} : tensor<800000xf32>
  %ei = snn.connect "ei"(%exc) {rule = "fixed_probability", p = 0.0001 : f64,
      weight = {dist = "constant", value = 2.000000e-04 : f64}, seed = 44 : i64,
      receptor = "syn"} : tensor<800000xf32> -> tensor<200000xf32>
  %ie = snn.connect "ie"(%inh) {rule = "fixed_probability", p = 0.0001 : f64,
      weight = {dist = "constant", value = -1.000000e-03 : f64}, seed = 45 : i64,
      receptor = "syn"} : tensor<200000xf32> -> tensor<800000xf32>
  %ii = snn.connect "ii"(%inh) {rule = "fixed_probability", p = 0.0001 : f64,
      weight = {dist = "constant", value = -1.000000e-03 : f64}, seed = 46 : i64,
      receptor = "syn"} : tensor<200000xf32>
  snn.output "exc_spikes"(%exc) : tensor<800000xf32>
  snn.output "inh_spikes"(%inh) : tensor<200000xf32>
}
