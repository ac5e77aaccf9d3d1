#!/usr/bin/env bash
# A throwaway PostgreSQL server on 127.0.0.1 for the backend tests and CI: nothing of it outlives `stop`.
#
#   scripts/postgres.sh start   initdb into a fresh folder under /tmp, start the server on $LODESTAR_PG_PORT (default
#                               54329; another free port when that one is taken and the variable is unset), create the
#                               role `lodestar` (random password, may create databases: the tests make one each) and
#                               its database `lodestar`, and print the URL
#   scripts/postgres.sh url     print the URL of the server started here
#   scripts/postgres.sh stop    stop it (fast shutdown) and remove its folder
#
# Use it as:  export LODESTAR_TEST_POSTGRES_URL=$(scripts/postgres.sh start)
#
# Run as root, the server runs as the `postgres` user (PostgreSQL refuses root); run as any other user, as that user.
# PostgreSQL is installed from Debian's packages when missing. The cluster uses the C locale, so text sorts by bytes as
# in SQLite, and fsync is off: the data is thrown away anyway. Its state (folder, port, password) is kept in
# $LODESTAR_PG_STATE (default /tmp/lodestar-postgres.state) so that `url` and `stop` find it.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

state=${LODESTAR_PG_STATE:-/tmp/lodestar-postgres.state}

# pg_bin: sets $bin to the newest installed PostgreSQL's binaries, installing PostgreSQL when there is none.
pg_bin() {
  bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  if [[ -z $bin || ! -x $bin/initdb ]]; then
    install_debian postgres.sh postgresql
    bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  fi
  [[ -n $bin && -x $bin/initdb ]] || { echo "postgres.sh: initdb not found under /usr/lib/postgresql/*/bin" >&2; exit 1; }
}

# as_server COMMAND…: runs a command as the user the server runs as.
as_server() {
  if ((EUID == 0)); then runuser -u postgres -- "$@"; else "$@"; fi
}

# port_free PORT: whether nothing listens on 127.0.0.1:PORT.
port_free() {
  ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# running: whether the server in $state answers.
running() {
  [[ -f $state ]] || return 1
  # shellcheck disable=SC1090
  source "$state"
  pg_bin
  as_server "$bin/pg_ctl" -D "$folder/data" status >/dev/null 2>&1
}

print_url() {
  # shellcheck disable=SC1090
  source "$state"
  echo "postgres://lodestar:$password@127.0.0.1:$port/lodestar?sslmode=disable"
}

start() {
  if running; then print_url; return 0; fi
  [[ -f $state ]] && { echo "postgres.sh: removing the state of a server that is gone ($state)" >&2; rm -f "$state"; }
  pg_bin
  local port=${LODESTAR_PG_PORT:-54329}
  if ! port_free "$port"; then
    [[ -z ${LODESTAR_PG_PORT:-} ]] || { echo "postgres.sh: port $port is taken (LODESTAR_PG_PORT)" >&2; exit 1; }
    for port in $(seq 54330 54399); do port_free "$port" && break; done
    port_free "$port" || { echo "postgres.sh: no free port in 54329-54399" >&2; exit 1; }
  fi
  local folder password
  folder=$(mktemp -d /tmp/lodestar-pg.XXXXXX)
  password=$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')
  ((EUID == 0)) && chown postgres: "$folder"
  chmod 700 "$folder"
  printf 'folder=%q\nport=%q\npassword=%q\n' "$folder" "$port" "$password" >"$state"

  as_server "$bin/initdb" -D "$folder/data" -U postgres -E UTF8 --locale=C \
    --auth-local=trust --auth-host=scram-sha-256 >"$folder/initdb.log" 2>&1 \
    || { cat "$folder/initdb.log" >&2; exit 1; }
  as_server "$bin/pg_ctl" -D "$folder/data" -l "$folder/server.log" -w -t 30 \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $folder -c fsync=off -c max_connections=300" start >/dev/null \
    || { cat "$folder/server.log" >&2; exit 1; }
  as_server "$bin/psql" -q -h "$folder" -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 \
    -c "CREATE ROLE lodestar LOGIN CREATEDB PASSWORD '$password'" \
    -c "CREATE DATABASE lodestar OWNER lodestar" >/dev/null
  print_url
}

stop() {
  [[ -f $state ]] || { echo "postgres.sh: no server started (no $state)" >&2; return 0; }
  # shellcheck disable=SC1090
  source "$state"
  pg_bin
  as_server "$bin/pg_ctl" -D "$folder/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$folder" "$state"
}

case ${1:-} in
  start) start ;;
  stop) stop ;;
  url) [[ -f $state ]] || { echo "postgres.sh: no server started (no $state)" >&2; exit 1; }; print_url ;;
  *) echo "usage: scripts/postgres.sh start|stop|url" >&2; exit 2 ;;
esac
