#!/usr/bin/env bash
# Scale-out, proven: two Celery workers on separate network namespaces, as if on two machines,
# sharing the clip store and warehouse folder; one is killed while it detects a clip. The run
# must still finish, with the events of a clean run, no duplicate row and nothing half-written.
#
#   scripts/celery-failover.sh [WORK_DIR]     # CLIPS (default 4), SUBNET (default: a free 10.254.x)
#
# Each run has a tag of its own (RUN_TAG, default 4 random hex digits), so runs side by side on
# one host do not collide. It creates a bridge civ-br$RUN_TAG with $SUBNET.1/24 and two namespaces
# civ$RUN_TAG-w1 and civ$RUN_TAG-w2, each tied to it by a veth pair ($SUBNET.11 and .12) and with
# a host name of its own; PostgreSQL, Redis
# and the Airflow API server listen on $SUBNET.1 only (the scheduler and DAG processor run on the
# host). On exit it stops every process it started and removes the namespaces and links. The
# scheduler gives up on a silent task after 30 s (task_instance_heartbeat_timeout) and retries
# it after 10 s; the killed detection then runs on the other worker.
#
# Prints one JSON line of figures (scripts/airflow_demo.py failover); exit 1 when a check fails.
# Needs root (ip netns), iproute2, postgresql-15, redis-server, the Celery extras and the model.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WORK="${1:-$(mktemp -d -t civility-failover-XXXXXX)}"
mkdir -p "$WORK" && WORK="$(cd "$WORK" && pwd)"
chmod 755 "$WORK"  # PostgreSQL runs as its own user below it
RUN_TAG="${RUN_TAG:-$(od -An -N2 -tx2 /dev/urandom | tr -d ' ')}"
subnet_in_use() { ip -4 addr | grep -q "inet $1\." || ip -4 route | grep -q "^$1\."; }
if [[ -z "${SUBNET:-}" ]]; then
  for third in $(shuf -i 1-254); do
    subnet_in_use "10.254.$third" || { SUBNET="10.254.$third"; break; }
  done
fi
: "${SUBNET:?no free 10.254.x/24 range here: set SUBNET=10.x.y to a free one}"
HOST="$SUBNET.1"
CLIPS="${CLIPS:-4}"
API_PORT="${API_PORT:-8082}"
PG_PORT="${PG_PORT:-55433}"
REDIS_PORT="${REDIS_PORT:-56380}"
BRIDGE="civ-br$RUN_TAG"
WORKERS=("civ$RUN_TAG-w1" "civ$RUN_TAG-w2")
BIN="${VENV:-$REPO/.venv}/bin"

[[ $EUID -eq 0 ]] || { echo "needs root: network namespaces" >&2; exit 2; }
for name in "$BRIDGE" "${WORKERS[@]/%/-h}"; do
  if ip link show "$name" >/dev/null 2>&1; then
    echo "link $name exists: a run with tag $RUN_TAG? remove it (ip link del $name) or pick another RUN_TAG" >&2
    exit 2
  fi
done
if subnet_in_use "$SUBNET"; then
  echo "$SUBNET.0/24 is in use here; pick a free private range with SUBNET=10.x.y" >&2
  exit 2
fi

source "$REPO/scripts/lib/services.sh"
use_celery "$HOST" "$API_PORT" "$PG_PORT" "$REDIS_PORT"
export AIRFLOW__SCHEDULER__TASK_INSTANCE_HEARTBEAT_TIMEOUT=30
# The namespaces have no name server: the default (a fully qualified name) would wait on DNS.
export AIRFLOW__CORE__HOSTNAME_CALLABLE=socket.gethostname
export CIVILITY_RETRY_DELAY_S=5
export CIVILITY_DATA="$WORK/data"  # one folder for both workers: NFS across real machines
export CIVILITY_LANDING_SETTLE_S=0

remove_network() {
  for worker in "${WORKERS[@]}"; do
    ip netns del "$worker" 2>/dev/null || true
    ip link del "$worker-h" 2>/dev/null || true
  done
  ip link del "$BRIDGE" 2>/dev/null || true
}
finish() { stop_run; remove_network; }
trap finish EXIT

echo "== bridge $BRIDGE $HOST/24, namespaces ${WORKERS[*]}" >&2
ip link add "$BRIDGE" type bridge
ip addr add "$HOST/24" dev "$BRIDGE"
ip link set "$BRIDGE" up
for n in "${!WORKERS[@]}"; do
  worker="${WORKERS[$n]}"
  ip netns add "$worker"
  ip link add "$worker-h" type veth peer name eth0 netns "$worker"
  ip link set "$worker-h" master "$BRIDGE" up
  ip -n "$worker" addr add "$SUBNET.1$((n + 1))/24" dev eth0
  ip -n "$worker" link set eth0 up
  ip -n "$worker" link set lo up
done

echo "== PostgreSQL, Redis and Airflow on $HOST" >&2
start_postgres "$HOST" "$PG_PORT" "$SUBNET.0/24"
start_redis "$HOST" "$REDIS_PORT"
start_airflow "$HOST" "$API_PORT"
"$BIN/python" "$REPO/scripts/airflow_demo.py" prepare --clips "$CLIPS"

for worker in "${WORKERS[@]}"; do
  # A host name of its own (a UTS namespace), as a second machine would have: Airflow records
  # it on each task it runs.
  start "$worker" ip netns exec "$worker" unshare --uts sh -c \
    "hostname $worker && exec airflow celery worker --celery-hostname $worker@$worker --skip-serve-logs"
done
sleep 15
for worker in "${WORKERS[@]}"; do  # a worker that cannot start says why at once
  [[ -n "$(ip netns pids "$worker")" ]] || { tail -n 20 "$WORK/logs/$worker.log" >&2; exit 1; }
done

"$BIN/python" "$REPO/scripts/airflow_demo.py" failover --url "http://$HOST:$API_PORT" \
  "${WORKERS[@]/#/--worker=}" --kill "ip netns pids {worker} | xargs -r kill -9" \
  | tee "$WORK/failover.json"
echo "work folder: $WORK" >&2
