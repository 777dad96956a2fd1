import type { Plugin } from 'vite';

/**
 * Start-up (the README's "Start-up"): a Vite plugin that makes the built `index.html` start
 * downloading and compiling spa-oauth's `.wasm` from its `<head>`, while the app's scripts load.
 * Hand the promise to `init()`: `init({ module_or_path: window.spaOauthWasm ?? wasmUrl })`
 * (`wasmUrl` from `import wasmUrl from 'spa-oauth/spa_oauth_bg.wasm?url'`; the dev server's
 * page starts nothing early). The build fails when the bundle does not hold the `.wasm` once.
 */
export default function spaOauthStartup(): Plugin;
