#!/usr/bin/env bash
# Debian packages the full test suite uses, installed and started when we are root:
# PostgreSQL (the store tests run against it as well as SQLite) and Chromium (the end-to-end
# test drives it with Playwright; Playwright's own browser download does not work here).
# Writes .ci/postgres.env with CARTO_TEST_POSTGRES_URL for scripts/test.sh to source.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
env_file=.ci/postgres.env
rm -f "$env_file"
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
  echo "not root on Debian: skipping PostgreSQL set-up" >&2
  exit 1
fi
missing=()
ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 || missing+=(postgresql)
[ -x /usr/bin/chromium ] || missing+=(chromium)
if [ ${#missing[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq "${missing[@]}" >/dev/null
fi
pgbin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
datadir=/tmp/carto-pg-data
port=55432
if ! "$pgbin/pg_isready" -h 127.0.0.1 -p "$port" >/dev/null 2>&1; then
  if [ ! -f "$datadir/PG_VERSION" ]; then
    rm -rf "$datadir"
    mkdir -p "$datadir"
    chown postgres:postgres "$datadir"
    su postgres -c "$pgbin/initdb -D $datadir -A trust -U postgres" >/dev/null
  fi
  su postgres -c "$pgbin/pg_ctl -D $datadir -o '-p $port -k /tmp -c listen_addresses=127.0.0.1' -l /tmp/carto-pg.log -w start" >/dev/null
fi
echo "export CARTO_TEST_POSTGRES_URL=postgresql+psycopg://postgres@127.0.0.1:$port/postgres" > "$env_file"
echo "PostgreSQL ready on 127.0.0.1:$port" >&2
