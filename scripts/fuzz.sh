#!/usr/bin/env bash
# Fuzzes the protocol core (src/core/) with cargo-fuzz / libFuzzer: every target of fuzz/ in
# turn (never two at once), each for SECONDS_PER_TARGET seconds (default 60), seeded from
# fuzz/seeds/<target>/. New inputs go to fuzz/corpus/<target>/, crashes to
# fuzz/artifacts/<target>/ (both git-ignored). Exits non-zero when a target crashes or fails
# a property.
#
#   scripts/fuzz.sh [SECONDS_PER_TARGET]
#   FUZZ_TARGETS="jwt json" scripts/fuzz.sh 120     # a subset
#   FUZZ_SANITIZER=address scripts/fuzz.sh           # ASan (slower; the core has no unsafe code)
#   FUZZ_JOBS=2 scripts/fuzz.sh                      # build parallelism (default 1)
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-60}
case $seconds in '' | *[!0-9]*) echo "usage: $0 [SECONDS_PER_TARGET]" >&2; exit 2 ;; esac

log() { printf '[fuzz] %s\n' "$*" >&2; }
export PATH="$HOME/.cargo/bin:$PATH"
# cargo-fuzz passes nightly-only flags (-Zsanitizer, -Cpasses=sancov-module, ...); the only
# toolchain here is stable, which accepts them with RUSTC_BOOTSTRAP.
export RUSTC_BOOTSTRAP=1
export CARGO_BUILD_JOBS=${FUZZ_JOBS:-1}
sanitizer=${FUZZ_SANITIZER:-none}

# 1. cargo-fuzz, idempotently.
if ! cargo fuzz --version >/dev/null 2>&1; then
  log "installing cargo-fuzz (a few minutes)"
  # --locked first; its lock file may name a release the registry no longer serves.
  cargo install cargo-fuzz --locked || cargo install cargo-fuzz
fi

# 2. Targets and their -max_len.
all_targets=$(cargo fuzz list)
targets=${FUZZ_TARGETS:-$all_targets}
max_len() {
  case $1 in
    jwt) echo 65536 ;;      # jwt::parse refuses more than 64 KiB
    callback) echo 20000 ;; # parse_response refuses more than 16 KiB
    *) echo 4096 ;;
  esac
}

log "building ${targets//$'\n'/ } (sanitizer: $sanitizer)"
for t in $targets; do
  cargo fuzz build --sanitizer "$sanitizer" "$t"
done

# 3. Run, one target after the other.
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
failed=0
summary=()
for t in $targets; do
  mkdir -p "fuzz/corpus/$t" "fuzz/artifacts/$t"
  seeds=()
  [ -d "fuzz/seeds/$t" ] && seeds=("fuzz/seeds/$t")
  log "running $t for ${seconds}s"
  start=$SECONDS
  set +e
  cargo fuzz run --sanitizer "$sanitizer" "$t" "fuzz/corpus/$t" "${seeds[@]}" -- \
    -max_total_time="$seconds" -max_len="$(max_len "$t")" -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 2>&1 | tee "$out/$t.log" | grep -E '^(INFO: Seed|#[0-9]+ +(INITED|DONE)|==[0-9]+==|thread .* panicked|SUMMARY|stat::number_of_executed_units)|Test unit written' >&2
  rc=${PIPESTATUS[0]}
  set -e
  ran=$((SECONDS - start))
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$out/$t.log" | tail -n1)
  corpus=$(find "fuzz/corpus/$t" -type f | wc -l)
  if [ "$rc" -eq 0 ]; then
    verdict="ok"
  else
    failed=1
    artifact=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$out/$t.log" | tail -n1)
    artifact=${artifact#"$PWD/"}
    panic=$(grep -m1 -A1 -E 'panicked at' "$out/$t.log" | tr '\n' ' ' || true)
    verdict="CRASHED (exit $rc) ${artifact:+input $artifact}"
    [ -n "$panic" ] && log "$t: $panic"
  fi
  summary+=("$(printf '%-15s ran %4ss of %ss  %12s execs  corpus %5s  %s' "$t" "$ran" "$seconds" "${execs:-?}" "$corpus" "$verdict")")
done

echo "== fuzz summary (${seconds}s per target, sanitizer $sanitizer)"
printf '%s\n' "${summary[@]}"
if [ "$failed" -ne 0 ]; then
  echo "reproduce: RUSTC_BOOTSTRAP=1 cargo fuzz run --sanitizer $sanitizer <target> <input>;" \
    "minimize: RUSTC_BOOTSTRAP=1 cargo fuzz tmin --sanitizer $sanitizer <target> <input>"
  exit 1
fi
