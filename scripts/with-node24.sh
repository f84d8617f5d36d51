#!/usr/bin/env bash
# Runs a command with the cached Node 24 first on PATH (installed on first use), so code paths
# that only exist on n8n 2.x's runtime — node:sqlite for the embedded state store — are tested
# too, not only on the machine's Node 20.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
bash "$here/ensure-runtime.sh" node24
bin="$(bash "$here/ensure-runtime.sh" paths | sed -n 's/^NODE24_BIN=//p')"
export PATH="$bin:$PATH"
exec "$@"
