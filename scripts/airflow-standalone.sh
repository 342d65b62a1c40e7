#!/usr/bin/env bash
# One machine, one command: `airflow standalone` (API server, scheduler, DAG processor,
# triggerer; LocalExecutor on SQLite) with this repo's DAGs, fed with sample clips.
#
#   scripts/airflow-standalone.sh [WORK_DIR]        # default: a new temporary folder
#
# AIRFLOW_HOME and the data ($CIVILITY_DATA: landing, clip store, warehouse ...) live under
# WORK_DIR. The script drops CLIPS sample clips (default 3) and a corrupt one into the landing
# area, triggers clip_ingest over the REST API, waits for the clip_analysis run it sets off and
# for the 2026-W47 board, prints the timings and stops Airflow. KEEP=1 leaves Airflow running
# (UI on http://127.0.0.1:$PORT, user admin, password in $AIRFLOW_HOME/simple_auth_manager_
# passwords.json.generated). Needs the shared model (CIVILITY_MODEL) or internet for yolo11n.pt.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WORK="${1:-$(mktemp -d -t civility-airflow-XXXXXX)}"
PORT="${PORT:-8080}"
CLIPS="${CLIPS:-3}"
BIN="$REPO/.venv/bin"
export PATH="$BIN:$PATH"  # the standalone starts its components as `airflow ...`

export AIRFLOW_HOME="$WORK/airflow"
export AIRFLOW__CORE__DAGS_FOLDER="$REPO/dags"
export AIRFLOW__CORE__LOAD_EXAMPLES=False
export AIRFLOW__API__PORT="$PORT"
export AIRFLOW__CORE__PARALLELISM="${PARALLELISM:-4}"
export CIVILITY_DATA="$WORK/data"
export CIVILITY_LANDING_SETTLE_S=0
export CIVILITY_MODEL="${CIVILITY_MODEL:-$REPO/../shared/models/yolo11n_openvino_model}"
export YOLO_CONFIG_DIR="${YOLO_CONFIG_DIR:-$WORK/ultralytics}"
export YOLO_OFFLINE=1
mkdir -p "$AIRFLOW_HOME"

# Ends the process group started below, and only it: components outlive a standalone that
# exits first, so the group is asked to stop, given 30 s, then killed.
stop() {
  [[ -n "${AIRFLOW_PID:-}" ]] || return 0
  echo "stopping airflow standalone (process group $AIRFLOW_PID)" >&2
  kill -TERM -- "-$AIRFLOW_PID" 2>/dev/null || return 0
  for _ in $(seq 30); do
    kill -0 -- "-$AIRFLOW_PID" 2>/dev/null || return 0
    sleep 1
  done
  kill -KILL -- "-$AIRFLOW_PID" 2>/dev/null || true
}
[[ "${KEEP:-0}" == 1 ]] || trap stop EXIT

t0=$(date +%s.%N)
"$BIN/python" "$REPO/scripts/airflow_demo.py" prepare --clips "$CLIPS"
t_prepared=$(date +%s.%N)

# Its own process group, so that stop() ends the standalone and every process it started.
setsid "$BIN/airflow" standalone >"$WORK/standalone.log" 2>&1 &
AIRFLOW_PID=$!
echo "airflow standalone: pid $AIRFLOW_PID, log $WORK/standalone.log" >&2
until curl -fs "http://127.0.0.1:$PORT/api/v2/monitor/health" >/dev/null 2>&1 \
  && [[ -f "$AIRFLOW_HOME/simple_auth_manager_passwords.json.generated" ]]; do
  kill -0 "$AIRFLOW_PID" || { tail -n 40 "$WORK/standalone.log"; exit 1; }
  sleep 2
done
t_up=$(date +%s.%N)

"$BIN/python" "$REPO/scripts/airflow_demo.py" run --url "http://127.0.0.1:$PORT" | tee "$WORK/figures.json"
t_done=$(date +%s.%N)

printf 'render + land clips: %6.1f s\nairflow up:          %6.1f s\ndemo through REST:   %6.1f s\n' \
  "$(echo "$t_prepared - $t0" | bc)" "$(echo "$t_up - $t_prepared" | bc)" \
  "$(echo "$t_done - $t_up" | bc)"
echo "work folder: $WORK"
