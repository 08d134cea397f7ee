// nmc-quantize chooses the fixed-point formats of a target and writes them
// onto the program: per population its state scale, saturated threshold,
// reset, bias and initial values and 12-bit decays (nmc.fixed); per
// projection one exponent and the weight mantissas, with what rounded to
// zero or was clipped (nmc.fixed_weights); on the program the formats and
// notes (nmc.quantization).
// RUN: snn-opt %S/Inputs/mapping-net.mlir --snn-discretize="dt=1e-4 profile=snntorch" --snn-to-nmc --nmc-quantize | FileCheck %s
// A target with 16-bit weights and 32-bit state gives finer formats.
// RUN: snn-opt %S/Inputs/mapping-net.mlir --snn-discretize="dt=1e-4 profile=snntorch" --snn-to-nmc --nmc-quantize="target=spinnaker-like" | FileCheck %s --check-prefix=WIDE
// snnc --mode fixed is this pass: the quantized program printed and
// compiled again gives the artifact snnc writes directly, byte for byte.
// RUN: snn-opt %S/Inputs/mapping-net.mlir --snn-discretize="dt=1e-4 profile=snntorch" --snn-to-nmc --nmc-quantize -o %t.q.mlir
// RUN: snnc %t.q.mlir --mode fixed -o %t.from-ir.snnb
// RUN: snnc %S/Inputs/mapping-net.mlir --profile snntorch --mode fixed -o %t.direct.snnb
// RUN: cmp %t.from-ir.snnb %t.direct.snnb
// Weights that round to zero are counted and named, per projection.
// RUN: snnc %S/Inputs/quantize-small-weights.mlir --profile snntorch --mode fixed -o %t.small.snnb --report 2>&1 | FileCheck %s --check-prefix=ZERO
// What has no fixed-point form, and bad targets, are refused by name.
// RUN: not snn-opt %S/../../docs/examples/cuba.mlir --snn-discretize="dt=1e-4" --snn-to-nmc="expand-connectivity=compile" --nmc-quantize 2>&1 | FileCheck %s --check-prefix=RECEPTOR
// RUN: echo '{"base": "snncore", "name": "coarse", "decay_bits": 8}' > %t.coarse.json
// RUN: not snn-opt %S/Inputs/mapping-net.mlir --snn-discretize="dt=1e-4" --snn-to-nmc --nmc-quantize="target=%t.coarse.json" 2>&1 | FileCheck %s --check-prefix=DECAY
// RUN: not snn-opt %S/Inputs/mapping-net.mlir --snn-discretize="dt=1e-4" --snn-to-nmc --nmc-quantize="target=nope" 2>&1 | FileCheck %s --check-prefix=UNKNOWN
// RUN: not snn-opt %S/Inputs/mapping-net.mlir --nmc-quantize 2>&1 | FileCheck %s --check-prefix=NOPROGRAM

// CHECK: nmc.program "m" attributes {{{.*}}nmc.quantization = {clipped_parameters = 0 : i64, notes = ["population 'exc': beta 0.995 becomes 1 - 20/4096 in 12 bits: its time constant x1.024 {{.*}}"], source_frac_bits = 12 : i64, state_bits = 24 : i64, target = "snncore", weight_bits = 8 : i64}}
// CHECK: nmc.population "x" {kind = "Source", nmc.fixed = {{{.*}}frac_bits = 12 : i64, state_bits = 24 : i64
// The threshold (1.0) takes 1/8 of the 24-bit range: 2^19.
// CHECK: nmc.population "exc" {kind = "LIF", nmc.fixed = {decay_u = dense<4096> : tensor<1xi16>, decay_v = dense<20> : tensor<1xi16>, frac_bits = 19 : i64, state_bits = 24 : i64, {{.*}}v_threshold = dense<524288> : tensor<1xi32>}
// 0.5 at 2^19 per unit is 262144 = 82 * 2^4 (rounded): exponent 4.
// CHECK: nmc.projection "in" {{{.*}}nmc.fixed_weights = {clipped = 0 : i64, exponent = 4 : i64, mantissas = dense<82> : tensor<1xi16>, rounded_to_zero = 0 : i64, weight_bits = 8 : i64, weights = 1 : i64}
// CHECK: nmc.projection "rec" {{{.*}}nmc.fixed_weights = {clipped = 0 : i64, exponent = {{[0-9]+}} : i64, mantissas = dense_resource<rec.mantissas> : tensor<6000xi16>, rounded_to_zero = 0 : i64, weight_bits = 8 : i64, weights = 6000 : i64}

// WIDE: nmc.quantization = {{{.*}}state_bits = 32 : i64, target = "spinnaker-like", weight_bits = 16 : i64}
// WIDE: nmc.population "exc" {kind = "LIF", nmc.fixed = {{{.*}}frac_bits = 27 : i64, state_bits = 32 : i64
// WIDE: nmc.projection "in" {{{.*}}nmc.fixed_weights = {{{.*}}weight_bits = 16 : i64

// ZERO: quantization: 4 weights, 2 rounded to zero, 0 clipped
// ZERO: projection 'fc': 2 of 4 weights round to zero at exponent {{[0-9]+}}: weights 1 (0.001), 3 (-0.001)

// RECEPTOR: error: population 'exc': receptor LIF neurons have no fixed-point form yet; compile with --mode float
// DECAY: error: target 'coarse' has 8-bit decays; the fixed-point form needs 12 (docs/fixed-point.md)
// UNKNOWN: error: nmc-quantize: target: 'nope' is neither a preset
// NOPROGRAM: error: nmc-quantize: the module holds no nmc.program (run snn-to-nmc)
