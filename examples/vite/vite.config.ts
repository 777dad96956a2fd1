import spaOauthStartup from 'spa-oauth/vite';
import { defineConfig } from 'vite';

export default defineConfig({
  // Start-up: the built index.html starts downloading and compiling spa-oauth's .wasm from its
  // <head>; src/main.ts hands that promise to init() (the package README, "Start-up").
  plugins: [spaOauthStartup()],
});
