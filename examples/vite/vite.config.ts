import { defineConfig, type Plugin } from 'vite';

/**
 * Start-up (the package README, "Start-up"): index.html starts downloading and compiling
 * spa-oauth's .wasm from its <head>, while the app's script loads, and src/main.ts hands that
 * promise to init(). Vite emits the .wasm as an asset (`?url` in src/main.ts) under a hashed
 * name, known once the bundle is written: this puts that name into the built page.
 */
function startWasmEarly(): Plugin {
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
        const wasm = Object.keys(bundle ?? {}).filter((file) => file.endsWith('.wasm'));
        if (wasm.length !== 1) throw new Error(`expected spa-oauth's one .wasm asset, found: ${wasm.join(', ')}`);
        return [{
          tag: 'script',
          children: `window.spaOauthWasm = WebAssembly.compileStreaming(fetch(${JSON.stringify(base + wasm[0])}));`,
          injectTo: 'head-prepend',
        }];
      },
    },
  };
}

export default defineConfig({
  plugins: [startWasmEarly()],
});
