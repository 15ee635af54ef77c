#!/usr/bin/env bash
# Installs what Sealift needs to build, test, demo and benchmark, and nothing that is already there:
# on a machine that has everything this runs no apt-get at all.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  build-essential cmake pkg-config g++                      # toolchain
  libarchive-dev libssl-dev nlohmann-json3-dev libyaml-cpp-dev libzstd-dev libcurl4-openssl-dev
  libre2-dev                                                # Go's regexp syntax for Helm templates (regexMatch, ...)
  catch2                                                    # unit tests (Catch2 v2, header only)
  zstd tar openssl jq xxd python3 time                      # demo, benchmarks, stock-tool checks
  docker-registry skopeo umoci containerd nginx-light wrk   # mirror tests and benchmarks
)

missing=()
for p in "${packages[@]}"; do
  [ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null)" = "install ok installed" ] || missing+=("$p")
done
# Node may come from elsewhere than Debian (it does on the development machines), and Debian's npm
# then conflicts with it: ask for Debian's packages only when the commands themselves are absent.
command -v node >/dev/null || missing+=(nodejs)
command -v npm >/dev/null || missing+=(npm)

if [ ${#missing[@]} -gt 0 ]; then
  echo "deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# The TUF interoperability tests run the reference implementation (@tufjs/models) under node.
lock=tests/node/package-lock.json
installed=tests/node/node_modules/.package-lock.json   # npm rewrites it on every install
if [ -f "$lock" ] && { [ ! -f "$installed" ] || [ "$installed" -ot "$lock" ]; }; then
  echo "deps: npm ci --prefix tests/node"
  npm ci --prefix tests/node --no-audit --no-fund
fi
