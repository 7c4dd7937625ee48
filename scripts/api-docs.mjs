// Writes the API tables of README.md (between the api markers) from custom-elements.json, so the README can
// never disagree with the manifest. `--check` exits 1 when the README is out of date instead of writing it.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const START = '<!-- api:start (generated from custom-elements.json by scripts/api-docs.mjs) -->';
const END = '<!-- api:end -->';

const cell = (text) =>
  String(text ?? '')
    .replace(/\s+/g, ' ')
    .replace(/\|/g, '\\|')
    .trim();
const code = (text) => (text ? `\`${cell(text)}\`` : '');

function table(headers, rows) {
  if (rows.length === 0) return '';
  return [
    `| ${headers.join(' | ')} |`,
    `| ${headers.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n');
}

export function renderApi(manifest) {
  const elements = manifest.modules
    .flatMap((m) => m.declarations ?? [])
    .filter((d) => d.customElement && d.tagName)
    .sort((a, b) => a.tagName.localeCompare(b.tagName));
  const out = [];
  for (const el of elements) {
    out.push(`### \`<${el.tagName}>\``, '', cell(el.summary ?? el.description), '');
    const fields = new Map((el.members ?? []).map((m) => [m.name, m]));
    const attributes = (el.attributes ?? []).map((a) => {
      const field = fields.get(a.fieldName);
      return [
        code(a.name),
        code(a.fieldName),
        code(a.type?.text ?? field?.type?.text),
        code(a.default ?? field?.default),
        cell(a.description ?? field?.description),
      ];
    });
    if (attributes.length)
      out.push(
        '**Attributes and properties**',
        '',
        table(['Attribute', 'Property', 'Type', 'Default', 'Description'], attributes),
        '',
      );
    // Public members with no attribute: set or read from script only.
    const withAttribute = new Set((el.attributes ?? []).map((a) => a.fieldName));
    const isPublic = (m) =>
      !m.static &&
      m.privacy !== 'private' &&
      m.privacy !== 'protected' &&
      !m.name.startsWith('_') &&
      !m.name.startsWith('#');
    const propertyOnly = (el.members ?? [])
      .filter((m) => m.kind === 'field' && isPublic(m) && !withAttribute.has(m.name))
      .map((m) => [code(m.name), code(m.type?.text), m.readonly ? 'read only' : 'read and write', cell(m.description)]);
    if (propertyOnly.length)
      out.push(
        '**Properties without an attribute**',
        '',
        table(['Property', 'Type', 'Access', 'Description'], propertyOnly),
        '',
      );
    const methods = (el.members ?? [])
      .filter((m) => m.kind === 'method' && isPublic(m))
      .map((m) => [
        code(`${m.name}(${(m.parameters ?? []).map((p) => p.name).join(', ')})`),
        code(m.return?.type?.text),
        cell(m.description),
      ]);
    if (methods.length) out.push('**Methods**', '', table(['Method', 'Returns', 'Description'], methods), '');
    const slots = (el.slots ?? []).map((s) => [s.name ? code(s.name) : '(default)', cell(s.description)]);
    if (slots.length) out.push('**Slots**', '', table(['Slot', 'Description'], slots), '');
    const events = (el.events ?? []).map((e) => [code(e.name), code(e.type?.text), cell(e.description)]);
    if (events.length) out.push('**Events**', '', table(['Event', 'Type', 'Description'], events), '');
    const parts = (el.cssParts ?? []).map((p) => [code(p.name), cell(p.description)]);
    if (parts.length) out.push('**CSS parts**', '', table(['Part', 'Description'], parts), '');
    const props = (el.cssProperties ?? []).map((p) => [code(p.name), code(p.default), cell(p.description)]);
    if (props.length)
      out.push('**CSS custom properties**', '', table(['Property', 'Default', 'Description'], props), '');
  }
  return out.join('\n').trim();
}

export function updatedReadme(readme, manifest) {
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start < 0 || end < start) throw new Error(`README.md has no ${START} ... ${END} block`);
  return `${readme.slice(0, start + START.length)}\n\n${renderApi(manifest)}\n\n${readme.slice(end)}`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const manifest = JSON.parse(readFileSync(`${root}/custom-elements.json`, 'utf8'));
  const readme = readFileSync(`${root}/README.md`, 'utf8');
  const next = updatedReadme(readme, manifest);
  if (process.argv.includes('--check')) {
    if (next !== readme) {
      console.error('README.md API tables are out of date: run `npm run analyze`.');
      process.exit(1);
    }
  } else if (next !== readme) {
    writeFileSync(`${root}/README.md`, next);
    console.log('README.md API tables updated from custom-elements.json');
  }
}
