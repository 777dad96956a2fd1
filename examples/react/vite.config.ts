import react from '@vitejs/plugin-react';
import spaOauthStartup from 'spa-oauth/vite';
import { defineConfig } from 'vite';

export default defineConfig({
  // spaOauthStartup: the built index.html starts downloading and compiling spa-oauth's .wasm
  // from its <head>; src/main.tsx hands that promise to init() (the package README, "Start-up").
  plugins: [react(), spaOauthStartup()],
  // The dev server serves spa-oauth as it is (a --target web package fetches its own .wasm).
  optimizeDeps: { exclude: ['spa-oauth'] },
});
