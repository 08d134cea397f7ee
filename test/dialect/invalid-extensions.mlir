// Verifier errors of the snnc extension ops name the node, the parameter
// and the value.
// RUN: snn-opt %s -split-input-file -verify-diagnostics

snn.network @n {
  %x = snn.input "x" : tensor<2xf32>
  %c = snn.connect "c"(%x) {rule = "all_to_all", weight = {dist = "constant", value = 1.0 : f64}, seed = 1 : i64, receptor = "ampa"} : tensor<2xf32>
  // expected-error @+1 {{node 'p': input 0 targets receptor 'ampa', which this node does not have (receptors: exc)}}
  %p = snn.receptor_lif "p"(%c) {tau_mem = dense<2.0e-2> : tensor<2xf32>, v_rest = dense<0.0> : tensor<2xf32>, v_reset = dense<0.0> : tensor<2xf32>, v_threshold = dense<1.0> : tensor<2xf32>, r = dense<1.0> : tensor<2xf32>, refractory = 0.0 : f64, receptors = [{name = "exc", type = "current", tau = 5.0e-3 : f64}]} : tensor<2xf32>
}

// -----

snn.network @n {
  %x = snn.input "x" : tensor<2xf32>
  %a = snn.linear "a"(%x) {weight = dense<1.0> : tensor<2x2xf32>} : tensor<2xf32>
  // expected-error @+1 {{node 'p': input 0 must come from an snn.sparse or snn.connect node that names a receptor, not from snn.linear}}
  %p = snn.receptor_lif "p"(%a) {tau_mem = dense<2.0e-2> : tensor<2xf32>, v_rest = dense<0.0> : tensor<2xf32>, v_reset = dense<0.0> : tensor<2xf32>, v_threshold = dense<1.0> : tensor<2xf32>, r = dense<1.0> : tensor<2xf32>, refractory = 0.0 : f64, receptors = [{name = "exc", type = "current", tau = 5.0e-3 : f64}]} : tensor<2xf32>
}

// -----

snn.network @n {
  // expected-error @+1 {{node 'p': receptor 'exc' tau = -5.000000e-03 must be positive}}
  %p = snn.receptor_lif "p"() {tau_mem = dense<2.0e-2> : tensor<2xf32>, v_rest = dense<0.0> : tensor<2xf32>, v_reset = dense<0.0> : tensor<2xf32>, v_threshold = dense<1.0> : tensor<2xf32>, r = dense<1.0> : tensor<2xf32>, refractory = 0.0 : f64, receptors = [{name = "exc", type = "current", tau = -5.0e-3 : f64}]} : tensor<2xf32>
}

// -----

snn.network @n {
  // expected-error @+1 {{node 'p': tau_mem element 1 = 0.000000e+00 must be positive}}
  %p = snn.receptor_lif "p"() {tau_mem = dense<[2.0e-2, 0.0]> : tensor<2xf32>, v_rest = dense<0.0> : tensor<2xf32>, v_reset = dense<0.0> : tensor<2xf32>, v_threshold = dense<1.0> : tensor<2xf32>, r = dense<1.0> : tensor<2xf32>, refractory = 0.0 : f64, receptors = [{name = "exc", type = "current", tau = 5.0e-3 : f64}]} : tensor<2xf32>
}

// -----

snn.network @n {
  // expected-error @+1 {{node 'p': refractory = -1.000000e-03 s must be >= 0 and finite}}
  %p = snn.receptor_lif "p"() {tau_mem = dense<2.0e-2> : tensor<2xf32>, v_rest = dense<0.0> : tensor<2xf32>, v_reset = dense<0.0> : tensor<2xf32>, v_threshold = dense<1.0> : tensor<2xf32>, r = dense<1.0> : tensor<2xf32>, refractory = -1.0e-3 : f64, receptors = [{name = "exc", type = "current", tau = 5.0e-3 : f64}]} : tensor<2xf32>
}

// -----

snn.network @n {
  // expected-error @+1 {{node 'p': receptor 'exc' has unknown key 'e_rev' (only conductance receptors have a reversal potential)}}
  %p = snn.receptor_lif "p"() {tau_mem = dense<2.0e-2> : tensor<2xf32>, v_rest = dense<0.0> : tensor<2xf32>, v_reset = dense<0.0> : tensor<2xf32>, v_threshold = dense<1.0> : tensor<2xf32>, r = dense<1.0> : tensor<2xf32>, refractory = 0.0 : f64, receptors = [{name = "exc", type = "current", tau = 5.0e-3 : f64, e_rev = 0.0 : f64}]} : tensor<2xf32>
}

