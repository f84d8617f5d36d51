#!/usr/bin/env bash
# `npm start`: build, sandbox, a real n8n with the package, sandbox credentials and the workflow
# templates, then stay in the foreground until Ctrl-C. Everything is in scripts/start.ts.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x node_modules/.bin/ts-node ]; then
  echo "npm start: the dev dependencies are missing; run npm install first" >&2
  exit 1
fi
# --prefer-ts-exts: node folders hold sibling .node.json codex files that plain require would pick.
exec node_modules/.bin/ts-node --transpile-only --prefer-ts-exts scripts/start.ts "$@"
