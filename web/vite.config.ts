import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';

// The dashboard: built into dist/web, served by the API server itself (src/http/web-app.ts).
// It talks to the API only through the package's SDK (src/client), imported as `flowyte/client`.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [react()],
  resolve: { alias: { 'flowyte/client': fileURLToPath(new URL('../src/client/index.ts', import.meta.url)) } },
  build: { outDir: fileURLToPath(new URL('../dist/web', import.meta.url)), emptyOutDir: true, sourcemap: true, chunkSizeWarningLimit: 1000 },
  // `npm run dev:web` proxies the API to a server started with `npm start`
  server: { proxy: { '/api': 'http://127.0.0.1:8080' } },
});
