#!/usr/bin/env bash
# Prints the README's quick-start commands, one per line, exactly as written (comments dropped),
# so that CI runs what a newcomer reads and the two cannot drift.
set -euo pipefail
readme="$(dirname "$0")/../README.md"
awk '/<!-- quickstart:begin/{on=1; next} /<!-- quickstart:end -->/{on=0} on && !/^```/' "$readme" |
  sed -E 's/[[:space:]]+#.*$//' | grep -v '^[[:space:]]*$'
