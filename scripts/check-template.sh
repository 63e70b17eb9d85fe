#!/usr/bin/env bash
# Checks template.yaml (central) and member/template.yaml (member accounts) offline:
#   1. cfn-lint
#   2. sam validate --lint
#   3. no IAM Action/NotAction with a wildcard, in the template as written and after the SAM
#      transform (which adds the execution role and destination policies)
#   4. after the transform, for several parameter sets: ECS statements scoped to ClusterArn
#      (resources and the ecs:cluster condition) when it is set, the topic encrypted with
#      alias/aws/sns or TopicKmsKeyArn, and KMS rights on that key only
# With --build, also `sam build` (cargo lambda build --release --arm64, no Docker) and prints
# the size of the built bootstrap and of its zip.
#
# Usage: scripts/check-template.sh [--build]
set -euo pipefail

build=0
for arg in "$@"; do
  case "$arg" in
    --build) build=1 ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
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

step "IAM scope and topic encryption, per parameter set (after SAM transform)"
python3 - "$TEMPLATE" <<'PY'
import re
import sys

from cfnlint.decode import decode
from samtranslator.translator.transform import transform

ACCOUNT, REGION, PARTITION = "123456789012", "us-east-1", "aws"
CLUSTER = f"arn:aws:ecs:{REGION}:{ACCOUNT}:cluster/prod-east"
KEY = f"arn:aws:kms:{REGION}:{ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab"
# ECS actions without resource-level permissions: their Resource must be "*" in every mode.
ECS_UNSCOPABLE = {
    "ecs:DescribeTaskDefinition",
    "ecs:ListTaskDefinitions",
    "ecs:ListTaskDefinitionFamilies",
    "ecs:ListClusters",
    "ecs:DescribeCapacityProviders",
    "ecs:ListAccountSettings",
}
# Actions whose request context carries the ecs:cluster condition key.
ECS_CLUSTER_CONDITION = {"ecs:DescribeTasks", "ecs:DescribeContainerInstances", "ecs:ListTasks"}
NOVALUE = object()


