// snn-to-nmc: a discretized network becomes an nmc.program in its place,
// populations in evaluation order with their per-step constants; the
// program prints with snnc --emit=nmc, reads back, and compiles to the same
// artifact, byte for byte, as the network it came from.
// RUN: snn-opt %s --snn-discretize="dt=1e-4" --snn-to-nmc | FileCheck %s
// RUN: snnc %s --emit=nmc -o %t.nmc.mlir
// RUN: snnc %t.nmc.mlir -o %t.from-nmc.snnb
// RUN: snnc %s -o %t.direct.snnb
// RUN: cmp %t.from-nmc.snnb %t.direct.snnb
// RUN: snnc %S/../../docs/examples/cuba.mlir --emit=nmc -o %t.cuba.nmc.mlir
// RUN: snnc %t.cuba.nmc.mlir -o %t.cuba1.snnb
// RUN: snnc %S/../../docs/examples/cuba.mlir -o %t.cuba2.snnb
// RUN: cmp %t.cuba1.snnb %t.cuba2.snnb
// RUN: snnc %S/../../docs/examples/coba.mlir --profile euler --emit=nmc -o %t.coba.nmc.mlir
// RUN: snnc %t.coba.nmc.mlir -o %t.coba1.snnb
// RUN: snnc %S/../../docs/examples/coba.mlir --profile euler -o %t.coba2.snnb
// RUN: cmp %t.coba1.snnb %t.coba2.snnb
// RUN: snnc %S/../../docs/examples/rsnn.mlir --profile snntorch --mode fixed --emit=nmc -o %t.rsnn.nmc.mlir
// RUN: snnc %t.rsnn.nmc.mlir --mode fixed -o %t.rsnn1.snnb
// RUN: snnc %S/../../docs/examples/rsnn.mlir --profile snntorch --mode fixed -o %t.rsnn2.snnb
// RUN: cmp %t.rsnn1.snnb %t.rsnn2.snnb
// RUN: not snn-opt %s --snn-to-nmc 2>&1 | FileCheck %s --check-prefix=UNDISCRETIZED
// RUN: not snn-opt %s --snn-discretize="dt=1e-4" --snn-to-nmc="expand-connectivity=never" 2>&1 | FileCheck %s --check-prefix=MODE

// CHECK-NOT: snn.network
// CHECK: nmc.program "small" attributes {discretization = {dt = 1.000000e-04 : f64,{{.*}}profile = "exact"
// CHECK: nmc.population "x" {kind = "Source"{{.*}}shape = array<i64: 3>}
// CHECK: nmc.population "cells" {kind = "ReceptorLIF"{{.*}}receptors = [{conductance = false, decay = dense<0.980198681> : tensor<1xf32>{{.*}}name = "exc"}]{{.*}}refractory_steps = 20 : i64
// CHECK: nmc.projection "c" {{{.*}}kind = "sparse"{{.*}}previous_step{{.*}}recurrent{{.*}}row_start = dense<[0, 1, 3, 3]> : tensor<4xi32>, source = 0 : i64, target = 1 : i64, targets = dense<[0, 0, 2]> : tensor<3xi32>, weights = dense<[1.000000e+00, 2.000000e+00, 3.000000e+00]> : tensor<3xf32>}
// CHECK: nmc.input "x" {population = 0 : i64, shape = array<i64: 3>}
// CHECK: nmc.output "out" {population = 1 : i64, shape = array<i64: 3>}
// UNDISCRETIZED: error: {{.*}}discretiz
// MODE: error: snn-to-nmc: expand-connectivity is 'never'; use auto, compile or load

snn.network @small {
  %x = snn.input "x" : tensor<3xf32>
  %c = snn.sparse "c"(%x) {pre = dense<[0, 1, 1]> : tensor<3xi32>, post = dense<[0, 0, 2]> : tensor<3xi32>, weight = dense<[1.0, 2.0, 3.0]> : tensor<3xf32>, receptor = "exc"} : tensor<3xf32>
  %p = snn.receptor_lif "cells"(%c) {tau_mem = dense<2.0e-2> : tensor<3xf32>, v_rest = dense<0.0> : tensor<3xf32>, v_reset = dense<0.0> : tensor<3xf32>, v_threshold = dense<1.0> : tensor<3xf32>, r = dense<1.0> : tensor<3xf32>, refractory = 2.0e-3 : f64, receptors = [{name = "exc", type = "current", tau = 5.0e-3 : f64}]} : tensor<3xf32>
  snn.output "out"(%p) : tensor<3xf32>
}
