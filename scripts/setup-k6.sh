#!/usr/bin/env bash
# Installs the pinned k6 release into <repo>/.bin/k6 with `go install` (the Go module proxy serves the
# source; no prebuilt binary is downloaded). Idempotent: does nothing when .bin/k6 already reports the
# pinned version. Usage: npm run setup:k6   (or: bash scripts/setup-k6.sh)
#   --optional: when Go is missing, say so and exit 0 (npm test's pretest: the k6 tests then skip).
#
# The harness finds k6 through K6_BIN, then PATH, then <repo>/.bin/k6 (bench/runners/k6-bin.ts).
set -euo pipefail
OPTIONAL=0
[[ "${1:-}" == "--optional" ]] && OPTIONAL=1

K6_VERSION="v1.8.1" # keep in step with K6_VERSION in bench/runners/k6-bin.ts
REPO_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BIN_DIR="${REPO_DIR}/.bin"
K6="${BIN_DIR}/k6"

installed_version() {
  # `k6 version` prints e.g. "k6 v1.8.1 (go1.26.8, linux/amd64)"
  "$K6" version 2>/dev/null | awk 'NR == 1 { print $2 }'
}

if [[ -x "$K6" ]] && [[ "$(installed_version)" == "$K6_VERSION" ]]; then
  echo "k6 ${K6_VERSION} already installed: ${K6}"
  exit 0
fi

if ! command -v go >/dev/null 2>&1; then
  cat >&2 <<MSG
setup-k6: Go is not installed (the \`go\` command is not on PATH).
k6 ${K6_VERSION} is built from source with \`go install\`, which needs Go 1.25 or newer (k6's go.mod):
  - Debian/Ubuntu: sudo apt-get install golang-go   (check \`go version\` >= 1.25)
  - otherwise: https://go.dev/doc/install
Or install k6 yourself (https://grafana.com/docs/k6/latest/set-up/install-k6/) and point the harness at it:
  export K6_BIN=/path/to/k6
MSG
  [[ $OPTIONAL == 1 ]] && { echo "setup-k6: continuing without k6 (its tests will skip)" >&2; exit 0; }
  exit 1
fi

mkdir -p "$BIN_DIR"
echo "setup-k6: building k6 ${K6_VERSION} with $(go version | awk '{ print $3 }') into ${BIN_DIR} (first build takes a few minutes)..."
# CGO off: a static binary that does not depend on the machine's libc.
if ! GOBIN="$BIN_DIR" CGO_ENABLED=0 go install "go.k6.io/k6@${K6_VERSION}"; then
  echo "setup-k6: \`go install go.k6.io/k6@${K6_VERSION}\` failed (see the Go output above)." >&2
  echo "          Check network access to the Go module proxy (GOPROXY=$(go env GOPROXY))." >&2
  exit 1
fi

if [[ "$(installed_version)" != "$K6_VERSION" ]]; then
  echo "setup-k6: built ${K6} but \`k6 version\` reports \"$(installed_version)\", expected ${K6_VERSION}." >&2
  exit 1
fi
echo "k6 ${K6_VERSION} installed: ${K6}"
