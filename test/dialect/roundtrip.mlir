// Every snn op prints and parses back to itself, in custom and generic form.
// RUN: snn-opt %s | snn-opt | FileCheck %s
// RUN: snn-opt %s --mlir-print-op-generic | snn-opt | FileCheck %s

// CHECK-LABEL: snn.network @all_ops attributes {nir_version = "1.0.0"} {
snn.network @all_ops attributes {nir_version = "1.0.0"} {
  // CHECK: %x = snn.input "x" : tensor<2x6x6xf32>
  %x = snn.input "x" : tensor<2x6x6xf32>
  // CHECK: %c = snn.conv2d "c"(%x) {{.*}}groups = 1 : i64, padding = array<i64: 1, 1>, stride = array<i64: 2, 2>{{.*}} : tensor<2x6x6xf32> -> tensor<4x3x3xf32>
  %c = snn.conv2d "c"(%x) {bias = dense<0.0> : tensor<4xf32>, dilation = array<i64: 1, 1>, groups = 1 : i64, padding = array<i64: 1, 1>, stride = array<i64: 2, 2>, weight = dense<0.1> : tensor<4x2x3x3xf32>} : tensor<2x6x6xf32> -> tensor<4x3x3xf32>
  // CHECK: %sp = snn.sum_pool2d "sp"(%c) {{.*}} : tensor<4x3x3xf32> -> tensor<4x1x1xf32>
  %sp = snn.sum_pool2d "sp"(%c) {kernel_size = array<i64: 2, 2>, padding = array<i64: 0, 0>, stride = array<i64: 2, 2>} : tensor<4x3x3xf32> -> tensor<4x1x1xf32>
  // CHECK: %ap = snn.avg_pool2d "ap"(%c) {{.*}} : tensor<4x3x3xf32> -> tensor<4x1x1xf32>
  %ap = snn.avg_pool2d "ap"(%c) {kernel_size = array<i64: 3, 3>, padding = array<i64: 0, 0>, stride = array<i64: 1, 1>} : tensor<4x3x3xf32> -> tensor<4x1x1xf32>
  // CHECK: %f = snn.flatten "f"(%sp, %ap) {end_dim = -1 : i64, start_dim = 0 : i64} : tensor<4x1x1xf32> -> tensor<4xf32>
  %f = snn.flatten "f"(%sp, %ap) {end_dim = -1 : i64, start_dim = 0 : i64} : tensor<4x1x1xf32> -> tensor<4xf32>
  // CHECK: %fc = snn.affine "fc"(%f) {bias = dense<5.000000e-01> : tensor<3xf32>, weight = dense<1.000000e+00> : tensor<3x4xf32>} : tensor<4xf32> -> tensor<3xf32>
  %fc = snn.affine "fc"(%f) {bias = dense<0.5> : tensor<3xf32>, weight = dense<1.0> : tensor<3x4xf32>} : tensor<4xf32> -> tensor<3xf32>
  // A recurrent loop: %lif uses %rec, defined after it.
  // CHECK: %lif1.lif = snn.cuba_lif "lif1.lif"(%fc, %rec) {{.*}} : tensor<3xf32>
  %lif = snn.cuba_lif "lif1.lif"(%fc, %rec) {r = dense<1.0> : tensor<3xf64>, tau_mem = dense<1.0e-3> : tensor<3xf64>, tau_syn = dense<2.0e-4> : tensor<3xf64>, v_leak = dense<0.0> : tensor<3xf64>, v_reset = dense<0.0> : tensor<3xf64>, v_threshold = dense<1.0> : tensor<3xf64>, w_in = dense<1.0> : tensor<3xf64>} : tensor<3xf32>
  // CHECK: %rec = snn.linear "rec"(%lif1.lif) {weight = dense<{{\[}}[1.000000e+00, 2.000000e+00, 3.000000e+00], [4.000000e+00, 5.000000e+00, 6.000000e+00], [7.000000e+00, 8.000000e+00, 9.000000e+00]]> : tensor<3x3xf32>} : tensor<3xf32>
  %rec = snn.linear "rec"(%lif) {weight = dense<[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0]]> : tensor<3x3xf32>} : tensor<3xf32>
  // CHECK: %lif = snn.lif "lif"(%lif1.lif) {{.*}} : tensor<3xf32>
  %l2 = snn.lif "lif"(%lif) {r = dense<1.0> : tensor<3xf32>, tau = dense<2.5e-3> : tensor<3xf32>, v_leak = dense<0.0> : tensor<3xf32>, v_reset = dense<0.0> : tensor<3xf32>, v_threshold = dense<0.1> : tensor<3xf32>} : tensor<3xf32>
  // CHECK: %if = snn.if "if"(%lif) {{.*}} : tensor<3xf32>
  %if = snn.if "if"(%l2) {r = dense<1.0> : tensor<3xf32>, v_reset = dense<0.0> : tensor<3xf32>, v_threshold = dense<1.0> : tensor<3xf32>} : tensor<3xf32>
  // CHECK: %li = snn.li "li"(%if) {{.*}} : tensor<3xf32>
  %li = snn.li "li"(%if) {r = dense<1.0> : tensor<3xf32>, tau = dense<1.0e-2> : tensor<3xf32>, v_leak = dense<0.0> : tensor<3xf32>} : tensor<3xf32>
  // CHECK: %cli = snn.cuba_li "cli"(%li) {{.*}} : tensor<3xf32>
  %cli = snn.cuba_li "cli"(%li) {r = dense<1.0> : tensor<3xf32>, tau_mem = dense<1.0e-2> : tensor<3xf32>, tau_syn = dense<1.0e-3> : tensor<3xf32>, v_leak = dense<0.0> : tensor<3xf32>, w_in = dense<1.0> : tensor<3xf32>} : tensor<3xf32>
  // CHECK: %acc = snn.integrator "acc"(%cli) {r = dense<1.000000e+00> : tensor<3xf32>} : tensor<3xf32>
  %acc = snn.integrator "acc"(%cli) {r = dense<1.0> : tensor<3xf32>} : tensor<3xf32>
  // CHECK: %s = snn.scale "s"(%acc) {scale = dense<2.000000e+00> : tensor<3xf32>} : tensor<3xf32>
  %s = snn.scale "s"(%acc) {scale = dense<2.0> : tensor<3xf32>} : tensor<3xf32>
  // CHECK: %t = snn.threshold "t"(%s) {threshold = dense<5.000000e-01> : tensor<3xf32>} : tensor<3xf32>
  %t = snn.threshold "t"(%s) {threshold = dense<0.5> : tensor<3xf32>} : tensor<3xf32>
  // CHECK: %d = snn.delay "d"(%t) {delay = dense<1.000000e-03> : tensor<3xf32>} : tensor<3xf32>
  %d = snn.delay "d"(%t) {delay = dense<1.0e-3> : tensor<3xf32>} : tensor<3xf32>
  // CHECK: %y = snn.input "y" : tensor<1x8xf32>
  %y = snn.input "y" : tensor<1x8xf32>
  // CHECK: %c1 = snn.conv1d "c1"(%y) {{.*}} : tensor<1x8xf32> -> tensor<2x8xf32>
  %c1 = snn.conv1d "c1"(%y) {bias = dense<0.0> : tensor<2xf32>, dilation = array<i64: 1>, groups = 1 : i64, padding = array<i64: 1>, stride = array<i64: 1>, weight = dense<0.1> : tensor<2x1x3xf32>} : tensor<1x8xf32> -> tensor<2x8xf32>
  // CHECK: %hidden = snn.graph "hidden"(%d) {input_ports = ["in"], output_ports = ["out"]} : (tensor<3xf32>) -> tensor<3xf32> {
  // CHECK-NEXT: %in = snn.input "in" : tensor<3xf32>
  // CHECK-NEXT: %inner = snn.lif "inner"(%in, %inner) {{.*}} : tensor<3xf32>
  // CHECK-NEXT: snn.output "out"(%inner) : tensor<3xf32>
  // CHECK-NEXT: }
  %h = snn.graph "hidden"(%d) {input_ports = ["in"], output_ports = ["out"]} : (tensor<3xf32>) -> tensor<3xf32> {
    %i = snn.input "in" : tensor<3xf32>
    %n = snn.lif "inner"(%i, %n) {r = dense<1.0> : tensor<3xf32>, tau = dense<2.5e-3> : tensor<3xf32>, v_leak = dense<0.0> : tensor<3xf32>, v_reset = dense<0.0> : tensor<3xf32>, v_threshold = dense<0.1> : tensor<3xf32>} : tensor<3xf32>
    snn.output "out"(%n) : tensor<3xf32>
  }
  // CHECK: snn.output "out"(%hidden) : tensor<3xf32>
  snn.output "out"(%h) : tensor<3xf32>
  // CHECK: snn.output "conv_out"(%c1) : tensor<2x8xf32>
  snn.output "conv_out"(%c1) : tensor<2x8xf32>
}
