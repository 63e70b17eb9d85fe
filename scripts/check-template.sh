#!/usr/bin/env bash
# Checks template.yaml (central) and member/template.yaml (member accounts) offline:
#   1. cfn-lint
#   2. sam validate --lint
#   3. no IAM Action/NotAction with a wildcard, in the template as written and after the SAM
#      transform (which adds the execution role and destination policies)
#   4. after the transform, for several parameter sets: ECS statements scoped to ClusterArn
#      (resources and the ecs:cluster condition) when it is set, the topic encrypted with
#      alias/aws/sns or TopicKmsKeyArn, and KMS rights on that key only
#   5. the IAM guarantees, for several parameter sets of each template: no member-role
#      statement with Resource "*" and no Condition, no sts:AssumeRole (trust or grant) without
#      a Condition, log events readable only in TaskLogGroupPatterns, no verify or "what
#      changed" reads with VerifyCauses=off, the incident-resolving events forwarded; then a
#      self-test that small bad templates are refused
# With --build, also `sam build` (cargo lambda build --release --arm64, no Docker) and prints
# the size of the built bootstrap and of its zip.
#
# Usage: scripts/check-template.sh [--build]
set -euo pipefail

build=0
for arg in "$@"; do
  case "$arg" in
    --build) build=1 ;;
    -h|--help) sed -n '2,18p' "$0"; exit 0 ;;
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

# Python shared by the per-parameter-set checks below: the template after the SAM transform
# (load) and a Resolver that evaluates its intrinsic functions for one set of parameter values.
IFS= read -r -d '' PY_COMMON <<'PY' || true
import json
import re
import sys

from cfnlint.decode import decode
from samtranslator.translator.transform import transform

ACCOUNT, REGION, PARTITION = "123456789012", "us-east-1", "aws"
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
        declared = tpl.get("Parameters", {})
        self.lists = {k for k, v in declared.items() if v.get("Type") == "CommaDelimitedList"}
        self.params = {k: str(v.get("Default", "")) for k, v in declared.items()}
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
                if arg in self.lists:
                    return self.params[arg].split(",")
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
    # Offline stand-in for the IAM ListPolicies lookup SAM makes for managed-policy *names*.
    def load(self):
        return {
            "AWSLambdaBasicExecutionRole":
                "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
        }


def as_list(v):
    return v if isinstance(v, list) else [v]


def load(path):
    """The template at path after the SAM transform (as written when it has no Transform)."""
    template, matches = decode(path)
    if matches:
        sys.exit("\n".join(map(str, matches)))
    tpl = plain(template)
    for res in tpl.get("Resources", {}).values():
        # The transform wants an S3 CodeUri; `sam build`/`sam package` would supply one.
        if res.get("Type") == "AWS::Serverless::Function":
            res.setdefault("Properties", {})["CodeUri"] = "s3://placeholder/code.zip"
    source = plain(template)
    return source, (transform(tpl, {}, ManagedPolicies()) if "Transform" in tpl else tpl)
PY
# py PROGRAM ARGS...: runs PROGRAM after PY_COMMON (sys.argv[1:] = ARGS).
py() { python3 -c "$PY_COMMON"$'\n'"$1" "${@:2}"; }

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
IFS= read -r -d '' PY_SCOPE <<'PY' || true
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


_, translated = load(sys.argv[1])


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
                "service-deployment": rest.startswith(f"{name}/"),
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
py "$PY_SCOPE" "$TEMPLATE"

# The guarantees of the IAM policies (README "Many accounts"), for every IAM statement of the
# template after the SAM transform and for each parameter set given:
#   - with --member (member/template.yaml, the roles another account's function uses): no
#     Allow statement with Resource "*" (or NotResource) and no Condition;
#   - in every template: no sts:AssumeRole statement without a Condition; the Condition limits
#     who is trusted (trust policy: aws:PrincipalAccount/aws:PrincipalOrgID for an AWS
#     principal, aws:SourceAccount/aws:SourceArn for a service) or where the role may be
#     assumed (identity policy: aws:ResourceOrgID/aws:ResourceAccount);
#   - log event reads only on the log groups of TaskLogGroupPatterns, never every log group;
#   - with VerifyCauses=off, no verify or "what changed" read (CloudTrail LookupEvents...);
#   - rules that forward ECS Service Action / Deployment State Change events include the
#     events that resolve an incident (SERVICE_STEADY_STATE, SERVICE_DEPLOYMENT_COMPLETED).
# Usage: py "$PY_GUARANTEES" TEMPLATE [--member] [--base K=V...] [--set LABEL K=V...]...
IFS= read -r -d '' PY_GUARANTEES <<'PY' || true
args = sys.argv[1:]
path, member, base, sets, into = args.pop(0), False, {}, [], None
while args:
    a = args.pop(0)
    if a == "--member":
        member, into = True, None
    elif a == "--base":
        into = base
    elif a == "--set":
        into = {}
        sets.append((args.pop(0), into))
    elif into is not None and "=" in a:
        k, _, v = a.partition("=")
        into[k] = v
    else:
        sys.exit(f"check-template: bad argument {a!r}")
