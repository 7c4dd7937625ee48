// `npm run build` ends by writing the files derived from the manifest (`npm run analyze`), and `npm start` builds
// again whenever a file in src/ is newer than the bundle. So the derived file that lives in src/ (the React
// wrappers) must be left untouched when it has not changed: rewritten, it looked newer than the bundle just built,
// and every `npm start` spent its first 15 seconds building again.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { root } from './support.js';

test('writing the derived files again leaves those in src/ that did not change untouched', () => {
  const react = join(root, 'src/react/index.ts');
  // Up to date first (as a build leaves it), then written again with nothing changed.
  execFileSync(process.execPath, [join(root, 'scripts/framework-types.mjs'), '--check'], { cwd: root });
  const before = statSync(react).mtimeMs;
  execFileSync(process.execPath, [join(root, 'scripts/framework-types.mjs')], { cwd: root });
  assert.equal(statSync(react).mtimeMs, before, 'src/react/index.ts was written again with the same text');
});
