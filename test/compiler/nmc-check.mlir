// nmc-check, the design-rule check: a network that breaks several limits
// of a target gets every violation at once, each naming the node, the
// target's key, the limit and the number, at the op of that node; one
// that fits passes.
// RUN: snn-opt %S/Inputs/mapping-net.mlir --snn-discretize="dt=1e-4" --snn-to-nmc --nmc-partition="target=snncore" --nmc-place --nmc-route --nmc-check -o /dev/null
// RUN: not snn-opt %S/Inputs/mapping-net.mlir --snn-discretize="dt=1e-4" --snn-to-nmc --nmc-partition="target=%S/Inputs/tiny-target.json" --nmc-place --nmc-route --nmc-check 2>&1 | FileCheck %s
// RUN: not snn-opt %S/Inputs/mapping-net.mlir --snn-discretize="dt=1e-4" --snn-to-nmc --nmc-partition="target=snncore" --nmc-place --nmc-check 2>&1 | FileCheck %s --check-prefix=ORDER
// snnc --target runs the same check and writes nothing when it fails.
// RUN: rm -f %t.snnb
// RUN: not snnc %S/Inputs/mapping-net.mlir -o %t.snnb --target %S/Inputs/tiny-target.json 2>&1 | FileCheck %s --check-prefix=SNNC
// RUN: not test -e %t.snnb

// CHECK: mapping-net.mlir:8:10: error: design rule: population 'exc': neuron_kinds: kind 'LIF' is not implemented by target 'tiny' (it has Source, IF)
// CHECK: mapping-net.mlir:7:10: error: design rule: projection 'rec': delay_slots 1 exceeded: 3 (its longest delay, in steps, is over what a core can hold)
// CHECK: error: design rule: network: cores_per_chip 2 exceeded: 3
// ORDER: error: 'nmc.mapping' op the mapping is placed; nmc-check needs it routed (run nmc-route)
// SNNC: mapping-net.mlir: error: design rule: population 'exc': neuron_kinds: kind 'LIF' is not implemented by target 'tiny'
// SNNC: mapping-net.mlir: error: design rule: projection 'rec': delay_slots 1 exceeded: 3
// SNNC: mapping-net.mlir: error: design rule: network: cores_per_chip 2 exceeded: 3
// SNNC: snnc: error: 'm' does not fit target 'tiny': 3 design-rule violation(s); nothing written
