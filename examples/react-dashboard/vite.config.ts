import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// `npm run dev` proxies /api to the backend started by `npm start` (default port 5180).
export default defineConfig({
  plugins: [react()],
  server: { proxy: { '/api': `http://127.0.0.1:${process.env.BACKEND_PORT ?? 5180}` } },
  build: { outDir: 'dist', sourcemap: true },
});
