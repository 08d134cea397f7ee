#!/usr/bin/env bash
# snnc set-up on Debian 12, as root: installs the Debian packages snnc needs,
# configures and builds, then runs one job.
#
#   tools/setup.sh example   build, then compile the bundled example network
#   tools/setup.sh test      build, then run the whole test suite (and the
#                            importer tests again under ASan + UBSan)
#   tools/setup.sh deps      only install the packages
#
# Idempotent: packages already present are not fetched again, and the build
# directories (build/, build-sanitize/) are reused, with ccache underneath.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jobs="${SNNC_JOBS:-$(nproc)}"

packages=(
  cmake ninja-build g++ pkg-config python3 ccache zlib1g-dev
  llvm-19-dev libmlir-19-dev mlir-19-tools llvm-19-tools
  libflatbuffers-dev flatbuffers-compiler libfmt-dev libgtest-dev libcli11-dev
  libhdf5-dev verilator libprotobuf-dev protobuf-compiler libonnx-dev
  python3-h5py
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
  cmake -G Ninja -S "$root" -B "$root/$dir" "$@" >"$root/$dir.configure.log" 2>&1 ||
    { cat "$root/$dir.configure.log"; return 1; }
  grep "snnc:" "$root/$dir.configure.log" || true
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
  ex="$root/docs/examples/rsnn.mlir"
  echo "== snnc: the bundled network in the snn dialect -> NIR file"
  "$root/build/bin/snnc" "$ex" --emit=nir -o "$out/rsnn.nir"
  echo "== snnc: that NIR file -> what was compiled"
  "$root/build/bin/snnc" "$out/rsnn.nir" --report --emit=mlir
  ;;
test)
  install_deps
  start=$(date +%s)
  configure_build build -DCMAKE_BUILD_TYPE=Release -DSNNC_WERROR=ON
  echo "setup: build took $(($(date +%s) - start)) s"
  status=0
  (cd "$root/build" && ctest --output-on-failure -j "$jobs") || status=1
  # The importer and the NIR file layer once more under the sanitizers:
  # malformed files must give diagnostics, never memory errors.
  configure_build build-sanitize -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSNNC_SANITIZE=ON \
    -DSNNC_ENABLE_CUDA=OFF -DSNNC_ENABLE_RTL=OFF
  (cd "$root/build-sanitize" && ASAN_OPTIONS=detect_leaks=0 \
    ctest --output-on-failure -j "$jobs" -L importer) || status=1
  exit $status
  ;;
*)
  echo "usage: tools/setup.sh example|test|deps" >&2
  exit 2
  ;;
esac
