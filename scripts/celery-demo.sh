#!/usr/bin/env bash
# Scale-out on one machine: Airflow with the CeleryExecutor, PostgreSQL as metadata DB and Redis
# as broker (Debian packages, in a temporary folder), the same sample clips analysed by one
# Celery worker, then by two. Prints clips/minute for each.
#
#   scripts/celery-demo.sh [WORK_DIR]      # CLIPS (default 6), API_PORT, PG_PORT, REDIS_PORT
#
# Every server binds 127.0.0.1 (HOST to change). Each worker runs one task at a time (solo pool),
# so the detection pool never limits: the number of workers does. Needs postgresql-15 and
# redis-server installed first (apt-get install postgresql-15 redis-server), the Celery extras
# in the virtualenv (apache-airflow-providers-celery, redis, psycopg2-binary), and root or a user
# who may run PostgreSQL. Every process it starts is stopped on exit, and only those.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WORK="${1:-$(mktemp -d -t civility-celery-XXXXXX)}"
mkdir -p "$WORK" && WORK="$(cd "$WORK" && pwd)"
chmod 755 "$WORK"  # PostgreSQL runs as its own user below it
HOST="${HOST:-127.0.0.1}"
CLIPS="${CLIPS:-6}"
API_PORT="${API_PORT:-8081}"
PG_PORT="${PG_PORT:-55432}"
REDIS_PORT="${REDIS_PORT:-56379}"
BIN="${VENV:-$REPO/.venv}/bin"
source "$REPO/scripts/lib/services.sh"
use_celery "$HOST" "$API_PORT" "$PG_PORT" "$REDIS_PORT"
export CIVILITY_LANDING_SETTLE_S=0
trap stop_run EXIT

echo "== PostgreSQL on $HOST:$PG_PORT, Redis on $HOST:$REDIS_PORT ($WORK)" >&2
start_postgres "$HOST" "$PG_PORT"
start_redis "$HOST" "$REDIS_PORT"
start_airflow "$HOST" "$API_PORT"

results=()
for workers in 1 2; do
  echo "== $CLIPS clips, $workers Celery worker(s)" >&2
  export CIVILITY_DATA="$WORK/data-$workers-workers"  # a fresh landing, store and warehouse
  "$BIN/python" "$REPO/scripts/airflow_demo.py" prepare --clips "$CLIPS"
  worker_sessions=()
  for n in $(seq "$workers"); do
    start "worker-$workers-$n" airflow celery worker \
      --celery-hostname "civility$n@%h" --skip-serve-logs
    worker_sessions+=("$LAST_PID")
  done
  sleep 15
  for n in $(seq "$workers"); do  # a worker that cannot start says why at once
    kill -0 "${worker_sessions[$((n - 1))]}" 2>/dev/null \
      || { tail -n 20 "$WORK/logs/worker-$workers-$n.log"; exit 1; }
  done
  figures="$("$BIN/python" "$REPO/scripts/airflow_demo.py" run --url "http://$HOST:$API_PORT")"
  echo "$workers worker(s): $figures" >&2
  results+=("$workers $figures")
  stop_sessions "${worker_sessions[@]}"
done

echo
printf '%-8s %-7s %-12s %-14s %s\n' workers clips analysis_s clips/minute states
for line in "${results[@]}"; do
  read -r workers figures <<<"$line"
  "$BIN/python" - "$workers" "$figures" <<'PY'
import json, sys
workers, figures = sys.argv[1], json.loads(sys.argv[2])
print(f"{workers:<8} {figures['count_clips']:<7} {figures['analysis_s']:<12.1f} "
      f"{figures['clips_per_minute']:<14} {figures['states']}")
PY
done
echo "work folder: $WORK"
