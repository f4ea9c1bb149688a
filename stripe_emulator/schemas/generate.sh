#!/usr/bin/env bash
# Regenerate stripe-api-schemas.json: JSON schemas of the objects the emulator returns, made from
# the TypeScript types of stripe-node 23.1.0, which Stripe generates for API version
# 2026-10-28.endive (the version the emulator serves). Needs node and npm; installs the pinned
# packages into a temporary folder, never into the project.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"
npm init -y >/dev/null
npm install --no-audit --no-fund --silent stripe@23.1.0 typescript-json-schema@0.68.0
node "$here/generate.mjs" "$work" > "$here/stripe-api-schemas.json"
echo "wrote $here/stripe-api-schemas.json"
