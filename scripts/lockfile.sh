#!/usr/bin/env bash
# The lockfile recipe. package-lock.json must install as it is on any machine, so that a fresh
# clone's first `npm test` / `npm run demo` leaves `git status` clean. npm drops other platforms'
# optional binaries (@rollup/rollup-*, @biomejs/cli-*, @turbo/*) from a lockfile it writes from an
# existing node_modules (npm/cli#4828), and the next install elsewhere adds them back: a dirty tree.
# `npm install --package-lock-only` resolves from package.json + the lockfile alone and keeps them.
#
#   bash scripts/lockfile.sh          after changing any package.json (or to repair a lockfile):
#                                     complete the lockfile, then install node_modules from it
#   bash scripts/lockfile.sh --check  fail if the lockfile is incomplete or out of date (CI runs this;
#                                     it works on a copy and changes nothing)
#
# To add a dependency: `npm install <pkg> -w <workspace> --no-audit --no-fund`, then this script.
# On a merge conflict in package-lock.json: take main's version, then this script.
# Never delete package-lock.json while node_modules exists.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
flags=(--no-audit --no-fund --loglevel=error --ignore-scripts)

if [ "${1:-}" = "--check" ]; then
  scratch="$(mktemp -d)"
  trap 'rm -rf "$scratch"' EXIT
  # The manifests and the lockfile only: no node_modules, so npm cannot fall into npm/cli#4828.
  for manifest in package.json package-lock.json packages/*/package.json examples/*/package.json bench/package.json; do
    [ -f "$manifest" ] || continue
    mkdir -p "$scratch/$(dirname "$manifest")"
    cp "$manifest" "$scratch/$manifest"
  done
  (cd "$scratch" && npm install --package-lock-only "${flags[@]}")
  if ! cmp -s "$scratch/package-lock.json" package-lock.json; then
    echo "lockfile: package-lock.json is incomplete or out of date; npm would rewrite it on the next install:" >&2
    diff <(grep -o '"node_modules/[^"]*"' package-lock.json | sort -u) \
         <(grep -o '"node_modules/[^"]*"' "$scratch/package-lock.json" | sort -u) | head -20 >&2 || true
    echo "Fix: bash scripts/lockfile.sh, then commit package-lock.json." >&2
    exit 1
  fi
  echo "lockfile: package-lock.json installs as it is"
  exit 0
fi

npm install --package-lock-only "${flags[@]}"
npm install --no-audit --no-fund --loglevel=error
# A second pass must change nothing; if it does, npm is still rewriting the lockfile.
before="$(sha256sum package-lock.json)"
npm install --package-lock-only "${flags[@]}"
[ "$before" = "$(sha256sum package-lock.json)" ] || { echo "lockfile: not stable; run again and report" >&2; exit 1; }
echo "lockfile: package-lock.json is complete; commit it with your package.json changes"
