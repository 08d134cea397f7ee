// Verifier errors of the nmc dialect name the op and what is wrong.
// RUN: snn-opt %s -split-input-file -verify-diagnostics

nmc.program "n" attributes {discretization = {dt = 1.0e-04 : f64}} {
  // expected-error @+1 {{'nmc.population' op 'a': unknown kind 'Lif'; known: Source, Relay, LIF, CubaLIF, IF, LI, CubaLI, Integrator, Threshold, ReceptorLIF, PoissonSource}}
  nmc.population "a" {kind = "Lif", shape = array<i64: 2>, params = {}}
}

// -----

nmc.program "n" attributes {discretization = {dt = 1.0e-04 : f64}} {
  // expected-error @+1 {{'nmc.population' op 'a': parameter 'beta' has 3 values; give 1 or 2}}
  nmc.population "a" {kind = "LIF", shape = array<i64: 2>, params = {beta = dense<0.5> : tensor<3xf32>}}
}

// -----

nmc.program "n" attributes {discretization = {dt = 1.0e-04 : f64}} {
  // expected-error @+1 {{'nmc.population' op 'a': unknown parameter 'tau'; known: alpha, beta, gain_syn, gain_mem, gain_direct, leak, bias, v_threshold, v_reset, v_init, first_bias}}
  nmc.population "a" {kind = "LIF", shape = array<i64: 2>, params = {tau = dense<0.5> : tensor<1xf32>}}
}

// -----

nmc.program "n" attributes {discretization = {dt = 1.0e-04 : f64}} {
  // expected-error @+1 {{'nmc.population' op 'p': a PoissonSource population needs a rate}}
  nmc.population "p" {kind = "PoissonSource", shape = array<i64: 2>, params = {}}
}

// -----

nmc.program "n" attributes {discretization = {dt = 1.0e-04 : f64}} {
  nmc.population "a" {kind = "Source", shape = array<i64: 2>, params = {}}
  // expected-error @+1 {{'nmc.projection' op 'w': source 0 or target 3 is not one of the 1 populations}}
  nmc.projection "w" {source = 0, target = 3, kind = "dense", weights = dense<1.0> : tensor<4xf32>, delay_steps = array<i64: 0>}
}

// -----

nmc.program "n" attributes {discretization = {dt = 1.0e-04 : f64}} {
  nmc.population "a" {kind = "Source", shape = array<i64: 2>, params = {}}
  // expected-error @+1 {{'nmc.projection' op 'w': row_start has 2 entries; the source has 2 neurons, so 3}}
  nmc.projection "w" {source = 0, target = 0, kind = "sparse", weights = dense<1.0> : tensor<1xf32>, row_start = dense<[0, 1]> : tensor<2xi32>, targets = dense<[1]> : tensor<1xi32>, delay_steps = array<i64: 0>}
}

// -----

nmc.program "n" attributes {discretization = {dt = 1.0e-04 : f64}} {
  nmc.population "a" {kind = "Source", shape = array<i64: 2>, params = {}}
  // expected-error @+1 {{'nmc.projection' op 'w': delays must be >= 0 steps, got -1}}
  nmc.projection "w" {source = 0, target = 0, kind = "dense", weights = dense<1.0> : tensor<4xf32>, delay_steps = array<i64: -1>}
}

// -----

nmc.program "n" attributes {discretization = {dt = 1.0e-04 : f64}} {
  nmc.population "a" {kind = "Source", shape = array<i64: 2>, params = {}}
  // expected-error @+1 {{'nmc.output' op 'o': its shape holds 3 values, population 'a' 2}}
  nmc.output "o" {population = 0, shape = array<i64: 3>}
}

// -----

nmc.program "n" attributes {discretization = {dt = 1.0e-04 : f64}} {
  nmc.population "a" {kind = "Source", shape = array<i64: 2>, params = {}}
  // expected-error @+1 {{'nmc.population' op 'a': another population has this name}}
  nmc.population "a" {kind = "Source", shape = array<i64: 2>, params = {}}
}

// -----

nmc.program "n" attributes {discretization = {dt = 1.0e-04 : f64}} {
  // expected-error @+1 {{'nmc.population' op 'li': reset_subtract is a rule of LIF, CubaLIF and IF populations, not of LI}}
  nmc.population "li" {kind = "LI", shape = array<i64: 2>, params = {}, reset_subtract = true}
}
