# Shared by the demo scripts (sourced, not run): Airflow and its services on this machine, each
# bound to one address (loopback unless told), each in a session of its own listed in
# WORK/run.sessions so that stopping the run stops every process it started, task processes
# included (scripts/run_processes.py), the admin password in a file, never in a log.
#
# Needs REPO, WORK (an absolute path) and BIN set by the script; provides AIRFLOW_HOME under
# WORK. The repo's packages come first on PYTHONPATH, whatever the virtualenv has installed.

export PATH="$BIN:$PATH"  # Airflow starts its own components as `airflow ...`
export PYTHONPATH="$REPO${PYTHONPATH:+:$PYTHONPATH}"
export AIRFLOW_HOME="$WORK/airflow"
export AIRFLOW__CORE__DAGS_FOLDER="$REPO/dags"
export AIRFLOW__CORE__LOAD_EXAMPLES=False
export CIVILITY_MODEL="${CIVILITY_MODEL:-$REPO/../shared/models/yolo11n_openvino_model}"
export YOLO_CONFIG_DIR="${YOLO_CONFIG_DIR:-$WORK/ultralytics}"
export YOLO_OFFLINE=1
mkdir -p "$AIRFLOW_HOME" "$WORK/logs"

start() {  # start NAME COMMAND... : in the background, in a session of its own (its pid is the
  # session's id, kept in WORK/run.sessions), log in WORK/logs/NAME.log
  local name="$1"; shift
  setsid "$@" >"$WORK/logs/$name.log" 2>&1 &
  LAST_PID=$!
  disown "$LAST_PID"  # its end is not this shell's news: stop_run sees to it
  echo "$LAST_PID" >>"$WORK/run.sessions"
}

stop_run() {  # every process of this run, Airflow's task processes included, then PostgreSQL
  if [[ -s "$WORK/run.sessions" ]]; then
    echo "stopping every process of the sessions in $WORK/run.sessions" >&2
    "$BIN/python" "$REPO/scripts/run_processes.py" stop "$WORK/run.sessions" >/dev/null || true
  fi
  if [[ -f "$WORK/pg/postmaster.pid" ]]; then
    as_postgres "${PG_BIN:-/usr/lib/postgresql/15/bin}/pg_ctl" -D "$WORK/pg" -m fast stop \
      >/dev/null 2>&1 || true
  fi
}

stop_sessions() {  # stop_sessions PID... : the processes of these sessions only (e.g. workers)
  "$BIN/python" "$REPO/scripts/run_processes.py" stop "$@" >/dev/null || true
}

as_postgres() { if [[ $EUID -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }

# The simple auth manager prints a password it generates into the API server's log; one written
# here first (readable by this user only) is used as it is, and printed nowhere.
write_admin_password() {
  local file="$AIRFLOW_HOME/simple_auth_manager_passwords.json.generated"
  [[ -f "$file" ]] && return 0
  (umask 077 && "$BIN/python" -c \
    'import json, secrets; print(json.dumps({"admin": secrets.token_urlsafe(18)}))' >"$file")
}

start_postgres() {  # start_postgres HOST PORT [CLIENTS] : a new cluster in WORK/pg listening on
  # HOST only, trusting local connections and those from the CLIENTS network (CIDR)
  PG_BIN="${PG_BIN:-/usr/lib/postgresql/15/bin}"
  [[ -x "$PG_BIN/initdb" ]] || { echo "PostgreSQL 15 is needed: apt-get install postgresql-15" >&2; exit 2; }
  mkdir -p "$WORK/pg"
  [[ $EUID -eq 0 ]] && chown postgres: "$WORK/pg"
  as_postgres "$PG_BIN/initdb" -D "$WORK/pg" -U airflow --auth=trust >"$WORK/logs/initdb.log"
  echo "host all airflow ${3:-$1/32} trust" | as_postgres tee -a "$WORK/pg/pg_hba.conf" >/dev/null
  as_postgres "$PG_BIN/pg_ctl" -D "$WORK/pg" -l "$WORK/pg/server.log" -w \
    -o "-p $2 -c listen_addresses=$1 -c unix_socket_directories=''" start >/dev/null
  "$PG_BIN/createdb" -h "$1" -p "$2" -U airflow airflow
}

start_redis() {  # start_redis HOST PORT : HOST only, a password, no persistence
  command -v redis-server >/dev/null \
    || { echo "Redis is needed first: apt-get install redis-server" >&2; exit 2; }
  # The password goes in a file of this user's, not on a command line that `ps` shows.
  (umask 077 && printf 'bind %s\nport %s\nprotected-mode yes\nrequirepass %s\nsave ""\nappendonly no\n' \
    "$1" "$2" "$REDIS_PASSWORD" >"$WORK/redis.conf")
  start redis redis-server "$WORK/redis.conf"
}

wait_for_api() {  # wait_for_api URL : until the API server answers and the password is there
  until curl -fs "$1/api/v2/monitor/health" >/dev/null 2>&1; do
    kill -0 "$API_PID" 2>/dev/null || { tail -n 40 "$WORK/logs/api-server.log" >&2; exit 1; }
    sleep 2
  done
}

use_celery() {  # use_celery HOST API_PORT PG_PORT REDIS_PORT : CeleryExecutor settings, all on HOST
  export AIRFLOW__CORE__EXECUTOR=CeleryExecutor
  export AIRFLOW__DATABASE__SQL_ALCHEMY_CONN="postgresql+psycopg2://airflow@$1:$3/airflow"
  REDIS_PASSWORD="$(head -c 24 /dev/urandom | base64 | tr -d '/+=')"
  export AIRFLOW__CELERY__BROKER_URL="redis://:$REDIS_PASSWORD@$1:$4/0"
  export AIRFLOW__CELERY__RESULT_BACKEND="db+postgresql+psycopg2://airflow@$1:$3/airflow"
  # Solo, not the default prefork: each Airflow task runs in its own process anyway, and one
  # forked from a daemonic prefork child may not start processes of its own (the board's charts
  # do). Solo runs one task at a time per worker (threads would break Airflow's signal handling).
  export AIRFLOW__CELERY__POOL=solo
  export AIRFLOW__API__HOST="$1" AIRFLOW__API__PORT="$2"
  export AIRFLOW__API__BASE_URL="http://$1:$2"
  export AIRFLOW__CORE__EXECUTION_API_SERVER_URL="http://$1:$2/execution/"
  AIRFLOW__API_AUTH__JWT_SECRET="$(head -c 32 /dev/urandom | base64)"
  export AIRFLOW__API_AUTH__JWT_SECRET
}

start_airflow() {  # start_airflow HOST PORT [triggerer] : migrate, then the API server,
  # scheduler and DAG processor (and triggerer), no log servers; waits for the API
  airflow db migrate >"$WORK/logs/migrate.log" 2>&1
  write_admin_password
  start api-server airflow api-server --host "$1" --port "$2"
  API_PID=$LAST_PID
  start scheduler airflow scheduler --skip-serve-logs
  start dag-processor airflow dag-processor
  [[ "${3:-}" != triggerer ]] || start triggerer airflow triggerer --skip-serve-logs
  echo "airflow on http://$1:$2, logs in $WORK/logs/ and $AIRFLOW_HOME/logs/" >&2
  wait_for_api "http://$1:$2"
}
