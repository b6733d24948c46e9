#!/usr/bin/env bash
# Builds the local base image of the xasstream container from Debian packages only (no Docker, no registry):
# debootstrap minbase + a headless JRE 17 + CA certificates, a numeric non-root user, then umoci makes it an OCI
# image and skopeo writes it as a docker-archive tarball, which Jib takes as `tar://` base.
#
#   k8s/image/build-base.sh OUT.tar        (needs root for debootstrap; ~90 s the first time)
#
# The tarball is cached under ${XASSTREAM_CACHE:-~/.cache/xasstream}/image-base/<key>.tar, the key being the hash
# of this script's commands (suite, packages, steps): later builds link the cached file and take no time. Production images use
# a registry base pinned by digest instead (k8s/pom.xml, k8s/README.md).
set -euo pipefail

out="${1:?usage: build-base.sh OUT.tar}"
suite=bookworm
mirror="${XASSTREAM_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
packages=openjdk-17-jre-headless,ca-certificates
uid=10001

key="$(grep -v '^ *#' "$0" | sha256sum | cut -c1-16)"   # comments do not change the image
cache="${XASSTREAM_CACHE:-$HOME/.cache/xasstream}/image-base"
cached="$cache/base-$key.tar"
mkdir -p "$cache" "$(dirname "$out")"

if [ ! -s "$cached" ]; then
  for tool in debootstrap umoci skopeo; do
    command -v "$tool" >/dev/null || {
      echo "build-base: '$tool' is missing (apt-get install debootstrap umoci skopeo)" >&2; exit 1; }
  done
  [ "$(id -u)" = 0 ] || { echo "build-base: debootstrap needs root (or pass -Dimage.skip=true)" >&2; exit 1; }
  work="$(mktemp -d "$cache/build.XXXXXX")"
  trap 'rm -rf "$work"' EXIT
  echo "build-base: debootstrap $suite minbase + $packages (first build only) ..." >&2
  debootstrap --variant=minbase --include="$packages" "$suite" "$work/rootfs" "$mirror" > "$work/debootstrap.log" 2>&1 \
    || { tail -20 "$work/debootstrap.log" >&2; exit 1; }
  root="$work/rootfs"
  # The service user (numeric in the image config; named here so that tools show a name) and a sticky /tmp.
  echo "xasstream:x:$uid:$uid:xasstream:/nonexistent:/usr/sbin/nologin" >> "$root/etc/passwd"
  echo "xasstream:x:$uid:" >> "$root/etc/group"
  chmod 1777 "$root/tmp"
  # Nothing a running service needs: package caches, lists, documentation, man pages, logs.
  rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/* "$root"/usr/share/doc/* \
         "$root"/usr/share/man/* "$root"/usr/share/info/* "$root"/var/log/* "$root"/var/cache/debconf/*-old
  java="$(readlink -f "$root/usr/bin/java" | sed "s#^$root##")"
  umoci init --layout "$work/oci" >/dev/null
  umoci new --image "$work/oci:base" >/dev/null
  umoci insert --image "$work/oci:base" --history.created_by "debootstrap $suite minbase + $packages" \
      "$root" / >/dev/null
  umoci config --image "$work/oci:base" --os linux --architecture amd64 \
      --config.env "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
      --config.env "JAVA_HOME=${java%/bin/java}" --config.env "LANG=C.UTF-8" \
      --config.user "$uid:$uid" >/dev/null
  skopeo copy --quiet "oci:$work/oci:base" "docker-archive:$work/base.tar:xasstream/base-jre17:$key" >/dev/null
  mv "$work/base.tar" "$cached"
  echo "build-base: cached $cached ($(du -h "$cached" | cut -f1))" >&2
fi
ln -sf "$cached" "$out"
