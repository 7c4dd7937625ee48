// Prints the size of every file of the script-tag bundle (dist/cdn): bytes as shipped (minified) and gzipped,
// and checks that the entry chunk does not statically import the heavy, lazily loaded libraries (exit code 1 if
// it does).
// `--json` prints the same figures as JSON.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const root = fileURLToPath(new URL('../dist/cdn', import.meta.url));
const LAZY = /msal|microsoft-graph|graph-client|signalr/i;

function files(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : name.endsWith('.js') ? [path] : [];
  });
}

function staticImports(code) {
  const found = [];
  for (const match of code.matchAll(/(?:^|[;}\s])import\s*(?:[\w*{},\s$]+from\s*)?["']([^"']+)["']/g))
    found.push(match[1]);
  return found;
}

let list;
try {
  list = files(root);
} catch {
  console.error('dist/cdn is missing: run `npm run build` first.');
  process.exit(1);
}
const rows = list.map((path) => {
  const code = readFileSync(path);
  return {
    file: relative(root, path),
    entry: !relative(root, path).startsWith('chunks'),
    bytes: code.length,
    gzip: gzipSync(code, { level: 9 }).length,
    staticImports: staticImports(code.toString('utf8')),
  };
});
const entry = rows.find((r) => r.file === 'presence-elements.js');
const entryStatic = new Set(entry ? entry.staticImports.map((s) => s.replace(/^\.\//, '')) : []);
const eagerHeavy = rows.filter((r) => !r.entry && entryStatic.has(r.file) && LAZY.test(r.file)).map((r) => r.file);
const total = rows.filter((r) => r.file === 'presence-elements.js' || entryStatic.has(r.file));
const summary = {
  files: rows.map(({ staticImports: _, ...r }) => r),
  eager: { bytes: total.reduce((s, r) => s + r.bytes, 0), gzip: total.reduce((s, r) => s + r.gzip, 0) },
  heavyLibrariesLoadedEagerly: eagerHeavy,
};

if (process.argv.includes('--json')) {
  console.log(JSON.stringify(summary, null, 2));
} else {
  const pad = (v, n) => String(v).padStart(n);
  console.log(`${'file'.padEnd(48)} ${pad('minified B', 11)} ${pad('gzip B', 8)}`);
  for (const r of summary.files)
    console.log(`${r.file.padEnd(48)} ${pad(r.bytes.toLocaleString('en'), 11)} ${pad(r.gzip.toLocaleString('en'), 8)}`);
  console.log(
    `${'loaded on page load (entry + static imports)'.padEnd(48)} ${pad(summary.eager.bytes.toLocaleString('en'), 11)} ${pad(summary.eager.gzip.toLocaleString('en'), 8)}`,
  );
  console.log(
    eagerHeavy.length
      ? `ERROR: loaded eagerly: ${eagerHeavy.join(', ')}`
      : 'MSAL, Graph client and SignalR: none in the entry; lazily loaded only.',
  );
}
// Loading a heavy library on every page is a build error, not a matter of taste.
if (eagerHeavy.length) process.exitCode = 1;
