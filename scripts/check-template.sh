#!/usr/bin/env bash
# Checks template.yaml (central) and member/template.yaml (member accounts) offline:
#   1. cfn-lint
#   2. sam validate --lint
#   3. no IAM Action/NotAction with a wildcard, in the template as written and after the SAM
#      transform (which adds the execution role and destination policies)
# With --build, also `sam build` (cargo lambda build --release --arm64, no Docker) and prints
# the size of the built bootstrap and of its zip.
#
# Usage: scripts/check-template.sh [--build]
set -euo pipefail

build=0
for arg in "$@"; do
  case "$arg" in
    --build) build=1 ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) echo "check-template.sh: unknown argument: $arg" >&2; exit 2 ;;
  esac
done

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
cd "$ROOT"
TEMPLATES=(template.yaml member/template.yaml)

"$ROOT/scripts/setup-venv.sh"

export PATH="$ROOT/.venv/bin:$PATH"
# Offline, no real account: dummy credentials, fixed region, no telemetry.
unset AWS_PROFILE AWS_DEFAULT_PROFILE AWS_SESSION_TOKEN
export AWS_ACCESS_KEY_ID=testing
export AWS_SECRET_ACCESS_KEY=testing
export AWS_REGION=us-east-1
export AWS_DEFAULT_REGION=us-east-1
export AWS_EC2_METADATA_DISABLED=true
export SAM_CLI_TELEMETRY=0

step() { echo "--- check-template: $*"; }

for TEMPLATE in "${TEMPLATES[@]}"; do
step "cfn-lint $TEMPLATE"
cfn-lint -- "$TEMPLATE"
echo "cfn-lint: no errors or warnings"

step "sam validate --lint $TEMPLATE"
sam validate --lint --template-file "$TEMPLATE"

step "IAM actions in $TEMPLATE (no wildcards allowed)"
python3 - "$TEMPLATE" <<'PY'
import sys

from cfnlint.decode import decode
from samtranslator.translator.transform import transform

path = sys.argv[1]
template, matches = decode(path)
if matches:
    for m in matches:
        print(m)
    sys.exit(1)


def plain(node):
    """cfn-lint's YAML node types -> plain dict/list/str."""
    if isinstance(node, dict):
        return {str(k): plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [plain(v) for v in node]
    if isinstance(node, str):
        return str(node)
    return node


def statements(node, where=""):
    """Yield (location, statement) for every IAM policy statement found in node."""
    if isinstance(node, dict):
        if "Statement" in node and isinstance(node["Statement"], (list, dict)):
            stmts = node["Statement"]
            for i, s in enumerate(stmts if isinstance(stmts, list) else [stmts]):
                if isinstance(s, dict):
                    yield f"{where}.Statement[{i}]", s
        for k, v in node.items():
            yield from statements(v, f"{where}.{k}" if where else k)
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from statements(v, f"{where}[{i}]")


def check(tpl, label):
    bad, actions = [], set()
    for loc, stmt in statements(tpl.get("Resources", {}), "Resources"):
        if "NotAction" in stmt:
            bad.append(f"{label}: {loc}: NotAction is not allowed")
        acts = stmt.get("Action", [])
        for a in acts if isinstance(acts, list) else [acts]:
            if not isinstance(a, str):
                bad.append(f"{label}: {loc}: non-literal Action {a!r}")
                continue
            actions.add(a)
            if "*" in a or "?" in a:
                bad.append(f"{label}: {loc}: wildcard action {a!r}")
    return bad, actions


class ManagedPolicies:
    # Offline stand-in for the IAM ListPolicies lookup SAM makes for managed-policy *names*.
    def load(self):
        return {
            "AWSLambdaBasicExecutionRole":
                "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
        }


source = plain(template)
translated_input = plain(template)
for res in translated_input.get("Resources", {}).values():
    # The transform wants an S3 CodeUri; `sam build`/`sam package` would supply one.
    if res.get("Type") == "AWS::Serverless::Function":
        res.setdefault("Properties", {})["CodeUri"] = "s3://placeholder/code.zip"
# member/template.yaml is plain CloudFormation: nothing to transform.
if "Transform" in translated_input:
    translated = transform(translated_input, {}, ManagedPolicies())
else:
    translated = translated_input

bad1, a1 = check(source, "template")
bad2, a2 = check(translated, "after SAM transform")
for a in sorted(a1 | a2):
    print(f"  {a}")
managed = set()
for res in translated.get("Resources", {}).values():
    if res.get("Type") == "AWS::IAM::Role":
        managed.update(map(str, res.get("Properties", {}).get("ManagedPolicyArns", [])))
for m in sorted(managed):
    print(f"  managed policy: {m}")
if bad1 or bad2:
    print("wildcard IAM actions found:", *bad1, *bad2, sep="\n  ")
    sys.exit(1)
print("IAM: no wildcard actions")
PY
done
TEMPLATE=template.yaml

if [[ $build -eq 1 ]]; then
  step "sam build (cargo lambda build --release --arm64, no Docker)"
  if command -v rustup >/dev/null 2>&1; then
    rustup target add aarch64-unknown-linux-gnu >/dev/null
  fi
  start=$SECONDS
  sam build --template-file "$TEMPLATE"
  echo "sam build took $((SECONDS - start))s"

  step "artefact"
  python3 - .aws-sam/build <<'PY'
import io, os, sys, zipfile

build_dir = sys.argv[1]
found = False
for fn in sorted(os.listdir(build_dir)):
    bootstrap = os.path.join(build_dir, fn, "bootstrap")
    if not os.path.isfile(bootstrap):
        continue
    found = True
    with open(bootstrap, "rb") as f:
        data = f.read()
    if data[:4] != b"\x7fELF":
        sys.exit(f"{bootstrap}: not an ELF executable")
    machine = int.from_bytes(data[18:20], "little")
    arch = {0xB7: "aarch64", 0x3E: "x86_64"}.get(machine, hex(machine))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        info = zipfile.ZipInfo("bootstrap")
        info.external_attr = 0o755 << 16
        info.compress_type = zipfile.ZIP_DEFLATED
        z.writestr(info, data)
    print(f"{fn}/bootstrap: {arch}, {len(data)} bytes ({len(data) / 1048576:.2f} MiB), "
          f"zip {len(buf.getvalue())} bytes ({len(buf.getvalue()) / 1048576:.2f} MiB)")
    if arch != "aarch64":
        sys.exit(f"{bootstrap}: expected an aarch64 binary for Architectures: [arm64], got {arch}")
if not found:
    sys.exit(f"no bootstrap found under {build_dir}")
PY
fi
echo "check-template: OK"
