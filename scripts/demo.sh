#!/usr/bin/env bash
# The demo: installs what is missing, builds the package, starts a local OpenID Provider
# (oidc-provider) and serves www/ with pkg/. Ctrl-C stops both.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
exec node scripts/serve-demo.mjs
