#!/usr/bin/env bash
# Every test, three layers: native protocol core, browser layer in headless Chromium, e2e
# logins against a real OpenID Provider. Installs what is missing first (scripts/setup.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
log=$(mktemp -d)
fixture_pid=
trap '[ -n "$fixture_pid" ] && kill "$fixture_pid" 2>/dev/null; rm -rf "$log"' EXIT

echo "== 1/3 native: cargo test (protocol core)"
cargo test --lib 2>&1 | tee "$log/native"

echo "== 2/3 browser: wasm-pack test --headless --chrome (fixture server on loopback)"
node tests/support/fixture-server.mjs > "$log/fixture" &
fixture_pid=$!
for _ in $(seq 50); do [ -s "$log/fixture" ] && break; sleep 0.1; done
SPA_OAUTH_FIXTURE=$(head -n1 "$log/fixture") WASM_BINDGEN_TEST_TIMEOUT=60 \
  wasm-pack test --headless --chrome 2>&1 | sed '/failed to get wasm-pack version/d' | tee "$log/browser"

echo "== 3/3 e2e: release package, demo page, oidc-provider, Playwright + Chromium"
bash scripts/build.sh
node --test --test-reporter=spec tests/e2e/ 2>&1 | tee "$log/e2e"

count() { { grep -hoE "$2" "$log/$1" || true; } | grep -oE '[0-9]+' | awk '{ s += $1 } END { print s + 0 }'; }
native=$(count native 'test result: ok\. [0-9]+ passed'); browser=$(count browser 'test result: ok\. [0-9]+ passed')
e2e=$(count e2e '^ℹ pass [0-9]+'); failed=$(count e2e '^ℹ fail [0-9]+')
echo "== summary: native $native, browser $browser, e2e $e2e"
echo "$((native + browser + e2e)) passed, $failed failed"
