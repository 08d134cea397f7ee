// snn-expand-connectivity: each snn.connect becomes an snn.sparse whose
// synapse arrays are resource blobs, and compiling the expanded IR gives the
// same artifact, byte for byte, as compiling the rules.
// RUN: snn-opt %s --snn-discretize="dt=1e-4" --snn-expand-connectivity | FileCheck %s
// RUN: snn-opt %s --snn-discretize="dt=1e-4" --snn-expand-connectivity -o %t.expanded.mlir
// RUN: snnc %t.expanded.mlir -o %t.expanded.snnb
// RUN: snnc %s -o %t.rules.snnb --expand-connectivity=compile
// RUN: cmp %t.expanded.snnb %t.rules.snnb
// RUN: not snn-opt %s --snn-expand-connectivity 2>&1 | FileCheck %s --check-prefix=UNDISCRETIZED
// RUN: not snn-opt %s --snn-discretize="dt=1e-4" --snn-expand-connectivity="memory-budget-mib=0" 2>&1 | FileCheck %s --check-prefix=BUDGET

// Fixed in-degree 3 onto 5 targets: 15 synapses; normal weights and delays
// get one value per synapse, the constant weight one shared value.
// CHECK: %in = snn.sparse "in"(%src) {delay = dense_resource<in_delay> : tensor<15xf32>, post = dense_resource<in_post> : tensor<15xi32>, pre = dense_resource<in_pre> : tensor<15xi32>, receptor = "exc", weight = dense_resource<in_weight> : tensor<15xf32>} : tensor<4xf32> -> tensor<5xf32>
// CHECK: %rec = snn.sparse "rec"(%dst) {{{.*}}pre = dense_resource<rec_pre> : tensor<20xi32>, receptor = "inh", weight = dense<-1.000000e-03> : tensor<1xf32>} : tensor<5xf32>
// CHECK-NOT: snn.connect
// UNDISCRETIZED: error: 'snn.connect' op node 'in': the network is not discretized; run snn-discretize first
// BUDGET: error: 'snn.connect' op node 'in': {{.*}}memory budget is 0 bytes

snn.network @n {
  %src = snn.poisson_source "src"() {rate = dense<50.0> : tensor<4xf32>, seed = 1 : i64} : tensor<4xf32>
  %in = snn.connect "in"(%src) {rule = "fixed_in_degree", n = 3 : i64, weight = {dist = "normal", mean = 1.0e-3 : f64, std = 2.0e-4 : f64, low = 0.0 : f64}, delay = {dist = "uniform", low = 1.0e-4 : f64, high = 2.0e-3 : f64}, seed = 5 : i64, receptor = "exc"} : tensor<4xf32> -> tensor<5xf32>
  %rec = snn.connect "rec"(%dst) {rule = "all_to_all", autapses = false, weight = {dist = "constant", value = -1.0e-3 : f64}, seed = 6 : i64, receptor = "inh"} : tensor<5xf32>
  %dst = snn.receptor_lif "dst"(%in, %rec) {tau_mem = dense<2.0e-2> : tensor<5xf32>, v_rest = dense<0.0> : tensor<5xf32>, v_reset = dense<0.0> : tensor<5xf32>, v_threshold = dense<1.0e-3> : tensor<5xf32>, r = dense<1.0> : tensor<5xf32>, refractory = 1.0e-3 : f64, receptors = [{name = "exc", type = "current", tau = 5.0e-3 : f64}, {name = "inh", type = "current", tau = 1.0e-2 : f64}]} : tensor<5xf32>
  snn.output "out"(%dst) : tensor<5xf32>
}
