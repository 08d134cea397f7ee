#!/usr/bin/env bash
# Prepares, on a build machine (nvcc, no GPU needed), everything that
# run-gpu-checks.sh needs on a GPU machine that has none of this project's
# libraries: the test and benchmark binaries (static CUDA runtime; ldd shows
# only the C/C++ system libraries) and the compiled artifacts.
#
#   test/gpu/prepare-gpu-checks.sh BUILD_DIR OUT_DIR
#
# OUT_DIR/bin: cuda-conformance-tests, cuda-device-tests, cuda-plan-tests,
# gpu-bench, and any non-system shared library they need; OUT_DIR/artifacts:
# networks the conformance suite compares (braille, rsnn, CUBA, COBA, and
# every membrane kind under every discretization profile); OUT_DIR/bench:
# the benchmark networks (VA CUBA/COBA at 4k, 40k, 400k neurons, PD14);
# OUT_DIR/run-gpu-checks.sh.
set -euo pipefail
build=$(realpath "$1")
out=$2
src=$(cd "$(dirname "$0")/../.." && pwd)
data=${SNNC_EXTERNAL_DATA:-$src/../shared/data}
cmake --build "$build" -j2 --target snnc cuda-conformance-tests \
  cuda-device-tests cuda-plan-tests gpu-bench
rm -rf "$out"
mkdir -p "$out/bin" "$out/artifacts" "$out/bench"
for b in cuda-conformance-tests cuda-device-tests cuda-plan-tests gpu-bench; do
  cp "$build/test/gpu/$b" "$out/bin/"
  # Libraries outside the C/C++ runtime travel with the binaries.
  ldd "$build/test/gpu/$b" | awk '/=> \// {print $3}' |
    { grep -v -E '/(libc|libm|libstdc\+\+|libgcc_s|libpthread|libdl|librt)\.so' || true; } |
    while read -r lib; do cp -L "$lib" "$out/bin/"; done
done
cp "$src/test/gpu/run-gpu-checks.sh" "$out/"
snnc=$build/bin/snnc
# Conformance artifacts: small enough to compare state every step.
braille=$data/nir/NIR_repo/paper/03_rnn
for net in braille_noDelay_bias_zero braille_noDelay_noBias_subtract; do
  if [ -f "$braille/$net.nir" ]; then
    "$snnc" "$braille/$net.nir" -o "$out/artifacts/$net.snnb"
    # The exact profile has no fixed-point form for these neurons, and
    # lava's first-step bias none for a network with biases: snnc refuses
    # them, naming the rule, and the network is left out in that form.
    for profile in snntorch lava spinnaker2; do
      "$snnc" "$braille/$net.nir" --profile $profile --mode fixed \
        -o "$out/artifacts/${net}_${profile}_fixed.snnb" 2> /dev/null ||
        echo "prepare: $net has no fixed-point form under $profile"
    done
    # Float mode under the profiles with rules of their own.
    for profile in norse sinabs rockpool lava-dl; do
      "$snnc" "$braille/$net.nir" --profile $profile \
        -o "$out/artifacts/${net}_${profile}.snnb"
    done
  else
    echo "prepare: $braille/$net.nir not found; braille networks left out"
  fi
done
"$snnc" "$src/docs/examples/rsnn.mlir" -o "$out/artifacts/rsnn.snnb"
# Every membrane kind under every profile's rules (multi-spike, I =
# alpha*(I + x), the IF clamp, lava-dl's integer states, first-step biases,
# the delta form, ...), in float mode and, where the profile has one, in
# fixed mode (snnc refuses the others, naming the rule).
for profile in exact euler snntorch norse sinabs rockpool lava spinnaker2 \
  lava-dl spyx; do
  "$snnc" "$src/test/gpu/Inputs/profile-neurons.mlir" --profile $profile \
    -o "$out/artifacts/profile_${profile}.snnb"
  "$snnc" "$src/test/gpu/Inputs/profile-neurons.mlir" --profile $profile \
    --mode fixed -o "$out/artifacts/profile_${profile}_fixed.snnb" \
    2> /dev/null || true
done
"$snnc" "$src/docs/examples/cuba.mlir" -o "$out/artifacts/cuba.snnb"
# COBA's conductances have no exact integrator: forward Euler, as Brian2.
"$snnc" "$src/docs/examples/coba.mlir" --profile euler -o "$out/artifacts/coba.snnb"
# Benchmark artifacts (Procedural projections stay compact).
for net in cuba coba; do
  cp "$out/artifacts/$net.snnb" "$out/bench/${net}4k.snnb"
  for n in 40000 400000; do
    python3 "$src/test/gpu/scale_va.py" "$src/docs/examples/$net.mlir" $n \
      > "$out/bench/$net$n.mlir"
    profile=exact
    [ $net = coba ] && profile=euler
    "$snnc" "$out/bench/$net$n.mlir" --profile $profile \
      --expand-connectivity load -o "$out/bench/$net$((n / 1000))k.snnb"
    rm "$out/bench/$net$n.mlir"
  done
done
"$snnc" "$src/docs/examples/pd14.mlir" --expand-connectivity load \
  -o "$out/bench/pd14.snnb"
du -sh "$out"
