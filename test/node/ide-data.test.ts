// The IDE data shipped in the package: VS Code's HTML custom data and JetBrains Web Types, both made from
// custom-elements.json. An editor completes what these files list, so every tag, attribute and value must be there.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
// @ts-expect-error: a plain ES module script without declarations
import { elementsOf, ideFiles } from '../../scripts/ide-data.mjs';
import { root } from './support.js';

interface Named {
  name: string;
}
interface Typed extends Named {
  type?: { text: string };
  expandedType?: { text: string };
}
interface ManifestAttribute extends Typed {
  fieldName?: string;
}
interface ManifestElement extends Named {
  tagName: string;
  attributes?: ManifestAttribute[];
  members?: Typed[];
  events?: Named[];
  slots?: Named[];
  cssParts?: Named[];
  cssProperties?: Named[];
}
interface VsCodeAttribute extends Named {
  values?: Named[];
  valueSet?: string;
}
interface WebTypesAttribute extends Named {
  value: { kind?: string; type?: string };
  values?: Named[];
}
interface WebTypesElement extends Named {
  attributes: WebTypesAttribute[];
  slots?: Named[];
  js: { properties: Named[]; events: Named[] };
  css?: { properties?: Named[]; parts?: Named[] };
}

const read = (file: string) => JSON.parse(readFileSync(join(root, file), 'utf8'));
const manifest = read('custom-elements.json');
const pkg = read('package.json');
const vscode = read('vscode.html-custom-data.json') as { tags: Array<Named & { attributes: VsCodeAttribute[] }> };
const webTypes = read('web-types.json') as { name: string; contributions: { html: { elements: WebTypesElement[] } } };
const elements = (elementsOf(manifest) as Array<{ declaration: ManifestElement }>).map((e) => e.declaration);
const names = (list?: Named[]) => (list ?? []).map((x) => x.name).sort();

/** The string literals of an attribute's type in the manifest (its expanded type where there is one). */
function manifestValues(element: ManifestElement, attribute: ManifestAttribute): string[] {
  const field = element.members?.find((m) => m.name === attribute.fieldName);
  const text = [attribute, field].map((x) => x?.expandedType?.text ?? x?.type?.text).find(Boolean) ?? '';
  return [...text.matchAll(/'([^']*)'/g)].map((m) => m[1]!).sort();
}

test('both files are the ones scripts/ide-data.mjs makes from the current custom-elements.json', () => {
  const fresh = ideFiles(manifest, pkg) as Record<string, string>;
  for (const [file, text] of Object.entries(fresh)) {
    assert.equal(readFileSync(join(root, file), 'utf8'), text, `${file} is stale: run \`npm run analyze\``);
  }
});

test('VS Code custom data lists every element and every attribute, with the manifest’s values', () => {
  assert.deepEqual(names(vscode.tags), elements.map((e) => e.tagName).sort());
  for (const element of elements) {
    const tag = vscode.tags.find((t) => t.name === element.tagName)!;
    assert.deepEqual(names(tag.attributes), names(element.attributes), element.tagName);
    for (const attribute of element.attributes ?? []) {
      const entry = tag.attributes.find((a) => a.name === attribute.name)!;
      assert.deepEqual(names(entry.values), manifestValues(element, attribute), `${element.tagName} ${attribute.name}`);
    }
  }
});

test('Web Types list every element and attribute, with the manifest’s values, events, slots, parts and properties', () => {
  assert.equal(webTypes.name, pkg.name);
  const list = webTypes.contributions.html.elements;
  assert.deepEqual(names(list), elements.map((e) => e.tagName).sort());
  for (const element of elements) {
    const entry = list.find((e) => e.name === element.tagName)!;
    assert.deepEqual(names(entry.attributes), names(element.attributes), element.tagName);
    for (const attribute of element.attributes ?? []) {
      const written = entry.attributes.find((a) => a.name === attribute.name)!;
      assert.deepEqual(
        names(written.values),
        manifestValues(element, attribute),
        `${element.tagName} ${attribute.name}`,
      );
    }
    assert.deepEqual(names(entry.js.events), names(element.events), `${element.tagName} events`);
    assert.deepEqual(names(entry.slots), names(element.slots), `${element.tagName} slots`);
    assert.deepEqual(names(entry.css?.parts), names(element.cssParts), `${element.tagName} parts`);
    assert.deepEqual(
      names(entry.css?.properties),
      names(element.cssProperties),
      `${element.tagName} custom properties`,
    );
  }
});

test('the values an author is offered: sizes, shapes, statuses, reset times, transports and the hover card', () => {
  const vscodeValues = (tag: string, attribute: string) =>
    vscode.tags
      .find((t) => t.name === tag)!
      .attributes.find((a) => a.name === attribute)!
      .values?.map((v) => v.name);
  assert.deepEqual(vscodeValues('presence-avatar', 'size'), [
    'extra-small',
    'small',
    'medium',
    'large',
    'extra-large',
    'huge',
  ]);
  assert.deepEqual(vscodeValues('presence-badge', 'size'), [
    'tiny',
    'extra-small',
    'small',
    'medium',
    'large',
    'extra-large',
  ]);
  assert.deepEqual(vscodeValues('presence-avatar', 'shape'), ['circular', 'square']);
  assert.deepEqual(vscodeValues('presence-avatar', 'card'), ['hover']);
  assert.deepEqual(vscodeValues('presence-badge', 'status'), [
    'available',
    'away',
    'busy',
    'do-not-disturb',
    'offline',
    'out-of-office',
    'unknown',
  ]);
  assert.deepEqual(vscodeValues('presence-status-picker', 'reset-after'), [
    'minutes30',
    'hour1',
    'hours2',
    'today',
    'thisWeek',
    'never',
  ]);
  assert.deepEqual(vscodeValues('presence-provider', 'transport'), ['polling', 'signalr', 'demo']);

  const attribute = (tag: string, name: string) =>
    webTypes.contributions.html.elements.find((e) => e.name === tag)!.attributes.find((a) => a.name === name)!;
  // A closed list is an enum; sizes also take any CSS length, so they stay open; flags take no value.
  assert.equal(attribute('presence-avatar', 'shape').value.type, 'enum');
  assert.notEqual(attribute('presence-avatar', 'size').value.type, 'enum');
  assert.equal(attribute('presence-avatar', 'show-name').value.kind, 'no-value');
  assert.equal(attribute('presence-provider', 'interval').value.type, 'number');
});

test('package.json ships both files and points JetBrains IDEs at the Web Types', () => {
  assert.equal(pkg['web-types'], './web-types.json');
  for (const file of ['web-types.json', 'vscode.html-custom-data.json']) {
    assert.ok(pkg.files.includes(file), `${file} is in "files"`);
    assert.ok(existsSync(join(root, file)), file);
  }
});
