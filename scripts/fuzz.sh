#!/usr/bin/env bash
# Runs each fuzz target of fuzz/ for a bounded time, from the committed corpus, under libFuzzer
# with AddressSanitizer and a memory limit: a crash, a leak, an allocation above
# -malloc_limit_mb or a run above -rss_limit_mb fails the script (the input is left in
# fuzz/artifacts/<target>/).
#   scripts/fuzz.sh [target ...]          FUZZ_SECONDS per target (default 60)
# Needs the nightly toolchain (rustup) and cargo-fuzz, which it installs from crates.io.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${FUZZ_SECONDS:-60}
targets=${*:-personnummer other_identity register_import intake_json}
if ! cargo fuzz --version >/dev/null 2>&1; then
  cargo install cargo-fuzz --locked --version 0.13.2
fi
cargo +nightly fuzz build
for target in $targets; do
  # New inputs go to a scratch copy, so a run never grows the committed corpus.
  scratch=$(mktemp -d /tmp/dsar-fuzz-corpus.XXXXXX)
  cp fuzz/corpus/"$target"/* "$scratch"/
  echo "=== $target: $seconds s"
  status=0
  cargo +nightly fuzz run "$target" "$scratch" fuzz/corpus/"$target" -- \
    -max_total_time="$seconds" -rss_limit_mb=1024 -malloc_limit_mb=256 -timeout=10 \
    -print_final_stats=1 >"$scratch.log" 2>&1 || status=$?
  grep -E 'DONE|stat::number_of_executed_units|stat::peak_rss_mb|SUMMARY|panicked|ERROR|crash-|leak|out-of-memory' "$scratch.log" || true
  if [ "$status" -ne 0 ]; then
    tail -n 60 "$scratch.log" >&2
    rm -rf "$scratch" "$scratch.log"
    echo "fuzz target $target failed (exit $status); the input is in fuzz/artifacts/$target/" >&2
    exit "$status"
  fi
  rm -rf "$scratch" "$scratch.log"
done
