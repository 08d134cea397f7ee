// nmc-place puts the cores on chips of the mesh; both cores of this small
// network land on chip (0, 0). Run out of order, it names the pass to run
// first.
// RUN: snn-opt %S/Inputs/mapping-net.mlir --snn-discretize="dt=1e-4" --snn-to-nmc --nmc-partition="target=snncore" --nmc-place | FileCheck %s
// RUN: not snn-opt %S/Inputs/mapping-net.mlir --snn-discretize="dt=1e-4" --snn-to-nmc --nmc-place 2>&1 | FileCheck %s --check-prefix=ORDER
// More cores than the target has: placed anyway (wrapping round), and
// nmc-check reports it.
// RUN: snn-opt %S/Inputs/mapping-net.mlir --snn-discretize="dt=1e-4" --snn-to-nmc --nmc-partition="target=%S/Inputs/tiny-target.json" --nmc-place | FileCheck %s --check-prefix=OVER

// CHECK: nmc.mapping "snncore" attributes {stage = "placed"
// CHECK-NEXT: nmc.chip(0, 0) {
// CHECK-NEXT: nmc.core 0 {{.*}}index = 0 : i64
// CHECK-NEXT: nmc.core 1 {{.*}}index = 1 : i64
// CHECK-NEXT: {{^ *}}}
// ORDER: error: 'nmc.program' op 'm' is not partitioned; run nmc-partition before nmc-place
// OVER: stage = "placed"
// OVER: nmc.core 2
