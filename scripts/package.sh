#!/usr/bin/env bash
# Builds the Lambda once for arm64 with the release profile, and writes what a deploy needs
# without compiling again:
#   dist/ecs-doctor-lambda-arm64.zip   the function's code (bootstrap), as Lambda runs it
#   dist/template.yaml                 template.yaml with CodeUri pointing at that zip (no build step)
# Then, with AWS credentials (see README "Deploy without compiling"):
#   sam package --template-file dist/template.yaml --s3-bucket BUCKET --output-template-file dist/packaged.yaml
#   sam deploy  --template-file dist/packaged.yaml --stack-name ecs-doctor --capabilities CAPABILITY_IAM
#   sam publish --template dist/packaged.yaml      # to the Serverless Application Repository
#
# Usage: scripts/package.sh   (installs cargo-lambda and zig into .venv, and the arm64 target)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
cd "$ROOT"

"$ROOT/scripts/setup-venv.sh"
export PATH="$ROOT/.venv/bin:$PATH"
if command -v rustup >/dev/null; then
  rustup target add aarch64-unknown-linux-gnu >/dev/null
fi

start=$(date +%s)
cargo lambda build --release --arm64 --locked --bin ecs-doctor-lambda --output-format zip
zip_in="${CARGO_TARGET_DIR:-$ROOT/target}/lambda/ecs-doctor-lambda/bootstrap.zip"
mkdir -p dist
cp "$zip_in" dist/ecs-doctor-lambda-arm64.zip

# The same template, with the code already built: CodeUri is the zip, and no BuildMethod
# (sam would otherwise compile again). Fails loudly if template.yaml no longer has these lines.
python3 - <<'PY'
import pathlib, sys
src = pathlib.Path("template.yaml").read_text()
build = (
    "    Metadata:\n"
    "      BuildMethod: rust-cargolambda\n"
    "      BuildProperties:\n"
    "        Binary: ecs-doctor-lambda\n"
)
code = "      CodeUri: .\n"
if src.count(build) != 1 or src.count(code) != 1:
    sys.exit("package.sh: template.yaml changed: cannot find the function's build metadata and CodeUri")
out = src.replace(build, "").replace(code, "      CodeUri: ecs-doctor-lambda-arm64.zip\n")
pathlib.Path("dist/template.yaml").write_text(out)
PY

size=$(stat -c %s dist/ecs-doctor-lambda-arm64.zip)
echo "package: dist/ecs-doctor-lambda-arm64.zip ($size bytes, sha256 $(sha256sum dist/ecs-doctor-lambda-arm64.zip | cut -d' ' -f1)) in $(( $(date +%s) - start )) s"
echo "package: dist/template.yaml (CodeUri = the zip; sam package uploads it, nothing is compiled)"