// -----

snn.network @n {
  // expected-error @+1 {{node 'p': receptor 'd' has unknown key 'tau' (a delta receptor has no time constant: each event moves v at once)}}
  %p = snn.receptor_lif "p"() {tau_mem = dense<2.0e-2> : tensor<2xf32>, v_rest = dense<0.0> : tensor<2xf32>, v_reset = dense<0.0> : tensor<2xf32>, v_threshold = dense<1.0> : tensor<2xf32>, r = dense<1.0> : tensor<2xf32>, refractory = 0.0 : f64, receptors = [{name = "d", type = "delta", tau = 5.0e-3 : f64}]} : tensor<2xf32>
}

// -----

snn.network @n {
  // expected-error @+1 {{node 'p': receptor 'd' type 'dirac' is not "current", "alpha", "conductance", "delta" or "injection"}}
  %p = snn.receptor_lif "p"() {tau_mem = dense<2.0e-2> : tensor<2xf32>, v_rest = dense<0.0> : tensor<2xf32>, v_reset = dense<0.0> : tensor<2xf32>, v_threshold = dense<1.0> : tensor<2xf32>, r = dense<1.0> : tensor<2xf32>, refractory = 0.0 : f64, receptors = [{name = "d", type = "dirac"}]} : tensor<2xf32>
}

// -----

snn.network @n {
  // expected-error @+1 {{node 'p': receptor name 'exc' repeats}}
  %p = snn.receptor_lif "p"() {tau_mem = dense<2.0e-2> : tensor<2xf32>, v_rest = dense<0.0> : tensor<2xf32>, v_reset = dense<0.0> : tensor<2xf32>, v_threshold = dense<1.0> : tensor<2xf32>, r = dense<1.0> : tensor<2xf32>, refractory = 0.0 : f64, receptors = [{name = "exc", type = "current", tau = 5.0e-3 : f64}, {name = "exc", type = "current", tau = 5.0e-3 : f64}]} : tensor<2xf32>
}

// -----

snn.network @n {
  // expected-error @+1 {{node 'p': gives both v_init and v_init_dist}}
  %p = snn.receptor_lif "p"() {tau_mem = dense<2.0e-2> : tensor<2xf32>, v_rest = dense<0.0> : tensor<2xf32>, v_reset = dense<0.0> : tensor<2xf32>, v_threshold = dense<1.0> : tensor<2xf32>, r = dense<1.0> : tensor<2xf32>, v_init = dense<0.0> : tensor<2xf32>, v_init_dist = {dist = "uniform", low = 0.0 : f64, high = 1.0 : f64, seed = 1 : i64}, refractory = 0.0 : f64, receptors = [{name = "exc", type = "current", tau = 5.0e-3 : f64}]} : tensor<2xf32>
}

// -----

snn.network @n {
  %x = snn.input "x" : tensor<4xf32>
  // expected-error @+1 {{node 'c': probability p = 1.500000e+00 is outside [0, 1]}}
  %c = snn.connect "c"(%x) {rule = "fixed_probability", p = 1.5 : f64, weight = {dist = "constant", value = 1.0 : f64}, seed = 1 : i64} : tensor<4xf32>
}

// -----

snn.network @n {
  %x = snn.input "x" : tensor<4xf32>
  // expected-error @+1 {{node 'c': fixed in-degree n = 5 is larger than the source (4 neurons) and multapses are off}}
  %c = snn.connect "c"(%x) {rule = "fixed_in_degree", n = 5 : i64, multapses = false, weight = {dist = "constant", value = 1.0 : f64}, seed = 1 : i64} : tensor<4xf32>
}

// -----

snn.network @n {
  %x = snn.input "x" : tensor<4xf32>
  // expected-error @+1 {{node 'c': 'delay' can draw negative values; delays must be >= 0 (for a normal distribution give low >= 0)}}
  %c = snn.connect "c"(%x) {rule = "all_to_all", weight = {dist = "constant", value = 1.0 : f64}, delay = {dist = "normal", mean = 1.0e-3 : f64, std = 1.0e-3 : f64}, seed = 1 : i64} : tensor<4xf32>
}

// -----

