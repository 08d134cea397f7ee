// snn-discretize: decays and gains per profile, and the rules on the network.
// RUN: snn-opt %s --snn-discretize="dt=1e-4 profile=exact" | FileCheck %s --check-prefix=EXACT
// RUN: snn-opt %s --snn-discretize="dt=1e-4 profile=snntorch reset=subtract" | FileCheck %s --check-prefix=SNNTORCH
// RUN: snn-opt %s --snn-discretize="dt=1 profile=sinabs" | FileCheck %s --check-prefix=SINABS
// RUN: snn-opt %s --snn-discretize="dt=1e-4 profile=snntorch" | FileCheck %s --check-prefix=KIND
// RUN: snn-opt %s --snn-discretize="dt=1e-4 profile=euler" | FileCheck %s --check-prefix=EULER
// RUN: snn-opt %s --snn-discretize="dt=1e-4 profile=norse" | FileCheck %s --check-prefix=NORSE
// RUN: not snn-opt %s --snn-discretize="profile=brian" 2>&1 | FileCheck %s --check-prefix=UNKNOWN
// RUN: not snn-opt %s --snn-discretize="dt=-1" 2>&1 | FileCheck %s --check-prefix=DT
// RUN: snn-opt %s --snn-discretize | not snn-opt --snn-discretize 2>&1 | FileCheck %s --check-prefix=TWICE

snn.network @n {
  %x = snn.input "x" : tensor<2xf32>
  %lif = snn.lif "lif"(%x) {r = dense<1.0> : tensor<2xf32>, tau = dense<[2.5e-3, 1.0e-3]> : tensor<2xf32>, v_leak = dense<0.0> : tensor<2xf32>, v_reset = dense<0.0> : tensor<2xf32>, v_threshold = dense<0.1> : tensor<2xf32>} : tensor<2xf32>
  %cuba = snn.cuba_lif "cuba"(%x) {r = dense<10.0> : tensor<2xf64>, tau_mem = dense<1.0e-3> : tensor<2xf64>, tau_syn = dense<2.0e-4> : tensor<2xf64>, v_leak = dense<0.0> : tensor<2xf64>, v_reset = dense<0.0> : tensor<2xf64>, v_threshold = dense<1.0> : tensor<2xf64>, w_in = dense<2.0> : tensor<2xf64>} : tensor<2xf32>
  %if = snn.if "if"(%x) {r = dense<2.0> : tensor<2xf32>, v_reset = dense<0.0> : tensor<2xf32>, v_threshold = dense<1.0> : tensor<2xf32>} : tensor<2xf32>
  snn.output "out"(%lif) : tensor<2xf32>
}

// EXACT: snn.network @n attributes {snn.discretization = {comparison = ">", cuba_order = "membrane_first", dt = 1.000000e-04 : f64, profile = "exact", projection_delay = 0 : i64, reset = "zero", reset_timing = "same_step"}}
// exp(-0.1e-3/2.5e-3) = 0.960789439, exp(-0.1) = 0.904837418
// EXACT: snn.discrete_neuron "lif"(%x) {alpha = dense<0.000000e+00> : tensor<2xf32>, beta = dense<[0.960789442, 0.904837429]> : tensor<2xf32>, gain_direct = dense<0.000000e+00> : tensor<2xf32>, gain_mem = dense<[0.0392105617, 0.0951625779]> : tensor<2xf32>
// The exact current-based solution feeds the input straight into v too:
// kappa = tau_s (a - b) / (tau_s - tau_m), gain_mem = r kappa,
// gain_direct = r w_in (1 - b - kappa).
// EXACT: snn.discrete_neuron "cuba"(%x) {alpha = dense<0.606530666> : tensor<2xf32>, beta = dense<0.904837429> : tensor<2xf32>, gain_direct = dense<0.411717862> : tensor<2xf32>, gain_mem = dense<0.745766878> : tensor<2xf32>
// EXACT-SAME: kind = "cuba_lif"
// EXACT: snn.discrete_neuron "if"(%x) {{.*}}gain_mem = dense<2.000000e-04>

// SNNTORCH: reset = "subtract", reset_timing = "carry"
// snnTorch's export convention (r = tau/dt, w_in = tau_syn/dt) gives unit gains.
// SNNTORCH: snn.discrete_neuron "cuba"(%x) {alpha = dense<5.000000e-01> : tensor<2xf32>, beta = dense<0.899999976> : tensor<2xf32>, gain_direct = dense<0.000000e+00> : tensor<2xf32>, gain_mem = dense<1.000000e+00> : tensor<2xf32>, gain_syn = dense<1.000000e+00> : tensor<2xf32>
// SNNTORCH: snn.discrete_neuron "if"(%x) {{.*}}gain_mem = dense<2.000000e+00>

// Without --reset, snnTorch's IF keeps its own rule (subtract) and the
// network's timing is snnTorch's carry; LIF and CubaLIF reset to v_reset.
// KIND: reset = "zero", reset_timing = "carry"
// KIND-NOT: reset = "subtract"
// KIND: snn.discrete_neuron "if"(%x) {{.*}}kind = "if"{{.*}}reset = "subtract"
// KIND-NOT: reset = "subtract"

// The delta form: k = f32(dt / tau) (tau = 1e-3 in f32 is a little over
// 1e-3, hence 0.099999994 for the LIF; 0.1 for the f64 CubaLIF), i_leak 0.
// EULER: delta_form = true
// EULER: snn.discrete_neuron "lif"(%x) {{.*}}delta = {i_leak = dense<0.000000e+00> : tensor<2xf32>, k_mem = dense<[4.000000e-02, 0.099999994]> : tensor<2xf32>, k_syn = dense<0.000000e+00> : tensor<2xf32>, r = dense<1.000000e+00> : tensor<2xf32>, v_leak = dense<0.000000e+00> : tensor<2xf32>, w_in = dense<1.000000e+00> : tensor<2xf32>}
// EULER: snn.discrete_neuron "cuba"(%x) {{.*}}delta = {i_leak = dense<0.000000e+00> : tensor<2xf32>, k_mem = dense<1.000000e-01> : tensor<2xf32>, k_syn = dense<5.000000e-01> : tensor<2xf32>, r = dense<1.000000e+01> : tensor<2xf32>, v_leak = dense<0.000000e+00> : tensor<2xf32>, w_in = dense<2.000000e+00> : tensor<2xf32>}
// EULER-NOT: delta =
// Norse's k is f32(dt) * f32(1 / tau) in float32: 0.099999994 for the
// CubaLIF's tau_mem of exactly 1e-3 too.
// NORSE: delta_form = true
// NORSE: snn.discrete_neuron "cuba"(%x) {{.*}}delta = {{{.*}}k_mem = dense<0.099999994> : tensor<2xf32>

// SINABS: comparison = ">=", cuba_order = "synapse_first"{{.*}}reset = "subtract"
// SINABS: snn.discrete_neuron "lif"(%x) {{.*}}gain_mem = dense<1.000000e+00>

// UNKNOWN: error: unknown discretization profile 'brian'; known profiles: exact, euler, snntorch, norse, sinabs, rockpool, lava, spinnaker2, lava-dl, spyx
// DT: error: dt must be a positive number of seconds, got -1
// TWICE: error: network @n is already discretized
