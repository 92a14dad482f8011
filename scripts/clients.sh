#!/usr/bin/env bash
# Clients generated from the OpenAPI document in the languages kommuner integrate with:
# openapi-python-client (PyPI) and openapi-typescript (npm) must generate without error, and the
# e-tjänst's journey runs through the generated Python client (scripts/clients/journey.py)
# against the service on loopback. Used by .ci/run after `cargo test` built target/debug/dsar.
set -euo pipefail
cd "$(dirname "$0")/.."

python_generator=0.29.1
typescript_generator=7.13.0
venv=target/clients/python-$python_generator
node_dir=target/clients/node-$typescript_generator
port=${PORT:-18182}

if [ ! -x "$venv/bin/openapi-python-client" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet "openapi-python-client==$python_generator"
fi
if [ ! -x "$node_dir/node_modules/.bin/openapi-typescript" ]; then
  mkdir -p "$node_dir"
  npm install --silent --no-audit --no-fund --prefix "$node_dir" "openapi-typescript@$typescript_generator" >/dev/null
fi
cargo build --quiet --bin dsar

work=$(mktemp -d /tmp/dsar-clients.XXXXXX)
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

export DSAR_ENV=test
export DSAR__DATABASE__URL="sqlite://$work/dsar.sqlite3"
export DSAR__SERVER__PORT=$port
export DSAR__EMAIL__FILE_DIR="$work/mail"
target/debug/dsar serve >"$work/server.log" 2>&1 &
server_pid=$!
base="http://127.0.0.1:$port"
for _ in $(seq 1 100); do
  if curl -fsS "$base/ready" >/dev/null 2>&1; then break; fi
  sleep 0.1
done
curl -fsS "$base/api/v1/openapi.json" -o "$work/openapi.json"
token() { target/debug/dsar token --sub "clients-$1" --role "$1" 2>/dev/null; }
curl -fsS -o /dev/null -X POST "$base/api/v1/controllers" \
  -H "Authorization: Bearer $(token admin)" -H 'Content-Type: application/json' \
  -d '{"id": "kommunstyrelsen", "name": "Kommunstyrelsen"}'

echo "=== openapi-typescript $typescript_generator"
"$node_dir/node_modules/.bin/openapi-typescript" "$work/openapi.json" -o "$work/dsar.d.ts"

echo "=== openapi-python-client $python_generator"
# It cannot type binary bodies (PDFs, images) and leaves those operations out, with a warning:
# what matters here is that the document parses and the JSON operations generate.
(cd "$work" && "$OLDPWD/$venv/bin/openapi-python-client" generate --path openapi.json \
  --output-path python-client 2>&1 | grep -v "ruff is not in PATH\|Skipping Integration" || true)
test -d "$work/python-client/dsar_client" || { echo "the Python client was not generated" >&2; exit 1; }
"$venv/bin/pip" install --quiet "$work/python-client"
"$venv/bin/python" scripts/clients/journey.py "$base" "$(token etjanst)"
