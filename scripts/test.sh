#!/usr/bin/env bash
# The project's single test command: unit, integration (against a local moto server) and doc tests.
#
# Usage: scripts/test.sh [extra cargo test args, e.g. a test-name filter]
#
# Installs moto into <repo>/.venv if needed (scripts/setup-venv.sh --minimal, while the tests
# compile), then runs
#   cargo test --all-targets --locked
#   cargo test --doc --locked
# with dummy AWS credentials, so nothing here can reach a real AWS account.
# Exit code: 0 when both pass, else the first failing cargo exit code.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
cd "$ROOT"

# moto's first install (about a minute) runs while cargo compiles: neither needs the other
# until the tests start.
venv_log="$(mktemp "${TMPDIR:-/tmp}/ecs-doctor-venv.XXXXXX")"
"$ROOT/scripts/setup-venv.sh" --minimal >"$venv_log" 2>&1 &
venv_pid=$!

export PATH="$ROOT/.venv/bin:$PATH"
export MOTO_SERVER="$ROOT/.venv/bin/moto_server"

# Dummy credentials and region; never use a developer's real profile or instance metadata.
unset AWS_PROFILE AWS_DEFAULT_PROFILE AWS_SESSION_TOKEN AWS_SECURITY_TOKEN AWS_ROLE_ARN \
  AWS_WEB_IDENTITY_TOKEN_FILE AWS_CONTAINER_CREDENTIALS_RELATIVE_URI AWS_CONTAINER_CREDENTIALS_FULL_URI
export AWS_ACCESS_KEY_ID=testing
export AWS_SECRET_ACCESS_KEY=testing
export AWS_REGION=us-east-1
export AWS_DEFAULT_REGION=us-east-1
export AWS_EC2_METADATA_DISABLED=true
export AWS_CONFIG_FILE=/dev/null
export AWS_SHARED_CREDENTIALS_FILE=/dev/null

locked=()
if [[ -f Cargo.lock ]]; then
  locked=(--locked)
else
  echo "test.sh: no Cargo.lock, running without --locked" >&2
fi

# cargo's stdout is also copied to a log, to print one total at the end (the doc-test run,
# often "0 passed", would otherwise be the last word).
log="$(mktemp "${TMPDIR:-/tmp}/ecs-doctor-test.XXXXXX")"
trap 'rm -f "$log" "$venv_log"' EXIT

build_status=0
cargo test --all-targets --no-run ${locked[@]+"${locked[@]}"} "$@" || build_status=$?
venv_status=0
wait "$venv_pid" || venv_status=$?
cat "$venv_log"
if [[ $venv_status -ne 0 ]]; then
  echo "test.sh: scripts/setup-venv.sh --minimal failed (exit $venv_status)" >&2
  exit "$venv_status"
fi
if [[ $build_status -ne 0 ]]; then
  exit "$build_status"
fi

status=0
cargo test --all-targets ${locked[@]+"${locked[@]}"} "$@" | tee -a "$log" || status=${PIPESTATUS[0]}
doc_status=0
# Doc tests take a name filter but no target selection (`--test it`, `--lib`, ...).
case " $* " in
  *" --test"* | *" --lib "* | *" --bin"* | *" --bench"* | *" --example"* | *" --tests "* | *" --benches "*)
    echo "test.sh: a target was selected; doc tests skipped" ;;
  *)
    cargo test --doc ${locked[@]+"${locked[@]}"} "$@" | tee -a "$log" || doc_status=${PIPESTATUS[0]} ;;
esac
if [[ $status -eq 0 ]]; then
  status=$doc_status
fi

# Sum the "test result: ok. N passed; N failed; N ignored; ..." lines.
awk '/^test result: / {
       for (i = 1; i <= NF; i++) {
         if ($(i + 1) ~ /^passed;/) p += $i
         if ($(i + 1) ~ /^failed;/) f += $i
         if ($(i + 1) ~ /^ignored;/) s += $i
       }
     }
     END { printf "summary: %d passed, %d failed, %d skipped\n", p, f, s }' "$log"
exit "$status"