sets = sets or [("defaults", {})]

# Read only by the verify stage and by "what changed": granted only with VerifyCauses=on.
VERIFY_READS = {
    "ecs:ListContainerInstances", "ecs:DescribeContainerInstances",
    "ecr:DescribeRepositories", "ecr:DescribeImages", "ecr:GetRepositoryPolicy", "ecr:BatchGetImage",
    "iam:GetRole", "iam:SimulatePrincipalPolicy", "secretsmanager:DescribeSecret",
    "ssm:DescribeParameters", "logs:DescribeLogGroups",
    "elasticfilesystem:DescribeMountTargets", "elasticfilesystem:DescribeMountTargetSecurityGroups",
    "elasticfilesystem:DescribeAccessPoints", "elasticfilesystem:DescribeFileSystemPolicy",
    "ec2:DescribeNetworkInterfaces", "ec2:DescribeSubnets", "ec2:DescribeRouteTables",
    "ec2:DescribeVpcEndpoints", "ec2:DescribeSecurityGroups", "ec2:DescribePrefixLists",
    "ec2:DescribeVpcs", "elasticloadbalancing:DescribeTargetGroups",
    "elasticloadbalancing:DescribeTargetHealth",
}
CHANGES_READS = {"ecs:ListTaskDefinitions", "cloudtrail:LookupEvents"}
# Reads of log events (contents), as opposed to log group names.
LOG_EVENT_READS = {"logs:GetLogEvents", "logs:FilterLogEvents", "logs:GetLogRecord",
                   "logs:StartQuery", "logs:StartLiveTail", "logs:GetQueryResults"}
TRUST_KEYS_AWS = {"aws:PrincipalAccount", "aws:PrincipalOrgID", "aws:PrincipalOrgPaths", "aws:PrincipalArn"}
TRUST_KEYS_SERVICE = {"aws:SourceAccount", "aws:SourceArn", "aws:SourceOrgID"}
ASSUME_KEYS = {"aws:ResourceOrgID", "aws:ResourceOrgPaths", "aws:ResourceAccount"}

source, translated = load(path)


def documents(resources):
    """(kind, location, statements): kind is trust, identity or resource (a resource policy)."""
    for name, res in resources.items():
        kind, props = res.get("Type"), res.get("Properties", {})
        if kind == "AWS::IAM::Role":
            if "AssumeRolePolicyDocument" in props:
                yield "trust", f"{name}/AssumeRolePolicyDocument", props["AssumeRolePolicyDocument"].get("Statement", [])
            for pol in props.get("Policies", []):
                yield "identity", f"{name}/{pol.get('PolicyName')}", pol["PolicyDocument"].get("Statement", [])
        elif kind in ("AWS::IAM::Policy", "AWS::IAM::ManagedPolicy"):
            yield "identity", name, props.get("PolicyDocument", {}).get("Statement", [])
        elif isinstance(props.get("PolicyDocument"), dict):
            yield "resource", name, props["PolicyDocument"].get("Statement", [])
        elif isinstance(props.get("Statement"), dict):
            yield "resource", name, props["Statement"]


def condition_keys(st):
    """The condition keys of st that have a value (an If that left only NoValue has none)."""
    cond = st.get("Condition")
    if not isinstance(cond, dict):
        return {}
    return {k: v for op in cond.values() if isinstance(op, dict)
            for k, v in op.items() if v not in ("", [], [""], None)}


