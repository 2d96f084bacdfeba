#!/usr/bin/env bash
# Throwaway PostgreSQL and MariaDB servers for the SQL storage tests.
#
#   scripts/db-servers.sh start   install if missing, start both on 127.0.0.1 (random free ports),
#                                 print PKI_TEST_POSTGRES=... and PKI_TEST_MYSQL=... lines
#   scripts/db-servers.sh env     print those lines again for running servers
#   scripts/db-servers.sh stop    stop both servers and delete their data
#
# Usage in a shell:  eval "$(scripts/db-servers.sh start)"; dotnet test tests/Pki.Storage.Tests
# State lives in $PKI_DB_STATE (default /tmp/pki-db-servers). Needs root for apt-get and runuser.
set -euo pipefail

STATE="${PKI_DB_STATE:-/tmp/pki-db-servers}"
DB_NAME=pki_test
DB_USER=pki
# Letters and digits only, so the DSNs need no escaping.
DB_PASS="$(head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 20)"

log() { echo "db-servers: $*" >&2; }

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

wait_for() { # wait_for <seconds> <command...>
  local limit=$1; shift
  for _ in $(seq 1 $((limit * 10))); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 0.1
  done
  return 1
}

install_missing() {
  local packages=()
  command -v mariadbd >/dev/null 2>&1 || [ -x /usr/sbin/mariadbd ] || packages+=(mariadb-server)
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || packages+=(postgresql)
  if [ ${#packages[@]} -gt 0 ]; then
    log "installing ${packages[*]}"
    apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${packages[@]}" >&2
  fi
}

pg_bin() { ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1; }

start_postgres() {
  local bin port dir
  bin="$(pg_bin)"; port="$(free_port)"; dir="$STATE/postgres"
  id -u postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
  mkdir -p "$dir"; chown postgres "$dir"
  # initdb refuses to run as root, hence runuser. Trust auth on the socket only; TCP needs the password.
  runuser -u postgres -- "$bin/initdb" -D "$dir/data" -U postgres --auth-local=trust --auth-host=scram-sha-256 >"$STATE/postgres-init.log" 2>&1
  runuser -u postgres -- "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c max_connections=400" start >&2
  runuser -u postgres -- "$bin/psql" -h "$dir" -p "$port" -U postgres -v ON_ERROR_STOP=1 -q \
    -c "CREATE ROLE $DB_USER LOGIN CREATEDB PASSWORD '$DB_PASS'" \
    -c "CREATE DATABASE $DB_NAME OWNER $DB_USER" >&2
  echo "PKI_TEST_POSTGRES=postgresql://$DB_USER:$DB_PASS@127.0.0.1:$port/$DB_NAME?sslmode=disable" >>"$STATE/env"
}

start_mariadb() {
  local port dir
  port="$(free_port)"; dir="$STATE/mariadb"
  mkdir -p "$dir"
  mariadb-install-db --user=root --datadir="$dir/data" --auth-root-authentication-method=socket \
    --skip-test-db >"$STATE/mariadb-init.log" 2>&1
  mariadbd --no-defaults --user=root --datadir="$dir/data" --socket="$dir/mysqld.sock" --port="$port" \
    --bind-address=127.0.0.1 --pid-file="$dir/mysqld.pid" --innodb-flush-log-at-trx-commit=2 --max-connections=400 \
    --log-error="$dir/server.log" </dev/null >/dev/null 2>&1 &
  if ! wait_for 60 mariadb --no-defaults -S "$dir/mysqld.sock" -u root -e 'SELECT 1'; then
    log "MariaDB did not start; see $dir/server.log"; return 1
  fi
  # The store runs CREATE DATABASE IF NOT EXISTS like step-ca, and the tests use one database per test.
  mariadb --no-defaults -S "$dir/mysqld.sock" -u root -e \
    "CREATE DATABASE $DB_NAME; CREATE USER '$DB_USER'@'127.0.0.1' IDENTIFIED BY '$DB_PASS'; GRANT ALL ON *.* TO '$DB_USER'@'127.0.0.1';"
  echo "PKI_TEST_MYSQL=$DB_USER:$DB_PASS@tcp(127.0.0.1:$port)/$DB_NAME" >>"$STATE/env"
}

# export NAME='dsn' lines for eval (the MySQL DSN has parentheses).
print_env() { sed "s/^\([A-Z_]*\)=\(.*\)$/export \1='\2'/" "$STATE/env"; }

stop_all() {
  local pidfile="$STATE/mariadb/mysqld.pid"
  if [ -f "$pidfile" ]; then
    local pid; pid="$(cat "$pidfile")"
    # The server is not our child, so kill -0 would also succeed on its zombie: wait for the pid
    # file, which mariadbd removes at the end of a clean shutdown.
    kill "$pid" 2>/dev/null || true
    wait_for 30 test ! -e "$pidfile" || kill -9 "$pid" 2>/dev/null || true
  fi
  if [ -f "$STATE/postgres/data/postmaster.pid" ]; then
    runuser -u postgres -- "$(pg_bin)/pg_ctl" -D "$STATE/postgres/data" -m immediate -w stop >&2 || true
  fi
  rm -rf "$STATE"
}

case "${1:-}" in
  start)
    if [ -f "$STATE/env" ]; then log "already running (stop first)"; print_env; exit 0; fi
    install_missing
    mkdir -p "$STATE"; chmod 755 "$STATE"; : >"$STATE/env"
    trap 'log "start failed"; stop_all' ERR
    start_postgres
    start_mariadb
    trap - ERR
    print_env
    ;;
  env)
    [ -f "$STATE/env" ] || { log "not running"; exit 1; }
    print_env
    ;;
  stop)
    stop_all
    ;;
  *)
    echo "usage: $0 start|stop|env" >&2; exit 2
    ;;
esac
