// What `npm publish` would put in the tarball: everything a user needs, and nothing of the repository's own
// (tests, stories, the emulator, the relay, TypeScript sources, build leftovers). Needs `npm run build`.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';
// @ts-expect-error: a plain ES module script without declarations
import { sourcePath } from '../../scripts/manifest/shipped-paths.mjs';
import { requireBuild, root } from './support.js';

interface Packed {
  size: number;
  unpackedSize: number;
  entryCount: number;
  files: Array<{ path: string; size: number }>;
}

let packed: Packed;
let files: Set<string>;

before(() => {
  requireBuild('dist/cdn/presence-elements.js');
  // --dry-run lists the files without writing the tarball; offline, as packing needs nothing from the registry.
  const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--offline', '--ignore-scripts'], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  packed = (JSON.parse(out) as Packed[])[0]!;
  files = new Set(packed.files.map((f) => f.path));
  const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
  console.log(
    `npm pack: ${packed.entryCount} files, ${kb(packed.unpackedSize)} unpacked, ${kb(packed.size)} packed ` +
      `(source maps ${kb(packed.files.filter((f) => f.path.endsWith('.map')).reduce((n, f) => n + f.size, 0))})`,
  );
});

const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const listFiles = (dir: string): string[] =>
  readdirSync(join(root, dir), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? listFiles(`${dir}/${e.name}`) : [`${dir}/${e.name}`],
  );

test('the documents, the manifest and the IDE data ship', () => {
  for (const file of [
    'package.json',
    'README.md',
    'LICENSE',
    'CHANGELOG.md',
    'custom-elements.json',
    'web-types.json',
    'vscode.html-custom-data.json',
  ]) {
    assert.ok(files.has(file), file);
  }
});

test('every file of dist/ ships: modules, declarations, the script-tag bundle and its chunks, source maps', () => {
  const built = listFiles('dist').filter((f) => !f.endsWith('.tsbuildinfo'));
  assert.deepEqual(
    built.filter((f) => !files.has(f)),
    [],
  );
  for (const file of [
    'dist/index.js',
    'dist/index.d.ts',
    'dist/define.js',
    'dist/cdn/presence-elements.js',
    'dist/cdn/presence-elements.d.ts',
    'dist/cdn/redirect-bridge.js',
    'dist/cdn/redirect.html',
  ]) {
    assert.ok(files.has(file), file);
  }
  assert.ok(
    [...files].some((f) => /^dist\/cdn\/chunks\/.+\.js$/.test(f)),
    'the bundle’s chunks',
  );
});

test('every path package.json and the manifest name is in the package', () => {
  const named: string[] = [pkg.main, pkg.types, pkg.unpkg, pkg.jsdelivr, pkg['web-types'], pkg.customElements];
  const targets = (value: unknown): string[] =>
    typeof value === 'string' ? [value] : Object.values(value as object).flatMap(targets);
  named.push(...targets(pkg.exports));
  const missing = named.map((p) => p.replace(/^\.\//, '')).filter((p) => !files.has(p));
  assert.deepEqual(missing, []);
  const manifest = JSON.parse(readFileSync(join(root, 'custom-elements.json'), 'utf8'));
  const modules = (manifest.modules as Array<{ path: string }>).map((m) => m.path);
  assert.deepEqual(
    modules.filter((p) => !files.has(p)),
    [],
  );
  assert.deepEqual(
    modules.filter((p) => !files.has(p.replace(/\.js$/, '.d.ts'))),
    [],
    'each documented module has its declarations',
  );
  assert.ok(modules.every((p) => sourcePath(p) !== p));
});

test('every file that names a source map ships with it', () => {
  const withMap = packed.files.filter((f) => /\.(js|d\.ts)$/.test(f.path)).map((f) => f.path);
  const dangling = withMap.filter((f) => {
    const match = /\/\/# sourceMappingURL=(\S+)\s*$/.exec(readFileSync(join(root, f), 'utf8'));
    return match && !files.has(join(f, '..', match[1]!));
  });
  assert.deepEqual(dangling, []);
});

test('nothing of the repository’s own ships: tests, stories, emulator, relay, sources, build leftovers', () => {
  const unwanted = [...files].filter(
    (f) =>
      /^(test|tests|stories|emulator|relay|common|src|scripts|demo|bench|docs|tmp|node_modules)\//.test(f) ||
      /^\.|\/\./.test(f) ||
      (/\.ts$/.test(f) && !/\.d\.ts$/.test(f)) ||
      /\.tsbuildinfo$|\.tgz$|\.log$/.test(f) ||
      /\.(test|spec|stories)\./.test(f),
  );
  assert.deepEqual(unwanted, []);
  // Only what `files` allows, plus what npm always adds.
  const roots = new Set([...files].map((f) => f.split('/')[0]));
  assert.deepEqual([...roots].sort(), [
    'CHANGELOG.md',
    'LICENSE',
    'README.md',
    'custom-elements.json',
    'dist',
    'package.json',
    'vscode.html-custom-data.json',
    'web-types.json',
  ]);
});

test('the shipped declarations import only packages the package depends on', () => {
  // A strict installer (pnpm) gives a package only its own dependencies: a type taken from a dependency's
  // dependency (lit-html, through lit) would not resolve for a user type-checking with skipLibCheck off.
  // The package itself (its subpaths), its dependencies and peers, and Vue, which only `presence-elements/vue`'s
  // declarations name, for Vue projects.
  const allowed = new Set([
    pkg.name,
    ...Object.keys(pkg.dependencies ?? {}),
    ...Object.keys(pkg.peerDependencies ?? {}),
    'vue',
  ]);
  const packageOf = (specifier: string) =>
    specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0]!;
  const strays = new Set<string>();
  for (const f of [...files].filter((f) => f.endsWith('.d.ts'))) {
    const text = readFileSync(join(root, f), 'utf8');
    for (const match of text.matchAll(/(?:from\s+|import\()\s*["']([^"'.][^"']*)["']/g)) {
      const name = packageOf(match[1]!);
      if (!allowed.has(name)) strays.add(`${f}: ${match[1]}`);
    }
  }
  assert.deepEqual([...strays], []);
});
