// The snnc extension ops print and parse back to themselves, in custom and
// generic form; a synapse list held in a resource blob round-trips too.
// RUN: snn-opt %s | snn-opt | FileCheck %s
// RUN: snn-opt %s --mlir-print-op-generic | snn-opt | FileCheck %s

// CHECK-LABEL: snn.network @ext
snn.network @ext {
  // CHECK: %bg = snn.poisson_source "bg"() {rate = dense<8.000000e+03> : tensor<2xf32>, seed = 7 : i64} : tensor<2xf32>
  %bg = snn.poisson_source "bg"() {rate = dense<8.0e3> : tensor<2xf32>, seed = 7 : i64} : tensor<2xf32>
  // CHECK: %drive = snn.connect "drive"(%bg) {{{.*}}receptor = "exc", rule = "one_to_one", seed = 1 : i64, weight = {dist = "constant", value = 1.000000e-03 : f64}} : tensor<2xf32>
  %drive = snn.connect "drive"(%bg) {rule = "one_to_one", weight = {dist = "constant", value = 1.0e-3 : f64}, seed = 1 : i64, receptor = "exc"} : tensor<2xf32>
  // CHECK: %rec = snn.connect "rec"(%pop) {autapses = false, delay = {dist = "normal", high = 5.000000e-03 : f64, low = 1.000000e-04 : f64, mean = 1.500000e-03 : f64, std = 7.500000e-04 : f64}, p = 2.000000e-01 : f64, receptor = "inh", rule = "fixed_probability", seed = 3 : i64, weight = {dist = "lognormal", mu = -7.000000e+00 : f64, sigma = 5.000000e-01 : f64}} : tensor<2xf32>
  %rec = snn.connect "rec"(%pop) {rule = "fixed_probability", p = 0.2 : f64, autapses = false, weight = {dist = "lognormal", mu = -7.0 : f64, sigma = 0.5 : f64}, delay = {dist = "normal", mean = 1.5e-3 : f64, std = 7.5e-4 : f64, low = 1.0e-4 : f64, high = 5.0e-3 : f64}, seed = 3 : i64, receptor = "inh"} : tensor<2xf32>
  // CHECK: %list = snn.sparse "list"(%bg) {delay = dense<[1.000000e-03, 2.000000e-03]> : tensor<2xf32>, post = dense_resource<post_blob> : tensor<2xi32>, pre = dense<[0, 1]> : tensor<2xi32>, receptor = "exc", weight = dense<5.000000e-01> : tensor<1xf32>} : tensor<2xf32>
  %list = snn.sparse "list"(%bg) {pre = dense<[0, 1]> : tensor<2xi32>, post = dense_resource<post_blob> : tensor<2xi32>, weight = dense<0.5> : tensor<1xf32>, delay = dense<[1.0e-3, 2.0e-3]> : tensor<2xf32>, receptor = "exc"} : tensor<2xf32>
  // CHECK: %pop = snn.receptor_lif "pop"(%drive, %rec, %list) {{{.*}}receptors = [{name = "exc", tau = 5.000000e-03 : f64, type = "current"}, {e_rev = -8.000000e-02 : f64, name = "inh", tau = dense<[{{.*}}, 2.000000e-02]> : tensor<2xf32>, type = "conductance"}]{{.*}}v_init_dist = {dist = "uniform", high = -5.000000e-02 : f64, low = -6.000000e-02 : f64, seed = 5 : i64}{{.*}}} : tensor<2xf32>
  %pop = snn.receptor_lif "pop"(%drive, %rec, %list) {tau_mem = dense<2.0e-2> : tensor<2xf32>, v_rest = dense<-6.5e-2> : tensor<2xf32>, v_reset = dense<-6.5e-2> : tensor<2xf32>, v_threshold = dense<[-5.0e-2, -5.1e-2]> : tensor<2xf32>, r = dense<4.0e7> : tensor<2xf32>, refractory = 2.0e-3 : f64, v_init_dist = {dist = "uniform", low = -6.0e-2 : f64, high = -5.0e-2 : f64, seed = 5 : i64}, receptors = [{name = "exc", type = "current", tau = 5.0e-3 : f64}, {name = "inh", type = "conductance", tau = dense<[1.0e-2, 2.0e-2]> : tensor<2xf32>, e_rev = -8.0e-2 : f64}]} : tensor<2xf32>
  // CHECK: %d = snn.discrete_receptor_lif "d"(%dl) {{{.*}}refractory_steps = 20 : i64{{.*}}} : tensor<2xf32>
  %d = snn.discrete_receptor_lif "d"(%dl) {beta = dense<0.99> : tensor<2xf32>, leak = dense<0.0> : tensor<2xf32>, v_threshold = dense<1.0> : tensor<2xf32>, v_reset = dense<0.0> : tensor<2xf32>, v_init = dense<0.0> : tensor<2xf32>, refractory_steps = 20 : i64, receptors = [{name = "a", type = "current", decay = dense<0.9> : tensor<2xf32>, gain = dense<0.1> : tensor<2xf32>}]} : tensor<2xf32>
  %dl = snn.sparse "dl"(%pop) {pre = dense<[0]> : tensor<1xi32>, post = dense<[1]> : tensor<1xi32>, weight = dense<1.0> : tensor<1xf32>, receptor = "a"} : tensor<2xf32>
  snn.output "out"(%pop) : tensor<2xf32>
}

{-#
  dialect_resources: {
    builtin: {
      post_blob: "0x040000000100000000000000"
    }
  }
#-}
