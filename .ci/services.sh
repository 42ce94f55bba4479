#!/usr/bin/env bash
# Installs (from Debian's packages) and starts the servers the test suite uses for real:
# PostgreSQL, Redis and Chromium (headless, for browser tests). Idempotent: a server that is
# already running is left alone. Prints the environment the tests read, as `export` lines, so
# callers can `eval "$(bash .ci/services.sh)"`.
set -euo pipefail

log() { echo "services: $*" >&2; }

missing=()
command -v pg_ctlcluster >/dev/null 2>&1 || missing+=(postgresql)
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
if [ ${#missing[@]} -gt 0 ]; then
  log "installing ${missing[*]}"
  apt-get update -qq >&2
  apt-get install -y -qq "${missing[@]}" >&2
fi

# PostgreSQL: Debian's default cluster, on 127.0.0.1:5432, with a password login for the tests.
pg_version=$(ls /etc/postgresql | sort -V | tail -1)
if ! pg_lsclusters -h | awk -v v="$pg_version" '$1 == v && $2 == "main"' | grep -q .; then
  pg_createcluster "$pg_version" main >&2
fi
if ! pg_lsclusters -h | awk -v v="$pg_version" '$1 == v && $2 == "main" && $4 == "online"' | grep -q .; then
  log "starting PostgreSQL $pg_version"
  pg_ctlcluster "$pg_version" main start >&2
fi
pg_port=$(pg_lsclusters -h | awk -v v="$pg_version" '$1 == v && $2 == "main" {print $3}')
for _ in $(seq 1 50); do
  runuser -u postgres -- psql -p "$pg_port" -tAc 'select 1' >/dev/null 2>&1 && break
  sleep 0.2
done
runuser -u postgres -- psql -p "$pg_port" -v ON_ERROR_STOP=1 -tAc \
  "DO \$\$ BEGIN
     IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'pipewarden') THEN
       CREATE ROLE pipewarden LOGIN CREATEDB PASSWORD 'pipewarden-test';
     END IF;
   END \$\$;" >/dev/null

# Redis: one throwaway instance on loopback, no persistence.
if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
  log "starting Redis"
  redis-server --bind 127.0.0.1 --port 6379 --save '' --appendonly no --daemonize yes >&2
  for _ in $(seq 1 50); do
    redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && break
    sleep 0.1
  done
fi

echo "export PIPEWARDEN_TEST_PG_URL=postgres://pipewarden:pipewarden-test@127.0.0.1:${pg_port}/postgres"
echo "export PIPEWARDEN_TEST_REDIS_URL=redis://127.0.0.1:6379"
echo "export PIPEWARDEN_TEST_CHROMIUM=$(command -v chromium)"
# In CI a missing service is a failure, never a skipped test.
echo "export PIPEWARDEN_REQUIRE_SERVICES=1"
