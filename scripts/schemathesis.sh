#!/usr/bin/env bash
# Runs schemathesis (PyPI) against the service with every role's token: all checks, bounded
# examples, a fixed seed (a failure can be replayed), loopback only. Fails on any failure or
# error. Used by .ci/run after `cargo test` has built target/debug/dsar.
#
#   scripts/schemathesis.sh            # every role, 20 examples per operation
#   MAX_EXAMPLES=50 scripts/schemathesis.sh
set -euo pipefail
cd "$(dirname "$0")/.."

version=4.32.5
venv=target/schemathesis-$version
max_examples=${MAX_EXAMPLES:-20}
seed=${SEED:-20261203}
port=${PORT:-18181}

if [ ! -x "$venv/bin/schemathesis" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet "schemathesis==$version"
fi
cargo build --quiet --bin dsar

work=$(mktemp -d /tmp/dsar-schemathesis.XXXXXX)
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  if [ -n "${KEEP_LOGS:-}" ]; then cp "$work"/*.log "$KEEP_LOGS"/ 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

export DSAR_ENV=test
export DSAR__DATABASE__URL="sqlite://$work/dsar.sqlite3"
export DSAR__SERVER__PORT=$port
export DSAR__EMAIL__FILE_DIR="$work/mail"
export DSAR__SERVER__RATE_LIMIT_PER_SECOND=0
target/debug/dsar serve >"$work/server.log" 2>&1 &
server_pid=$!
base="http://127.0.0.1:$port"
for _ in $(seq 1 100); do
  if curl -fsS "$base/ready" >/dev/null 2>&1; then break; fi
  sleep 0.1
done
curl -fsS "$base/ready" >/dev/null

token() { target/debug/dsar token --sub "schemathesis-$1" --role "$1" --controller kommunstyrelsen 2>/dev/null; }
# A nämnd to work for, so the handläggare's requests reach past "unknown controller".
curl -fsS -o /dev/null -X POST "$base/api/v1/controllers" \
  -H "Authorization: Bearer $(token admin)" -H 'Content-Type: application/json' \
  -d '{"id": "kommunstyrelsen", "name": "Kommunstyrelsen"}'

status=0
for role in admin dpo handlaggare kontaktcenter etjanst; do
  echo "=== schemathesis as $role"
  if ! (cd "$work" && "$OLDPWD/$venv/bin/schemathesis" run "$base/api/v1/openapi.json" \
        --header "Authorization: Bearer $(cd "$OLDPWD" && token "$role")" \
        --checks all --max-examples "$max_examples" --seed "$seed" --no-color \
        >"$work/$role.log" 2>&1); then
    status=1
    sed -n '/FAILURES\|ERRORS/,$p' "$work/$role.log"
  fi
  grep -E "generated|API Links" "$work/$role.log" || true
done
if [ "$status" -ne 0 ]; then
  echo "schemathesis found failures; the server's log:" >&2
  tail -n 50 "$work/server.log" >&2
fi
exit "$status"
