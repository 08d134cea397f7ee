#!/bin/sh
# The rtl backend's refusals and snn-run's rtl options (docs/rtl-backend.md).
#   errors.sh BUILD_DIR OUT_DIR SOURCE_DIR
set -u
build=$1 out=$2 src=$3
snnc=$build/bin/snnc run=$build/bin/snn-run
mkdir -p "$out"
failures=0
# expect NAME PATTERN COMMAND...: the command fails with PATTERN on stderr.
expect() {
  name=$1 pattern=$2
  shift 2
  if "$@" >"$out/$name.out" 2>"$out/$name.err"; then
    echo "FAIL $name: succeeded, expected an error matching '$pattern'"
    failures=$((failures + 1))
  elif ! grep -q -e "$pattern" "$out/$name.err"; then
    echo "FAIL $name: error does not match '$pattern':"
    cat "$out/$name.err"
    failures=$((failures + 1))
  else
    echo "ok   $name: $(head -1 "$out/$name.err")"
  fi
}
ok() {
  name=$1
  shift
  if "$@" >"$out/$name.out" 2>"$out/$name.err"; then
    echo "ok   $name"
  else
    echo "FAIL $name:"
    cat "$out/$name.err" "$out/$name.out"
    failures=$((failures + 1))
  fi
}
rsnn=$src/docs/examples/rsnn.mlir
kinds=$src/docs/examples/targets/snncore-all-kinds.json
input=$src/docs/examples/rsnn_input.npy
ok compile-float "$snnc" "$rsnn" --profile snntorch -o "$out/float.snnb"
ok compile-unmapped "$snnc" "$rsnn" --profile snntorch --mode fixed \
  -o "$out/unmapped.snnb"
ok compile-mapped "$snnc" "$rsnn" --profile snntorch --mode fixed \
  --target "$kinds" -o "$out/mapped.snnb"
expect float 'rtl: the artifact is in float mode' \
  "$run" "$out/float.snnb" --backend rtl --input input="$input" --steps 5
expect unmapped 'rtl: the artifact has no mapping onto cores' \
  "$run" "$out/unmapped.snnb" --backend rtl --input input="$input" --steps 5
# A target whose cores are larger, or whose state is narrower, than this
# build's chip.
cat >"$out/big.json" <<JSON
{"base": "snncore", "name": "big-cores", "neurons_per_core": 512,
 "neuron_kinds": ["Source", "Relay", "LIF", "CubaLIF", "LI"]}
JSON
cat >"$out/narrow.json" <<JSON
{"base": "snncore", "name": "narrow", "state_bits": 16,
 "neuron_kinds": ["Source", "Relay", "LIF", "CubaLIF", "LI"]}
JSON
ok compile-big "$snnc" "$rsnn" --profile snntorch --mode fixed \
  --target "$out/big.json" -o "$out/big.snnb"
ok compile-narrow "$snnc" "$rsnn" --profile snntorch --mode fixed \
  --target "$out/narrow.json" -o "$out/narrow.snnb"
expect foreign-target "mapped for target 'big-cores' with neurons_per_core 512; this build's snncore chip has 256 at most" \
  "$run" "$out/big.snnb" --backend rtl --input input="$input" --steps 5
expect narrow-state "mapped for target 'narrow' with state_bits 16; this build's snncore chip has 24" \
  "$run" "$out/narrow.snnb" --backend rtl --input input="$input" --steps 5
# A recurrent synapse of 15 steps acts 16 steps later: beyond the 16 slots.
cat >"$out/delay.mlir" <<MLIR
snn.network @delay attributes {nir_version = "1.0.0"} {
  %input = snn.input "input" : tensor<2xf32>
  %f = snn.linear "f"(%input) {weight = dense<[[1.0, 0.0], [0.0, 1.0]]> : tensor<2x2xf32>} : tensor<2xf32> -> tensor<2xf32>
  %a = snn.lif "a"(%f, %r) {tau = dense<1.0e-3> : tensor<2xf32>, r = dense<1.0> : tensor<2xf32>, v_leak = dense<0.0> : tensor<2xf32>, v_threshold = dense<1.0> : tensor<2xf32>, v_reset = dense<0.0> : tensor<2xf32>} : tensor<2xf32>
  %r = snn.sparse "r"(%a) {pre = dense<[0, 1]> : tensor<2xi32>, post = dense<[1, 0]> : tensor<2xi32>, weight = dense<0.5> : tensor<1xf32>, delay = dense<[1.5e-3, 1.0e-4]> : tensor<2xf32>} : tensor<2xf32> -> tensor<2xf32>
  snn.output "out"(%a) : tensor<2xf32>
}
MLIR
ok compile-delay "$snnc" "$out/delay.mlir" --profile snntorch --mode fixed \
  --target "$kinds" -o "$out/delay.snnb"
expect delay "projection 'r': a synapse delivers 16 steps after its source's step; the delay slots hold 0..15" \
  "$run" "$out/delay.snnb" --backend rtl --input input="$input" --steps 5
