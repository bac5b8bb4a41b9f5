#!/usr/bin/env bash
# Run an npm script with Node >= 22.13 and up-to-date dependencies.
#
#   bash scripts/run.sh <npm-script> [args…]
#
# `npm test` and `npm run demo` go through here, so they work on a fresh clone: Node 24 is
# installed when the machine's Node is too old, and the locked dependencies install when
# node_modules is missing (`npm ci`: exactly the lockfile, which it never rewrites) or older than
# package-lock.json / any package.json (`npm install` from the same lockfile). The lockfile is kept
# complete for every platform by scripts/lockfile.sh, so neither leaves `git status` dirty.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
# shellcheck source=ensure-node.sh
. "$root/scripts/ensure-node.sh"

stamp="node_modules/.openissuing-install"
want="$(node --version) $(cat package-lock.json package.json packages/*/package.json examples/*/package.json bench/package.json 2>/dev/null | sha256sum | cut -c1-16)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "run: installing dependencies (node_modules missing or stale)" >&2
  if [ -d node_modules ]; then npm install --no-audit --no-fund --loglevel=error
  else npm ci --no-audit --no-fund --loglevel=error; fi
  echo "$want" > "$stamp"
fi

script="$1"
shift
exec npm run --silent "$script" -- "$@"
