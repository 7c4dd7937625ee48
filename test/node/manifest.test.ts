import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
// @ts-expect-error: a plain ES module script without declarations
import { updatedReadme } from '../../scripts/api-docs.mjs';
// @ts-expect-error: a plain ES module script without declarations
import { sourcePath } from '../../scripts/manifest/shipped-paths.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const committed = JSON.parse(readFileSync(join(root, 'custom-elements.json'), 'utf8'));

interface Declaration {
  name: string;
  tagName?: string;
  members?: Array<{ name: string; privacy?: string }>;
  customElement?: boolean;
  attributes?: Array<{ name: string }>;
  events?: Array<{ name: string }>;
  cssParts?: Array<{ name: string }>;
  cssProperties?: Array<{ name: string }>;
}
interface Export {
  kind: string;
  name: string;
  declaration: { name: string; module?: string };
}
const modules = committed.modules as Array<{ path: string; declarations?: Declaration[]; exports?: Export[] }>;
const elements = modules.flatMap((m) => m.declarations ?? []).filter((d) => d.customElement);

test('custom-elements.json is the one the analyzer makes from the current source', () => {
  // The analyzer writes below its working directory; a scratch folder under node_modules stays out of git.
  mkdirSync(join(root, 'node_modules/.cache'), { recursive: true });
  const out = mkdtempSync(join(root, 'node_modules/.cache/cem-'));
  try {
    execFileSync(
      process.execPath,
      [
        join(root, 'node_modules/@custom-elements-manifest/analyzer/cem.js'),
        'analyze',
        '--outdir',
        relative(root, out),
      ],
      { cwd: root, stdio: 'pipe' },
    );
    const fresh = JSON.parse(readFileSync(join(out, 'custom-elements.json'), 'utf8'));
    assert.deepEqual(fresh, committed, 'custom-elements.json is stale: run `npm run analyze` and commit it');
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

test('README API tables match custom-elements.json', () => {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  assert.equal(updatedReadme(readme, committed), readme, 'README.md is stale: run `npm run analyze`');
});

test('the manifest documents both elements with their attributes, events, parts and custom properties', () => {
  const avatar = elements.find((d) => d.tagName === 'presence-avatar');
  const badge = elements.find((d) => d.tagName === 'presence-badge');
  assert.ok(avatar && badge, 'both tags are in the manifest');
  const names = (list?: Array<{ name: string }>) => (list ?? []).map((x) => x.name).sort();
  assert.deepEqual(names(avatar.attributes), [
    'card',
    'display-name',
    'hide-badge',
    'notify-when-available',
    'photo-url',
    'presence',
    'shape',
    'show-name',
    'show-status',
    'size',
    'user-id',
  ]);
  assert.deepEqual(names(avatar.cssParts), [
    'avatar',
    'badge',
    'base',
    'bell',
    'image',
    'initials',
    'message',
    'name',
    'status',
  ]);
  assert.deepEqual(names(avatar.events), ['presence-available', 'presence-change', 'presence-error']);
  const provider = elements.find((d) => d.tagName === 'presence-provider');
  assert.ok(provider, 'presence-provider is in the manifest');
  assert.ok(names(provider.attributes).includes('client-id') && names(provider.attributes).includes('demo'));
  for (const status of ['available', 'busy', 'do-not-disturb', 'away', 'offline', 'out-of-office', 'unknown']) {
    assert.ok(names(avatar.cssProperties).includes(`--presence-color-${status}`), status);
    assert.ok(names(badge.cssProperties).includes(`--presence-color-${status}`), status);
  }
  assert.deepEqual(names(badge.attributes), ['decorative', 'label', 'out-of-office', 'presence', 'size', 'status']);
});

test('package.json points tools at the manifest', () => {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  assert.equal(pkg.customElements, 'custom-elements.json');
  assert.ok(pkg.files.includes('custom-elements.json'));
});

test('the manifest lists public members only: nothing private, nothing named with an underscore or a #', () => {
  const leaks = modules.flatMap((m) =>
    (m.declarations ?? []).flatMap((d) =>
      (d.members ?? [])
        .filter((x) => x.privacy === 'private' || /^[_#]/.test(x.name))
        .map((x) => `${m.path} ${d.name}.${x.name}`),
    ),
  );
  assert.deepEqual(leaks, []);
  const list = elements.find((d) => d.tagName === 'team-presence-list');
  assert.ok(list, 'team-presence-list is in the manifest');
  assert.deepEqual((list.members ?? []).map((x) => x.name).sort(), [
    'card',
    'filter',
    'groupId',
    'noFilter',
    'reload',
    'teamId',
    'userIds',
  ]);
});

test('module paths are the files the package ships: dist/…/x.js for each src/…/x.ts, and so are references', () => {
  const wrong: string[] = [];
  for (const module of modules) {
    if (!/^dist\/.+\.js$/.test(module.path)) wrong.push(module.path);
    else if (!existsSync(join(root, sourcePath(module.path) as string))) wrong.push(`${module.path} (no source)`);
    JSON.stringify(module, (key, value: unknown) => {
      if (key === 'module' && typeof value === 'string' && !modules.some((m) => m.path === value)) {
        wrong.push(`${module.path} refers to ${value}`);
      }
      return value;
    });
  }
  assert.deepEqual(wrong, []);
});

test('importing dist/define.js defines every element: one custom-element-definition export per tag', () => {
  const define = modules.find((m) => m.path === 'dist/define.js');
  assert.ok(define, 'dist/define.js is in the manifest');
  const definitions = (define.exports ?? []).filter((e) => e.kind === 'custom-element-definition');
  const expected = modules
    .flatMap((m) => (m.declarations ?? []).map((d) => ({ m, d })))
    .filter(({ d }) => d.customElement && d.tagName)
    .map(({ m, d }) => `${d.tagName} ${d.name} ${m.path}`)
    .sort();
  assert.deepEqual(definitions.map((e) => `${e.name} ${e.declaration.name} ${e.declaration.module}`).sort(), expected);
  assert.ok(expected.includes('presence-avatar PresenceAvatar dist/elements/presence-avatar/presence-avatar.js'));
});

/** The custom properties a module's CSS reads (`var(--name`), its own and those of the style modules it imports. */
function customPropertiesUsed(file: string, seen = new Set<string>()): Set<string> {
  const used = new Set<string>();
  if (seen.has(file)) return used;
  seen.add(file);
  const source = readFileSync(file, 'utf8');
  for (const [, name] of source.matchAll(/var\(\s*(--[\w-]+)/g)) used.add(name!);
  for (const [, path] of source.matchAll(/from '(\.{1,2}\/[^']+\.styles)\.js'/g)) {
    for (const name of customPropertiesUsed(join(dirname(file), `${path}.ts`), seen)) used.add(name);
  }
  return used;
}

// <presence-sign-in> keeps its CSS in its class file; its two properties are documented in a change of its own.
for (const module of modules) {
  for (const element of (module.declarations ?? []).filter((d) => d.customElement && d.tagName)) {
    test(`every public custom property <${element.tagName}> reads is documented with @cssproperty`, () => {
      // Names starting with --_ are the element's own (set on its parts, not for pages to style).
      const used = [...customPropertiesUsed(join(root, sourcePath(module.path) as string))]
        .filter((name) => !name.startsWith('--_'))
        .sort();
      const documented = new Set((element.cssProperties ?? []).map((p) => p.name));
      assert.deepEqual(
        used.filter((name) => !documented.has(name)),
        [],
        `add @cssproperty lines to ${sourcePath(module.path)}`,
      );
    });
  }
}
