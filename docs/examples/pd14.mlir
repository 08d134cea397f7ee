// The Potjans & Diesmann (2014) cortical microcircuit, written by
// docs/examples/pd14_generate.py (edit that, not this file).
//   build/bin/snnc docs/examples/pd14.mlir -o pd14.snnb --report
//   build/bin/snn-run pd14.snnb --steps 10000 --rates
snn.network @pd14 {
  %L23E = snn.receptor_lif "L23E"(%bg_L23E_c, %L23E_L23E, %L23I_L23E, %L4E_L23E, %L4I_L23E, %L5E_L23E, %L6E_L23E) {
      tau_mem = dense<0.01> : tensor<20683xf32>,
      v_rest = dense<-0.065> : tensor<20683xf32>,
      v_reset = dense<-0.065> : tensor<20683xf32>,
      v_threshold = dense<-0.05> : tensor<20683xf32>,
      r = dense<40000000.0> : tensor<20683xf32>,
      v_init_dist = {dist = "normal", mean = -0.058 : f64, std = 0.01 : f64, seed = 100 : i64},
      refractory = 0.002 : f64,
      receptors = [{name = "syn", type = "current", tau = 0.0005 : f64} ]} : tensor<20683xf32>
  %bg_L23E = snn.poisson_source "bg_L23E"() {rate = dense<12800.0> : tensor<20683xf32>, seed = 200 : i64} : tensor<20683xf32>
  %bg_L23E_c = snn.connect "bg_L23E_c"(%bg_L23E) {rule = "one_to_one", weight = {dist = "constant", value = 8.78084935e-11 : f64}, delay = {dist = "constant", value = 0.0014 : f64}, seed = 1 : i64, receptor = "syn"} : tensor<20683xf32>
  %L23I = snn.receptor_lif "L23I"(%bg_L23I_c, %L23E_L23I, %L23I_L23I, %L4E_L23I, %L4I_L23I, %L5E_L23I, %L6E_L23I) {
      tau_mem = dense<0.01> : tensor<5834xf32>,
      v_rest = dense<-0.065> : tensor<5834xf32>,
      v_reset = dense<-0.065> : tensor<5834xf32>,
      v_threshold = dense<-0.05> : tensor<5834xf32>,
      r = dense<40000000.0> : tensor<5834xf32>,
      v_init_dist = {dist = "normal", mean = -0.058 : f64, std = 0.01 : f64, seed = 101 : i64},
      refractory = 0.002 : f64,
      receptors = [{name = "syn", type = "current", tau = 0.0005 : f64} ]} : tensor<5834xf32>
  %bg_L23I = snn.poisson_source "bg_L23I"() {rate = dense<12000.0> : tensor<5834xf32>, seed = 201 : i64} : tensor<5834xf32>
  %bg_L23I_c = snn.connect "bg_L23I_c"(%bg_L23I) {rule = "one_to_one", weight = {dist = "constant", value = 8.78084935e-11 : f64}, delay = {dist = "constant", value = 0.0014 : f64}, seed = 1 : i64, receptor = "syn"} : tensor<5834xf32>
  %L4E = snn.receptor_lif "L4E"(%bg_L4E_c, %L23E_L4E, %L23I_L4E, %L4E_L4E, %L4I_L4E, %L5E_L4E, %L5I_L4E, %L6E_L4E) {
      tau_mem = dense<0.01> : tensor<21915xf32>,
      v_rest = dense<-0.065> : tensor<21915xf32>,
      v_reset = dense<-0.065> : tensor<21915xf32>,
      v_threshold = dense<-0.05> : tensor<21915xf32>,
      r = dense<40000000.0> : tensor<21915xf32>,
      v_init_dist = {dist = "normal", mean = -0.058 : f64, std = 0.01 : f64, seed = 102 : i64},
      refractory = 0.002 : f64,
      receptors = [{name = "syn", type = "current", tau = 0.0005 : f64} ]} : tensor<21915xf32>
  %bg_L4E = snn.poisson_source "bg_L4E"() {rate = dense<16800.0> : tensor<21915xf32>, seed = 202 : i64} : tensor<21915xf32>
  %bg_L4E_c = snn.connect "bg_L4E_c"(%bg_L4E) {rule = "one_to_one", weight = {dist = "constant", value = 8.78084935e-11 : f64}, delay = {dist = "constant", value = 0.0014 : f64}, seed = 1 : i64, receptor = "syn"} : tensor<21915xf32>
  %L4I = snn.receptor_lif "L4I"(%bg_L4I_c, %L23E_L4I, %L23I_L4I, %L4E_L4I, %L4I_L4I, %L5E_L4I, %L6E_L4I) {
      tau_mem = dense<0.01> : tensor<5479xf32>,
      v_rest = dense<-0.065> : tensor<5479xf32>,
      v_reset = dense<-0.065> : tensor<5479xf32>,
      v_threshold = dense<-0.05> : tensor<5479xf32>,
      r = dense<40000000.0> : tensor<5479xf32>,
      v_init_dist = {dist = "normal", mean = -0.058 : f64, std = 0.01 : f64, seed = 103 : i64},
      refractory = 0.002 : f64,
      receptors = [{name = "syn", type = "current", tau = 0.0005 : f64} ]} : tensor<5479xf32>
  %bg_L4I = snn.poisson_source "bg_L4I"() {rate = dense<15200.0> : tensor<5479xf32>, seed = 203 : i64} : tensor<5479xf32>
  %bg_L4I_c = snn.connect "bg_L4I_c"(%bg_L4I) {rule = "one_to_one", weight = {dist = "constant", value = 8.78084935e-11 : f64}, delay = {dist = "constant", value = 0.0014 : f64}, seed = 1 : i64, receptor = "syn"} : tensor<5479xf32>
  %L5E = snn.receptor_lif "L5E"(%bg_L5E_c, %L23E_L5E, %L23I_L5E, %L4E_L5E, %L4I_L5E, %L5E_L5E, %L5I_L5E, %L6E_L5E) {
      tau_mem = dense<0.01> : tensor<4850xf32>,
      v_rest = dense<-0.065> : tensor<4850xf32>,
      v_reset = dense<-0.065> : tensor<4850xf32>,
      v_threshold = dense<-0.05> : tensor<4850xf32>,
      r = dense<40000000.0> : tensor<4850xf32>,
      v_init_dist = {dist = "normal", mean = -0.058 : f64, std = 0.01 : f64, seed = 104 : i64},
      refractory = 0.002 : f64,
      receptors = [{name = "syn", type = "current", tau = 0.0005 : f64} ]} : tensor<4850xf32>
  %bg_L5E = snn.poisson_source "bg_L5E"() {rate = dense<16000.0> : tensor<4850xf32>, seed = 204 : i64} : tensor<4850xf32>
  %bg_L5E_c = snn.connect "bg_L5E_c"(%bg_L5E) {rule = "one_to_one", weight = {dist = "constant", value = 8.78084935e-11 : f64}, delay = {dist = "constant", value = 0.0014 : f64}, seed = 1 : i64, receptor = "syn"} : tensor<4850xf32>
  %L5I = snn.receptor_lif "L5I"(%bg_L5I_c, %L23E_L5I, %L23I_L5I, %L4E_L5I, %L4I_L5I, %L5E_L5I, %L5I_L5I, %L6E_L5I) {
      tau_mem = dense<0.01> : tensor<1065xf32>,
      v_rest = dense<-0.065> : tensor<1065xf32>,
      v_reset = dense<-0.065> : tensor<1065xf32>,
      v_threshold = dense<-0.05> : tensor<1065xf32>,
      r = dense<40000000.0> : tensor<1065xf32>,
      v_init_dist = {dist = "normal", mean = -0.058 : f64, std = 0.01 : f64, seed = 105 : i64},
      refractory = 0.002 : f64,
      receptors = [{name = "syn", type = "current", tau = 0.0005 : f64} ]} : tensor<1065xf32>
  %bg_L5I = snn.poisson_source "bg_L5I"() {rate = dense<15200.0> : tensor<1065xf32>, seed = 205 : i64} : tensor<1065xf32>
  %bg_L5I_c = snn.connect "bg_L5I_c"(%bg_L5I) {rule = "one_to_one", weight = {dist = "constant", value = 8.78084935e-11 : f64}, delay = {dist = "constant", value = 0.0014 : f64}, seed = 1 : i64, receptor = "syn"} : tensor<1065xf32>
  %L6E = snn.receptor_lif "L6E"(%bg_L6E_c, %L23E_L6E, %L23I_L6E, %L4E_L6E, %L4I_L6E, %L5E_L6E, %L5I_L6E, %L6E_L6E, %L6I_L6E) {
      tau_mem = dense<0.01> : tensor<14395xf32>,
      v_rest = dense<-0.065> : tensor<14395xf32>,
      v_reset = dense<-0.065> : tensor<14395xf32>,
      v_threshold = dense<-0.05> : tensor<14395xf32>,
      r = dense<40000000.0> : tensor<14395xf32>,
      v_init_dist = {dist = "normal", mean = -0.058 : f64, std = 0.01 : f64, seed = 106 : i64},
      refractory = 0.002 : f64,
      receptors = [{name = "syn", type = "current", tau = 0.0005 : f64} ]} : tensor<14395xf32>
  %bg_L6E = snn.poisson_source "bg_L6E"() {rate = dense<23200.0> : tensor<14395xf32>, seed = 206 : i64} : tensor<14395xf32>
  %bg_L6E_c = snn.connect "bg_L6E_c"(%bg_L6E) {rule = "one_to_one", weight = {dist = "constant", value = 8.78084935e-11 : f64}, delay = {dist = "constant", value = 0.0014 : f64}, seed = 1 : i64, receptor = "syn"} : tensor<14395xf32>
  %L6I = snn.receptor_lif "L6I"(%bg_L6I_c, %L23E_L6I, %L23I_L6I, %L4E_L6I, %L4I_L6I, %L5E_L6I, %L5I_L6I, %L6E_L6I, %L6I_L6I) {
      tau_mem = dense<0.01> : tensor<2948xf32>,
      v_rest = dense<-0.065> : tensor<2948xf32>,
      v_reset = dense<-0.065> : tensor<2948xf32>,
      v_threshold = dense<-0.05> : tensor<2948xf32>,
      r = dense<40000000.0> : tensor<2948xf32>,
      v_init_dist = {dist = "normal", mean = -0.058 : f64, std = 0.01 : f64, seed = 107 : i64},
      refractory = 0.002 : f64,
      receptors = [{name = "syn", type = "current", tau = 0.0005 : f64} ]} : tensor<2948xf32>
  %bg_L6I = snn.poisson_source "bg_L6I"() {rate = dense<16800.0> : tensor<2948xf32>, seed = 207 : i64} : tensor<2948xf32>
  %bg_L6I_c = snn.connect "bg_L6I_c"(%bg_L6I) {rule = "one_to_one", weight = {dist = "constant", value = 8.78084935e-11 : f64}, delay = {dist = "constant", value = 0.0014 : f64}, seed = 1 : i64, receptor = "syn"} : tensor<2948xf32>
  %L23E_L23E = snn.connect "L23E_L23E"(%L23E) {rule = "fixed_total_number", n = 45499804 : i64, autapses = false,
      weight = {dist = "normal", mean = 8.78084935e-11 : f64, std = 8.78084935e-12 : f64, low = 0.0 : f64},
      delay = {dist = "normal", mean = 0.0014 : f64, std = 0.00075 : f64, low = 0.0 : f64, high = 1.0 : f64},
      seed = 1000 : i64, receptor = "syn"} : tensor<20683xf32> -> tensor<20683xf32>
  %L23I_L23E = snn.connect "L23I_L23E"(%L23I) {rule = "fixed_total_number", n = 22323576 : i64, autapses = false,
      weight = {dist = "normal", mean = -3.51233974e-10 : f64, std = 3.51233974e-11 : f64, high = 0.0 : f64},
      delay = {dist = "normal", mean = 0.00065 : f64, std = 0.000375 : f64, low = 0.0 : f64, high = 1.0 : f64},
      seed = 1001 : i64, receptor = "syn"} : tensor<5834xf32> -> tensor<20683xf32>
  %L4E_L23E = snn.connect "L4E_L23E"(%L4E) {rule = "fixed_total_number", n = 20253647 : i64, autapses = false,
      weight = {dist = "normal", mean = 1.75616987e-10 : f64, std = 1.75616987e-11 : f64, low = 0.0 : f64},
      delay = {dist = "normal", mean = 0.0014 : f64, std = 0.00075 : f64, low = 0.0 : f64, high = 1.0 : f64},
      seed = 1002 : i64, receptor = "syn"} : tensor<21915xf32> -> tensor<20683xf32>
  %L4I_L23E = snn.connect "L4I_L23E"(%L4I) {rule = "fixed_total_number", n = 9670918 : i64, autapses = false,
      weight = {dist = "normal", mean = -3.51233974e-10 : f64, std = 3.51233974e-11 : f64, high = 0.0 : f64},
      delay = {dist = "normal", mean = 0.00065 : f64, std = 0.000375 : f64, low = 0.0 : f64, high = 1.0 : f64},
      seed = 1003 : i64, receptor = "syn"} : tensor<5479xf32> -> tensor<20683xf32>
  %L5E_L23E = snn.connect "L5E_L23E"(%L5E) {rule = "fixed_total_number", n = 3293577 : i64, autapses = false,
      weight = {dist = "normal", mean = 8.78084935e-11 : f64, std = 8.78084935e-12 : f64, low = 0.0 : f64},
      delay = {dist = "normal", mean = 0.0014 : f64, std = 0.00075 : f64, low = 0.0 : f64, high = 1.0 : f64},
      seed = 1004 : i64, receptor = "syn"} : tensor<4850xf32> -> tensor<20683xf32>
  %L6E_L23E = snn.connect "L6E_L23E"(%L6E) {rule = "fixed_total_number", n = 2271403 : i64, autapses = false,
      weight = {dist = "normal", mean = 8.78084935e-11 : f64, std = 8.78084935e-12 : f64, low = 0.0 : f64},
      delay = {dist = "normal", mean = 0.0014 : f64, std = 0.00075 : f64, low = 0.0 : f64, high = 1.0 : f64},
      seed = 1006 : i64, receptor = "syn"} : tensor<14395xf32> -> tensor<20683xf32>
  %L23E_L23I = snn.connect "L23E_L23I"(%L23E) {rule = "fixed_total_number", n = 17443694 : i64, autapses = false,
      weight = {dist = "normal", mean = 8.78084935e-11 : f64, std = 8.78084935e-12 : f64, low = 0.0 : f64},
      delay = {dist = "normal", mean = 0.0014 : f64, std = 0.00075 : f64, low = 0.0 : f64, high = 1.0 : f64},
      seed = 1008 : i64, receptor = "syn"} : tensor<20683xf32> -> tensor<5834xf32>
  %L23I_L23I = snn.connect "L23I_L23I"(%L23I) {rule = "fixed_total_number", n = 5018762 : i64, autapses = false,
      weight = {dist = "normal", mean = -3.51233974e-10 : f64, std = 3.51233974e-11 : f64, high = 0.0 : f64},
      delay = {dist = "normal", mean = 0.00065 : f64, std = 0.000375 : f64, low = 0.0 : f64, high = 1.0 : f64},
      seed = 1009 : i64, receptor = "syn"} : tensor<5834xf32> -> tensor<5834xf32>
  %L4E_L23I = snn.connect "L4E_L23I"(%L4E) {rule = "fixed_total_number", n = 4105338 : i64, autapses = false,
      weight = {dist = "normal", mean = 8.78084935e-11 : f64, std = 8.78084935e-12 : f64, low = 0.0 : f64},
      delay = {dist = "normal", mean = 0.0014 : f64, std = 0.00075 : f64, low = 0.0 : f64, high = 1.0 : f64},
      seed = 1010 : i64, receptor = "syn"} : tensor<21915xf32> -> tensor<5834xf32>
  %L4I_L23I = snn.connect "L4I_L23I"(%L4I) {rule = "fixed_total_number", n = 1690073 : i64, autapses = false,
      weight = {dist = "normal", mean = -3.51233974e-10 : f64, std = 3.51233974e-11 : f64, high = 0.0 : f64},
      delay = {dist = "normal", mean = 0.00065 : f64, std = 0.000375 : f64, low = 0.0 : f64, high = 1.0 : f64},
      seed = 1011 : i64, receptor = "syn"} : tensor<5479xf32> -> tensor<5834xf32>
  %L5E_L23I = snn.connect "L5E_L23I"(%L5E) {rule = "fixed_total_number", n = 2221212 : i64, autapses = false,
      weight = {dist = "normal", mean = 8.78084935e-11 : f64, std = 8.78084935e-12 : f64, low = 0.0 : f64},
      delay = {dist = "normal", mean = 0.0014 : f64, std = 0.00075 : f64, low = 0.0 : f64, high = 1.0 : f64},
      seed = 1012 : i64, receptor = "syn"} : tensor<4850xf32> -> tensor<5834xf32>
  %L6E_L23I = snn.connect "L6E_L23I"(%L6E) {rule = "fixed_total_number", n = 353460 : i64, autapses = false,
      weight = {dist = "normal", mean = 8.78084935e-11 : f64, std = 8.78084935e-12 : f64, low = 0.0 : f64},
      delay = {dist = "normal", mean = 0.0014 : f64, std = 0.00075 : f64, low = 0.0 : f64, high = 1.0 : f64},
      seed = 1014 : i64, receptor = "syn"} : tensor<14395xf32> -> tensor<5834xf32>
  %L23E_L4E = snn.connect "L23E_L4E"(%L23E) {rule = "fixed_total_number", n = 3503669 : i64, autapses = false,
      weight = {dist = "normal", mean = 8.78084935e-11 : f64, std = 8.78084935e-12 : f64, low = 0.0 : f64},
      delay = {dist = "normal", mean = 0.0014 : f64, std = 0.00075 : f64, low = 0.0 : f64, high = 1.0 : f64},
      seed = 1016 : i64, receptor = "syn"} : tensor<20683xf32> -> tensor<21915xf32>
  %L23I_L4E = snn.connect "L23I_L4E"(%L23I) {rule = "fixed_total_number", n = 756561 : i64, autapses = false,
      weight = {dist = "normal", mean = -3.51233974e-10 : f64, std = 3.51233974e-11 : f64, high = 0.0 : f64},
      delay = {dist = "normal", mean = 0.00065 : f64, std = 0.000375 : f64, low = 0.0 : f64, high = 1.0 : f64},
      seed = 1017 : i64, receptor = "syn"} : tensor<5834xf32> -> tensor<21915xf32>
  %L4E_L4E = snn.connect "L4E_L4E"(%L4E) {rule = "fixed_total_number", n = 24482849 : i64, autapses = false,
      weight = {dist = "normal", mean = 8.78084935e-11 : f64, std = 8.78084935e-12 : f64, low = 0.0 : f64},
      delay = {dist = "normal", mean = 0.0014 : f64, std = 0.00075 : f64, low = 0.0 : f64, high = 1.0 : f64},
      seed = 1018 : i64, receptor = "syn"} : tensor<21915xf32> -> tensor<21915xf32>
  %L4I_L4E = snn.connect "L4I_L4E"(%L4I) {rule = "fixed_total_number", n = 17413575 : i64, autapses = false,
      weight = {dist = "normal", mean = -3.51233974e-10 : f64, std = 3.51233974e-11 : f64, high = 0.0 : f64},
      delay = {dist = "normal", mean = 0.00065 : f64, std = 0.000375 : f64, low = 0.0 : f64, high = 1.0 : f64},
      seed = 1019 : i64, receptor = "syn"} : tensor<5479xf32> -> tensor<21915xf32>
  %L5E_L4E = snn.connect "L5E_L4E"(%L5E) {rule = "fixed_total_number", n = 714524 : i64, autapses = false,
      weight = {dist = "normal", mean = 8.78084935e-11 : f64, std = 8.78084935e-12 : f64, low = 0.0 : f64},
      delay = {dist = "normal", mean = 0.0014 : f64, std = 0.00075 : f64, low = 0.0 : f64, high = 1.0 : f64},
      seed = 1020 : i64, receptor = "syn"} : tensor<4850xf32> -> tensor<21915xf32>
  %L5I_L4E = snn.connect "L5I_L4E"(%L5I) {rule = "fixed_total_number", n = 7002 : i64, autapses = false,
      weight = {dist = "normal", mean = -3.51233974e-10 : f64, std = 3.51233974e-11 : f64, high = 0.0 : f64},
      delay = {dist = "normal", mean = 0.00065 : f64, std = 0.000375 : f64, low = 0.0 : f64, high = 1.0 : f64},
      seed = 1021 : i64, receptor = "syn"} : tensor<1065xf32> -> tensor<21915xf32>
  %L6E_L4E = snn.connect "L6E_L4E"(%L6E) {rule = "fixed_total_number", n = 14624431 : i64, autapses = false,
      weight = {dist = "normal", mean = 8.78084935e-11 : f64, std = 8.78084935e-12 : f64, low = 0.0 : f64},
      delay = {dist = "normal", mean = 0.0014 : f64, std = 0.00075 : f64, low = 0.0 : f64, high = 1.0 : f64},
      seed = 1022 : i64, receptor = "syn"} : tensor<14395xf32> -> tensor<21915xf32>
  %L23E_L4I = snn.connect "L23E_L4I"(%L23E) {rule = "fixed_total_number", n = 8114253 : i64, autapses = false,
      weight = {dist = "normal", mean = 8.78084935e-11 : f64, std = 8.78084935e-12 : f64, low = 0.0 : f64},
      delay = {dist = "normal", mean = 0.0014 : f64, std = 0.00075 : f64, low = 0.0 : f64, high = 1.0 : f64},
      seed = 1024 : i64, receptor = "syn"} : tensor<20683xf32> -> tensor<5479xf32>
  %L23I_L4I = snn.connect "L23I_L4I"(%L23I) {rule = "fixed_total_number", n = 92831 : i64, autapses = false,
      weight = {dist = "normal", mean = -3.51233974e-10 : f64, std = 3.51233974e-11 : f64, high = 0.0 : f64},
      delay = {dist = "normal", mean = 0.00065 : f64, std = 0.000375 : f64, low = 0.0 : f64, high = 1.0 : f64},
      seed = 1025 : i64, receptor = "syn"} : tensor<5834xf32> -> tensor<5479xf32>
  %L4E_L4I = snn.connect "L4E_L4I"(%L4E) {rule = "fixed_total_number", n = 9933537 : i64, autapses = false,
      weight = {dist = "normal", mean = 8.78084935e-11 : f64, std = 8.78084935e-12 : f64, low = 0.0 : f64},
      delay = {dist = "normal", mean = 0.0014 : f64, std = 0.00075 : f64, low = 0.0 : f64, high = 1.0 : f64},
      seed = 1026 : i64, receptor = "syn"} : tensor<21915xf32> -> tensor<5479xf32>
  %L4I_L4I = snn.connect "L4I_L4I"(%L4I) {rule = "fixed_total_number", n = 5223271 : i64, autapses = false,
      weight = {dist = "normal", mean = -3.51233974e-10 : f64, std = 3.51233974e-11 : f64, high = 0.0 : f64},
      delay = {dist = "normal", mean = 0.00065 : f64, std = 0.000375 : f64, low = 0.0 : f64, high = 1.0 : f64},
      seed = 1027 : i64, receptor = "syn"} : tensor<5479xf32> -> tensor<5479xf32>
  %L5E_L4I = snn.connect "L5E_L4I"(%L5E) {rule = "fixed_total_number", n = 87836 : i64, autapses = false,
      weight = {dist = "normal", mean = 8.78084935e-11 : f64, std = 8.78084935e-12 : f64, low = 0.0 : f64},
      delay = {dist = "normal", mean = 0.0014 : f64, std = 0.00075 : f64, low = 0.0 : f64, high = 1.0 : f64},
      seed = 1028 : i64, receptor = "syn"} : tensor<4850xf32> -> tensor<5479xf32>
  %L6E_L4I = snn.connect "L6E_L4I"(%L6E) {rule = "fixed_total_number", n = 8810905 : i64, autapses = false,
      weight = {dist = "normal", mean = 8.78084935e-11 : f64, std = 8.78084935e-12 : f64, low = 0.0 : f64},
      delay = {dist = "normal", mean = 0.0014 : f64, std = 0.00075 : f64, low = 0.0 : f64, high = 1.0 : f64},
      seed = 1030 : i64, receptor = "syn"} : tensor<14395xf32> -> tensor<5479xf32>
  %L23E_L5E = snn.connect "L23E_L5E"(%L23E) {rule = "fixed_total_number", n = 10613575 : i64, autapses = false,
      weight = {dist = "normal", mean = 8.78084935e-11 : f64, std = 8.78084935e-12 : f64, low = 0.0 : f64},
      delay = {dist = "normal", mean = 0.0014 : f64, std = 0.00075 : f64, low = 0.0 : f64, high = 1.0 : f64},
      seed = 1032 : i64, receptor = "syn"} : tensor<20683xf32> -> tensor<4850xf32>
  %L23I_L5E = snn.connect "L23I_L5E"(%L23I) {rule = "fixed_total_number", n = 1817058 : i64, autapses = false,
      weight = {dist = "normal", mean = -3.51233974e-10 : f64, std = 3.51233974e-11 : f64, high = 0.0 : f64},
      delay = {dist = "normal", mean = 0.00065 : f64, std = 0.000375 : f64, low = 0.0 : f64, high = 1.0 : f64},
      seed = 1033 : i64, receptor = "syn"} : tensor<5834xf32> -> tensor<4850xf32>
  %L4E_L5E = snn.connect "L4E_L5E"(%L4E) {rule = "fixed_total_number", n = 5507804 : i64, autapses = false,
      weight = {dist = "normal", mean = 8.78084935e-11 : f64, std = 8.78084935e-12 : f64, low = 0.0 : f64},
      delay = {dist = "normal", mean = 0.0014 : f64, std = 0.00075 : f64, low = 0.0 : f64, high = 1.0 : f64},
      seed = 1034 : i64, receptor = "syn"} : tensor<21915xf32> -> tensor<4850xf32>
  %L4I_L5E = snn.connect "L4I_L5E"(%L4I) {rule = "fixed_total_number", n = 151900 : i64, autapses = false,
      weight = {dist = "normal", mean = -3.51233974e-10 : f64, std = 3.51233974e-11 : f64, high = 0.0 : f64},
      delay = {dist = "normal", mean = 0.00065 : f64, std = 0.000375 : f64, low = 0.0 : f64, high = 1.0 : f64},
      seed = 1035 : i64, receptor = "syn"} : tensor<5479xf32> -> tensor<4850xf32>
  %L5E_L5E = snn.connect "L5E_L5E"(%L5E) {rule = "fixed_total_number", n = 2040738 : i64, autapses = false,
      weight = {dist = "normal", mean = 8.78084935e-11 : f64, std = 8.78084935e-12 : f64, low = 0.0 : f64},
      delay = {dist = "normal", mean = 0.0014 : f64, std = 0.00075 : f64, low = 0.0 : f64, high = 1.0 : f64},
      seed = 1036 : i64, receptor = "syn"} : tensor<4850xf32> -> tensor<4850xf32>
  %L5I_L5E = snn.connect "L5I_L5E"(%L5I) {rule = "fixed_total_number", n = 2407889 : i64, autapses = false,
      weight = {dist = "normal", mean = -3.51233974e-10 : f64, std = 3.51233974e-11 : f64, high = 0.0 : f64},
      delay = {dist = "normal", mean = 0.00065 : f64, std = 0.000375 : f64, low = 0.0 : f64, high = 1.0 : f64},
      seed = 1037 : i64, receptor = "syn"} : tensor<1065xf32> -> tensor<4850xf32>
  %L6E_L5E = snn.connect "L6E_L5E"(%L6E) {rule = "fixed_total_number", n = 1438969 : i64, autapses = false,
      weight = {dist = "normal", mean = 8.78084935e-11 : f64, std = 8.78084935e-12 : f64, low = 0.0 : f64},
      delay = {dist = "normal", mean = 0.0014 : f64, std = 0.00075 : f64, low = 0.0 : f64, high = 1.0 : f64},
      seed = 1038 : i64, receptor = "syn"} : tensor<14395xf32> -> tensor<4850xf32>
  %L23E_L5I = snn.connect "L23E_L5I"(%L23E) {rule = "fixed_total_number", n = 1241436 : i64, autapses = false,
      weight = {dist = "normal", mean = 8.78084935e-11 : f64, std = 8.78084935e-12 : f64, low = 0.0 : f64},
      delay = {dist = "normal", mean = 0.0014 : f64, std = 0.00075 : f64, low = 0.0 : f64, high = 1.0 : f64},
      seed = 1040 : i64, receptor = "syn"} : tensor<20683xf32> -> tensor<1065xf32>
  %L23I_L5I = snn.connect "L23I_L5I"(%L23I) {rule = "fixed_total_number", n = 169424 : i64, autapses = false,
      weight = {dist = "normal", mean = -3.51233974e-10 : f64, std = 3.51233974e-11 : f64, high = 0.0 : f64},
      delay = {dist = "normal", mean = 0.00065 : f64, std = 0.000375 : f64, low = 0.0 : f64, high = 1.0 : f64},
      seed = 1041 : i64, receptor = "syn"} : tensor<5834xf32> -> tensor<1065xf32>
  %L4E_L5I = snn.connect "L4E_L5I"(%L4E) {rule = "fixed_total_number", n = 607666 : i64, autapses = false,
      weight = {dist = "normal", mean = 8.78084935e-11 : f64, std = 8.78084935e-12 : f64, low = 0.0 : f64},
      delay = {dist = "normal", mean = 0.0014 : f64, std = 0.00075 : f64, low = 0.0 : f64, high = 1.0 : f64},
      seed = 1042 : i64, receptor = "syn"} : tensor<21915xf32> -> tensor<1065xf32>
  %L4I_L5I = snn.connect "L4I_L5I"(%L4I) {rule = "fixed_total_number", n = 12851 : i64, autapses = false,
      weight = {dist = "normal", mean = -3.51233974e-10 : f64, std = 3.51233974e-11 : f64, high = 0.0 : f64},
      delay = {dist = "normal", mean = 0.00065 : f64, std = 0.000375 : f64, low = 0.0 : f64, high = 1.0 : f64},
      seed = 1043 : i64, receptor = "syn"} : tensor<5479xf32> -> tensor<1065xf32>
  %L5E_L5I = snn.connect "L5E_L5I"(%L5E) {rule = "fixed_total_number", n = 319601 : i64, autapses = false,
      weight = {dist = "normal", mean = 8.78084935e-11 : f64, std = 8.78084935e-12 : f64, low = 0.0 : f64},
      delay = {dist = "normal", mean = 0.0014 : f64, std = 0.00075 : f64, low = 0.0 : f64, high = 1.0 : f64},
      seed = 1044 : i64, receptor = "syn"} : tensor<4850xf32> -> tensor<1065xf32>
  %L5I_L5I = snn.connect "L5I_L5I"(%L5I) {rule = "fixed_total_number", n = 430443 : i64, autapses = false,
      weight = {dist = "normal", mean = -3.51233974e-10 : f64, std = 3.51233974e-11 : f64, high = 0.0 : f64},
      delay = {dist = "normal", mean = 0.00065 : f64, std = 0.000375 : f64, low = 0.0 : f64, high = 1.0 : f64},
      seed = 1045 : i64, receptor = "syn"} : tensor<1065xf32> -> tensor<1065xf32>
  %L6E_L5I = snn.connect "L6E_L5I"(%L6E) {rule = "fixed_total_number", n = 132414 : i64, autapses = false,
      weight = {dist = "normal", mean = 8.78084935e-11 : f64, std = 8.78084935e-12 : f64, low = 0.0 : f64},
      delay = {dist = "normal", mean = 0.0014 : f64, std = 0.00075 : f64, low = 0.0 : f64, high = 1.0 : f64},
      seed = 1046 : i64, receptor = "syn"} : tensor<14395xf32> -> tensor<1065xf32>
  %L23E_L6E = snn.connect "L23E_L6E"(%L23E) {rule = "fixed_total_number", n = 4681225 : i64, autapses = false,
      weight = {dist = "normal", mean = 8.78084935e-11 : f64, std = 8.78084935e-12 : f64, low = 0.0 : f64},
      delay = {dist = "normal", mean = 0.0014 : f64, std = 0.00075 : f64, low = 0.0 : f64, high = 1.0 : f64},
      seed = 1048 : i64, receptor = "syn"} : tensor<20683xf32> -> tensor<14395xf32>
  %L23I_L6E = snn.connect "L23I_L6E"(%L23I) {rule = "fixed_total_number", n = 556108 : i64, autapses = false,
      weight = {dist = "normal", mean = -3.51233974e-10 : f64, std = 3.51233974e-11 : f64, high = 0.0 : f64},
      delay = {dist = "normal", mean = 0.00065 : f64, std = 0.000375 : f64, low = 0.0 : f64, high = 1.0 : f64},
      seed = 1049 : i64, receptor = "syn"} : tensor<5834xf32> -> tensor<14395xf32>
  %L4E_L6E = snn.connect "L4E_L6E"(%L4E) {rule = "fixed_total_number", n = 6727569 : i64, autapses = false,
      weight = {dist = "normal", mean = 8.78084935e-11 : f64, std = 8.78084935e-12 : f64, low = 0.0 : f64},
      delay = {dist = "normal", mean = 0.0014 : f64, std = 0.00075 : f64, low = 0.0 : f64, high = 1.0 : f64},
      seed = 1050 : i64, receptor = "syn"} : tensor<21915xf32> -> tensor<14395xf32>
  %L4I_L6E = snn.connect "L4I_L6E"(%L4I) {rule = "fixed_total_number", n = 1320233 : i64, autapses = false,
      weight = {dist = "normal", mean = -3.51233974e-10 : f64, std = 3.51233974e-11 : f64, high = 0.0 : f64},
      delay = {dist = "normal", mean = 0.00065 : f64, std = 0.000375 : f64, low = 0.0 : f64, high = 1.0 : f64},
      seed = 1051 : i64, receptor = "syn"} : tensor<5479xf32> -> tensor<14395xf32>
  %L5E_L6E = snn.connect "L5E_L6E"(%L5E) {rule = "fixed_total_number", n = 4112224 : i64, autapses = false,
      weight = {dist = "normal", mean = 8.78084935e-11 : f64, std = 8.78084935e-12 : f64, low = 0.0 : f64},
      delay = {dist = "normal", mean = 0.0014 : f64, std = 0.00075 : f64, low = 0.0 : f64, high = 1.0 : f64},
      seed = 1052 : i64, receptor = "syn"} : tensor<4850xf32> -> tensor<14395xf32>
  %L5I_L6E = snn.connect "L5I_L6E"(%L5I) {rule = "fixed_total_number", n = 305028 : i64, autapses = false,
      weight = {dist = "normal", mean = -3.51233974e-10 : f64, std = 3.51233974e-11 : f64, high = 0.0 : f64},
      delay = {dist = "normal", mean = 0.00065 : f64, std = 0.000375 : f64, low = 0.0 : f64, high = 1.0 : f64},
      seed = 1053 : i64, receptor = "syn"} : tensor<1065xf32> -> tensor<14395xf32>
  %L6E_L6E = snn.connect "L6E_L6E"(%L6E) {rule = "fixed_total_number", n = 8372649 : i64, autapses = false,
      weight = {dist = "normal", mean = 8.78084935e-11 : f64, std = 8.78084935e-12 : f64, low = 0.0 : f64},
      delay = {dist = "normal", mean = 0.0014 : f64, std = 0.00075 : f64, low = 0.0 : f64, high = 1.0 : f64},
      seed = 1054 : i64, receptor = "syn"} : tensor<14395xf32> -> tensor<14395xf32>
  %L6I_L6E = snn.connect "L6I_L6E"(%L6I) {rule = "fixed_total_number", n = 10827677 : i64, autapses = false,
      weight = {dist = "normal", mean = -3.51233974e-10 : f64, std = 3.51233974e-11 : f64, high = 0.0 : f64},
      delay = {dist = "normal", mean = 0.00065 : f64, std = 0.000375 : f64, low = 0.0 : f64, high = 1.0 : f64},
      seed = 1055 : i64, receptor = "syn"} : tensor<2948xf32> -> tensor<14395xf32>
  %L23E_L6I = snn.connect "L23E_L6I"(%L23E) {rule = "fixed_total_number", n = 2260836 : i64, autapses = false,
      weight = {dist = "normal", mean = 8.78084935e-11 : f64, std = 8.78084935e-12 : f64, low = 0.0 : f64},
      delay = {dist = "normal", mean = 0.0014 : f64, std = 0.00075 : f64, low = 0.0 : f64, high = 1.0 : f64},
      seed = 1056 : i64, receptor = "syn"} : tensor<20683xf32> -> tensor<2948xf32>
  %L23I_L6I = snn.connect "L23I_L6I"(%L23I) {rule = "fixed_total_number", n = 17207 : i64, autapses = false,
      weight = {dist = "normal", mean = -3.51233974e-10 : f64, std = 3.51233974e-11 : f64, high = 0.0 : f64},
      delay = {dist = "normal", mean = 0.00065 : f64, std = 0.000375 : f64, low = 0.0 : f64, high = 1.0 : f64},
      seed = 1057 : i64, receptor = "syn"} : tensor<5834xf32> -> tensor<2948xf32>
  %L4E_L6I = snn.connect "L4E_L6I"(%L4E) {rule = "fixed_total_number", n = 220032 : i64, autapses = false,
      weight = {dist = "normal", mean = 8.78084935e-11 : f64, std = 8.78084935e-12 : f64, low = 0.0 : f64},
      delay = {dist = "normal", mean = 0.0014 : f64, std = 0.00075 : f64, low = 0.0 : f64, high = 1.0 : f64},
      seed = 1058 : i64, receptor = "syn"} : tensor<21915xf32> -> tensor<2948xf32>
  %L4I_L6I = snn.connect "L4I_L6I"(%L4I) {rule = "fixed_total_number", n = 8078 : i64, autapses = false,
      weight = {dist = "normal", mean = -3.51233974e-10 : f64, std = 3.51233974e-11 : f64, high = 0.0 : f64},
      delay = {dist = "normal", mean = 0.00065 : f64, std = 0.000375 : f64, low = 0.0 : f64, high = 1.0 : f64},
      seed = 1059 : i64, receptor = "syn"} : tensor<5479xf32> -> tensor<2948xf32>
  %L5E_L6I = snn.connect "L5E_L6I"(%L5E) {rule = "fixed_total_number", n = 401637 : i64, autapses = false,
      weight = {dist = "normal", mean = 8.78084935e-11 : f64, std = 8.78084935e-12 : f64, low = 0.0 : f64},
      delay = {dist = "normal", mean = 0.0014 : f64, std = 0.00075 : f64, low = 0.0 : f64, high = 1.0 : f64},
      seed = 1060 : i64, receptor = "syn"} : tensor<4850xf32> -> tensor<2948xf32>
  %L5I_L6I = snn.connect "L5I_L6I"(%L5I) {rule = "fixed_total_number", n = 25217 : i64, autapses = false,
      weight = {dist = "normal", mean = -3.51233974e-10 : f64, std = 3.51233974e-11 : f64, high = 0.0 : f64},
      delay = {dist = "normal", mean = 0.00065 : f64, std = 0.000375 : f64, low = 0.0 : f64, high = 1.0 : f64},
      seed = 1061 : i64, receptor = "syn"} : tensor<1065xf32> -> tensor<2948xf32>
  %L6E_L6I = snn.connect "L6E_L6I"(%L6E) {rule = "fixed_total_number", n = 2888426 : i64, autapses = false,
      weight = {dist = "normal", mean = 8.78084935e-11 : f64, std = 8.78084935e-12 : f64, low = 0.0 : f64},
      delay = {dist = "normal", mean = 0.0014 : f64, std = 0.00075 : f64, low = 0.0 : f64, high = 1.0 : f64},
      seed = 1062 : i64, receptor = "syn"} : tensor<14395xf32> -> tensor<2948xf32>
  %L6I_L6I = snn.connect "L6I_L6I"(%L6I) {rule = "fixed_total_number", n = 1354319 : i64, autapses = false,
      weight = {dist = "normal", mean = -3.51233974e-10 : f64, std = 3.51233974e-11 : f64, high = 0.0 : f64},
      delay = {dist = "normal", mean = 0.00065 : f64, std = 0.000375 : f64, low = 0.0 : f64, high = 1.0 : f64},
      seed = 1063 : i64, receptor = "syn"} : tensor<2948xf32> -> tensor<2948xf32>
  snn.output "L23E_spikes"(%L23E) : tensor<20683xf32>
  snn.output "L23I_spikes"(%L23I) : tensor<5834xf32>
  snn.output "L4E_spikes"(%L4E) : tensor<21915xf32>
  snn.output "L4I_spikes"(%L4I) : tensor<5479xf32>
  snn.output "L5E_spikes"(%L5E) : tensor<4850xf32>
  snn.output "L5I_spikes"(%L5I) : tensor<1065xf32>
  snn.output "L6E_spikes"(%L6E) : tensor<14395xf32>
  snn.output "L6I_spikes"(%L6I) : tensor<2948xf32>
}
