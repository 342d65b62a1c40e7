#!/usr/bin/env bash
# Scale-out, proven: two Celery workers on separate network namespaces, as if on two machines,
# sharing the clip store and warehouse folder; one is killed while it detects a clip. The run
# must still finish, with the events of a clean run, no duplicate row and nothing half-written.
#
#   scripts/celery-failover.sh [WORK_DIR]     # CLIPS (default 4), SUBNET (default 10.254.213)
#
# It creates a bridge civ-br0 with $SUBNET.1/24 and two namespaces civ-w1 and civ-w2, each tied
# to it by a veth pair ($SUBNET.11 and .12) and with a host name of its own; PostgreSQL, Redis
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
SUBNET="${SUBNET:-10.254.213}"
HOST="$SUBNET.1"
CLIPS="${CLIPS:-4}"
API_PORT="${API_PORT:-8082}"
PG_PORT="${PG_PORT:-55433}"
REDIS_PORT="${REDIS_PORT:-56380}"
BRIDGE=civ-br0
WORKERS=(civ-w1 civ-w2)
BIN="${VENV:-$REPO/.venv}/bin"

[[ $EUID -eq 0 ]] || { echo "needs root: network namespaces" >&2; exit 2; }
for name in "$BRIDGE" "${WORKERS[@]/%/-h}"; do
  if ip link show "$name" >/dev/null 2>&1; then
    echo "link $name exists: another failover run? remove it first (ip link del $name)" >&2
    exit 2
  fi
done
if ip -4 addr | grep -q "inet $SUBNET\."; then
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
  --victim civ-w1 --kill "ip netns pids civ-w1 | xargs -r kill -9" | tee "$WORK/failover.json"
echo "work folder: $WORK" >&2
