#!/usr/bin/env bash
# Start a throwaway local PostgreSQL for the storage tests and print the URL to use. Installs it when missing.
# Usage: export PLANNER_TEST_POSTGRES_URL="$(bash .ci/postgres.sh)"
set -euo pipefail
if ! ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1; then
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
fi
version=$(ls /usr/lib/postgresql | sort -n | tail -1)
cluster_running() { pg_lsclusters --no-header 2>/dev/null | awk '$4 == "online"' | grep -q .; }
if ! pg_lsclusters --no-header 2>/dev/null | grep -q .; then
  pg_createcluster "$version" main >&2
fi
cluster_running || pg_ctlcluster "$version" main start >&2
port=$(pg_lsclusters --no-header | awk 'NR==1 {print $3}')
su postgres -c "psql -p $port -qtAc \"SELECT 1 FROM pg_roles WHERE rolname='planner'\"" | grep -q 1 \
  || su postgres -c "psql -p $port -qc \"CREATE ROLE planner LOGIN PASSWORD 'planner'\"" >&2
# CREATEDB: each pytest-xdist worker makes its own database beside planner_test (tests/conftest.py).
su postgres -c "psql -p $port -qc \"ALTER ROLE planner CREATEDB\"" >&2
su postgres -c "psql -p $port -qtAc \"SELECT 1 FROM pg_database WHERE datname='planner_test'\"" | grep -q 1 \
  || su postgres -c "createdb -p $port -O planner planner_test" >&2
echo "postgresql+psycopg://planner:planner@127.0.0.1:$port/planner_test"
