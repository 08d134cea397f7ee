// snn-discretize on receptor LIF neurons: the exact integrator's and forward
// Euler's per-step constants (dt = 0.1 ms, tau_mem = 20 ms, tau_exc = 5 ms,
// r = 2: beta = e^-0.005, leak = v_rest (1 - beta), current gain
// r tau_k/(tau_k - tau_m) (e^-dt/tau_k - e^-dt/tau_m), and its limit
// r dt/tau_m e^-dt/tau_m when tau_k = tau_m); conductances need Euler.
// RUN: split-file %s %t
// RUN: snn-opt %t/cuba.mlir --snn-discretize="dt=1e-4 profile=exact" | FileCheck %s --check-prefix=EXACT
// RUN: snn-opt %t/cuba.mlir --snn-discretize="dt=1e-4 profile=euler" | FileCheck %s --check-prefix=EULER
// RUN: not snn-opt %t/coba.mlir --snn-discretize="dt=1e-4 profile=exact" 2>&1 | FileCheck %s --check-prefix=NOEXACT
// RUN: snn-opt %t/coba.mlir --snn-discretize="dt=1e-4 profile=euler" | FileCheck %s --check-prefix=COBA
// RUN: not snn-opt %t/cuba.mlir --snn-discretize="dt=1e-4 profile=snntorch" 2>&1 | FileCheck %s --check-prefix=PROFILE
// Delta receptors: decay 0 and the membrane's own beta as gain, per neuron
// (tau_mem 20 and 10 ms), whichever integrator.
// RUN: snn-opt %t/delta.mlir --snn-discretize="dt=1e-4 profile=exact" | FileCheck %s --check-prefix=DELTA
// RUN: snn-opt %t/delta.mlir --snn-discretize="dt=1e-4 profile=euler" | FileCheck %s --check-prefix=DELTA-EULER

// EXACT: snn.discrete_receptor_lif "p"(%c) {beta = dense<0.995012462> : tensor<1xf32>, leak = dense<-2.44388531E-4> : tensor<1xf32>, receptors = [{decay = dense<0.980198681> : tensor<1xf32>, gain = dense<0.00987587124> : tensor<1xf32>, name = "exc", type = "current"}, {decay = dense<0.995012462> : tensor<1xf32>, gain = dense<0.00995012093> : tensor<1xf32>, name = "same", type = "current"}], refractory_steps = 50 : i64, v_init = dense<-4.900000e-02> : tensor<1xf32>, v_reset = dense<-6.000000e-02> : tensor<1xf32>, v_threshold = dense<-5.000000e-02> : tensor<1xf32>}
// EULER: snn.discrete_receptor_lif "p"(%c) {beta = dense<9.950000e-01> : tensor<1xf32>, leak = dense<-2.450000e-04> : tensor<1xf32>, receptors = [{decay = dense<9.800000e-01> : tensor<1xf32>, gain = dense<0.00999999977> : tensor<1xf32>, name = "exc", type = "current"}, {decay = dense<9.950000e-01> : tensor<1xf32>, gain = dense<0.00999999977> : tensor<1xf32>, name = "same", type = "current"}], refractory_steps = 50
// NOEXACT: error: 'snn.receptor_lif' op node 'p': conductance receptor 'g' has no exact integrator (v multiplies g); compile with --profile euler
// COBA: receptors = [{decay = dense<9.800000e-01> : tensor<1xf32>, gain = dense<5.000000e-03> : tensor<1xf32>, name = "g", reversal = dense<-8.000000e-02> : tensor<1xf32>, type = "conductance"}]
// DELTA: beta = dense<[0.995012462, 0.990049839]> : tensor<2xf32>
// DELTA-SAME: receptors = [{decay = dense<0.000000e+00> : tensor<2xf32>, gain = dense<[0.995012462, 0.990049839]> : tensor<2xf32>, name = "syn", type = "delta"}]
// DELTA-EULER: receptors = [{decay = dense<0.000000e+00> : tensor<2xf32>, gain = dense<[9.950000e-01, 9.900000e-01]> : tensor<2xf32>, name = "syn", type = "delta"}]
// PROFILE: error: 'snn.receptor_lif' op node 'p': receptor_lif is discretized by the 'exact' or 'euler' profile, not 'snntorch'

//--- cuba.mlir
snn.network @n {
  %x = snn.input "x" : tensor<1xf32>
  %c = snn.connect "c"(%x) {rule = "one_to_one", weight = {dist = "constant", value = 1.0 : f64}, seed = 1 : i64, receptor = "exc"} : tensor<1xf32>
  %p = snn.receptor_lif "p"(%c) {tau_mem = dense<2.0e-2> : tensor<1xf32>, v_rest = dense<-4.9e-2> : tensor<1xf32>, v_reset = dense<-6.0e-2> : tensor<1xf32>, v_threshold = dense<-5.0e-2> : tensor<1xf32>, r = dense<2.0> : tensor<1xf32>, refractory = 5.0e-3 : f64, receptors = [{name = "exc", type = "current", tau = 5.0e-3 : f64}, {name = "same", type = "current", tau = 2.0e-2 : f64}]} : tensor<1xf32>
  snn.output "out"(%p) : tensor<1xf32>
}

//--- coba.mlir
snn.network @n {
  %x = snn.input "x" : tensor<1xf32>
  %c = snn.connect "c"(%x) {rule = "one_to_one", weight = {dist = "constant", value = 1.0 : f64}, seed = 1 : i64, receptor = "g"} : tensor<1xf32>
  %p = snn.receptor_lif "p"(%c) {tau_mem = dense<2.0e-2> : tensor<1xf32>, v_rest = dense<-6.0e-2> : tensor<1xf32>, v_reset = dense<-6.0e-2> : tensor<1xf32>, v_threshold = dense<-5.0e-2> : tensor<1xf32>, r = dense<1.0> : tensor<1xf32>, refractory = 0.0 : f64, receptors = [{name = "g", type = "conductance", tau = 5.0e-3 : f64, e_rev = -8.0e-2 : f64}]} : tensor<1xf32>
  snn.output "out"(%p) : tensor<1xf32>
}

//--- delta.mlir
snn.network @n {
  %x = snn.input "x" : tensor<2xf32>
  %c = snn.connect "c"(%x) {rule = "one_to_one", weight = {dist = "constant", value = 1.0e-3 : f64}, seed = 1 : i64, receptor = "syn"} : tensor<2xf32>
  %p = snn.receptor_lif "p"(%c) {tau_mem = dense<[2.0e-2, 1.0e-2]> : tensor<2xf32>, v_rest = dense<-4.9e-2> : tensor<2xf32>, v_reset = dense<-6.0e-2> : tensor<2xf32>, v_threshold = dense<-5.0e-2> : tensor<2xf32>, r = dense<1.0> : tensor<2xf32>, refractory = 0.0 : f64, receptors = [{name = "syn", type = "delta"}]} : tensor<2xf32>
  snn.output "out"(%p) : tensor<2xf32>
}
