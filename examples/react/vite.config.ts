import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  plugins: [react()],
  // The dev server serves spa-oauth as it is (a --target web package fetches its own .wasm).
  optimizeDeps: { exclude: ['spa-oauth'] },
});
