#!/usr/bin/env bash
# The dependency audit (deny.toml): licenses, bans, sources, and RustSec's advisories.
#   scripts/deny.sh                        check, with the advisory database in third_party/
#   scripts/deny.sh --refresh-advisories   replace that snapshot with upstream's newest (needs GitHub)
# CI cannot reach GitHub, so the advisories come from the committed snapshot (its date is shown);
# installs cargo-deny from crates.io if needed.
set -euo pipefail
cd "$(dirname "$0")/.."
bundle=third_party/rustsec-advisory-db.bundle
# Where cargo-deny looks for the database of deny.toml's db-path and the default URL.
db=target/advisory-dbs/advisory-db-3157b0e258782691

if [ "${1:-}" = "--refresh-advisories" ]; then
  work=$(mktemp -d)
  git clone -q --depth 1 https://github.com/rustsec/advisory-db "$work/upstream"
  upstream=$(git -C "$work/upstream" rev-parse HEAD)
  date=$(git -C "$work/upstream" log -1 --format=%cI)
  git -C "$work/upstream" checkout -q --orphan snapshot
  GIT_COMMITTER_DATE="$date" git -C "$work/upstream" -c user.name=dsar -c user.email=dsar@localhost \
    commit -q -m "rustsec/advisory-db at $upstream" --date="$date"
  git -C "$work/upstream" bundle create "$PWD/$bundle" snapshot
  rm -rf "$work"
  echo "advisory database refreshed to $upstream ($date)"
  exit 0
fi

if ! cargo deny --version >/dev/null 2>&1; then
  cargo install cargo-deny --locked --version 0.20.2
fi
rm -rf "$db"
mkdir -p "$(dirname "$db")"
git clone -q "$bundle" "$db" --branch snapshot
echo "advisories as of $(git -C "$db" log -1 --format='%cs (%s)')"
cargo deny --offline check advisories licenses bans sources
