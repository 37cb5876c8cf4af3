#!/bin/sh
# Installs the Debian packages leash needs to build and test, when they are missing.
# Usage: ci/deps.sh [--test]   (--test adds what the end-to-end tests use)
set -eu

pkgs="cmake make gcc pkg-config libclang-19-dev clang-19 libsqlite3-dev sqlite3 libyaml-dev
libjansson-dev libcmark-dev libcmocka-dev libcurl4-openssl-dev libglib2.0-dev"
if [ "${1:-}" = "--test" ]; then
  pkgs="$pkgs valgrind libclang-rt-19-dev pre-commit git neovim clangd"  # libclang-rt: libFuzzer for ci/fuzz.sh
  pkgs="$pkgs chromium"  # renders the HTML report in ci/e2e/html.sh
  # The README's editor snippets run in Debian's editors (ci/e2e/editor_snippets.sh).
  pkgs="$pkgs emacs-nox elpa-eglot elpa-lsp-mode python3 python3-yaml"
  # The client libraries' headers the client-call-without-timeout fixtures compile against.
  pkgs="$pkgs libhiredis-dev libpq-dev libmariadb-dev libmosquitto-dev libpaho-mqtt-dev librabbitmq-dev
libldap2-dev libssh2-1-dev libmemcached-dev libzmq3-dev libnng-dev libsoup-3.0-dev"
fi

missing=""
for p in $pkgs; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "ci/deps.sh: missing packages:$missing (run as root to install them)" >&2
  exit 2
fi
echo "ci/deps.sh: installing$missing" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null
