#!/usr/bin/env bash
# Runs a command with Node 24, the current LTS that production runs, first on the PATH.
# The development machines ship Node 20; Node 24 comes from the npm registry's "node" package,
# which ships the binary and its headers (no download from anywhere else), kept in .cache/node24.
# The one native module (better-sqlite3) is built for each Node's ABI once, kept in
# .cache/better-sqlite3/<abi>.node, and swapped in for the command, then back.
#   scripts/with-node24.sh npm test
set -euo pipefail
cd "$(dirname "$0")/.."
dir=.cache/node24
if [ ! -x "$dir/node_modules/.bin/node" ]; then
  echo "Installing Node 24 from the npm registry into $dir ..." >&2
  # A project of its own, whose one package may run its install script (it puts the binary in place).
  mkdir -p "$dir"
  echo '{ "private": true, "allowScripts": { "node": true } }' >"$dir/package.json"
  npm install --prefix "$dir" --no-save --no-audit --no-fund --loglevel=error node@24 >&2
fi
node24="$PWD/$dir/node_modules/.bin/node"
# The platform package beside the binary carries Node's headers (include/node), for node-gyp.
headers=$(dirname "$(dirname "$(ls -d "$PWD/$dir"/node_modules/node/node_modules/node-*/include/node | head -n 1)")")

binding=node_modules/better-sqlite3/build/Release/better_sqlite3.node
kept=.cache/better-sqlite3
if [ -f "$binding" ]; then
  mkdir -p "$kept"
  abi_here=$(node -p process.versions.modules)
  abi_24=$("$node24" -p process.versions.modules)
  [ -f "$kept/$abi_here.node" ] || cp "$binding" "$kept/$abi_here.node"
  trap 'mkdir -p "$(dirname "$binding")" && cp "$kept/$abi_here.node" "$binding"' EXIT
  if [ ! -f "$kept/$abi_24.node" ]; then
    echo "Building better-sqlite3 for Node 24 (ABI $abi_24) ..." >&2
    PATH="$PWD/$dir/node_modules/.bin:$PATH" npm_config_nodedir="$headers" npm rebuild better-sqlite3 --loglevel=error >&2
    cp "$binding" "$kept/$abi_24.node"
  fi
  cp "$kept/$abi_24.node" "$binding"
fi
export PATH="$PWD/$dir/node_modules/.bin:$PATH"
echo "Node $(node -v) ($(command -v node))" >&2
"$@"
