#!/usr/bin/env bash
# Step "Lint PostgreSQL configuration" of action.yml: expands the file globs in the workspace and runs pg-pitr lint,
# as GitHub annotations (or text), plus a SARIF file when asked. Exits with pg-pitr's status. Reads inputs from env only.
set -euo pipefail
cli="${GITHUB_ACTION_PATH:?GITHUB_ACTION_PATH is not set}/dist/cli.js"
cd "${GITHUB_WORKSPACE:-$PWD}"

# inputs.files: globs separated by spaces or new lines, relative to the workspace (** crosses directories)
set -f
# shellcheck disable=SC2206 # split on white space, without globbing, on purpose
patterns=(${PG_PITR_FILES:-})
set +f
shopt -s globstar nullglob
declare -A seen=()
files=()
for pattern in "${patterns[@]}"; do
  for f in $pattern; do
    case "/$f/" in */node_modules/* | */.git/*) continue ;; esac
    if [ -f "$f" ] && [ -z "${seen[$f]:-}" ]; then
      seen[$f]=1
      files+=("$f")
    fi
  done
done
if [ "${#files[@]}" -eq 0 ]; then
  echo "::warning title=pg-pitr::pg-pitr: no file matches ${patterns[*]:-(no files input)}: nothing was linted"
  exit 0
fi

args=()
[ -n "${PG_PITR_PG_VERSION:-}" ] && args+=(--pg-version "$PG_PITR_PG_VERSION")
[ -n "${PG_PITR_DATA_DIR:-}" ] && args+=(--data-dir "$PG_PITR_DATA_DIR")
[ -n "${PG_PITR_MAX_WARNINGS:-}" ] && args+=(--max-warnings "$PG_PITR_MAX_WARNINGS")
format=text
[ "${PG_PITR_ANNOTATE:-true}" = true ] && format=github

echo "pg-pitr: linting ${files[*]}"
status=0
node "$cli" lint "${files[@]}" "${args[@]}" --format "$format" || status=$?
if [ -n "${PG_PITR_SARIF_FILE:-}" ]; then
  mkdir -p "$(dirname "$PG_PITR_SARIF_FILE")"
  node "$cli" lint "${files[@]}" "${args[@]}" --format sarif >"$PG_PITR_SARIF_FILE" || true
  echo "pg-pitr: SARIF written to $PG_PITR_SARIF_FILE"
fi
exit "$status"
