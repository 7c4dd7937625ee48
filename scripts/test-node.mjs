// Runs every *.test.ts under the given folders (default test/node) with node --test and tsx.
// Node 20's test runner takes no glob patterns, so the files are listed here.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function find(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name === 'node_modules' || name === 'fixtures') return [];
    return statSync(path).isDirectory() ? find(path) : /\.test\.ts$/.test(name) ? [path] : [];
  });
}

const args = process.argv.slice(2);
const folders = args.filter((a) => !a.startsWith('--'));
const flags = args.filter((a) => a.startsWith('--'));
const files = (folders.length ? folders : ['test/node'])
  .flatMap((f) => (statSync(f).isDirectory() ? find(f) : [f]))
  .sort();
if (files.length === 0) {
  console.error('No Node test files found.');
  process.exit(1);
}
// A test that waits forever fails after five minutes instead of holding the run.
const timeout = flags.some((f) => f.startsWith('--test-timeout')) ? [] : ['--test-timeout=300000'];
const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', ...timeout, ...flags, ...files], {
  stdio: 'inherit',
});
process.exit(result.status ?? 1);
