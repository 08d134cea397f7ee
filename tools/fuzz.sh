#!/usr/bin/env bash
# libFuzzer runs of snnc's readers of untrusted files (docs/hardening.md).
#
#   tools/fuzz.sh build              configure (cmake --preset fuzz) and build
#                                    the targets in build-fuzz/
#   tools/fuzz.sh smoke [SECONDS [TARGET...]]
#                                    every target (or those named) for
#                                    SECONDS (default 60) with a fixed seed;
#                                    fails on any finding
#   tools/fuzz.sh run TARGET [SECONDS] [JOBS]
#                                    one long run (default 3600 s, 1 job)
#   tools/fuzz.sh seeds              only (re)build the seed corpora
#
# TARGET is one of: nir onnx artifact npy. Seeds: test/fuzz/corpus/TARGET
# (committed: the regression inputs) plus files drawn from the external data
# (SNNC_DATA, default ../shared/data) and artifacts compiled from
# docs/examples with build/bin/snnc when it exists. Findings are written to
# build-fuzz/findings/TARGET/; copy each into test/fuzz/corpus/TARGET/ once
# it is fixed, so that it runs in the test suite from then on.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bdir="$root/build-fuzz"
data="${SNNC_DATA:-$root/../shared/data}"
targets=(nir onnx artifact npy)

build() {
  mkdir -p "$bdir"
  (cd "$root" && cmake --preset fuzz >"$bdir/configure.log" 2>&1) ||
    { cat "$bdir/configure.log"; return 1; }
  cmake --build "$bdir" -j "${SNNC_JOBS:-$(nproc)}" --target snnc-fuzz-targets
}

# Copies at most 200 small files (under 256 KiB) matching a name pattern,
# each with an optional one-byte prefix (the target's mode byte).
add_seeds() { # DIR PATTERN PREFIX_HEX
  local out="$1" pattern="$2" prefix="$3" n=0
  [ -d "$data" ] || return 0
  while IFS= read -r f; do
    local name
    name="data-$(basename "$f")-$(printf '%s' "$f" | cksum | cut -d' ' -f1)"
    if [ -n "$prefix" ]; then
      { printf "\\x$prefix"; cat "$f"; } >"$out/$name"
    else
      cp "$f" "$out/$name"
    fi
    n=$((n + 1))
    [ $n -lt 200 ] || break
  done < <(find "$data" -type f -name "$pattern" -size -256k | sort)
}

seeds() {
  for t in "${targets[@]}"; do
    rm -rf "$bdir/corpus/$t"
    mkdir -p "$bdir/corpus/$t"
    cp "$root/test/fuzz/corpus/$t/"* "$bdir/corpus/$t/" 2>/dev/null || true
  done
  add_seeds "$bdir/corpus/nir" '*.nir' ''
  add_seeds "$bdir/corpus/onnx" '*.onnx' ''
  add_seeds "$bdir/corpus/npy" '*.npy' '00'
  add_seeds "$bdir/corpus/npy" '*.npz' '01'
  # Artifacts: as written (mode byte 0) and unsealed, to be re-sealed by the
  # target after mutation (mode byte 1).
  local snnc="$root/build/bin/snnc"
  if [ -x "$snnc" ]; then
    for ex in "$root"/docs/examples/*.mlir; do
      local a="$bdir/corpus/tmp.snnb" name
      name="$(basename "$ex" .mlir)"
      "$snnc" "$ex" -o "$a" >/dev/null 2>&1 || continue
      [ "$(stat -c %s "$a")" -lt 262144 ] || { rm -f "$a"; continue; }
      { printf '\x00'; cat "$a"; } >"$bdir/corpus/artifact/snnc-$name"
      { printf '\x01'; head -c -8 "$a"; } >"$bdir/corpus/artifact/snnc-$name-unsealed"
      rm -f "$a"
    done
  fi
  for t in "${targets[@]}"; do
    echo "fuzz: $t: $(find "$bdir/corpus/$t" -type f | wc -l) seed files"
  done
}

run_one() { # TARGET SECONDS JOBS
  local t="$1" secs="$2" jobs="$3" log="$bdir/fuzz-$1.log"
  mkdir -p "$bdir/findings/$t"
  local status=0
  # -seed=1: the same inputs each time (the smoke run is reproducible);
  # -timeout: a hang is a finding too; the RSS limit keeps a leak in check.
  local parallel=()
  [ "$jobs" -le 1 ] || parallel=(-jobs="$jobs" -workers="$jobs")
  # From build-fuzz/: parallel jobs write fuzz-N.log into the directory.
  (cd "$bdir" && "$bdir/bin/snnc-fuzz-$t" "$bdir/corpus/$t" -seed=1 \
    -max_total_time="$secs" -timeout=20 -rss_limit_mb=3072 -max_len=262144 \
    "${parallel[@]}" -print_final_stats=1 \
    -artifact_prefix="$bdir/findings/$t/") >"$log" 2>&1 || status=$?
  local execs corpus
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" |
    awk '{s += $2} END {print s + 0}')
  corpus=$(find "$bdir/corpus/$t" -type f | wc -l)
  # The NIR target reads each input in a child process first (as snnc
  # does); libFuzzer's handlers live on in that child, so when libhdf5 dies
  # there (a signal, an absurd allocation that ASan refuses) the input is
  # saved although this process carried on. Such an input replays cleanly:
  # it is a contained failure, kept apart, not a finding.
  local f contained=0
  for f in "$bdir/findings/$t"/*; do
    [ -f "$f" ] || continue
    if "$bdir/bin/snnc-fuzz-$t" -runs=0 "$f" >/dev/null 2>&1; then
      mkdir -p "$bdir/contained/$t"
      mv "$f" "$bdir/contained/$t/"
      contained=$((contained + 1))
    fi
  done
  local found
  found=$(find "$bdir/findings/$t" -type f | wc -l)
  echo "fuzz: $t: ${secs} s, $execs executions, corpus $corpus files," \
    "$found findings, $contained contained in the child (log: $log)"
  if [ $status -ne 0 ] || [ "$found" -ne 0 ]; then
    grep -m5 -E 'ERROR|SUMMARY|error message' "$log" || tail -20 "$log"
    return 1
  fi
}

cmd="${1:-}"
case "$cmd" in
build)
  build
  ;;
seeds)
  seeds
  ;;
smoke)
  secs="${2:-60}"
  shift $(($# > 2 ? 2 : $#))
  [ $# -eq 0 ] || targets=("$@")
  build
  seeds
  rm -rf "$bdir/findings" "$bdir/contained"
  status=0
  for t in "${targets[@]}"; do
    run_one "$t" "$secs" 1 || status=1
  done
  exit $status
  ;;
run)
  t="${2:?target: nir onnx artifact npy}"
  build
  [ -d "$bdir/corpus/$t" ] || seeds
  run_one "$t" "${3:-3600}" "${4:-1}"
  ;;
*)
  echo "usage: tools/fuzz.sh build|seeds|smoke [SECONDS]|run TARGET [SECONDS] [JOBS]" >&2
  exit 2
  ;;
esac
