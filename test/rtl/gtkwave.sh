#!/bin/sh
# The rtl backend's trace opens in GTKWave: a 20-step run of
# docs/examples/rsnn.mlir is traced with `snn-run --backend rtl --trace`,
# and GTKWave itself (under a virtual X server) loads the file and lists its
# signals through its Tcl interface (test/rtl/gtkwave-list.tcl).
#   gtkwave.sh BUILD_DIR OUT_DIR SOURCE_DIR
# Exit 77 (skip) with the reason when gtkwave or xvfb-run is missing
# (tools/setup.sh deps installs both).
set -u
build=$1 out=$2 src=$3
for tool in gtkwave xvfb-run; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "SKIP: $tool is not installed (Debian packages gtkwave, xvfb; tools/setup.sh deps)"
    exit 77
  fi
done
mkdir -p "$out"
rm -f "$out/rsnn.fst" "$out/signals.txt"
fail() {
  echo "FAIL: $*"
  exit 1
}
"$build/bin/snnc" "$src/docs/examples/rsnn.mlir" --profile snntorch --mode fixed \
  --target "$src/docs/examples/targets/snncore-all-kinds.json" \
  -o "$out/rsnn.snnb" || fail "compiling rsnn.mlir"
"$build/bin/snn-run" "$out/rsnn.snnb" --backend rtl \
  --input input="$src/docs/examples/rsnn_input.npy" --steps 20 \
  --trace "$out/rsnn.fst" --hw-report >"$out/run.out" 2>&1 ||
  fail "tracing the run: $(tail -3 "$out/run.out")"
if ! GTKW_OUT="$out/signals.txt" timeout 300 xvfb-run -a gtkwave \
  -S "$src/test/rtl/gtkwave-list.tcl" "$out/rsnn.fst" >"$out/gtkwave.out" 2>&1; then
  # No X server could start: the machine, not the trace (the reason printed).
  if grep -q "Xvfb failed to start" "$out/gtkwave.out"; then
    echo "SKIP: xvfb-run could not start a virtual X server: $(tail -3 "$out/gtkwave.out")"
    exit 77
  fi
  fail "gtkwave failed: $(tail -5 "$out/gtkwave.out")"
fi
[ -s "$out/signals.txt" ] ||
  fail "gtkwave wrote no signal list: $(tail -5 "$out/gtkwave.out")"
signals=$(sed -n 's/^signals //p' "$out/signals.txt")
end=$(sed -n 's/^end_time //p' "$out/signals.txt")
# Every signal the chip's ports and first core carry must be there, and
# the trace must span the whole run (10 time units a cycle).
for name in chip.busy_o chip.aer_valid_i; do
  grep -q -x "$name" "$out/signals.txt" || fail "GTKWave does not list $name"
done
grep -q "^chip\..*core.*\." "$out/signals.txt" || fail "GTKWave lists no core signal"
[ "${signals:-0}" -ge 1000 ] || fail "GTKWave lists only ${signals:-0} signals"
[ "${end:-0}" -ge 10000 ] || fail "the trace ends at time ${end:-0}"
echo "ok: GTKWave opened $out/rsnn.fst: $signals signals, last time $end"