def check(label, params):
    r = Resolver(translated, {**base, **params})
    resources = {name: r.value(res) for name, res in translated.get("Resources", {}).items()
                 if "Condition" not in res or r.condition(res["Condition"])}
    errors, granted, shown = [], set(), []
    patterns = None
    if "TaskLogGroupPatterns" in translated.get("Parameters", {}):
        patterns = r.params["TaskLogGroupPatterns"].split(",")[:5]

    for kind, where, stmts in documents(resources):
        stmts = as_list(stmts)
        if kind == "identity" and not stmts:
            errors.append(f"{where}: a policy without statements (IAM refuses it)")
        for i, st in enumerate(stmts):
            loc = f"{where}/{st.get('Sid', i)}"
            actions = [a for a in as_list(st.get("Action", [])) if isinstance(a, str)]
            allow = st.get("Effect") == "Allow"
            keys = condition_keys(st)
            if kind == "identity" and allow:
                granted.update(actions)
            wide = "NotResource" in st or "*" in as_list(st.get("Resource", []))
            if member and kind == "identity" and allow and wide:
                if not keys:
                    errors.append(f'{loc}: Resource "*" without a Condition ({", ".join(actions)}); '
                                  "name the resources, or add a Condition such as aws:ResourceAccount")
                else:
                    shown.append(f'{loc}: {", ".join(actions)} on "*" if '
                                 + ", ".join(f"{k} = {v}" for k, v in sorted(keys.items())))
            if allow and "sts:AssumeRole" in actions:
                principal = st.get("Principal", {})
                # A service principal alone (the function's own Lambda trust, as SAM writes it)
                # names who assumes: not every service sends aws:SourceAccount to condition on.
                if kind == "trust" and isinstance(principal, dict) and set(principal) == {"Service"}:
                    shown.append(f"{loc}: sts:AssumeRole (trust) by service {principal['Service']}")
                    continue
                if not keys:
                    errors.append(f"{loc}: sts:AssumeRole without a Condition "
                                  f"(principal {json.dumps(principal) if principal else 'of this policy'})")
                    continue
                if kind == "trust":
                    need = (TRUST_KEYS_AWS if isinstance(principal, dict) and "AWS" in principal
                            else TRUST_KEYS_SERVICE)
                else:
                    need = ASSUME_KEYS
                if not set(keys) & need:
                    errors.append(f"{loc}: sts:AssumeRole limited by none of {', '.join(sorted(need))} "
                                  f"(only {', '.join(sorted(keys))})")
                shown.append(f"{loc}: sts:AssumeRole ({kind}) if "
                             + ", ".join(f"{k} = {v}" for k, v in sorted(keys.items())))
            reads = sorted(set(actions) & LOG_EVENT_READS)
            if allow and reads and kind == "identity":
                if patterns is None:
                    errors.append(f"{loc}: {', '.join(reads)} without a TaskLogGroupPatterns parameter")
                    continue
                groups = []
                for res in as_list(st.get("Resource", [])):
                    m = re.fullmatch(rf"arn:{PARTITION}:logs:[a-z0-9*-]+:{ACCOUNT}:log-group:(.*):log-stream:\*", str(res))
                    if m:
                        groups.append(m.group(1))
                    else:
                        errors.append(f"{loc}: {', '.join(reads)} on {res!r}, not a log stream of this account")
                if sorted(groups) != sorted(patterns):
                    errors.append(f"{loc}: {', '.join(reads)} on log groups {groups}, "
                                  f"expected TaskLogGroupPatterns {patterns}")
                shown.append(f"{loc}: {', '.join(reads)} on log groups {', '.join(groups)}")

    if "VerifyCauses" in r.params and "ecs:DescribeTaskDefinition" in granted:
        if r.params["VerifyCauses"] == "off":
            extra = sorted(granted & (VERIFY_READS | CHANGES_READS))
            if extra:
                errors.append(f"VerifyCauses=off, yet granted: {', '.join(extra)}")
        elif CHANGES_READS - granted:
            errors.append(f"VerifyCauses=on, yet not granted: {', '.join(sorted(CHANGES_READS - granted))}")

    for name, res in resources.items():
        if res["Type"] != "AWS::Events::Rule":
            continue
        pattern = json.dumps(res.get("Properties", {}).get("EventPattern", {}))
        for detail_type, resolving in (("ECS Service Action", "SERVICE_STEADY_STATE"),
                                       ("ECS Deployment State Change", "SERVICE_DEPLOYMENT_COMPLETED")):
            if detail_type in pattern and resolving not in pattern:
                errors.append(f"{name}: matches {detail_type} but not {resolving}, which resolves an incident")

    for line in shown:
        print(f"  [{label}] {line}")
    return [f"{path} [{label}]: {e}" for e in errors]


