#!/usr/bin/env bash
# Load-tests the release build of dsar on SQLite or PostgreSQL, on this machine only.
#   scripts/bench-api.sh sqlite|postgres [scenario ...]
# Scenarios: create read read-full list list-overdue stats get:PATH (default: create read).
# SEED=N first fills the database with N cases (examples/seed_cases.rs).
# Numbers go to docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "$0")/.."
backend=${1:-sqlite}; shift || true
scenarios=${*:-create read}
target=${CARGO_TARGET_DIR:-target}
cargo build --release --bin dsar --example loadgen --example seed_cases >/dev/null

work=$(mktemp -d /tmp/dsar-bench.XXXXXX)
case "$backend" in
  sqlite) export DSAR__DATABASE__URL="sqlite://$work/bench.sqlite3" ;;
  postgres)
    pg=${BENCH_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432}
    db="dsar_bench_$$"
    psql "$pg/postgres" -qc "CREATE DATABASE $db"
    export DSAR__DATABASE__URL="$pg/$db" ;;
  *) echo "backend is sqlite or postgres" >&2; exit 2 ;;
esac
export DSAR__SERVER__PORT=${BENCH_PORT:-18080} DSAR__LOG__FILTER=warn
# The load generator is one client sending as fast as it can: no rate limit.
export DSAR__SERVER__RATE_LIMIT_PER_SECOND=0
if [ -n "${SEED:-}" ]; then "$target/release/examples/seed_cases" "$SEED"; fi

"$target/release/dsar" serve >"$work/server.log" 2>&1 &
server=$!
cleanup() {
  kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true
  [ "$backend" = postgres ] && psql "$pg/postgres" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" || true
  rm -rf "$work"
}
trap cleanup EXIT
for _ in $(seq 50); do curl -sf "localhost:$DSAR__SERVER__PORT/ready" >/dev/null && break; sleep 0.2; done
# Another server on the port would answer /ready and take the load in this one's place.
if ! kill -0 "$server" 2>/dev/null; then
  echo "dsar serve did not start (is port $DSAR__SERVER__PORT taken?):" >&2; cat "$work/server.log" >&2; exit 1
fi

# The jobs start on a seeded database at once (reminders for the overdue cases, retention);
# wait until the server is idle so that the scenarios measure the requests alone.
if [ -n "${SEED:-}" ]; then
  cpu() { awk '{print $14+$15}' "/proc/$server/stat"; }
  start=$SECONDS; before=$(cpu)
  while sleep 2; after=$(cpu); [ $((after - before)) -gt 10 ]; do
    before=$after
    [ $((SECONDS - start)) -lt 600 ] || { echo "server still busy after 600 s" >&2; break; }
  done
  echo "server idle $((SECONDS - start)) s after start; VmHWM so far: $(awk '/VmHWM/{print $2, $3}' /proc/$server/status)"
fi
token=$("$target/release/dsar" token --sub bench --role admin --ttl 1h 2>/dev/null | tail -n 1)
for scenario in $scenarios; do
  ${LOADGEN_WRAPPER:-} "$target/release/examples/loadgen" --url "http://127.0.0.1:$DSAR__SERVER__PORT" --token "$token" \
    --scenario "$scenario" --concurrency "${CONCURRENCY:-16}" --seconds "${SECONDS_PER_RUN:-15}" --server-pid "$server"
done
# CPU seconds the server used over all runs (user+system), to compare with the load generator's.
awk '{printf "server cpu: %.1f s\n", ($14+$15)/100}' "/proc/$server/stat"
