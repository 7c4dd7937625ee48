// Writes the IDE data from custom-elements.json, so HTML editors complete the tags, their attributes and the
// attributes' values, and show their documentation:
// - vscode.html-custom-data.json, VS Code's HTML custom data (the `html.customData` setting):
//   https://github.com/microsoft/vscode-html-languageservice/blob/main/docs/customData.md
// - web-types.json, JetBrains Web Types (found through package.json's `web-types` field):
//   https://plugins.jetbrains.com/docs/intellij/websymbols-web-types.html, schema https://json.schemastore.org/web-types
// `--check` exits 1 when a file is out of date instead of writing it.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { stringLiteral, unionMembers } from './manifest/expanded-types.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
export const VSCODE_FILE = 'vscode.html-custom-data.json';
export const WEB_TYPES_FILE = 'web-types.json';

/** Every custom element of the manifest with its tag, sorted by tag. */
export function elementsOf(manifest) {
  return manifest.modules
    .flatMap((m) => (m.declarations ?? []).map((declaration) => ({ module: m.path, declaration })))
    .filter(({ declaration }) => declaration.customElement && declaration.tagName)
    .sort((a, b) => a.declaration.tagName.localeCompare(b.declaration.tagName));
}

const NOTHING = new Set(['null', 'undefined']);

/**
 * What an attribute's value can be, from its type (`expandedType` when the manifest spells a named union out):
 * `values`, the string literals; `open`, whether other text is accepted too (`string`, `(string & {})`, a number,
 * an object given as JSON); `flag`, whether the attribute also works with no value (`boolean` in the type).
 */
export function attributeValues(attribute, field) {
  const text = attribute.expandedType?.text ?? attribute.type?.text ?? field?.expandedType?.text ?? field?.type?.text;
  const members = text ? unionMembers(text).filter((m) => !NOTHING.has(m)) : ['string'];
  const values = members.map(stringLiteral).filter((v) => v !== undefined);
  const flag = members.includes('boolean');
  const open = members.some((m) => stringLiteral(m) === undefined && m !== 'boolean');
  const number = members.length > 0 && members.every((m) => m === 'number');
  return { values, open, flag, number, text };
}

const summaryOf = (declaration) =>
  [declaration.summary, declaration.description]
    .filter(Boolean)
    .join('\n\n')
    .replace(/\s*\n\s*/g, ' ');

const oneLine = (text) => String(text ?? '').replace(/\s*\n\s*/g, ' ');

/** The Markdown shown when hovering a tag: what it is, then its events, slots, parts and custom properties. */
function elementMarkdown(declaration) {
  const lines = [summaryOf(declaration)];
  const list = (title, items, name = (x) => x.name) => {
    if (!items?.length) return;
    lines.push('', `**${title}**`, '');
    for (const item of items) {
      const label = name(item) ? `\`${name(item)}\`` : '(default)';
      lines.push(`- ${label}${item.description ? `: ${oneLine(item.description)}` : ''}`);
    }
  };
  list('Events', declaration.events);
  list('Slots', declaration.slots);
  list('CSS parts', declaration.cssParts);
  list('CSS custom properties', declaration.cssProperties);
  return lines.join('\n');
}

function fieldsOf(declaration) {
  return new Map((declaration.members ?? []).map((m) => [m.name, m]));
}

function attributeDescription(attribute, field) {
  const text = oneLine(attribute.description ?? field?.description);
  const fallback = attributeDefault(attribute.default ?? field?.default);
  return fallback !== undefined ? `${text}\n\nDefault: \`${fallback}\`` : text;
}

/** VS Code's HTML custom data (version 1.1). */
export function vscodeCustomData(manifest) {
  return {
    $schema: 'https://raw.githubusercontent.com/microsoft/vscode-html-languageservice/main/docs/customData.schema.json',
    version: 1.1,
    tags: elementsOf(manifest).map(({ declaration }) => {
      const fields = fieldsOf(declaration);
      return {
        name: declaration.tagName,
        description: { kind: 'markdown', value: elementMarkdown(declaration) },
        attributes: (declaration.attributes ?? []).map((attribute) => {
          const field = fields.get(attribute.fieldName);
          const { values, flag, open } = attributeValues(attribute, field);
          const entry = {
            name: attribute.name,
            description: { kind: 'markdown', value: attributeDescription(attribute, field) },
          };
          if (values.length) entry.values = values.map((name) => ({ name }));
          // "v" is VS Code's value set of attributes written without a value (like `hidden`).
          else if (flag && !open) entry.valueSet = 'v';
          return entry;
        }),
      };
    }),
  };
}

/** A default as an HTML author writes it: `'circular'` is `circular`; `null` and `false` say nothing. */
function attributeDefault(text) {
  if (text === undefined || text === 'null' || text === 'false' || text === "''") return undefined;
  return stringLiteral(text) ?? text;
}