errors = [e for label, params in sets for e in check(label, params)]
if errors:
    print(f"REFUSED: {path}:", *errors, sep="\n  ")
    sys.exit(1)
print(f"IAM guarantees of {path}: kept in {len(sets)} parameter set(s)")
PY

step "IAM guarantees of template.yaml, per parameter set (after SAM transform)"
py "$PY_GUARANTEES" template.yaml \
  --set "defaults (no member accounts)" \
  --set "organisation" OrganizationId=o-abc123def4 \
  --set "listed accounts" MemberAccountIds=111111111111,222222222222 \
  --set "organisation and listed accounts" OrganizationId=o-abc123def4 MemberAccountIds=111111111111 \
  --set "no member role" OrganizationId=o-abc123def4 MemberRoleName= \
  --set "VerifyCauses=off" VerifyCauses=off OrganizationId=o-abc123def4 \
  --set "five log group patterns" 'TaskLogGroupPatterns=/ecs/*,/aws/ecs/*,/app/*,/batch/*,/x' \
  --set "every log group" 'TaskLogGroupPatterns=*'

step "IAM guarantees of member/template.yaml, per parameter set"
py "$PY_GUARANTEES" member/template.yaml --member \
  --base CentralEventBusArn=arn:aws:events:us-east-1:111111111111:event-bus/default \
         CentralFunctionRoleArn=arn:aws:iam::111111111111:role/ecs-doctor-EcsDoctorFunctionRole-X \
  --set "defaults" \
  --set "organisation" OrganizationId=o-abc123def4 \
  --set "VerifyCauses=off" VerifyCauses=off \
  --set "CloudTrail, one log group" HasCloudTrail=true 'TaskLogGroupPatterns=/app/*' \
  --set "no role in this Region" CreateReadOnlyRole=false

# The check proves itself: small bad templates (written here, offline) must be refused, each
# with a message that names the offending statement.
step "self-test: the IAM guarantees refuse bad templates"
selftest="$(mktemp -d)"
trap 'rm -rf "$selftest"' EXIT
cat >"$selftest/member-wide.yaml" <<'YAML'
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  ReadOnlyRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: { AWS: arn:aws:iam::111111111111:role/central }
            Action: sts:AssumeRole
            Condition: { StringEquals: { aws:PrincipalAccount: "111111111111" } }
      Policies:
        - PolicyName: read
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - Sid: DescribeEverySubnet
                Effect: Allow
                Action: ec2:DescribeSubnets
                Resource: "*"
YAML
cat >"$selftest/member-open-trust.yaml" <<'YAML'
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  ReadOnlyRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Sid: TrustAnyPrincipalOfTheAccount
            Effect: Allow
            Principal: { AWS: arn:aws:iam::111111111111:root }
            Action: sts:AssumeRole
YAML
cat >"$selftest/assume-anywhere.yaml" <<'YAML'
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  CentralRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: { Service: lambda.amazonaws.com }
            Action: sts:AssumeRole
            Condition: { StringEquals: { aws:SourceAccount: !Ref AWS::AccountId } }
      Policies:
        - PolicyName: member-accounts
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - Sid: AssumeInAnyAccount
                Effect: Allow
                Action: sts:AssumeRole
                Resource: arn:aws:iam::*:role/EcsDoctorReadOnly
YAML
expect_refused() { # FIXTURE TEXT [ARGS...]: the check must fail on FIXTURE, naming TEXT
  local fixture="$1" want="$2" out
  shift 2
  if out="$(py "$PY_GUARANTEES" "$selftest/$fixture" "$@" 2>&1)"; then
    echo "self-test: $fixture was accepted; the check is broken:" >&2
    echo "$out" >&2
    exit 1
  fi
  if ! grep -qF -- "$want" <<<"$out"; then
    echo "self-test: $fixture was refused without naming $want:" >&2
    echo "$out" >&2
    exit 1
  fi
  echo "  refused $fixture: $(grep -F -- "$want" <<<"$out" | head -n1 | sed 's/^ *//')"
}
expect_refused member-wide.yaml 'ReadOnlyRole/read/DescribeEverySubnet: Resource "*" without a Condition' --member
expect_refused member-open-trust.yaml 'ReadOnlyRole/AssumeRolePolicyDocument/TrustAnyPrincipalOfTheAccount: sts:AssumeRole without a Condition' --member
expect_refused assume-anywhere.yaml 'CentralRole/member-accounts/AssumeInAnyAccount: sts:AssumeRole without a Condition'
echo "self-test: every bad template refused"

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
