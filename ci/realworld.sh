#!/bin/sh
# Fetches and builds real-world test beds (Debian bookworm memcached and redis) so each
# source tree has a compile_commands.json that `leash check -p` can read.
# Usage: ci/realworld.sh [DIR]   (default /work/realworld; run as root; idempotent)
#
# Each step is skipped when its result is already there: the deb-src entry, the
# unpacked sources, the build dependencies, and a non-empty compilation database.
set -eu

dir=${1:-/work/realworld}
jobs=$(nproc 2>/dev/null || echo 2)
srcs=/etc/apt/sources.list.d/debian-src.sources
export DEBIAN_FRONTEND=noninteractive

say() { echo "ci/realworld.sh: $*" >&2; }

if [ "$(id -u)" -ne 0 ]; then
  say "must run as root (apt-get source, build-dep)"
  exit 2
fi

# --- deb-src entry: same URIs/Suites/Components as the binary entries ---------------
need_update=0
if [ -f /etc/apt/sources.list.d/debian.sources ]; then
  tmp=$(mktemp)
  sed 's/^Types:[[:space:]]*deb[[:space:]]*$/Types: deb-src/' \
    /etc/apt/sources.list.d/debian.sources >"$tmp"
  if ! cmp -s "$tmp" "$srcs"; then
    cp "$tmp" "$srcs"
    chmod 644 "$srcs"
    need_update=1
  fi
  rm -f "$tmp"
else
  say "/etc/apt/sources.list.d/debian.sources not found; assuming deb-src is configured"
fi
if [ "$need_update" -eq 1 ] || ! apt-cache showsrc memcached 2>/dev/null | grep -q '^Package:'; then
  say "apt-get update"
  apt-get update -qq
fi

# --- tools ---------------------------------------------------------------------------
missing=""
for p in dpkg-dev bear make gcc; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
    missing="$missing $p"
done
if [ -n "$missing" ]; then
  say "installing$missing"
  # shellcheck disable=SC2086
  apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi

mkdir -p "$dir"
cd "$dir"

# srcdir NAME: prints the unpacked source folder of package NAME, empty if none.
srcdir() {
  for d in "$dir/$1"-[0-9]*; do
    [ -d "$d" ] && { echo "$d"; return 0; }
  done
  return 0
}

# db_entries FILE: number of entries of a compilation database (0 if missing).
db_entries() {
  [ -s "$1" ] || { echo 0; return 0; }
  grep -c '"file"' "$1" || true
}

fetch() {
  if [ -z "$(srcdir "$1")" ]; then
    say "apt-get source $1"
    apt-get source -qq "$1" >/dev/null 2>&1 || apt-get source "$1"
  fi
  say "apt-get build-dep $1"
  apt-get build-dep -y -qq --no-install-recommends "$1" >/dev/null
}

# --- memcached: ./configure, then bear -- make ----------------------------------------
fetch memcached
mc=$(srcdir memcached)
if [ "$(db_entries "$mc/compile_commands.json")" -eq 0 ]; then
  say "building $mc"
  (
    cd "$mc"
    [ -f Makefile ] || ./configure --enable-sasl --enable-tls >configure.log 2>&1 ||
      { tail -20 configure.log >&2; exit 1; }
    make clean >/dev/null 2>&1 || true
    bear --output compile_commands.json -- make -j"$jobs" >build.log 2>&1 ||
      { tail -20 build.log >&2; exit 1; }
  )
fi

# --- redis: src/ only, with the flags debian/rules uses --------------------------------
fetch redis
rd=$(srcdir redis)
if [ "$(db_entries "$rd/compile_commands.json")" -eq 0 ]; then
  say "building $rd/src"
  (
    cd "$rd"
    make -C src distclean >/dev/null 2>&1 || true
    CFLAGS="-g -O2 -I/usr/include/liblzf" \
    LDFLAGS="-Wl,-no-as-needed -ldl -latomic -llzf" \
      bear --output compile_commands.json -- \
      make -C src -j"$jobs" V=1 BUILD_TLS=yes USE_SYSTEMD=yes \
        USE_JEMALLOC=yes USE_SYSTEM_JEMALLOC=yes >build.log 2>&1 ||
      { tail -20 build.log >&2; exit 1; }
  )
fi

for d in "$mc" "$rd"; do
  echo "$d/compile_commands.json: $(db_entries "$d/compile_commands.json") entries"
done
