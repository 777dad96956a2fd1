#!/usr/bin/env bash
# Installs, idempotently, everything the build, the demo and the tests need on a fresh machine,
# from the package registries only (crates.io, npm, Debian). A second run takes seconds.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '[setup] %s\n' "$*" >&2; }

# 1. The wasm target.
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  log "adding rust target wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi

# 1b. The standard library's source, for the size build of scripts/build.sh (optional: without
#     it the build falls back to the plain profile).
if ! rustup component list --installed | grep -q '^rust-src'; then
  log "adding rust component rust-src"
  rustup component add rust-src || log "rust-src unavailable: builds will use the plain profile"
fi

# 2. wasm-bindgen-cli of exactly the version pinned with '=' in Cargo.toml: wasm-pack then uses it
#    from PATH and downloads nothing.
export PATH="$HOME/.cargo/bin:$PATH"
want=$(sed -n 's/^wasm-bindgen *= *{*[^"]*"=\([0-9.]*\)".*/\1/p' Cargo.toml | head -n1)
[ -n "$want" ] || { log "no '=x.y.z' pin of wasm-bindgen found in Cargo.toml"; exit 1; }
have=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
if [ "$have" != "$want" ]; then
  log "installing wasm-bindgen-cli $want (about 4 minutes)"
  # Not --locked: its lock file names a webpki-roots release the registry no longer serves.
  cargo install wasm-bindgen-cli --version "$want" --force
fi

# 3. wasm-pack (the npm package of that name downloads from GitHub at install: not usable here).
if ! command -v wasm-pack >/dev/null 2>&1; then
  log "installing wasm-pack (about 5 minutes)"
  cargo install wasm-pack --locked || cargo install wasm-pack
fi

# 4. Debian's Chromium and chromedriver for the browser tests and the e2e tests.
if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
  log "installing chromium and chromium-driver from Debian"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq chromium chromium-driver >/dev/null
fi

# 5. npm dev tooling: oidc-provider, playwright-core, binaryen (wasm-opt v132; Debian's v108
#    corrupts wasm-bindgen's externref table). Reinstalled only when the lock file changed.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  log "installing npm dependencies"
  if [ -f package-lock.json ]; then npm ci --no-audit --no-fund --loglevel=error; else npm install --no-audit --no-fund --loglevel=error; fi
fi
log "toolchain ready"
