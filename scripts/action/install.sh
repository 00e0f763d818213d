#!/usr/bin/env bash
# Step "Install pg-pitr" of action.yml: builds dist/cli.js in the action's checkout when it is not there yet.
# Installs the runtime dependencies and esbuild only (not the test tooling); needs Node.js >= 20 and npm's registry.
set -euo pipefail
cd "${GITHUB_ACTION_PATH:?GITHUB_ACTION_PATH is not set}"

if [ -f dist/cli.js ]; then
  echo "pg-pitr: using $PWD/dist/cli.js"
  exit 0
fi
major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$major" -lt 20 ]; then
  echo "::error title=pg-pitr::pg-pitr: install failed: Node.js 20 or newer is needed (found: $(node --version 2>/dev/null || echo none)); add actions/setup-node before this action"
  exit 1
fi

npm ci --omit=dev --ignore-scripts --no-audit --no-fund
# esbuild only, in a prefix of its own: a plain `npm install esbuild` would also reify every dev dependency
esbuild_version=$(node -p 'require("./package.json").devDependencies.esbuild')
prefix=$(mktemp -d "${RUNNER_TEMP:-${TMPDIR:-/tmp}}/pg-pitr-esbuild.XXXXXX")
npm install --prefix "$prefix" --no-save --no-package-lock --no-audit --no-fund "esbuild@$esbuild_version"
ln -sfn "$prefix/node_modules/esbuild" node_modules/esbuild
node scripts/build.mjs
test -f dist/cli.js
echo "pg-pitr: built $PWD/dist/cli.js"
