# Finds a PostgreSQL server for the tests and exports NANSEN_TEST_DATABASE_URL.
# Order: NANSEN_TEST_DATABASE_URL if set; else the server on 127.0.0.1:5432 (user postgres, trust);
# else a throwaway cluster started with Debian's PostgreSQL binaries (installed if missing) and
# stopped when the calling script exits. Never skips: if none can be had, it fails.

pg_answers() { # url
  command -v psql >/dev/null 2>&1 && psql "$1" -qtAc 'select 1' >/dev/null 2>&1
}

ensure_postgres() {
  if [ -n "${NANSEN_TEST_DATABASE_URL:-}" ]; then
    echo "PostgreSQL for tests: NANSEN_TEST_DATABASE_URL"
    return 0
  fi
  local local_url="postgres://postgres@127.0.0.1:5432/postgres"
  if pg_answers "$local_url"; then
    export NANSEN_TEST_DATABASE_URL="$local_url"
    echo "PostgreSQL for tests: the server on 127.0.0.1:5432"
    return 0
  fi
  echo "No PostgreSQL on 127.0.0.1:5432: starting a throwaway cluster"
  local bindir
  bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ]; then
    local sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
    $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq postgresql >/dev/null
    bindir=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  fi
  PG_TEST_DIR=$(mktemp -d -t nansen-pg.XXXXXX)
  local run=()
  if [ "$(id -u)" -eq 0 ]; then
    chown postgres "$PG_TEST_DIR"
    run=(runuser -u postgres --)
  fi
  local port=55432
  "${run[@]}" "$bindir/initdb" -D "$PG_TEST_DIR/data" -U postgres --auth=trust -E UTF8 >/dev/null
  "${run[@]}" "$bindir/pg_ctl" -D "$PG_TEST_DIR/data" -l "$PG_TEST_DIR/log" -w \
    -o "-p $port -k $PG_TEST_DIR -c listen_addresses=127.0.0.1 -c max_connections=300" start >/dev/null
  PG_TEST_STOP=("${run[@]}" "$bindir/pg_ctl" -D "$PG_TEST_DIR/data" -m fast stop)
  trap '"${PG_TEST_STOP[@]}" >/dev/null 2>&1 || true; rm -rf "$PG_TEST_DIR"' EXIT
  export NANSEN_TEST_DATABASE_URL="postgres://postgres@127.0.0.1:$port/postgres"
  echo "PostgreSQL for tests: throwaway cluster on port $port"
}
