#!/usr/bin/env bash
# Make sure a Node.js >= 22.13 is first on PATH.
#
# Source it (`. scripts/ensure-node.sh`) so the PATH change reaches your shell, or run
# `bash scripts/ensure-node.sh` just to install. When the running Node is older than 22.13 it
# installs Node 24 from the npm registry into .tools/ (`npm install --prefix .tools node@24`)
# and puts .tools/node_modules/.bin first on PATH. Nothing else is downloaded.

_openissuing_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
_openissuing_tools="$_openissuing_root/.tools"

_openissuing_node_ok() {
  command -v node >/dev/null 2>&1 || return 1
  node -e 'const [a,b]=process.versions.node.split(".").map(Number);process.exit(a>22||(a===22&&b>=13)?0:1)'
}

if ! _openissuing_node_ok; then
  # npm finds its global npmrc next to the running node binary; once Node comes from .tools/ that
  # file would be a different (empty) one, losing machine settings such as a registry CA bundle.
  # Keep pointing npm at the machine's global npmrc.
  if [ -z "${NPM_CONFIG_GLOBALCONFIG:-}" ] && command -v npm >/dev/null 2>&1; then
    _openissuing_globalconfig="$(npm config get globalconfig 2>/dev/null || true)"
    if [ -n "$_openissuing_globalconfig" ] && [ -f "$_openissuing_globalconfig" ]; then
      export NPM_CONFIG_GLOBALCONFIG="$_openissuing_globalconfig"
    fi
    unset _openissuing_globalconfig
  fi
  if [ ! -x "$_openissuing_tools/node_modules/.bin/node" ]; then
    echo "ensure-node: Node $(node --version 2>/dev/null || echo 'missing') is older than 22.13; installing Node 24 into .tools/ from the npm registry" >&2
    npm install --prefix "$_openissuing_tools" --no-save --no-audit --no-fund --loglevel=error node@24 >&2
  fi
  export PATH="$_openissuing_tools/node_modules/.bin:$PATH"
  if ! _openissuing_node_ok; then
    echo "ensure-node: could not get Node >= 22.13 (have $(node --version 2>/dev/null)); install Node 24 and retry" >&2
    return 1 2>/dev/null || exit 1
  fi
fi
unset -f _openissuing_node_ok
