#!/usr/bin/env bash
# Create (if missing) the Python venv that holds the benchmark peers (codecs,
# FHIRPath, validation, and the fhirstarter HTTP peer under uvicorn with
# uvloop and httptools, as uvicorn[standard] would install them), and
# install the pinned peers into it. Idempotent and quiet: a package that is
# already installed at the wanted version is not touched, so a second run makes
# no network request. The last line on stdout is the venv's python path.
#
#   BENCH_VENV    venv folder (default .build-bench/venv; relative paths are
#                 taken from the repository root; .build*/ is gitignored)
#   BENCH_PYTHON  interpreter that creates the venv (default python3)
#   BENCH_UPGRADE=1  re-resolve the unpinned peers (orjson, lxml) to the latest
#
# A peer that fails to install gives a warning on stderr and the script goes on;
# codec_peers.py then reports that peer as unavailable. Exit status is non-zero
# only when the venv itself cannot be created.
set -u -o pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
venv="${BENCH_VENV:-.build-bench/venv}"
case "$venv" in
  /*) ;;
  *) venv="$repo_root/$venv" ;;
esac
py="$venv/bin/python"

# distribution name | pinned version ("" = latest available)
peers=(
  "fhirkit-rs|0.1.0"
  "fhir.resources|8.3.0"
  "fhirpathpy|2.2.4"
  "fhirpathrs|0.1.5"
  "pyfhircheck|0.2.0"
  "fhirstarter|4.2.0"
  "uvicorn|0.54.0"
  "uvloop|0.23.0"
  "httptools|0.9.0"
  "orjson|"
  "lxml|"
)

warn() { printf 'setup-peers: warning: %s\n' "$*" >&2; }

if [ ! -x "$py" ]; then
  mkdir -p "$(dirname "$venv")"
  if ! "${BENCH_PYTHON:-python3}" -m venv "$venv" >/dev/null; then
    printf 'setup-peers: error: cannot create venv at %s\n' "$venv" >&2
    exit 1
  fi
fi

export PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_INPUT=1 PYTHONWARNINGS=ignore

# Installed version of a distribution in the venv, or nothing.
installed_version() {
  "$py" - "$1" <<'EOF' 2>/dev/null
import sys
from importlib import metadata
try:
    print(metadata.version(sys.argv[1]))
except metadata.PackageNotFoundError:
    pass
EOF
}

for entry in "${peers[@]}"; do
  name="${entry%%|*}"
  want="${entry#*|}"
  have="$(installed_version "$name")"
  if [ -n "$want" ]; then
    [ "$have" = "$want" ] && continue
    spec="$name==$want"
  else
    [ -n "$have" ] && [ "${BENCH_UPGRADE:-0}" != 1 ] && continue
    spec="$name"
  fi
  log="$(mktemp)"
  if ! "$py" -m pip install -q --upgrade "$spec" >"$log" 2>&1; then
    warn "could not install $spec (the bench will report it as unavailable):"
    tail -n 5 "$log" | sed 's/^/  /' >&2
  fi
  rm -f "$log"
done

printf '%s\n' "$py"
