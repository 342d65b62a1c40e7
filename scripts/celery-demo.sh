#!/usr/bin/env bash
# Scale-out on one machine: Airflow with the CeleryExecutor, PostgreSQL as metadata DB and Redis
# as broker (Debian packages, on loopback, in a temporary folder), the same sample clips
# analysed by one Celery worker, then by two. Prints clips/minute for each.
#
#   scripts/celery-demo.sh [WORK_DIR]      # CLIPS (default 6), API_PORT, PG_PORT, REDIS_PORT
#
# Each worker runs one task at a time (solo pool), so the detection pool never limits: the
# number of workers does. Needs postgresql-15 and redis-server (apt), the Celery extras in
# .venv (apache-airflow-providers-celery, redis, psycopg2-binary), run as root or as a user who
# may run PostgreSQL. Everything it starts is stopped on exit, and only that.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WORK="${1:-$(mktemp -d -t civility-celery-XXXXXX)}"
CLIPS="${CLIPS:-6}"
API_PORT="${API_PORT:-8081}"
PG_PORT="${PG_PORT:-55432}"
REDIS_PORT="${REDIS_PORT:-56379}"
PG_BIN="${PG_BIN:-/usr/lib/postgresql/15/bin}"
BIN="$REPO/.venv/bin"
export PATH="$BIN:$PATH"
chmod 755 "$WORK"

export AIRFLOW_HOME="$WORK/airflow"
export AIRFLOW__CORE__DAGS_FOLDER="$REPO/dags"
export AIRFLOW__CORE__LOAD_EXAMPLES=False
export AIRFLOW__CORE__EXECUTOR=CeleryExecutor
export AIRFLOW__DATABASE__SQL_ALCHEMY_CONN="postgresql+psycopg2://airflow@127.0.0.1:$PG_PORT/airflow"
export AIRFLOW__CELERY__BROKER_URL="redis://127.0.0.1:$REDIS_PORT/0"
export AIRFLOW__CELERY__RESULT_BACKEND="db+postgresql+psycopg2://airflow@127.0.0.1:$PG_PORT/airflow"
# Solo, not the default prefork: each Airflow task runs in its own process anyway, and one forked
# from a daemonic prefork child may not start processes of its own (the board's charts do). Solo
# runs one task at a time per worker process (threads would break Airflow's signal handling).
export AIRFLOW__CELERY__POOL=solo
export AIRFLOW__API__PORT="$API_PORT"
export AIRFLOW__CORE__EXECUTION_API_SERVER_URL="http://127.0.0.1:$API_PORT/execution/"
AIRFLOW__API_AUTH__JWT_SECRET="$(head -c 32 /dev/urandom | base64)"
export AIRFLOW__API_AUTH__JWT_SECRET
export CIVILITY_LANDING_SETTLE_S=0
export CIVILITY_MODEL="${CIVILITY_MODEL:-$REPO/../shared/models/yolo11n_openvino_model}"
export YOLO_CONFIG_DIR="${YOLO_CONFIG_DIR:-$WORK/ultralytics}"
export YOLO_OFFLINE=1
mkdir -p "$AIRFLOW_HOME" "$WORK/logs"

GROUPS_STARTED=()
# Every service runs in its own process group (setsid), so that stopping it reaches the
# processes it forked and nothing else.
start() {  # start NAME COMMAND... : in the background, log in $WORK/logs/NAME.log
  local name="$1"; shift
  setsid "$@" >"$WORK/logs/$name.log" 2>&1 &
  LAST_GROUP=$!
  GROUPS_STARTED+=("$LAST_GROUP")
}
stop_group() {
  kill -TERM -- "-$1" 2>/dev/null || return 0
  for _ in $(seq 30); do kill -0 -- "-$1" 2>/dev/null || return 0; sleep 1; done
  kill -KILL -- "-$1" 2>/dev/null || true
}
stop_all() {
  for pgid in "${GROUPS_STARTED[@]}"; do stop_group "$pgid"; done
  if [[ -f "$WORK/pg/postmaster.pid" ]]; then
    runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$WORK/pg" -m fast stop >/dev/null || true
  fi
}
trap stop_all EXIT
as_postgres() { if [[ $EUID -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }

echo "== PostgreSQL on 127.0.0.1:$PG_PORT, Redis on 127.0.0.1:$REDIS_PORT ($WORK)" >&2
mkdir -p "$WORK/pg"
[[ $EUID -eq 0 ]] && chown postgres: "$WORK/pg"
as_postgres "$PG_BIN/initdb" -D "$WORK/pg" -U airflow --auth=trust >"$WORK/logs/initdb.log"
as_postgres "$PG_BIN/pg_ctl" -D "$WORK/pg" -l "$WORK/pg/server.log" -w \
  -o "-p $PG_PORT -c listen_addresses=127.0.0.1 -c unix_socket_directories=''" start >/dev/null
"$PG_BIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U airflow airflow
start redis redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --save "" --appendonly no

echo "== Airflow: db migrate, api-server :$API_PORT, scheduler, dag-processor" >&2
airflow db migrate >"$WORK/logs/migrate.log" 2>&1
start api-server airflow api-server --port "$API_PORT"
start scheduler airflow scheduler
start dag-processor airflow dag-processor
until curl -fs "http://127.0.0.1:$API_PORT/api/v2/monitor/health" >/dev/null 2>&1 \
  && [[ -f "$AIRFLOW_HOME/simple_auth_manager_passwords.json.generated" ]]; do sleep 2; done

results=()
for workers in 1 2; do
  echo "== $CLIPS clips, $workers Celery worker(s)" >&2
  export CIVILITY_DATA="$WORK/data-$workers-workers"  # a fresh landing, store and warehouse
  python "$REPO/scripts/airflow_demo.py" prepare --clips "$CLIPS"
  worker_groups=()
  for n in $(seq "$workers"); do
    start "worker-$workers-$n" airflow celery worker \
      --celery-hostname "civility$n@%h" --skip-serve-logs
    worker_groups+=("$LAST_GROUP")
  done
  sleep 15
  for n in $(seq "$workers"); do  # a worker that cannot start says why at once
    kill -0 "${worker_groups[$((n - 1))]}" 2>/dev/null \
      || { tail -n 20 "$WORK/logs/worker-$workers-$n.log"; exit 1; }
  done
  figures="$(python "$REPO/scripts/airflow_demo.py" run --url "http://127.0.0.1:$API_PORT")"
  echo "$workers worker(s): $figures" >&2
  results+=("$workers $figures")
  for pgid in "${worker_groups[@]}"; do stop_group "$pgid"; done
done

echo
printf '%-8s %-7s %-12s %-14s %s\n' workers clips analysis_s clips/minute states
for line in "${results[@]}"; do
  read -r workers figures <<<"$line"
  python - "$workers" "$figures" <<'EOF'
import json, sys
workers, figures = sys.argv[1], json.loads(sys.argv[2])
print(f"{workers:<8} {figures['count_clips']:<7} {figures['analysis_s']:<12.1f} "
      f"{figures['clips_per_minute']:<14} {figures['states']}")
EOF
done
echo "work folder: $WORK"