def plain(node):
    if isinstance(node, dict):
        return {str(k): plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [plain(v) for v in node]
    if isinstance(node, str):
        return str(node)
    return node


class Resolver:
    """Evaluates the intrinsic functions this template uses for one set of parameter values."""

    def __init__(self, tpl, params):
        self.params = {k: str(v.get("Default", "")) for k, v in tpl.get("Parameters", {}).items()}
        self.params.update(params)
        self.params.update({"AWS::Partition": PARTITION, "AWS::Region": REGION, "AWS::AccountId": ACCOUNT})
        self.raw_conditions = tpl.get("Conditions", {})
        self.conditions = {}

    def condition(self, name):
        if name not in self.conditions:
            self.conditions[name] = bool(self.value(self.raw_conditions[name]))
        return self.conditions[name]

    def sub(self, text, extra):
        def one(m):
            name = m.group(1)
            if name in extra:
                return str(extra[name])
            if name in self.params:
                return self.params[name]
            return "${" + name + "}"  # a resource attribute: left as written
        return re.sub(r"\$\{([^}!]+)\}", one, text)

    def value(self, node):
        if isinstance(node, list):
            return [v for v in (self.value(x) for x in node) if v is not NOVALUE]
        if not isinstance(node, dict):
            return node
        if len(node) == 1:
            (fn, arg), = node.items()
            if fn == "Ref":
                if arg == "AWS::NoValue":
                    return NOVALUE
                return self.params.get(arg, f"REF({arg})")
            if fn == "Fn::If":
                return self.value(arg[1] if self.condition(arg[0]) else arg[2])
            if fn == "Condition":
                return self.condition(arg)
            if fn == "Fn::Equals":
                a, b = (self.value(x) for x in arg)
                return str(a) == str(b)
            if fn == "Fn::Not":
                return not self.value(arg[0])
            if fn == "Fn::And":
                return all(self.value(x) for x in arg)
            if fn == "Fn::Or":
                return any(self.value(x) for x in arg)
            if fn == "Fn::Sub":
                if isinstance(arg, list):
                    extra = {k: self.value(v) for k, v in arg[1].items()}
                    return self.sub(arg[0], extra)
                return self.sub(arg, {})
            if fn == "Fn::Split":
                return str(self.value(arg[1])).split(arg[0])
            if fn == "Fn::Select":
                return self.value(arg[1])[int(self.value(arg[0]))]
            if fn == "Fn::Join":
                return arg[0].join(str(x) for x in self.value(arg[1]))
            if fn == "Fn::GetAtt":
                return f"GETATT({arg if isinstance(arg, str) else '.'.join(arg)})"
        return {k: v for k, v in ((k, self.value(v)) for k, v in node.items()) if v is not NOVALUE}


class ManagedPolicies:
    def load(self):
        return {
            "AWSLambdaBasicExecutionRole":
                "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
        }


def as_list(v):
    return v if isinstance(v, list) else [v]


template, matches = decode(sys.argv[1])
if matches:
    sys.exit("\n".join(map(str, matches)))
source = plain(template)
for res in source.get("Resources", {}).values():
    if res.get("Type") == "AWS::Serverless::Function":
        res.setdefault("Properties", {})["CodeUri"] = "s3://placeholder/code.zip"
translated = transform(source, {}, ManagedPolicies())


def check(label, params):
    r = Resolver(translated, params)
    resources = {name: r.value(res) for name, res in translated["Resources"].items()
                 if "Condition" not in res or r.condition(res["Condition"])}
    errors = []
    cluster = params.get("ClusterArn", "")
    key = params.get("TopicKmsKeyArn", "")

    topics = [res for res in resources.values() if res["Type"] == "AWS::SNS::Topic"]
    want_key = key or "alias/aws/sns"
    for t in topics:
        got = t.get("Properties", {}).get("KmsMasterKeyId")
        if got != want_key:
            errors.append(f"topic KmsMasterKeyId is {got!r}, expected {want_key!r}")
    if not topics:
        errors.append("no SNS topic")

    stmts = []
    for name, res in resources.items():
        if res["Type"] != "AWS::IAM::Role":
            continue
        for pol in res["Properties"].get("Policies", []):
            for st in as_list(pol["PolicyDocument"]["Statement"]):
                stmts.append((f"{name}/{pol['PolicyName']}/{st.get('Sid', '?')}", st))
    if not stmts:
        errors.append("no inline role policy found after the transform")

    kms = [(loc, st) for loc, st in stmts if any(a.startswith("kms:") for a in as_list(st["Action"]))]
    if key:
        if len(kms) != 1:
            errors.append(f"expected one KMS statement, found {len(kms)}")
        for loc, st in kms:
            if as_list(st["Resource"]) != [key]:
                errors.append(f"{loc}: KMS statement on {st['Resource']!r}, expected only {key}")
            if sorted(as_list(st["Action"])) != ["kms:Decrypt", "kms:GenerateDataKey"]:
                errors.append(f"{loc}: KMS actions {st['Action']!r}")
    elif kms:
        errors.append(f"KMS statements without a customer-managed key: {[l for l, _ in kms]}")

    name = cluster.split("/", 1)[1] if cluster else None
    prefix = f"arn:{PARTITION}:ecs:{REGION}:{ACCOUNT}:"
    scoped = 0
    for loc, st in stmts:
        actions = [a for a in as_list(st["Action"]) if a.startswith("ecs:")]
        if not actions:
            continue
        resources_ = as_list(st["Resource"])
        if set(actions) <= ECS_UNSCOPABLE:
            continue
        if set(actions) & ECS_UNSCOPABLE:
            errors.append(f"{loc}: mixes actions without resource-level permissions with scoped ones")
        for res in resources_:
            if not isinstance(res, str) or not res.startswith(prefix):
                errors.append(f"{loc}: resource {res!r} is not an ECS ARN of this account and Region")
                continue
            kind, _, rest = res[len(prefix):].partition("/")
            if name is None:
                continue
            in_cluster = {
                "cluster": rest == name,
                "task": rest.startswith(f"{name}/"),
                "container-instance": rest.startswith(f"{name}/"),
                "service": rest.startswith(f"{name}/"),
                "task-set": rest.startswith(f"{name}/"),
            }.get(kind, False)
            if not in_cluster:
                errors.append(f"{loc}: {actions} on {res!r} reaches beyond cluster {name}")
        if name is not None and set(actions) & ECS_CLUSTER_CONDITION:
            cond = st.get("Condition", {}).get("ArnEquals", {}).get("ecs:cluster")
            if cond != cluster and cond != [cluster]:
                errors.append(f"{loc}: {actions} lacks the ecs:cluster = {cluster} condition (got {cond!r})")
        if name is None and "Condition" in st and "ecs:cluster" in str(st["Condition"]):
            errors.append(f"{loc}: ecs:cluster condition without a ClusterArn")
        scoped += 1
        print(f"  [{label}] {loc}: {', '.join(actions)} on {', '.join(map(str, resources_))}"
              + (f" if ecs:cluster = {cluster}" if "Condition" in st else ""))
    if scoped == 0:
        errors.append("no ECS statement with resource-level permissions found (ecs:DescribeTasks?)")
    for loc, st in kms:
        print(f"  [{label}] {loc}: {', '.join(as_list(st['Action']))} on {st['Resource']}")
    print(f"  [{label}] topic encrypted with {want_key}")
    return [f"{label}: {e}" for e in errors]


errors = check("every cluster, AWS-managed key", {})
errors += check("one cluster, customer-managed key", {"ClusterArn": CLUSTER, "TopicKmsKeyArn": KEY})
errors += check("one cluster, AWS-managed key", {"ClusterArn": CLUSTER})
if errors:
    print("IAM scope / encryption problems:", *errors, sep="\n  ")
    sys.exit(1)
print("IAM scope and topic encryption: as expected in every parameter set")
PY

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

step "Serverless Application Repository metadata (template.yaml)"
python3 - <<'PY'
import re, sys
from cfnlint.decode import decode
template, _ = decode("template.yaml")
app = template.get("Metadata", {}).get("AWS::ServerlessRepo::Application")
if not app:
    sys.exit("template.yaml: no Metadata AWS::ServerlessRepo::Application (sam publish needs it)")
for key in ("Name", "Description", "Author", "SemanticVersion", "SpdxLicenseId", "ReadmeUrl"):
    if not app.get(key):
        sys.exit(f"AWS::ServerlessRepo::Application lacks {key}")
version = re.search(r'^version = "([^"]+)"', open("Cargo.toml").read(), re.M).group(1)
if str(app["SemanticVersion"]) != version:
    sys.exit(f"SemanticVersion {app['SemanticVersion']} differs from Cargo.toml's version {version}")
print(f"ServerlessRepo: {app['Name']} {app['SemanticVersion']} (= Cargo.toml), {app['SpdxLicenseId']}")
PY
echo "check-template: OK"
