#!/usr/bin/env bash
# Builds the npm package into pkg/ (wasm-pack, release profile, wasm-opt -Oz) and prints its size.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# npm's binaryen (v132) first on PATH: wasm-pack runs the first wasm-opt it finds.
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
wasm-pack build --release --target web 2>&1 | sed '/failed to get wasm-pack version/d' >&2
node scripts/finish-pkg.mjs pkg
wasm=$(gzip -9 -c pkg/spa_oauth_bg.wasm | wc -c)
glue=$(gzip -9 -c pkg/spa_oauth.js | wc -c)
printf '[build] pkg/ ready: gzip -9 wasm %s B + JS glue %s B = %s B\n' "$wasm" "$glue" $((wasm + glue)) >&2
