// nmc-partition cuts populations into cores of the target and packs small
// ones together: snncore holds 256 neurons per core, so the 64 inputs and
// the first 192 of the 300 LIF neurons share core 0. Synapses count at the
// core of their target neuron; fan-in counts distinct source neurons.
// RUN: snn-opt %S/Inputs/mapping-net.mlir --snn-discretize="dt=1e-4" --snn-to-nmc --nmc-partition="target=snncore" | FileCheck %s
// A target file instead of a preset, with smaller cores.
// RUN: snn-opt %S/Inputs/mapping-net.mlir --snn-discretize="dt=1e-4" --snn-to-nmc --nmc-partition="target=%S/Inputs/tiny-target.json" | FileCheck %s --check-prefix=TINY
// RUN: not snn-opt %S/Inputs/mapping-net.mlir --snn-discretize="dt=1e-4" --snn-to-nmc --nmc-partition="target=nope" 2>&1 | FileCheck %s --check-prefix=UNKNOWN
// RUN: not snn-opt %S/Inputs/mapping-net.mlir --nmc-partition 2>&1 | FileCheck %s --check-prefix=NOPROGRAM

// CHECK: nmc.mapping "snncore" attributes {stage = "partitioned", target_json = "{{.*}}\22neurons_per_core\22: 256
// CHECK-NEXT: nmc.chip(-1, -1) {
// CHECK-NEXT: nmc.core 0 {fan_in = 364 : i64, index = 0 : i64, neurons = 256 : i64, slices = array<i64: 0, 0, 64, 1, 0, 192>, synapse_words = 5041 : i64, synapses = 5041 : i64}
// CHECK-NEXT: nmc.core 1 {fan_in = 364 : i64, index = 1 : i64, neurons = 108 : i64, slices = array<i64: 1, 192, 300>, synapse_words = 2895 : i64, synapses = 2895 : i64}
// CHECK-NEXT: {{^ *}}}

// TINY: nmc.mapping "tiny"
// TINY: nmc.core 0 {{.*}}neurons = 128 : i64, slices = array<i64: 0, 0, 64, 1, 0, 64>
// TINY: nmc.core 1 {{.*}}neurons = 128 : i64, slices = array<i64: 1, 64, 192>
// TINY: nmc.core 2 {{.*}}neurons = 108 : i64, slices = array<i64: 1, 192, 300>

// UNKNOWN: error: 'nope' is neither a preset (loihi-like, snncore, spinnaker-like) nor a readable file
// NOPROGRAM: error: nmc-partition: the module holds no nmc.program (run snn-to-nmc)