# A network whose cores hear neurons scattered over many full source cores:
# its distinct source neurons fit fan_in_per_core, the axon table's blocks
# do not. snncore's description models the key-block table
# (input_keys_per_core), so the design-rule check refuses it...
/usr/bin/python3 "$src/test/rtl/random_net.py" 7 "$out/wide.mlir" 3
expect compile-wide "design rule: core 0 (.*): fan_in_per_core 1024 exceeded: 1216 (axons of the aligned blocks" \
  "$snnc" "$out/wide.mlir" --profile snntorch --mode fixed \
  --target "$kinds" -o "$out/wide.snnb"
# ... and a description without it (fan-in as distinct sources) maps it,
# but the backend refuses the artifact before simulating, naming the table.
cat >"$out/flat-fan-in.json" <<'JSON'
{"name": "snncore-flat-fan-in", "mesh": {"width": 2, "height": 2},
 "cores_per_chip": 4, "neurons_per_core": 256, "synapse_words_per_core": 16384,
 "synapses_per_word": 1, "fan_in_per_core": 1024, "fan_out_per_core": 16,
 "weight_bits": 8, "state_bits": 24, "decay_bits": 12,
 "routing_entries_per_router": 256, "delay_slots": 16,
 "neuron_kinds": ["Source", "Relay", "LIF", "CubaLIF", "IF", "LI", "CubaLI",
                  "Integrator", "Threshold"],
 "energy": {"synaptic_op_pj": 10, "neuron_update_pj": 20,
            "routed_spike_pj": 5, "static_mw_per_chip": 10}}
JSON
ok compile-wide-flat "$snnc" "$out/wide.mlir" --profile snntorch --mode fixed \
  --target "$out/flat-fan-in.json" -o "$out/wide.snnb"
expect axon-table "rtl: axon table of core 0: 1216 axons" \
  "$run" "$out/wide.snnb" --backend rtl --input input="$input" --steps 5
# PoissonSource rates whose threshold tables overflow a core's memory: ten
# distinct means of about 100 events a step, some 150 thresholds each.
cat >"$out/poisson.mlir" <<MLIR
snn.network @poisson attributes {nir_version = "1.0.0"} {
  %bg = snn.poisson_source "bg"() {rate = dense<[1.0e6, 1.01e6, 1.02e6, 1.03e6, 1.04e6, 1.05e6, 1.06e6, 1.07e6, 1.08e6, 1.09e6]> : tensor<10xf32>, seed = 3 : i64} : tensor<10xf32>
  %f = snn.linear "f"(%bg) {weight = dense<0.01> : tensor<2x10xf32>} : tensor<10xf32> -> tensor<2xf32>
  %a = snn.lif "a"(%f) {tau = dense<1.0e-3> : tensor<2xf32>, r = dense<1.0> : tensor<2xf32>, v_leak = dense<0.0> : tensor<2xf32>, v_threshold = dense<1.0> : tensor<2xf32>, v_reset = dense<0.0> : tensor<2xf32>} : tensor<2xf32>
  snn.output "out"(%a) : tensor<2xf32>
}
MLIR
ok compile-poisson "$snnc" "$out/poisson.mlir" --profile snntorch --mode fixed \
  --target "$kinds" -o "$out/poisson.snnb"
expect poisson-table "rtl: Poisson threshold memory of core 0: .* thresholds (population 'bg' .*); the memory holds 1024" \
  "$run" "$out/poisson.snnb" --backend rtl --steps 5
expect trace-cpu '--trace writes the waveform of the simulated chip: it needs --backend rtl' \
  "$run" "$out/mapped.snnb" --input input="$input" --steps 5 --trace "$out/x.fst"
expect hw-report-cpu "has no hardware counters" \
  "$run" "$out/mapped.snnb" --input input="$input" --steps 5 --hw-report
# The trace: every cycle of 20 steps (load and reset included).
ok trace "$run" "$out/mapped.snnb" --backend rtl --input input="$input" \
  --steps 20 --trace "$out/rsnn.fst" --hw-report
ok trace-opens "$build/test/rtl/rtl-trace-check" "$out/rsnn.fst" 40000
grep -q "cycles a step" "$out/trace.out" || {
  echo "FAIL hw-report: no 'cycles a step' line"
  failures=$((failures + 1))
}
# The comparison must see a difference: one input value changed on the rtl
# side only.
"$build/test/rtl/rtl-hil" "$out/mapped.snnb" --steps 50 --density 0.5 \
  --perturb 7 >"$out/perturb.out" 2>&1
if grep -q "MISMATCH (cpu vs rtl) at step 7" "$out/perturb.out"; then
  echo "ok   perturb: $(head -1 "$out/perturb.out")"
else
  echo "FAIL perturb: a perturbed input was not reported:"
  cat "$out/perturb.out"
  failures=$((failures + 1))
fi
[ $failures -eq 0 ] || { echo "$failures failure(s)"; exit 1; }
echo "all checks passed"
