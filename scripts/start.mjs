// `npm start`: builds when the bundle is missing or older than the source, then serves the demo page.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createStaticServer, listenOnFreePort } from './static-server.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const bundle = join(root, 'dist/cdn/presence-elements.js');

function newest(dir) {
  return readdirSync(dir, { withFileTypes: true }).reduce((latest, entry) => {
    const path = join(dir, entry.name);
    return Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }, 0);
}

if (!existsSync(bundle) || statSync(bundle).mtimeMs < newest(join(root, 'src'))) {
  console.log('Building (the bundle is missing or older than src/)...');
  const result = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

const host = process.env.HOST ?? '127.0.0.1';
const server = createStaticServer(root);
const port = await listenOnFreePort(server, Number(process.env.PORT ?? 8080), host);
console.log(`\nPresence Elements demo: http://${host === '0.0.0.0' ? 'localhost' : host}:${port}/demo/index.html`);
console.log('Press Ctrl+C to stop.');

const stop = () => server.close(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
