#!/usr/bin/env bash
# Soak test: the Lambda binary, optimised (cargo profile `benchfast`: release with opt-level 3,
# no LTO — the size-tuned release profile takes 10+ minutes to link on 2 cores and runs the same
# code), answers SOAK_INVOCATIONS invocations (default 20,000) from a local Runtime API against
# a moto server on 127.0.0.1: every sample event in events/, duplicates, a storm of one service,
# a few undecodable events, with the DynamoDB ledger on. See benches/soak.rs for the checks.
# Prints published / skipped / error counts (they must add up), what SQS received, RSS at 1k,
# 10k and 20k invocations, p50 / p99 invocation time and throughput. Exit code 0 when every
# check holds. Not part of CI (CI runs a 60-invocation smoke run of the same binary).
#
# Usage: scripts/soak.sh
# Environment: SOAK_INVOCATIONS=20000, SOAK_PROFILE=benchfast, SOAK_CARGO_ARGS (extra cargo
# arguments, e.g. the per-crate opt-level overrides shown in scripts/fuzz.sh)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
cd "$ROOT"
"$ROOT/scripts/setup-venv.sh" --minimal
export PATH="$ROOT/.venv/bin:$PATH" MOTO_SERVER="$ROOT/.venv/bin/moto_server"
unset AWS_PROFILE AWS_DEFAULT_PROFILE AWS_SESSION_TOKEN
export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_REGION=us-east-1 AWS_EC2_METADATA_DISABLED=true
export SOAK_INVOCATIONS="${SOAK_INVOCATIONS:-20000}"
# shellcheck disable=SC2086 # SOAK_CARGO_ARGS is a list of arguments
cargo bench --locked --profile "${SOAK_PROFILE:-benchfast}" ${SOAK_CARGO_ARGS:-} --bench soak
