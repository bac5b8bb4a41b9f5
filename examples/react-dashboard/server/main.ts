/**
 * `npm start`: starts the reference platform (in-memory PGlite), seeds it, and serves the built
 * dashboard plus its backend. Build the front end first (`npm run build`).
 */
import { fileURLToPath } from 'node:url';
import { startPlatform } from '@openissuing/platform';
import { startBackend } from './backend.ts';
import { allowDisplayOrigins, seed } from './seed.ts';

const platform = await startPlatform({ port: Number(process.env.PLATFORM_PORT ?? 0) });
await seed(platform.url, platform.apiKey);
const backend = await startBackend({
  platformUrl: platform.url,
  apiKey: platform.apiKey,
  staticDir: fileURLToPath(new URL('../dist', import.meta.url)),
  port: Number(process.env.BACKEND_PORT ?? 5180),
});
// The dashboard itself, and the Vite dev server (`npm run dev`).
await allowDisplayOrigins(platform.url, platform.apiKey, [
  backend.url,
  'http://localhost:5173',
  'http://127.0.0.1:5173',
]);
console.log(`OpenIssuing platform: ${platform.url}`);
console.log(`Dashboard:            ${backend.url}`);

const stop = async () => {
  await backend.close();
  await platform.close();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
