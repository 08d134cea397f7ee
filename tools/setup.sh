#!/usr/bin/env bash
# snnc set-up on Debian 12, as root: installs the Debian packages snnc needs,
# configures and builds, then runs one job.
#
#   tools/setup.sh example   build, then compile and run the bundled example
#   tools/setup.sh test      build, then run the whole test suite (and the
#                            importer tests again under ASan + UBSan), then
#                            a one-minute libFuzzer run of every fuzz target
#                            (tools/fuzz.sh smoke; docs/hardening.md)
#   tools/setup.sh bench     build (Release), then run the CPU engine and
#                            Brian2's C++ standalone mode side by side
#                            (docs/benchmarks.md); extra arguments go to
#                            test/bench/vs_brian2.py
#   tools/setup.sh deps      only install the packages
#   tools/setup.sh fresh-check  run .ci/run on the committed tree inside a
#                            minimal Debian 12 root (tools/fresh-check.sh)
#
# Idempotent: packages already present are not fetched again, and the build
# directories (build/, build-sanitize/, build-fuzz/) are reused, with ccache
# underneath.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jobs="${SNNC_JOBS:-$(nproc)}"

# Every program the build, the tests and the benchmarks call comes from this
# list, so that a minimal Debian 12 root (tools/fresh-check.sh) needs nothing
# else: make is what Brian2's C++ standalone mode builds its project with.
packages=(
  cmake ninja-build make g++ pkg-config python3 ccache zlib1g-dev
  llvm-19-dev libmlir-19-dev mlir-19-tools llvm-19-tools
  libflatbuffers-dev flatbuffers-compiler libfmt-dev libgtest-dev libcli11-dev
  libhdf5-dev verilator libprotobuf-dev protobuf-compiler libonnx-dev
  python3-h5py python3-numpy libbenchmark-dev python3-brian
  pybind11-dev python3-dev python3-pytest python3-pynn python3-neo python3-nose
  clang-19 libclang-rt-19-dev gtkwave xvfb xauth
)

install_deps() {
  local missing=()
  for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
      missing+=("$p")
  done
  if [ ${#missing[@]} -eq 0 ]; then
    echo "setup: all ${#packages[@]} Debian packages present"
    return
  fi
  echo "setup: installing ${missing[*]}"
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  # Wait for another apt run instead of failing on its lock.
  $sudo apt-get -o DPkg::Lock::Timeout=900 update -q
  DEBIAN_FRONTEND=noninteractive $sudo apt-get -o DPkg::Lock::Timeout=900 \
    install -y -q --no-install-recommends "${missing[@]}"
}

configure_build() { # DIR [cmake args...]
  local dir="$1"
  shift
  local log="$root/$dir/configure.log"
  mkdir -p "$root/$dir"
  cmake -G Ninja -S "$root" -B "$root/$dir" "$@" >"$log" 2>&1 ||
    { cat "$log"; return 1; }
  grep "snnc:" "$log" || true
  cmake --build "$root/$dir" -j "$jobs"
}

cmd="${1:-}"
case "$cmd" in
deps)
  install_deps
  ;;
example)
  install_deps
  configure_build build -DCMAKE_BUILD_TYPE=Release
  out="$root/build/examples"
  mkdir -p "$out"
  ex="$root/docs/examples"
  echo "== snnc: compile the bundled network (snn dialect) to an artifact"
  "$root/build/bin/snnc" "$ex/rsnn.mlir" -o "$out/rsnn.snnb" \
    --profile snntorch --dt 1e-4 --report
  echo "== snn-run: 300 steps of the bundled input spike trains"
  "$root/build/bin/snn-run" "$out/rsnn.snnb" --input "input=$ex/rsnn_input.npy" \
    --steps 300 --record "lif1=$out/lif1_spikes.npy" \
    --record "output=$out/readout.npy" --text-raster --raster "$out/rsnn_raster.svg"
  echo "== wrote $out/rsnn_raster.svg (spike raster), lif1_spikes.npy, readout.npy"
  echo "== snnc: the Vogels-Abbott CUBA network (4000 neurons, connection rules)"
  "$root/build/bin/snnc" "$ex/cuba.mlir" -o "$out/cuba.snnb" --report
  echo "== snn-run: 1 s of CUBA; rates per population, speed, raster"
  "$root/build/bin/snn-run" "$out/cuba.snnb" --steps 10000 --rates \
    --raster "$out/cuba_raster.svg"
  echo "== wrote $out/cuba_raster.svg (spike raster of CUBA)"
  echo "== python: the CUBA network built, compiled and run from Python"
  PYTHONPATH="$root/build/python" /usr/bin/python3 "$ex/cuba.py"
  ;;
test)
  install_deps
  start=$(date +%s)
  configure_build build -DCMAKE_BUILD_TYPE=Release -DSNNC_WERROR=ON
  echo "setup: build took $(($(date +%s) - start)) s"
  status=0
  (cd "$root/build" && ctest --output-on-failure -j "$jobs") || status=1
  # The importer, the NIR file layer, the artifact loader and the runtime I/O
  # once more under the sanitizers:
  # malformed files must give diagnostics, never memory errors.
  # No Python package there: an ASan-built extension cannot be loaded by
  # the uninstrumented interpreter, and the sanitize label has no Python test.
  configure_build build-sanitize -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSNNC_SANITIZE=ON \
    -DSNNC_ENABLE_CUDA=OFF -DSNNC_ENABLE_RTL=OFF -DSNNC_ENABLE_PYTHON=OFF
  (cd "$root/build-sanitize" && ASAN_OPTIONS=detect_leaks=0 \
    ctest --output-on-failure -j "$jobs" -L sanitize) || status=1
  # libFuzzer, a fixed seed, 60 s per target (clang build in build-fuzz/).
  SNNC_JOBS="$jobs" bash "$root/tools/fuzz.sh" smoke "${SNNC_FUZZ_SECONDS:-60}" ||
    status=1
  exit $status
  ;;
bench)
  shift
  install_deps
  configure_build build -DCMAKE_BUILD_TYPE=Release
  /usr/bin/python3 "$root/test/bench/vs_brian2.py" \
    --network-bench "$root/build/test/bench/network-bench" \
    --snnc "$root/build/bin/snnc" \
    --networks cuba,coba,sparse10k,sparse10k:1000 --repeats 7 --threads 1,2 \
    --out "$root/build/vs-brian2" "$@"
  ;;
fresh-check)
  shift
  exec bash "$root/tools/fresh-check.sh" "$@"
  ;;
*)
  echo "usage: tools/setup.sh example|test|bench|deps|fresh-check" >&2
  exit 2
  ;;
esac
