#!/usr/bin/env bash
# Long property-test run ("fuzzing" on stable Rust): runs tests/it/engine/properties.rs round after round,
# each round with a new seed and a large case count, for MINUTES minutes, then prints the
# executions per property, the failures and every seed used. CI keeps its short, fixed-seed run
# (scripts/test.sh); this is for before a release or after touching the decoder or renderers.
#
# Usage: scripts/fuzz.sh [MINUTES]            (default 10)
# Environment:
#   FUZZ_PROFILE=benchfast    cargo profile of the test build (optimised; `dev` is ~20x slower)
#   FUZZ_SCALE=20             per round, each property runs its CI case count times this
#                             (ECS_DOCTOR_FUZZ_SCALE: the cheap byte-level property runs most)
#   FUZZ_CASES=N              instead, N cases for every property per round (PROPTEST_CASES)
#   FUZZ_SEED_BASE=N          first seed (decimal or 0x-hex); default: random. Round i uses N+i.
#   FUZZ_THREADS=1            properties run in parallel per round (the test harness's threads)
#   FUZZ_OUT=target/fuzz      where failing rounds' logs are kept
#   FUZZ_CARGO_ARGS=...       extra cargo arguments for the build, e.g. on a busy machine, to
#                             reuse the debug build of the SDK and optimise only the hot crates:
#                             FUZZ_PROFILE=dev CARGO_TARGET_DIR=target/fuzz-build FUZZ_CARGO_ARGS="
#                             --config profile.dev.package.ecs-doctor.opt-level=3
#                             --config profile.dev.package.aho-corasick.opt-level=3
#                             --config profile.dev.package.proptest.opt-level=3"
# Exit code: 0 when every round passed, 1 when one failed (its seed and log are printed:
# rerun it with ECS_DOCTOR_FUZZ_SEED=<seed> PROPTEST_CASES=<cases> cargo test --test it engine::properties::).
set -euo pipefail

minutes="${1:-10}"
if ! [[ "$minutes" =~ ^[0-9]+$ ]] || [[ "$minutes" -eq 0 ]]; then
  echo "fuzz.sh: MINUTES must be a positive whole number, got '$minutes'" >&2
  exit 2
fi
profile="${FUZZ_PROFILE:-benchfast}"
scale="${FUZZ_SCALE:-20}"
cases="${FUZZ_CASES:-}"
threads="${FUZZ_THREADS:-1}"

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
cd "$ROOT"
out="${FUZZ_OUT:-$ROOT/target/fuzz}"
mkdir -p "$out"

if [[ -n "${FUZZ_SEED_BASE:-}" ]]; then
  base=$((FUZZ_SEED_BASE))
else
  base=$(($(od -An -N4 -tu4 /dev/urandom) * 65536))
fi

echo "fuzz: building the integration tests, tests/it/ (profile $profile)"
# shellcheck disable=SC2086 # FUZZ_CARGO_ARGS is a list of arguments
exe="$(cargo test --locked --profile "$profile" ${FUZZ_CARGO_ARGS:-} --test it --no-run --message-format=json \
  | python3 -c '
import json, sys
for line in sys.stdin:
    try:
        m = json.loads(line)
    except ValueError:
        continue
    if m.get("reason") == "compiler-artifact" and m.get("executable") and m["target"]["name"] == "it":
        print(m["executable"])
')"
if [[ -z "$exe" || ! -x "$exe" ]]; then
  echo "fuzz.sh: could not find the built integration test binary" >&2
  exit 1
fi

declare -A per_property=()
total=0
rounds=0
failures=0
failed_seeds=()
start=$SECONDS
deadline=$((start + minutes * 60))
if [[ -n "$cases" ]]; then
  per_round="$cases cases per property per round"
  case_env=(PROPTEST_CASES="$cases")
else
  per_round="CI's case counts x $scale per round"
  case_env=(ECS_DOCTOR_FUZZ_SCALE="$scale")
fi
echo "fuzz: $minutes min, $per_round, seeds from $(printf '%#x' "$base")"

while ((SECONDS < deadline)); do
  seed=$((base + rounds))
  log="$out/round-$(printf '%x' "$seed").log"
  rc=0
  env "${case_env[@]}" ECS_DOCTOR_FUZZ_SEED="$seed" RUST_BACKTRACE=1 \
    "$exe" engine::properties:: --test-threads="$threads" --nocapture >"$log" 2>&1 || rc=$?
  round_total=0
  # Lines written by tests/it/engine/properties.rs::check: "<property>: <n> executions (...)", after the
  # harness's "test <name> ... " when the tests run one at a time.
  while IFS=$'\t' read -r name n; do
    per_property["$name"]=$((${per_property["$name"]:-0} + n))
    round_total=$((round_total + n))
  done < <(sed -nE 's/^(test [^ ]+ \.\.\. )?([a-z][a-z -]*): ([0-9]+) executions .*/\2\t\3/p' "$log")
  total=$((total + round_total))
  rounds=$((rounds + 1))
  if [[ $rc -ne 0 ]]; then
    failures=$((failures + 1))
    failed_seeds+=("$(printf '%#x' "$seed")")
    echo "fuzz: round $rounds seed $(printf '%#x' "$seed") FAILED (exit $rc); log kept: $log"
    grep -E "panicked|minimal failing input|seed" "$log" | head -20 || true
  else
    rm -f "$log"
  fi
  printf 'fuzz: round %d seed %#x: %d executions, %d total, %ds elapsed\n' \
    "$rounds" "$seed" "$round_total" "$total" $((SECONDS - start))
done

elapsed=$((SECONDS - start))
echo
echo "=== fuzz summary"
echo "profile:     $profile"
echo "time:        ${elapsed}s"
echo "rounds:      $rounds ($per_round)"
printf 'seeds:       %#x .. %#x\n' "$base" $((base + rounds - 1))
for name in "${!per_property[@]}"; do
  printf '  %-24s %d executions\n' "$name" "${per_property[$name]}"
done | sort
echo "executions:  $total ($((total / (elapsed > 0 ? elapsed : 1))) per second)"
echo "failures:    $failures${failed_seeds[*]:+ (seeds: ${failed_seeds[*]})}"
[[ $failures -eq 0 ]]