snn.network @n {
  %x = snn.input "x" : tensor<4xf32>
  // expected-error @+1 {{node 'c': 'delay' can draw negative values}}
  %c = snn.connect "c"(%x) {rule = "all_to_all", weight = {dist = "constant", value = 1.0 : f64}, delay = {dist = "constant", value = -1.0e-3 : f64}, seed = 1 : i64} : tensor<4xf32>
}

// -----

snn.network @n {
  %x = snn.input "x" : tensor<4xf32>
  // expected-error @+1 {{node 'c': 'weight.std' = -1.000000e+00 must be >= 0}}
  %c = snn.connect "c"(%x) {rule = "all_to_all", weight = {dist = "normal", mean = 1.0 : f64, std = -1.0 : f64}, seed = 1 : i64} : tensor<4xf32>
}

// -----

snn.network @n {
  %x = snn.input "x" : tensor<4xf32>
  // expected-error @+1 {{node 'c': rule 'random' is not one of all_to_all, one_to_one, fixed_probability, fixed_in_degree, fixed_out_degree, fixed_total_number}}
  %c = snn.connect "c"(%x) {rule = "random", weight = {dist = "constant", value = 1.0 : f64}, seed = 1 : i64} : tensor<4xf32>
}

// -----

snn.network @n {
  %x = snn.input "x" : tensor<4xf32>
  // expected-error @+1 {{node 'c': one_to_one connects 4 sources to 3 targets; the sizes must be equal}}
  %c = snn.connect "c"(%x) {rule = "one_to_one", weight = {dist = "constant", value = 1.0 : f64}, seed = 1 : i64} : tensor<4xf32> -> tensor<3xf32>
}

// -----

snn.network @n {
  %x = snn.input "x" : tensor<4xf32>
  // expected-error @+1 {{node 'c': 'weight' has unknown dist "gamma" (constant, normal, lognormal, uniform)}}
  %c = snn.connect "c"(%x) {rule = "all_to_all", weight = {dist = "gamma", value = 1.0 : f64}, seed = 1 : i64} : tensor<4xf32>
}

// -----

snn.network @n {
  %x = snn.input "x" : tensor<4xf32>
  // expected-error @+1 {{node 's': 'post' entry 1 = 3 is outside [0, 3)}}
  %s = snn.sparse "s"(%x) {pre = dense<[0, 1]> : tensor<2xi32>, post = dense<[0, 3]> : tensor<2xi32>, weight = dense<1.0> : tensor<1xf32>} : tensor<4xf32> -> tensor<3xf32>
}

// -----

snn.network @n {
  %x = snn.input "x" : tensor<4xf32>
  // expected-error @+1 {{node 's': 'delay' entry 0 = -1.000000e-03 s must be >= 0 and finite}}
  %s = snn.sparse "s"(%x) {pre = dense<[0, 1]> : tensor<2xi32>, post = dense<[0, 2]> : tensor<2xi32>, weight = dense<1.0> : tensor<1xf32>, delay = dense<[-1.0e-3, 1.0e-3]> : tensor<2xf32>} : tensor<4xf32> -> tensor<3xf32>
}

// -----

snn.network @n {
  %x = snn.input "x" : tensor<4xf32>
  // expected-error @+1 {{node 's': 'weight' has 3 entries; it needs 2 (one per synapse) or 1 (shared)}}
  %s = snn.sparse "s"(%x) {pre = dense<[0, 1]> : tensor<2xi32>, post = dense<[0, 2]> : tensor<2xi32>, weight = dense<[1.0, 2.0, 3.0]> : tensor<3xf32>} : tensor<4xf32> -> tensor<3xf32>
}

// -----

snn.network @n {
  %x = snn.input "x" : tensor<4xf32>
  // expected-error @+1 {{node 's': 'post' names resource blob 'missing', which the file does not hold}}
  %s = snn.sparse "s"(%x) {pre = dense<[0, 1]> : tensor<2xi32>, post = dense_resource<missing> : tensor<2xi32>, weight = dense<1.0> : tensor<1xf32>} : tensor<4xf32> -> tensor<3xf32>
}

// -----

snn.network @n {
  // expected-error @+1 {{node 'bg': rate element 1 = -2.000000e+00 Hz must be >= 0}}
  %bg = snn.poisson_source "bg"() {rate = dense<[1.0, -2.0]> : tensor<2xf32>, seed = 1 : i64} : tensor<2xf32>
}
