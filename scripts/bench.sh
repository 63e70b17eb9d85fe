#!/usr/bin/env bash
# Benchmarks (numbers only; nothing here asserts speed):
#   - diagnose throughput on one core              (benches/diagnose.rs)
#   - Lambda start → first /next poll, peak RSS    (benches/lambda_start.rs, needs moto)
#   - member-account event, cold vs warm           (benches/org_latency.rs, needs moto)
#   - release binary size, and the arm64 artefact of the last `sam build` if present
# The release profile is size-tuned (LTO, one codegen unit): the first run builds for minutes.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
cd "$ROOT"
"$ROOT/scripts/setup-venv.sh" --minimal
export PATH="$ROOT/.venv/bin:$PATH" MOTO_SERVER="$ROOT/.venv/bin/moto_server"
export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_REGION=us-east-1 AWS_EC2_METADATA_DISABLED=true

cargo bench --bench diagnose
cargo bench --bench lambda_start
cargo bench --bench org_latency
cargo build --release --bin ecs-doctor-lambda
size() { stat -c %s "$1"; }
bin=target/release/ecs-doctor-lambda
printf 'release binary (x86_64): %d bytes\n' "$(size "$bin")"
boot=.aws-sam/build/EcsDoctorFunction/bootstrap
if [[ -f $boot ]]; then
  tmp=$(mktemp -d)
  (cd "$(dirname "$boot")" && python3 -c 'import sys, zipfile; z = zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED); z.write("bootstrap"); z.close()' "$tmp/f.zip")
  printf 'sam build arm64 bootstrap: %d bytes, zipped %d bytes\n' "$(size "$boot")" "$(size "$tmp/f.zip")"
  rm -rf "$tmp"
fi
