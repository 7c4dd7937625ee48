// Runs every *.test.ts under the given folders (default test/node) with node --test and tsx.
// Node 20's test runner takes no glob patterns, so the files are listed here.
//
// Files whose timings depend on the machine's load (those that drive Chromium or start processes of their own, found
// by reading them and the test helpers they import) run one at a time; the others, two at a time. `--test-concurrency`
// given on the command line runs every file that way instead.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';

function find(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name === 'node_modules' || name === 'fixtures') return [];
    return statSync(path).isDirectory() ? find(path) : /\.test\.ts$/.test(name) ? [path] : [];
  });
}

/** Words that say a file drives a browser or starts a process (comments aside). */
const LOAD_SENSITIVE = /\bchromium\b|\bspawn\(|\bfork\(/;
const sensitive = new Map();

/** Whether `file`, or a test helper it imports (transitively), drives Chromium or starts processes. */
function loadSensitive(file) {
  if (sensitive.has(file)) return sensitive.get(file);
  sensitive.set(file, false);
  const text = readFileSync(file, 'utf8');
  let result = LOAD_SENSITIVE.test(text.replace(/^\s*\/\/.*$/gm, ''));
  for (const [, specifier] of text.matchAll(/from '(\.[^']+)'/g)) {
    if (result) break;
    const target = resolve(dirname(file), specifier.replace(/\.js$/, '.ts'));
    if (target.includes(`${sep}test${sep}`) && existsSync(target)) result = loadSensitive(target);
  }
  sensitive.set(file, result);
  return result;
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

function run(group, extra = []) {
  if (!group.length) return 0;
  const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', ...timeout, ...extra, ...flags, ...group], {
    stdio: 'inherit',
  });
  return result.status ?? 1;
}

const statuses = flags.some((f) => f.startsWith('--test-concurrency'))
  ? [run(files)]
  : [
      run(
        files.filter((f) => loadSensitive(resolve(f))),
        ['--test-concurrency=1'],
      ),
      run(
        files.filter((f) => !loadSensitive(resolve(f))),
        ['--test-concurrency=2'],
      ),
    ];
process.exit(statuses.find((s) => s !== 0) ?? 0);
