#!/bin/sh
# One hardware-in-the-loop check (docs/rtl-backend.md): compile NETWORK in
# fixed mode onto TARGET, then run it on cpu and rtl with rtl-hil.
#   hil.sh BUILD_DIR OUT_DIR NAME NETWORK PROFILE TARGET STEPS DENSITY [SEED
#          [rtl-hil options...]]
# NETWORK is a .mlir or .nir file, random:SEED[:SCALE] for a network from
# random_net.py, poisson:SEED[:SCALE] for one from poisson_net.py, or onnx:MODEL.onnx:CALIBRATION.npy for an ANN converted
# (--convert --norm max --qcfs --timesteps 16; PROFILE is then ignored). A
# file that does not exist is skipped (exit 77): the external corpus is
# optional.
set -eu
build=$1 out=$2 name=$3 net=$4 profile=$5 target=$6 steps=$7 density=$8
seed=${9:-1}
shift 8
[ $# -gt 0 ] && shift
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$out"
case $net in
random:* | poisson:*)
  gen=${net%%:*}
  spec=${net#*:}
  rseed=${spec%%:*}
  scale=1
  [ "$spec" != "$rseed" ] && scale=${spec#*:}
  /usr/bin/python3 "$here/${gen}_net.py" "$rseed" "$out/$name.mlir" "$scale"
  net=$out/$name.mlir
  ;;
onnx:*)
  spec=${net#onnx:}
  model=${spec%%:*} calib=${spec#*:}
  if [ ! -f "$model" ] || [ ! -f "$calib" ]; then
    echo "hil: $model or $calib not found (external corpus); skipped"
    exit 77
  fi
  "$build/bin/snnc" "$model" --convert --calibration "$calib" --norm max \
    --qcfs --timesteps 16 --mode fixed --target "$target" -o "$out/$name.snnb"
  net=
  ;;
esac
if [ -n "$net" ]; then
  if [ ! -f "$net" ]; then
    echo "hil: $net not found (external corpus); skipped"
    exit 77
  fi
  "$build/bin/snnc" "$net" --mode fixed --profile "$profile" \
    --target "$target" -o "$out/$name.snnb"
fi
exec "$build/test/rtl/rtl-hil" "$out/$name.snnb" --steps "$steps" \
  --density "$density" --seed "$seed" "$@"
