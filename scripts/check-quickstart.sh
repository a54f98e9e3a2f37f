#!/usr/bin/env bash
# Runs the README's first quick-start command on a machine where another pnpm 10 is already the
# global one (as after `npm install -g pnpm@10`), in a throw-away npm prefix, and checks that the
# pinned pnpm is what installs and runs the project afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."
pinned="$(node -p "require('./package.json').packageManager.split('@')[1]")"
other="${1:-10.34.9}"
prefix="$(mktemp -d)"
trap 'rm -rf "$prefix"' EXIT
export npm_config_prefix="$prefix" PATH="$prefix/bin:$PATH"
npm install -g "pnpm@$other" --no-fund --no-audit --loglevel=error >/dev/null
echo "before: pnpm $(pnpm --version) on the PATH (pinned: $pinned)"
first="$(scripts/quickstart-commands.sh | head -n 1)"
echo "running the README's first command: $first"
bash -c "$first"
after="$(pnpm --version)"
echo "after: pnpm $after"
[ "$after" = "$pinned" ] || { echo "expected pnpm $pinned after the quick start, got $after" >&2; exit 1; }
