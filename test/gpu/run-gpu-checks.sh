#!/usr/bin/env bash
# Runs the CUDA backend's checks on a GPU machine from a folder that
# test/gpu/prepare-gpu-checks.sh made on a build machine (docs/cuda.md):
# nothing is built or downloaded here, so the machine needs only the NVIDIA
# driver (CUDA 13, >= 580) and bash.
#
#   run-gpu-checks.sh PREPARED_DIR [LOG_DIR]
#
# Runs cuda-device and cuda-plan, the gpu-labelled conformance suite over
# the prepared artifacts, and the benchmarks (CPU and GPU side by side; the
# 400k networks once more with their Procedural projections regenerated on
# the device), then prints one summary table. Exit status: 0 when every
# check passed. Each stage has a time limit, so the whole script ends
# within 9 minutes.
set -uo pipefail
dir=$(realpath "$1")
log=${2:-$dir/logs}
mkdir -p "$log"
bin=$dir/bin
export LD_LIBRARY_PATH=$bin${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
summary=()
status=0
stage() { # name, seconds, command...
  local name=$1 limit=$2
  shift 2
  local t0=$SECONDS
  timeout "$limit" "$@" > "$log/$name.log" 2>&1
  local rc=$?
  local took=$((SECONDS - t0))
  local verdict=passed
  case $rc in
  0) ;;
  77) verdict=skipped ;;
  124) verdict="TIMED OUT (${limit} s)"; status=1 ;;
  *) verdict="FAILED (rc $rc)"; status=1 ;;
  esac
  summary+=("$(printf '| %-22s | %-20s | %5d s |' "$name" "$verdict" "$took")")
  echo "== $name: $verdict in $took s"
  tail -n 60 "$log/$name.log"
}

nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader || true
stage cuda-device 20 "$bin/cuda-device-tests"
stage cuda-plan 20 "$bin/cuda-plan-tests"
stage cuda-conformance 150 "$bin/cuda-conformance-tests" "$dir/artifacts"
# Out-of-bounds accesses and races in the kernels, where the machine's
# runtime lets compute-sanitizer see the device (one part of the suite).
if command -v compute-sanitizer > /dev/null; then
  stage memcheck 45 compute-sanitizer --tool memcheck --error-exitcode 3 \
    "$bin/cuda-conformance-tests" --gtest_filter='*RandomNetworks*'
fi
b=$dir/bench
stage bench-va-4k 40 "$bin/gpu-bench" --cpu-seconds 1 --gpu-seconds 1 \
  cuba4k="$b/cuba4k.snnb" coba4k="$b/coba4k.snnb"
stage bench-va-40k 40 "$bin/gpu-bench" --cpu-seconds 0.2 --gpu-seconds 1 \
  cuba40k="$b/cuba40k.snnb" coba40k="$b/coba40k.snnb"
stage bench-va-400k 50 "$bin/gpu-bench" --cpu-seconds 0.05 --gpu-seconds 1 \
  cuba400k="$b/cuba400k.snnb" coba400k="$b/coba400k.snnb"
# The same with AllToAll, OneToOne and FixedProbability rules kept on the
# device (CudaOptions Device): no synapse arrays, rows regenerated.
SNNC_CUDA_PROCEDURAL=device stage bench-va-400k-rules 45 "$bin/gpu-bench" \
  --cpu-seconds 0.05 --gpu-seconds 1 \
  cuba400k-rules="$b/cuba400k.snnb" coba400k-rules="$b/coba400k.snnb"
stage bench-pd14 100 "$bin/gpu-bench" --warmup 1 --cpu-seconds 0.1 \
  --gpu-seconds 10 --rates pd14="$b/pd14.snnb"

echo
echo "## Summary"
printf '| %-22s | %-20s | %7s |\n' stage result time
printf '|%s|%s|%s|\n' ------------------------ ---------------------- ---------
printf '%s\n' "${summary[@]}"
echo
echo "## Conformance"
grep -E '^\[  (PASSED|FAILED) |^\[  FAILED  \]|tests? ran' "$log/cuda-conformance.log" || true
echo
echo "## Benchmarks (wall seconds per simulated second; CPU: all threads)"
cat "$log"/bench-*.log | grep -E '^\| (network|-)' | head -2
cat "$log"/bench-*.log | grep -E '^\| ' | grep -v -E '^\| (network|-)'
grep -h -E '^(rates|plan) ' "$log"/bench-*.log || true
exit $status
