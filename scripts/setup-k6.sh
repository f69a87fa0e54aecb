#!/usr/bin/env bash
# Installs the pinned k6 release into <repo>/.bin/k6 with `go install`: the k6 part of
# scripts/setup-tools.sh, which pins the version and does the work. Usage: npm run setup:k6
#   --optional: when Go is missing, say so and exit 0 (npm test's pretest: the k6 tests then skip).
set -euo pipefail
exec bash "$(dirname "${BASH_SOURCE[0]}")/setup-tools.sh" "$@" k6
