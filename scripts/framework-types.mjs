// Writes the framework bindings from custom-elements.json, so they can never disagree with the elements:
// - dist/jsx-props.d.ts: each tag's props as plain interfaces, for any JSX (React 19, Preact, Solid) or Svelte 5;
// - dist/jsx.d.ts: those props added to React's JSX intrinsic elements;
// - dist/vue.d.ts: the tags as Vue global components, props and events typed;
// - src/react/index.ts: one @lit/react component per element, compiled by tsc like the rest of src/.
// Each .d.ts has an empty .js beside it, so that a resolver asked for the entry at run time finds a module.
// Property types are never copied from the manifest's text: the files name the element classes' own members
// (`PresenceAvatar['userId']`) and the event details of `PresenceEventMap`, so TypeScript keeps them true.
// `--check` exits 1 when src/react/index.ts is out of date instead of writing anything.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as prettier from 'prettier';

const root = fileURLToPath(new URL('..', import.meta.url));
const REACT_SOURCE = 'src/react/index.ts';
const HEADER =
  '// Generated from custom-elements.json by scripts/framework-types.mjs (`npm run analyze`): do not edit.';

/** `presence-change` -> `PresenceChange`. */
const pascal = (name) => name.replace(/(^|-)([a-z])/g, (_, __, c) => c.toUpperCase());
/** A JSDoc block of `text`, wrapped to the project's line width. */
function doc(text, indent = '') {
  const words = String(text ?? '')
    .replace(/\*\//g, '*\\/')
    .split(/\s+/)
    .filter(Boolean);
  if (words.length === 0) return '';
  const oneLine = `${indent}/** ${words.join(' ')} */`;
  if (oneLine.length <= 120) return oneLine;
  const lines = [];
  let line = '';
  for (const word of words) {
    if (line && indent.length + 3 + line.length + 1 + word.length > 116) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  lines.push(line);
  return [`${indent}/**`, ...lines.map((l) => `${indent} * ${l}`), `${indent} */`].join('\n');
}

/** The custom elements of the manifest, sorted by tag, with what the bindings need of each. */
export function elementsOf(manifest) {
  return manifest.modules
    .flatMap((m) => m.declarations ?? [])
    .filter((d) => d.customElement && d.tagName)
    .sort((a, b) => a.tagName.localeCompare(b.tagName))
    .map((d) => {
      const settable = (d.members ?? []).filter(
        (m) =>
          m.kind === 'field' &&
          !m.static &&
          !m.readonly &&
          (m.privacy ?? 'public') === 'public' &&
          !/^[_#]/.test(m.name),
      );
      const fields = new Set(settable.map((m) => m.name));
      return {
        className: d.name,
        tagName: d.tagName,
        summary: d.summary ?? d.description,
        properties: settable.map((m) => ({ name: m.name, description: m.description })),
        // Attributes spelled differently from their property (`user-id` for `userId`); the others are the property.
        attributes: (d.attributes ?? [])
          .filter((a) => a.fieldName && fields.has(a.fieldName) && a.name !== a.fieldName)
          .map((a) => ({ name: a.name, fieldName: a.fieldName })),
        events: [...new Set((d.events ?? []).map((e) => e.name))].map((name) => ({
          name,
          description: d.events.find((e) => e.name === name)?.description,
        })),
      };
    });
}

const propsName = (el) => `${el.className}Props`;
const propertyUnion = (el) => el.properties.map((p) => `'${p.name}'`).join(' | ') || 'never';

/** Each tag's props for any JSX (React 19, Preact, Solid) or Svelte 5: no framework is imported. */
export function renderJsxProps(manifest) {
  const elements = elementsOf(manifest);
  const out = [
    HEADER,
    '//',
    "// Each tag's props: its properties, the attributes spelled differently (`user-id`) and an `on<event-name>`",
    '// listener per event it sends, the way React 19, Preact, Solid and Svelte 5 pass them to custom elements. No',
    "// framework is imported here: `presence-elements/jsx` adds these to React's JSX, docs/frameworks.md shows others.",
    `import type { ${[...elements.map((e) => e.className), 'PresenceEventMap'].sort().join(', ')} } from './index.js';`,
    '',
    '/** What an attribute can carry of a property: text, numbers, booleans (present or absent); objects need the property. */',
    'export type AttributeValue<T> = T extends boolean ? boolean : T extends number ? number : T extends string ? T : never;',
    '',
    '/** A listener of one of the events the elements send, typed by its name. */',
    'export type PresenceEventHandler<K extends keyof PresenceEventMap> = (event: CustomEvent<PresenceEventMap[K]>) => void;',
    '',
  ];
  for (const el of elements) {
    out.push(
      `/** \`<${el.tagName}>\`: its properties, its attributes and an \`on<event>\` listener per event it sends. */`,
      `export interface ${propsName(el)} extends Partial<Pick<${el.className}, ${propertyUnion(el)}>> {`,
    );
    for (const a of el.attributes) {
      out.push(
        `  /** The \`${a.fieldName}\` property as an attribute (what a server renders). */`,
        `  '${a.name}'?: AttributeValue<${el.className}['${a.fieldName}']>;`,
      );
    }
    for (const e of el.events) {
      out.push(doc(e.description, '  '), `  'on${e.name}'?: PresenceEventHandler<'${e.name}'>;`);
    }
    out.push('}', '');
  }
  out.push(
    '/** Every tag with its props. */',
    'export interface PresenceIntrinsicElements {',
    ...elements.map((el) => `  '${el.tagName}': ${propsName(el)};`),
    '}',
    '',
    '/** The element class of each tag (what a ref points at). */',
    'export interface PresenceElementClasses {',
    ...elements.map((el) => `  '${el.tagName}': ${el.className};`),
    '}',
  );
  return out.join('\n');
}

/** The tags in React's JSX (`React.JSX.IntrinsicElements`), for React 18 and 19 types. */
export function renderJsx() {
  return [
    HEADER,
    '//',
    '// The elements as React JSX intrinsic elements: `/// <reference types="presence-elements/jsx" />` (or `import type {}',
    "// from 'presence-elements/jsx'`) once in a project. React 19 sets properties and listens to `on<event-name>` props",
    '// on custom elements; React 18 does neither: use the wrappers of `presence-elements/react` there.',
    "import type { ClassAttributes, HTMLAttributes } from 'react';",
    "import type { PresenceElementClasses, PresenceIntrinsicElements } from './jsx-props.js';",
    '',
    "export type * from './jsx-props.js';",
    '',
    "/** React props of a tag: React's own (ref, key, className, style, children...) and the element's. */",
    'export type ReactElementProps<K extends keyof PresenceIntrinsicElements> = ClassAttributes<PresenceElementClasses[K]> &',
    '  Omit<HTMLAttributes<PresenceElementClasses[K]>, keyof PresenceIntrinsicElements[K]> &',
    '  PresenceIntrinsicElements[K];',
    '',
    'type ReactIntrinsicElements = { [K in keyof PresenceIntrinsicElements]: ReactElementProps<K> };',
    '',
    "declare module 'react' {",
    '  namespace JSX {',
    '    interface IntrinsicElements extends ReactIntrinsicElements {}',
    '  }',
    '}',
    '',
  ].join('\n');
}

export function renderVue(manifest) {
  const elements = elementsOf(manifest);
  const out = [
    HEADER,
    '//',
    "// The elements as Vue global components: importing this module (`import type {} from 'presence-elements/vue'`)",
    "// lets vue-tsc and Vue's language tools check their props and `@presence-*` listeners. Vue itself still needs",
    '// `compilerOptions.isCustomElement` to leave the tags to the browser: see docs/frameworks.md.',
    "import type { DefineComponent } from 'vue';",
    `import type { ${[...elements.map((e) => e.className), 'PresenceEventMap'].sort().join(', ')} } from './index.js';`,
    '',
    '/** A listener of one of the events the elements send, typed by its name. */',
    'export type PresenceEventListener<K extends keyof PresenceEventMap> = (event: CustomEvent<PresenceEventMap[K]>) => void;',
    '',
  ];
  for (const el of elements) {
    out.push(
      `/** \`<${el.tagName}>\` in a Vue template: its properties (bound by name or in kebab-case) and \`@event\` listeners. */`,
      `export interface ${el.className}VueProps extends Partial<Pick<${el.className}, ${propertyUnion(el)}>> {`,
    );
    for (const e of el.events) {
      out.push(doc(e.description, '  '), `  on${pascal(e.name)}?: PresenceEventListener<'${e.name}'>;`);
    }
    out.push('}', '');
  }
  out.push(
    "declare module 'vue' {",
    '  interface GlobalComponents {',
    ...elements.map((el) => `    '${el.tagName}': DefineComponent<${el.className}VueProps>;`),
    '  }',
    '}',
    '',
  );
  return out.join('\n');
}

export function renderReact(manifest) {
  const elements = elementsOf(manifest);
  const events = [...new Set(elements.flatMap((el) => el.events.map((e) => e.name)))].sort();
  const out = [
    // First, before any comment: React Server Components bundlers (Next.js) read the wrappers as client components,
    // which server components can render. https://react.dev/reference/rsc/use-client
    "'use client';",
    HEADER,
    '/**',
    ' * React components for every element, made with `@lit/react`: props are set as properties once the element is',
    ' * in the page (also after server-rendered HTML is hydrated, where React drops custom-element properties) and',
    " * `onPresenceChange`-style props listen to the element's events.",
    ' *',
    ' * Importing this module registers the tags in the browser (side effect, listed in package.json `sideEffects`);',
    ' * on a server with no `customElements` it registers nothing.',
    ' */',
    "import * as React from 'react';",
    "import { createComponent, type EventName } from '@lit/react';",
    `import { ${elements.map((el) => `${el.className} as ${el.className}Element`).join(', ')} } from '../index.js';`,
    "import type { PresenceEventMap } from '../events/index.js';",
    '',
    `type PresenceEventName<K extends keyof PresenceEventMap> = EventName<CustomEvent<PresenceEventMap[K]>>;`,
    '',
    "/** React props of a wrapper: React's own (ref, key, className, style, children...), the element's, its events. */",
    'type WrapperProps<E extends HTMLElement, P> = Omit<React.HTMLAttributes<E>, keyof P> & P & React.RefAttributes<E>;',
    '',
    '/** Listens to one event: `(event: CustomEvent<detail>) => void`. */',
    'type Listener<K extends keyof PresenceEventMap> = (event: CustomEvent<PresenceEventMap[K]>) => void;',
    '',
    ...events.map(
      (name) =>
        `const ${pascal(name).replace(/^./, (c) => c.toLowerCase())} = '${name}' as PresenceEventName<'${name}'>;`,
    ),
    '',
    'const elements: Array<[string, CustomElementConstructor]> = [',
    ...elements.map((el) => `  ['${el.tagName}', ${el.className}Element],`),
    '];',
    "if (typeof customElements !== 'undefined') {",
    '  for (const [tag, element] of elements) if (!customElements.get(tag)) customElements.define(tag, element);',
    '}',
  ];
  for (const el of elements) {
    const base = `Partial<Pick<${el.className}Element, ${propertyUnion(el)}>>`;
    const listeners = el.events.map((e) => `on${pascal(e.name)}?: Listener<'${e.name}'>`);
    out.push(
      '',
      `/** Props of {@link ${el.className}}: the element's properties and a listener per event it sends. */`,
      `export type ${el.className}Props = ${base}${listeners.length ? ` & { ${listeners.join('; ')} }` : ''};`,
      '',
      doc(`\`<${el.tagName}>\` as a React component. ${el.summary ?? ''}`),
      `export const ${el.className}: React.ForwardRefExoticComponent<WrapperProps<${el.className}Element, ${el.className}Props>> =`,
      '  createComponent({',
      '    react: React,',
      `    tagName: '${el.tagName}',`,
      `    elementClass: ${el.className}Element,`,
      `    displayName: '${el.className}',`,
      `    events: { ${el.events.map((e) => `on${pascal(e.name)}: ${pascal(e.name).replace(/^./, (c) => c.toLowerCase())}`).join(', ')} },`,
      '  });',
    );
  }
  return out.join('\n');
}

/** Formats a generated file the way the project's own files are (Prettier, with the project's settings). */
export async function format(text, path) {
  const options = (await prettier.resolveConfig(join(root, path))) ?? {};
  return prettier.format(text, { ...options, filepath: join(root, path) });
}

async function main() {
  const manifest = JSON.parse(readFileSync(join(root, 'custom-elements.json'), 'utf8'));
  const reactPath = join(root, REACT_SOURCE);
  const react = await format(renderReact(manifest), REACT_SOURCE);
  if (process.argv.includes('--check')) {
    let current = '';
    try {
      current = readFileSync(reactPath, 'utf8');
    } catch {}
    if (current !== react) {
      console.error(`${REACT_SOURCE} is stale: run \`npm run analyze\` and commit it.`);
      process.exit(1);
    }
    return;
  }
  // A file whose text is the same is left as it is: rewritten, src/react/index.ts would look newer than the bundle
  // built before it, and `npm start` would build again each time.
  const write = (path, text) => {
    if (existsSync(path) && readFileSync(path, 'utf8') === text) return;
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
  };
  write(reactPath, react);
  write(join(root, 'dist/jsx-props.d.ts'), await format(renderJsxProps(manifest), 'dist/jsx-props.d.ts'));
  write(join(root, 'dist/jsx.d.ts'), await format(renderJsx(), 'dist/jsx.d.ts'));
  write(join(root, 'dist/vue.d.ts'), await format(renderVue(manifest), 'dist/vue.d.ts'));
  // Runtime stand-ins, so that a bundler or Node given `presence-elements/jsx` finds a module (an empty one).
  write(join(root, 'dist/jsx-props.js'), '// Types only: see jsx-props.d.ts.\nexport {};\n');
  write(join(root, 'dist/jsx.js'), '// Types only: see jsx.d.ts.\nexport {};\n');
  write(join(root, 'dist/vue.js'), '// Types only: see vue.d.ts.\nexport {};\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
