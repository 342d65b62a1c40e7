#!/usr/bin/env bash
# One machine, one command: Airflow's components (API server, scheduler, DAG processor,
# triggerer; LocalExecutor on SQLite) with this repo's DAGs, fed with sample clips.
#
#   scripts/airflow-standalone.sh [WORK_DIR]        # default: a new temporary folder
#
# AIRFLOW_HOME and the data ($CIVILITY_DATA: landing, clip store, warehouse ...) live under
# WORK_DIR. The script drops CLIPS sample clips (default 3) and three that ingest must refuse
# into the landing area, triggers clip_ingest over the REST API, waits for the clip_analysis run
# it sets off and for the 2026-W47 board, prints the timings and stops every process it started
# (task processes in their own process groups included: scripts/run_processes.py).
#
# Safe by default: `airflow standalone` binds every interface (its API server and the log
# servers of its scheduler and triggerer) and prints the admin password into its log; this runs
# the same components itself, the API server on $HOST:$PORT (default 127.0.0.1:8080), no log
# servers (the API server reads task logs from $AIRFLOW_HOME/logs), and the admin password only
# in $AIRFLOW_HOME/simple_auth_manager_passwords.json.generated (mode 600).
#
# KEEP=1 leaves Airflow running (UI on http://$HOST:$PORT, user admin); stop it with
# scripts/airflow-stop.sh WORK_DIR. The CIVILITY_ALERT_* and AIRFLOW__METRICS__* settings of the
# caller pass through (docs/airflow.md). Needs the shared model (CIVILITY_MODEL).
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WORK="${1:-$(mktemp -d -t civility-airflow-XXXXXX)}"
mkdir -p "$WORK" && WORK="$(cd "$WORK" && pwd)"
HOST="${HOST:-127.0.0.1}"
PORT="${PORT:-8080}"
CLIPS="${CLIPS:-3}"
BIN="${VENV:-$REPO/.venv}/bin"
source "$REPO/scripts/lib/services.sh"

export AIRFLOW__CORE__EXECUTOR=LocalExecutor
export AIRFLOW__CORE__PARALLELISM="${PARALLELISM:-4}"
export AIRFLOW__API__HOST="$HOST" AIRFLOW__API__PORT="$PORT"
export AIRFLOW__API__BASE_URL="http://$HOST:$PORT"
export AIRFLOW__CORE__EXECUTION_API_SERVER_URL="http://$HOST:$PORT/execution/"
export CIVILITY_DATA="$WORK/data"
export CIVILITY_LANDING_SETTLE_S=0

[[ "${KEEP:-0}" == 1 ]] || trap stop_run EXIT

t0=$(date +%s.%N)
"$BIN/python" "$REPO/scripts/airflow_demo.py" prepare --clips "$CLIPS"
t_prepared=$(date +%s.%N)

start_airflow "$HOST" "$PORT" triggerer
t_up=$(date +%s.%N)

"$BIN/python" "$REPO/scripts/airflow_demo.py" run --url "http://$HOST:$PORT" | tee "$WORK/figures.json"
t_done=$(date +%s.%N)

printf 'render + land clips: %6.1f s\nairflow up:          %6.1f s\ndemo through REST:   %6.1f s\n' \
  "$(echo "$t_prepared - $t0" | bc)" "$(echo "$t_up - $t_prepared" | bc)" \
  "$(echo "$t_done - $t_up" | bc)"
echo "work folder: $WORK"
if [[ "${KEEP:-0}" == 1 ]]; then
  echo "still running: http://$HOST:$PORT (admin; password in $AIRFLOW_HOME/simple_auth_manager_passwords.json.generated)"
  echo "stop it with: scripts/airflow-stop.sh $WORK"
fi
