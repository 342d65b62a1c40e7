#!/usr/bin/env bash
# Stop what a demo script left running (KEEP=1): every process it started, Airflow's task
# processes and `detect` runs in their own process groups included, then its PostgreSQL.
#
#   scripts/airflow-stop.sh WORK_DIR
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WORK="$(cd "${1:?usage: scripts/airflow-stop.sh WORK_DIR}" && pwd)"
BIN="${VENV:-$REPO/.venv}/bin"
[[ -f "$WORK/run.sessions" ]] || { echo "$WORK/run.sessions not found: no demo run in $WORK" >&2; exit 2; }
source "$REPO/scripts/lib/services.sh"
stop_run
