#!/usr/bin/env bash
# The SDK promises Node >= 22.13 as well as Node 24: run its test suite once more on Node 22.
# Node 22 comes from the npm registry into .tools/node22 (nothing else is downloaded).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
node22="$root/.tools/node22/node_modules/.bin/node"
if [ ! -x "$node22" ]; then
  npm install --prefix "$root/.tools/node22" --no-save --no-audit --no-fund --loglevel=error node@22 >&2
fi
echo "test-node22: @openissuing/sdk on Node $("$node22" --version)"
cd "$root/packages/sdk-js"
"$node22" "$root/node_modules/vitest/vitest.mjs" run