/** The `value` (and `values`) of a Web Types attribute. */
function webTypesValue(attribute, field) {
  const { values, open, flag, number, text } = attributeValues(attribute, field);
  const fallback = attributeDefault(attribute.default ?? field?.default);
  let value;
  if (flag && !open && values.length === 0) {
    // Written without a value (`<presence-avatar show-name>`).
    value = { kind: 'no-value' };
  } else if (values.length && !open) {
    // A closed list: the value is one of `values`.
    value = { kind: 'plain', type: 'enum', required: !flag };
  } else if (number) {
    value = { kind: 'plain', type: 'number', required: true };
  } else if (values.length) {
    // Named values or any other text (`size="48"`): the literals, then the rest, as the property's type says.
    const members = unionMembers(text).filter((m) => !NOTHING.has(m) && m !== 'boolean');
    value = { kind: 'plain', type: members.join(' | '), required: !flag };
  } else {
    value = { kind: 'plain', type: 'string', required: !flag };
  }
  if (fallback !== undefined) value.default = fallback;
  return { value, values: values.length ? values.map((name) => ({ name })) : undefined };
}

/** JetBrains Web Types (version 2 of the format). */
export function webTypes(manifest, pkg) {
  const exported = new Set(
    (manifest.modules.find((m) => m.path === 'dist/index.js')?.exports ?? []).map((e) => e.name),
  );
  return {
    $schema: 'https://json.schemastore.org/web-types',
    name: pkg.name,
    version: pkg.version,
    'js-types-syntax': 'typescript',
    'description-markup': 'markdown',
    contributions: {
      html: {
        elements: elementsOf(manifest).map(({ declaration }) => {
          const fields = fieldsOf(declaration);
          const attributes = new Set((declaration.attributes ?? []).map((a) => a.fieldName));
          const element = {
            name: declaration.tagName,
            description: summaryOf(declaration),
          };
          if (exported.has(declaration.name)) element.source = { module: pkg.name, symbol: declaration.name };
          element.attributes = (declaration.attributes ?? []).map((attribute) => {
            const field = fields.get(attribute.fieldName);
            const { value, values } = webTypesValue(attribute, field);
            const entry = { name: attribute.name, description: oneLine(attribute.description ?? field?.description) };
            entry.value = value;
            if (values) entry.values = values;
            return entry;
          });
          if (declaration.slots?.length) {
            element.slots = declaration.slots.map((s) => ({ name: s.name, description: oneLine(s.description) }));
          }
          const properties = (declaration.members ?? [])
            .filter((m) => m.kind === 'field' && !m.static && (m.privacy ?? 'public') === 'public')
            .map((m) => {
              const property = { name: m.name, description: oneLine(m.description) };
              const type = m.expandedType?.text ?? m.type?.text;
              if (type) property.type = type;
              if (m.readonly) property['read-only'] = true;
              if (!attributes.has(m.name) && !m.description) delete property.description;
              return property;
            });
          element.js = {
            properties,
            events: (declaration.events ?? []).map((e) => ({
              name: e.name,
              description: oneLine(e.description),
              ...(e.type?.text ? { type: e.type.text } : {}),
            })),
          };
          const css = {};
          if (declaration.cssProperties?.length) {
            css.properties = declaration.cssProperties.map((p) => ({
              name: p.name,
              description: p.default
                ? `${oneLine(p.description)}\n\nDefault: \`${p.default}\``
                : oneLine(p.description),
            }));
          }
          if (declaration.cssParts?.length) {
            css.parts = declaration.cssParts.map((p) => ({ name: p.name, description: oneLine(p.description) }));
          }
          if (Object.keys(css).length) element.css = css;
          return element;
        }),
      },
    },
  };
}

const json = (value) => `${JSON.stringify(value, null, 2)}\n`;

/** The files' text, by name. */
export function ideFiles(manifest, pkg) {
  return { [VSCODE_FILE]: json(vscodeCustomData(manifest)), [WEB_TYPES_FILE]: json(webTypes(manifest, pkg)) };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const manifest = JSON.parse(readFileSync(`${root}/custom-elements.json`, 'utf8'));
  const pkg = JSON.parse(readFileSync(`${root}/package.json`, 'utf8'));
  let stale = false;
  for (const [name, text] of Object.entries(ideFiles(manifest, pkg))) {
    let current = '';
    try {
      current = readFileSync(`${root}/${name}`, 'utf8');
    } catch {
      // not written yet
    }
    if (current === text) continue;
    if (process.argv.includes('--check')) {
      console.error(`${name} is out of date: run \`npm run analyze\`.`);
      stale = true;
    } else {
      writeFileSync(`${root}/${name}`, text);
      console.log(`${name} written from custom-elements.json`);
    }
  }
  if (stale) process.exit(1);
}
