#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Makes a Debian bookworm base image from Debian's own archive, for machines
# that cannot pull debian:12.8 from a registry, and tags it TAG.
#
#   scripts/docker-base-image.sh relate-debian:bookworm
#
# debootstrap's minbase variant (what the official image holds: apt, bash,
# coreutils, no init system), with the official image's apt sources
# (bookworm, -updates, -security) and its rule that installed .deb files are
# not kept, so images built on it stay small.  Needs root (debootstrap) and a
# reachable Docker engine.  About 30 s to 3 min, depending on the mirror.
#   RELATE_DEBIAN_MIRROR=URL   the archive to use (default http://deb.debian.org/debian)
set -euo pipefail

if [[ $# -ne 1 ]]; then
  echo "usage: $0 TAG" >&2
  exit 2
fi
tag="$1"
mirror="${RELATE_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
log() { echo "docker-base-image: $*" >&2; }

if [[ $(id -u) -ne 0 ]]; then
  log "debootstrap needs root; run as root, or use a Docker engine that can pull debian:12.8"
  exit 1
fi
if ! command -v debootstrap >/dev/null; then
  log "installing debootstrap"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends debootstrap >/dev/null
fi

work_dir=$(mktemp -d /tmp/relate-rootfs.XXXXXX)
trap 'rm -rf --one-file-system "$work_dir"' EXIT
rootfs="$work_dir/rootfs"

debootstrap_failed() {
  log "debootstrap failed; the end of its log:"
  tail -n 30 "$work_dir/debootstrap.log" >&2
  exit 1
}
# In two stages, so that dpkg runs the second one with the official image's
# docker-apt-speedup (no fsync per file: a layer is written once, and an
# interrupted build is thrown away anyway) -- several times faster on a slow disk.
log "debootstrap bookworm from $mirror"
debootstrap --foreign --variant=minbase bookworm "$rootfs" "$mirror" >"$work_dir/debootstrap.log" 2>&1 ||
  debootstrap_failed
mkdir -p "$rootfs/etc/dpkg/dpkg.cfg.d"
echo force-unsafe-io >"$rootfs/etc/dpkg/dpkg.cfg.d/docker-apt-speedup"
chroot "$rootfs" /debootstrap/debootstrap --second-stage >>"$work_dir/debootstrap.log" 2>&1 || debootstrap_failed

rm -f "$rootfs/etc/apt/sources.list"
cat >"$rootfs/etc/apt/sources.list.d/debian.sources" <<EOF
Types: deb
URIs: ${mirror}
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: ${mirror%/debian}/debian-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
# The official image's docker-clean: no .deb left behind by apt in a layer.
cat >"$rootfs/etc/apt/apt.conf.d/docker-clean" <<'EOF'
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache ""; Dir::Cache::srcpkgcache "";
EOF
rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/* "$rootfs"/debootstrap

tar -C "$rootfs" -c . | docker import --change 'CMD ["bash"]' - "$tag" >/dev/null
log "tagged $tag"
