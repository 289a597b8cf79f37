#!/usr/bin/env bash
# Runs a command with Node 24, the current LTS that production runs, first on the PATH.
# The development machines ship Node 20; Node 24 comes from the npm registry's "node" package,
# which ships the binary (no download from anywhere else), kept in .cache/node24. The SQLite
# binding needs nothing more: on Node 22 and later the store loads better-sqlite3 13, whose
# Node-API binary works with every such Node (src/store/db.ts).
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
export PATH="$PWD/$dir/node_modules/.bin:$PATH"
echo "Node $(node -v) ($(command -v node))" >&2
"$@"
