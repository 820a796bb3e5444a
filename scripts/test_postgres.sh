#!/usr/bin/env bash
# Start a private PostgreSQL cluster for the storage tests and print its URL.
#   eval "$(scripts/test_postgres.sh start DIR PORT)"   -> exports KIOSK_TEST_POSTGRES_URL
#   scripts/test_postgres.sh stop DIR
# Installs Debian's postgresql if it is missing. initdb refuses root: runs as 'postgres'.
set -euo pipefail
action=${1:?start or stop}
base=${2:-/tmp/kiosk-test-pg}
port=${3:-55432}
pgbin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1; }

if [ "$action" = stop ]; then
  bin=$(pgbin)
  [ -n "$bin" ] && [ -d "$base/data" ] && su postgres -c "$bin/pg_ctl -D $base/data -m fast stop" >/dev/null 2>&1 || true
  rm -rf "$base"  # nothing left behind
  exit 0
fi

if [ -z "$(pgbin)" ]; then
  echo "Installing postgresql" >&2
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql >&2
fi
bin=$(pgbin)
id postgres >/dev/null 2>&1 || useradd --system postgres
rm -rf "$base"
mkdir -p "$base/sock"
chown -R postgres "$base"
su postgres -c "$bin/initdb -D $base/data -A trust -U postgres" >/dev/null
su postgres -c "$bin/pg_ctl -D $base/data -l $base/log -w -o '-p $port -k $base/sock -c listen_addresses=127.0.0.1' start" >/dev/null
echo "export KIOSK_TEST_POSTGRES_URL=postgresql://postgres@127.0.0.1:$port/postgres"
