#!/usr/bin/env bash
# Builds the npm package into pkg/ (wasm-pack, release profile, wasm-opt -Oz) and prints its size.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# npm's binaryen (v132) first on PATH: wasm-pack runs the first wasm-opt it finds.
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
quiet() { sed '/failed to get wasm-pack version/d' >&2; }
# The size build: the standard library rebuilt for size, and panics that abort without carrying
# their message and location machinery (-9 to -11 KB gzip, measured). These flags are
# nightly-only, enabled on stable through RUSTC_BOOTSTRAP; a separate target dir keeps the test
# builds' cache. A toolchain without rust-src, or one that renamed a flag, gets the plain build.
# Both get a 128 KiB shadow stack instead of rustc's 1 MiB: normal logins run on 6 KiB; the
# deepest path (a JSON text at the reader's 64-level limit) needs more and is driven through
# the release package by an e2e test (tests/e2e/errors.test.mjs). With --stack-first (rustc's
# default for wasm) an overflow traps instead of overwriting data. wasm memory after login:
# 1.18 MB -> 0.26 MB.
stack='-Clink-arg=-zstack-size=131072'
# wasm-pack leaves files of earlier builds in pkg/ (renamed snippets): start from nothing.
rm -rf pkg
# Which profile built pkg/: tests/package/package.test.mjs fails when the size build was
# possible (rust-src installed) and the plain one was used.
profile_file=target/spa-oauth-build-profile
mkdir -p target
if ! rustup component list --installed 2>/dev/null | grep -q '^rust-src'; then
  fallback='rust-src is not installed (rustup component add rust-src)'
elif CARGO_TARGET_DIR=target/size RUSTC_BOOTSTRAP=1 \
    RUSTFLAGS="-Zunstable-options -Cpanic=immediate-abort -Zlocation-detail=none -Zfmt-debug=none $stack" \
    wasm-pack build --release --target web . -- \
    -Zbuild-std=std,panic_abort -Zbuild-std-features=optimize_for_size 2>&1 | quiet; then
  fallback=
else
  fallback='the size build failed (see the errors above: a renamed nightly flag?)'
fi
if [ -z "$fallback" ]; then
  echo size > "$profile_file"
  printf '[build] profile: size (std rebuilt for size, immediate-abort panics)\n' >&2
else
  printf '[build] ******************************************************************\n' >&2
  printf '[build] WARNING: %s.\n' "$fallback" >&2
  printf '[build] Building with the PLAIN stable profile: about 10 KB gzip larger.\n' >&2
  printf '[build] ******************************************************************\n' >&2
  echo "plain: $fallback" > "$profile_file"
  RUSTFLAGS="$stack" wasm-pack build --release --target web 2>&1 | quiet
fi
node scripts/finish-pkg.mjs pkg
wasm=$(gzip -9 -c pkg/spa_oauth_bg.wasm | wc -c)
# The glue as an app ships it: bundled with its snippets and minified (what bench/ counts too).
glue=$(node_modules/.bin/esbuild --bundle --minify --format=esm --log-level=error pkg/spa_oauth.js | gzip -9 | wc -c)
printf '[build] pkg/ ready: gzip -9 wasm %s B + JS glue (bundled, minified) %s B = %s B\n' "$wasm" "$glue" $((wasm + glue)) >&2
# spa-oauth/react, its own entry (js/react.js): what an app that imports it adds, React not counted.
react=$(node_modules/.bin/esbuild --bundle --minify --format=esm --log-level=error --external:react pkg/react.js | gzip -9 | wc -c)
printf '[build] spa-oauth/react (bundled without React, minified): gzip -9 %s B\n' "$react" >&2
