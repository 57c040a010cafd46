import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// The dashboard is served by Lore's web role at /app; in `npm run dev --workspace dashboard` Vite proxies
// /api and /auth to a Lore server on :3000 so cookies stay same-origin.
export default defineConfig({
  base: '/app/',
  oxc: { jsx: { runtime: 'automatic' } },
  resolve: {
    alias: { '@contracts': fileURLToPath(new URL('../src/contracts', import.meta.url)) },
  },
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false, chunkSizeWarningLimit: 700 },
  server: {
    proxy: { '/api': 'http://127.0.0.1:3000', '/auth': 'http://127.0.0.1:3000' },
  },
});
