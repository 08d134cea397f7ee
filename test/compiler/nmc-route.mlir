// nmc-route gives each core a key and mask (core 0: 256 neurons, key 0,
// mask ~255; core 1: 108 neurons, key 256, mask ~127), writes the routers'
// entries and compresses them: both cores send to both local cores, so the
// two entries merge into one; with no other traffic at the router it
// matches every key (mask 0).
// RUN: snn-opt %S/Inputs/mapping-net.mlir --snn-discretize="dt=1e-4" --snn-to-nmc --nmc-partition="target=snncore" --nmc-place --nmc-route | FileCheck %s
// RUN: not snn-opt %S/Inputs/mapping-net.mlir --snn-discretize="dt=1e-4" --snn-to-nmc --nmc-partition="target=snncore" --nmc-route 2>&1 | FileCheck %s --check-prefix=ORDER
// A placed mapping edited to put a chip off the mesh is refused by name.
// RUN: snn-opt %S/Inputs/mapping-net.mlir --snn-discretize="dt=1e-4" --snn-to-nmc --nmc-partition="target=snncore" --nmc-place -o %t.placed.mlir
// RUN: sed 's/nmc.chip(0, 0)/nmc.chip(9, 9)/' %t.placed.mlir > %t.off-mesh.mlir
// RUN: not snn-opt %t.off-mesh.mlir --nmc-route 2>&1 | FileCheck %s --check-prefix=OFFMESH
// OFFMESH: error: 'nmc.mapping' op chip (9, 9) is outside the target's 2x2 mesh

// CHECK: nmc.mapping "snncore" attributes {stage = "routed"
// CHECK-NEXT: nmc.chip(0, 0) attributes {entries_before_compression = 2 : i64} {
// CHECK-NEXT: nmc.core 0 {fan_in = 364 : i64, fan_out = 2 : i64, index = 0 : i64, mask = 4294967040 : i64, neurons = 256 : i64
// CHECK-NEXT: nmc.core 1 {fan_in = 364 : i64, fan_out = 2 : i64, index = 1 : i64, key = 256 : i64, mask = 4294967168 : i64, neurons = 108 : i64
// CHECK-NEXT: nmc.route {cores = array<i64: 0, 1>, key = 0 : i64, links = 0 : i64, mask = 0 : i64}
// CHECK-NEXT: {{^ *}}}
// ORDER: error: 'nmc.mapping' op the mapping is partitioned; nmc-route needs it placed (run nmc-place)
