import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('../..', import.meta.url));

/** Fails with a clear message when the package has not been built. */
export function requireBuild(file = 'dist/index.js'): void {
  if (!existsSync(new URL(`../../${file}`, import.meta.url))) {
    throw new Error(`${file} is missing: run \`npm run build\` before the Node tests (.ci/run does).`);
  }
}
