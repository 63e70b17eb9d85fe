#!/usr/bin/env bash
# `ecs-doctor scan` against a local moto server (numbers only; nothing here asserts speed).
#   scripts/scan-moto.sh demo [SCAN ARGS…]   two clusters with failing and healthy services,
#                                            then `ecs-doctor scan SCAN ARGS…`
#   scripts/scan-moto.sh bench [N]           N stopped tasks (default 1000) in one cluster,
#                                            then `ecs-doctor scan --stats`: time and API calls
# PROFILE=benchfast (optimised, quick to build) or release; default: dev (debug build).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
cd "$ROOT"
MODE="${1:-demo}"
shift || true
PROFILE="${PROFILE:-dev}"
VENV="${VENV:-$ROOT/.venv}"
[[ -x "$VENV/bin/moto_server" ]] || "$ROOT/scripts/setup-venv.sh" --minimal
export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_REGION=us-east-1 AWS_DEFAULT_REGION=us-east-1 AWS_EC2_METADATA_DISABLED=true

cargo build -q --profile "$PROFILE" --bin ecs-doctor
DIR=$([[ $PROFILE == dev ]] && echo debug || echo "$PROFILE")
BIN="target/$DIR/ecs-doctor"

PORT=$("$VENV/bin/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$VENV/bin/moto_server" -H 127.0.0.1 -p "$PORT" >/dev/null 2>&1 &
MOTO=$!
trap 'kill "$MOTO" 2>/dev/null || true' EXIT
export AWS_ENDPOINT_URL="http://127.0.0.1:$PORT"
for _ in $(seq 100); do curl -sf "$AWS_ENDPOINT_URL/moto-api/" >/dev/null && break; sleep 0.1; done

"$VENV/bin/python" - "$MODE" "${1:-1000}" <<'PY'
import json, os, sys, urllib.request
import boto3
mode, n = sys.argv[1], int(sys.argv[2]) if sys.argv[2].isdigit() else 1000
url = os.environ["AWS_ENDPOINT_URL"]
# moto advances a task's status on every DescribeTasks unless told not to.
req = urllib.request.Request(url + "/moto-api/state-manager/set-transition", method="POST",
    data=json.dumps({"model_name": "ecs::task", "transition": {"progression": "manual", "times": 1000}}).encode())
urllib.request.urlopen(req).read()
ecs = boto3.client("ecs", endpoint_url=url)
PULL = ("CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref "
        "123456789012.dkr.ecr.us-east-1.amazonaws.com/checkout:2.4.0: not found")
SECRET = ("ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: "
          "unable to retrieve secret from asm: service call has been retried 1 time(s): failed to fetch secret "
          "arn:aws:secretsmanager:us-east-1:123456789012:secret:payments/db from secrets manager: AccessDeniedException: "
          "User: arn:aws:sts::123456789012:assumed-role/payments-exec/abc is not authorized to perform: secretsmanager:GetSecretValue")
OOM = "OutOfMemoryError: Container killed due to memory usage"
SCALE_IN = "Scaling activity initiated by (deployment ecs-svc/5082367890)"

def service(cluster, name):
    ecs.register_task_definition(family=name, networkMode="bridge", containerDefinitions=[
        {"name": "app", "image": f"123456789012.dkr.ecr.us-east-1.amazonaws.com/{name}:2.4.0", "memory": 512, "essential": True}])
    ecs.create_service(cluster=cluster, serviceName=name, taskDefinition=name, desiredCount=0)

def stopped(cluster, name, reason, count):
    arns = []
    while len(arns) < count:
        run = ecs.run_task(cluster=cluster, taskDefinition=name, launchType="FARGATE", group=f"service:{name}",
                           count=min(10, count - len(arns)))
        arns += [t["taskArn"] for t in run["tasks"]]
    for arn in arns:
        ecs.stop_task(cluster=cluster, task=arn, reason=reason)

if mode == "bench":
    ecs.create_cluster(clusterName="bench")
    service("bench", "checkout")
    stopped("bench", "checkout", PULL, n)
else:
    for cluster in ("prod", "staging"):
        ecs.create_cluster(clusterName=cluster)
    for name in ("checkout", "payments", "search", "cart"):
        service("prod", name)
    service("staging", "reports")
    stopped("prod", "checkout", PULL, 4)
    stopped("prod", "payments", SECRET, 2)
    stopped("prod", "search", SCALE_IN, 1)
    stopped("staging", "reports", OOM, 1)
PY

set +e
if [[ $MODE == bench ]]; then
  echo "ecs-doctor scan --cluster bench --max-tasks ${1:-1000} ($PROFILE build):"
  "$BIN" scan --cluster bench --max-tasks "${1:-1000}" --quiet --stats >/dev/null
else
  "$BIN" scan "$@"
fi
echo "exit code: $?"
