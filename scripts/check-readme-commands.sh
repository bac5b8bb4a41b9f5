#!/usr/bin/env bash
# The README's commands must leave a fresh clone's `git status` empty. This runs the ones that end by
# themselves — `npm run demo`, `npm run lockfile`, `npm run generate`, `npm run docs`, `npm run build`,
# `npm run lint` — and fails, listing the files, if any of them changed a tracked file or left an
# untracked one that .gitignore does not cover.
#
#   bash scripts/check-readme-commands.sh           in this checkout (it must be clean to start;
#                                                   .ci/run calls it after `npm test` on its fresh clone)
#   bash scripts/check-readme-commands.sh --clone   in a fresh clone of HEAD under /tmp (installs
#                                                   everything from the lockfile: several minutes)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

if [ "${1:-}" = "--clone" ]; then
  clone="$(mktemp -d /tmp/openissuing-clone-XXXXXX)"
  trap 'rm -rf "$clone"' EXIT
  git clone -q --no-hardlinks "$root" "$clone"
  git -C "$clone" checkout -q "$(git -C "$root" rev-parse HEAD)"
  echo "check-readme-commands: fresh clone of $(git -C "$root" rev-parse --short HEAD) in $clone"
  status=0
  bash "$clone/scripts/check-readme-commands.sh" || status=$?
  exit "$status"
fi

cd "$root"
# shellcheck source=ensure-node.sh
. "$root/scripts/ensure-node.sh"
if [ -n "$(git status --porcelain)" ]; then
  echo "check-readme-commands: the tree is not clean before the commands run; commit or stash first:" >&2
  git status --porcelain | head -20 >&2
  exit 1
fi

# `npm run demo` goes first: on a fresh clone it is what installs the dependencies (scripts/run.sh).
for command in "npm run demo" "npm run lockfile" "npm run generate" "npm run docs" "npm run build" "npm run lint"; do
  started=$SECONDS
  log="$(mktemp)"
  if ! $command >"$log" 2>&1; then
    echo "check-readme-commands: \`$command\` failed:" >&2
    tail -40 "$log" >&2
    rm -f "$log"
    exit 1
  fi
  rm -f "$log"
  dirty="$(git status --porcelain)"
  if [ -n "$dirty" ]; then
    echo "check-readme-commands: \`$command\` left the tree dirty:" >&2
    echo "$dirty" | head -20 >&2
    git diff --stat | tail -5 >&2
    exit 1
  fi
  echo "check-readme-commands: \`$command\` ok, tree clean ($((SECONDS - started)) s)"
done
echo "check-readme-commands: the README's commands leave git status empty"
