// Server-side rendering: importing the package in Node must not touch window or document, nor register elements.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { requireBuild, root } from './support.js';

test('importing the built package in Node works and registers nothing', async () => {
  requireBuild();
  const globalsBefore = new Set(Object.getOwnPropertyNames(globalThis));
  const registryBefore = (globalThis as { customElements?: unknown }).customElements;
  const mod = await import(join(root, 'dist/index.js'));
  assert.equal(typeof mod.PresenceAvatar, 'function');
  assert.equal(typeof mod.PresenceBadge, 'function');
  assert.equal(typeof mod.normalizePresence, 'function');
  assert.equal('document' in globalThis, false, 'document was created by the import');
  assert.equal('window' in globalThis, false, 'window was created by the import');
  // Lit's Node build (export condition "node") adds its own bookkeeping and, when there is none, a shim registry
  // (@lit-labs/ssr-dom-shim). Nothing else may appear, and nothing may be registered in that registry.
  const added = Object.getOwnPropertyNames(globalThis).filter((name) => !globalsBefore.has(name));
  const lits = new Set([
    'customElements',
    'litServerRoot',
    'litPropertyMetadata',
    'reactiveElementVersions',
    'litHtmlVersions',
    'litElementVersions',
  ]);
  assert.deepEqual(
    added.filter((name) => !lits.has(name)),
    [],
    "globals other than Lit's own",
  );
  const registry = (globalThis as { customElements?: { get(name: string): unknown } }).customElements;
  if (registryBefore) assert.equal(registry, registryBefore, 'the registry was replaced');
  // Every tag the package has, as its manifest lists them: a new element cannot slip past this check.
  const manifest = JSON.parse(readFileSync(join(root, 'custom-elements.json'), 'utf8')) as {
    modules: { declarations?: { tagName?: string }[] }[];
  };
  const tags = manifest.modules.flatMap((module) => (module.declarations ?? []).flatMap((d) => d.tagName ?? []));
  assert.ok(tags.length >= 8, `the manifest lists ${tags.length} tags`);
  for (const tag of tags) {
    assert.equal(registry?.get(tag), undefined, `the index must not define <${tag}>`);
  }
  // The domain is usable on the server, for example to pre-compute labels.
  const presence = mod.normalizePresence({ availability: 'Busy', activity: 'InACall' });
  assert.equal(mod.accessibleName('Adele Vance', presence, mod.messagesFor('en')), 'Adele Vance, Busy, In a call');
  assert.equal(mod.normalizePresence({ availability: 'Lunch' }).availability, 'PresenceUnknown');
  assert.equal(mod.initialsOf('Vance, Adele'), 'AV');
});

test('every target of the exports map exists, with its types', () => {
  requireBuild();
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  for (const [entry, target] of Object.entries<Record<string, string> | string>(pkg.exports)) {
    const targets = typeof target === 'string' ? [target] : Object.values(target);
    for (const file of targets) assert.ok(existsSync(join(root, file)), `${entry} -> ${file} is missing`);
  }
  assert.equal(pkg.type, 'module');
  // The built-in locales register themselves (data only); the autoloader, the define modules and the React wrappers
  // define tags; the Lit elements' part of server rendering hooks itself in (server-render.js).
  assert.deepEqual(pkg.sideEffects, [
    './dist/define.js',
    './dist/auth/redirect-bridge.js',
    './dist/cdn/*.js',
    './dist/react/index.js',
    './dist/presence/index.js',
    './dist/presence/locales/all.js',
    './dist/autoloader.js',
    './dist/define/*.js',
    './dist/elements/shared/server-render.js',
  ]);
});

test('only the define entry registers elements', () => {
  requireBuild();
  const index = readFileSync(join(root, 'dist/index.js'), 'utf8');
  const define = readFileSync(join(root, 'dist/define.js'), 'utf8');
  assert.doesNotMatch(index, /\.define\(|defineElements/);
  assert.match(define, /registry\.define\(tag, element\)/);
  assert.match(define, /^defineElements\(\);$/m);
});
