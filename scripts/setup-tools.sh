#!/usr/bin/env bash
# Installs the pinned Go tools into <repo>/.bin/ with `go install` (the Go module proxy serves the source;
# no prebuilt binary is downloaded). Idempotent: a tool whose installed binaries already report the
# pinned version is skipped.
#
# Usage: bash scripts/setup-tools.sh [--optional] [k6] [toxiproxy] [actionlint]   (no names: all of them)
#   --optional: when Go is missing, say so and exit 0 (npm test's pretest: the tests that need a tool
#               then skip with the reason).
#   GO=/path/to/go: the Go to build with (default: `go` on PATH, else /usr/local/go/bin/go).
#
# The harness finds each tool through its env override (K6_BIN, TOXIPROXY_BIN, ACTIONLINT_BIN), then
# PATH, then <repo>/.bin/ (bench/host/tool-bin.ts, which pins the same versions: keep the two in step).
set -euo pipefail

ALL_TOOLS=(k6 toxiproxy actionlint)
declare -A VERSION=([k6]=v1.8.1 [toxiproxy]=v2.5.0 [actionlint]=v1.7.12)
# Go packages per tool (all from one module at VERSION); go install names a binary after the package's
# last path element, so toxiproxy's `cmd/server` and `cmd/cli` are renamed below.
declare -A PACKAGES=(
  [k6]="go.k6.io/k6"
  [toxiproxy]="github.com/Shopify/toxiproxy/v2/cmd/server github.com/Shopify/toxiproxy/v2/cmd/cli"
  [actionlint]="github.com/rhysd/actionlint/cmd/actionlint"
)
declare -A RENAME=([server]=toxiproxy-server [cli]=toxiproxy-cli)
# The binary whose own version report decides whether the tool is up to date, and how to ask it.
declare -A PRIMARY=([k6]=k6 [toxiproxy]=toxiproxy-server [actionlint]=actionlint)
declare -A VERSION_ARG=([k6]=version [toxiproxy]=-version [actionlint]=-version)
# Toxiproxy reports "git" unless its release build stamps the version (its .goreleaser.yml does this).
declare -A LDFLAGS=([toxiproxy]="-X github.com/Shopify/toxiproxy/v2.Version=${VERSION[toxiproxy]#v}")
# The oldest Go that builds each pinned version (the `go` line of its go.mod).
declare -A MIN_GO=([k6]=1.25 [toxiproxy]=1.17 [actionlint]=1.25)

OPTIONAL=0
TOOLS=()
for arg in "$@"; do
  case "$arg" in
    --optional) OPTIONAL=1 ;;
    -h | --help) sed -n '2,12p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *)
      if [[ -z "${VERSION[$arg]+set}" ]]; then
        echo "setup-tools: unknown tool \"$arg\"; known: ${ALL_TOOLS[*]}" >&2
        exit 2
      fi
      TOOLS+=("$arg")
      ;;
  esac
done
[[ ${#TOOLS[@]} -eq 0 ]] && TOOLS=("${ALL_TOOLS[@]}")

REPO_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BIN_DIR="${REPO_DIR}/.bin"

binaries_of() { # the installed names of a tool's binaries
  local pkg name
  for pkg in ${PACKAGES[$1]}; do
    name="${pkg##*/}"
    echo "${RENAME[$name]:-$name}"
  done
}

installed_version() { # "v1.8.1" from "k6 v1.8.1 (go1.26.8, …)", "v1.7.12", "toxiproxy-server version 2.5.0"
  local out
  out="$("${BIN_DIR}/${PRIMARY[$1]}" "${VERSION_ARG[$1]}" 2>/dev/null)" || return 0
  out="$(grep -oE 'v?[0-9]+\.[0-9]+\.[0-9]+' <<<"$out" | head -1)"
  [[ -n "$out" ]] && echo "v${out#v}"
  return 0
}

is_current() {
  local bin
  for bin in $(binaries_of "$1"); do [[ -x "${BIN_DIR}/${bin}" ]] || return 1; done
  [[ "$(installed_version "$1")" == "${VERSION[$1]}" ]]
}

pending=()
for tool in "${TOOLS[@]}"; do
  if is_current "$tool"; then
    echo "${tool} ${VERSION[$tool]} already installed: ${BIN_DIR}/${PRIMARY[$tool]}"
  else
    pending+=("$tool")
  fi
done
[[ ${#pending[@]} -eq 0 ]] && exit 0

# Go: $GO when set, else from PATH, else the official tarball's place (often installed but not on PATH).
GO="${GO:-$(command -v go || true)}"
[[ -z "$GO" && -x /usr/local/go/bin/go ]] && GO=/usr/local/go/bin/go
if [[ -z "$GO" || ! -x "$GO" ]]; then
  {
    echo "setup-tools: Go is not installed (${GO:+GO=$GO is not executable; }no \`go\` on PATH, none in /usr/local/go)."
    for tool in "${pending[@]}"; do
      echo "  ${tool} ${VERSION[$tool]} is built from source with \`go install\`, which needs Go >= ${MIN_GO[$tool]}."
    done
    echo "Install Go (Debian/Ubuntu: sudo apt-get install golang-go, then check \`go version\`; otherwise"
    echo "https://go.dev/doc/install), or install the tools yourself and point the harness at them:"
    echo "  export K6_BIN=/path/to/k6 TOXIPROXY_BIN=/path/to/toxiproxy-server ACTIONLINT_BIN=/path/to/actionlint"
  } >&2
  [[ $OPTIONAL == 1 ]] && { echo "setup-tools: continuing without ${pending[*]} (their tests will skip)" >&2; exit 0; }
  exit 1
fi

mkdir -p "$BIN_DIR"
# Build into a scratch GOBIN inside .bin (same filesystem: the final mv is atomic), so a failed or
# interrupted build never leaves a half-installed tool under its real name.
BUILD_DIR="$(mktemp -d "${BIN_DIR}/.build.XXXXXX")"
trap 'rm -rf "$BUILD_DIR"' EXIT

for tool in "${pending[@]}"; do
  version="${VERSION[$tool]}"
  targets=()
  for pkg in ${PACKAGES[$tool]}; do targets+=("${pkg}@${version}"); done
  echo "setup-tools: building ${tool} ${version} with $("$GO" version | awk '{ print $3 }') into ${BIN_DIR} (a first build takes minutes)..."
  # CGO off: static binaries that do not depend on the machine's libc.
  if ! GOBIN="$BUILD_DIR" CGO_ENABLED=0 "$GO" install -ldflags "${LDFLAGS[$tool]:-}" "${targets[@]}"; then
    echo "setup-tools: \`go install ${targets[*]}\` failed (see the Go output above)." >&2
    echo "             Check network access to the Go module proxy (GOPROXY=$("$GO" env GOPROXY))." >&2
    exit 1
  fi
  for pkg in ${PACKAGES[$tool]}; do
    name="${pkg##*/}"
    mv -f "${BUILD_DIR}/${name}" "${BIN_DIR}/${RENAME[$name]:-$name}"
  done
  got="$(installed_version "$tool")"
  if [[ "$got" != "$version" ]]; then
    echo "setup-tools: built ${BIN_DIR}/${PRIMARY[$tool]} but it reports \"${got}\", expected ${version}." >&2
    exit 1
  fi
  echo "${tool} ${version} installed: $(binaries_of "$tool" | sed "s|^|${BIN_DIR}/|" | paste -sd ' ')"
done
