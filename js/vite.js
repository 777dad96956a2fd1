// spa-oauth/vite: the README's start-up recipe ("Start-up") for Vite builds. The built
// index.html starts downloading and compiling spa-oauth's .wasm from its <head>, while the
// app's scripts load, and the app hands `window.spaOauthWasm` to init(). Vite names the asset
// with a hash that is known once the bundle is written: this plugin writes its URL into the
// page. Build only: on the dev server's page nothing starts early and init() fetches the wasm.

/** spa-oauth's wasm among the bundle's files: `assets/spa_oauth_bg-<hash>.wasm` by default. */
const WASM_ASSET = /(?:^|\/)spa_oauth_bg(?:-[\w-]+)?\.wasm$/;

/** The Vite plugin; see js/vite.d.ts. */
export default function spaOauthStartup() {
  let base = '/';
  return {
    name: 'spa-oauth:start-wasm-early',
    apply: 'build',
    configResolved(config) {
      base = config.base;
    },
    transformIndexHtml: {
      order: 'post',
      handler(_html, { bundle }) {
        const wasm = Object.keys(bundle ?? {}).filter((file) => WASM_ASSET.test(file));
        if (wasm.length !== 1) {
          throw new Error(`spa-oauth/vite: expected spa-oauth's .wasm once among the built files, found it ${wasm.length} times `
            + "(import wasmUrl from 'spa-oauth/spa_oauth_bg.wasm?url' and hand it to init())");
        }
        return [{
          tag: 'script',
          children: `window.spaOauthWasm = WebAssembly.compileStreaming(fetch(${JSON.stringify(base + wasm[0])}));`,
          // First in <head>: an inline script waits for the stylesheets above it.
          injectTo: 'head-prepend',
        }];
      },
    },
  };
}
