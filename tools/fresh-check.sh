#!/usr/bin/env bash
# The fresh-machine check: runs .ci/run on the committed tree inside a
# minimal Debian 12 root (debootstrap --variant=minbase), so that every
# package the set-up, the build, the tests and the benchmarks need must come
# from tools/setup.sh and not from whatever this machine already has.
#
#   tools/setup.sh fresh-check [--keep]
#
# Needs root (debootstrap, chroot, mounts) and Debian's package mirror. The
# bare root is made once and cached as a tarball under $SNNC_FRESH_CACHE
# (default /var/cache/snnc-fresh-check); each run unpacks it anew, so no run
# sees what an earlier one installed. The committed HEAD is cloned into it
# (uncommitted changes are not part of the check) with ../shared beside it,
# read-only as CI has it. --keep leaves the root in place for a look inside.
# Exit status: that of .ci/run inside the root (2 for a set-up error here).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cache="${SNNC_FRESH_CACHE:-/var/cache/snnc-fresh-check}"
mirror="${SNNC_FRESH_MIRROR:-http://deb.debian.org/debian}"
keep=0
for a in "$@"; do
  case "$a" in
  --keep) keep=1 ;;
  *)
    echo "fresh-check: unknown argument '$a' (only --keep)" >&2
    exit 2
    ;;
  esac
done

die() {
  echo "fresh-check: $*" >&2
  exit 2
}
[ "$(id -u)" -eq 0 ] || die "needs root (debootstrap, chroot and mounts)"
shared="$root/../shared"
[ -d "$shared" ] || die "no shared/ folder beside the checkout (looked for $shared)"
git -C "$root" rev-parse --verify -q HEAD >/dev/null || die "$root is not a git checkout with a commit"

if ! command -v debootstrap >/dev/null; then
  echo "fresh-check: installing debootstrap"
  apt-get -o DPkg::Lock::Timeout=900 update -q
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=900 \
    install -y -q --no-install-recommends debootstrap
fi

mkdir -p "$cache"
base="$cache/bookworm-minbase.tar"
if [ ! -s "$base" ]; then
  echo "fresh-check: making the minimal Debian 12 root (once; cached in $base)"
  tmp="$cache/debootstrap.tmp"
  rm -rf "$tmp"
  debootstrap --variant=minbase bookworm "$tmp" "$mirror" >"$cache/debootstrap.log" 2>&1 ||
    { tail -20 "$cache/debootstrap.log"; die "debootstrap failed (log: $cache/debootstrap.log)"; }
  tar -C "$tmp" -cf "$base.tmp" . && mv "$base.tmp" "$base"
  rm -rf "$tmp"
fi

fresh="$cache/root"
rm -rf "$fresh"
mkdir -p "$fresh"
tar -C "$fresh" -xf "$base"
cp /etc/resolv.conf "$fresh/etc/resolv.conf"
rev="$(git -C "$root" rev-parse --short HEAD)"
# A clean clone of the committed tree, as CI takes it; shared/ without write bits.
mkdir -p "$fresh/src"
git clone -q --no-hardlinks "$root" "$fresh/src/main"
cp -a "$shared" "$fresh/src/shared"
chmod -R a-w "$fresh/src/shared"

echo "fresh-check: running .ci/run on $rev inside $fresh"
start=$(date +%s)
set +e
# A private mount namespace: the chroot's /proc, /sys and /dev go away with it.
unshare --mount --propagation private bash -c '
  set -e
  r="$1"
  mount -t proc proc "$r/proc"
  mount -t sysfs sys "$r/sys"
  mount --rbind /dev "$r/dev"
  mount -t tmpfs tmpfs "$r/tmp"
  exec chroot "$r" /usr/bin/env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    HOME=/root LANG=C.UTF-8 CI=true /bin/bash -c "cd /src/main && bash .ci/run </dev/null"
' fresh-check "$fresh" 2>&1 | tee "$cache/ci-run.log"
status=${PIPESTATUS[0]}
set -e
elapsed=$(($(date +%s) - start))

echo "fresh-check: .ci/run on $rev exited $status after ${elapsed} s (log: $cache/ci-run.log)"
if grep -q "snnc: .*cuda=OFF" "$cache/ci-run.log"; then
  echo "fresh-check: configure reported cuda=OFF (no CUDA toolkit in the minimal root)"
fi
[ "$keep" -eq 1 ] || rm -rf "$fresh"
exit "$status"
