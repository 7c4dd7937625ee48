// The script-tag bundles, from what tsc compiled into dist/, with Lit bundled in, minified, split into chunks so that
// anything loaded with import() (MSAL, SignalR) arrives only when used.
// Three builds: the full bundle (dist/define.js: every element in one file), the autoloader with one chunk per
// element, and the redirect-bridge page's script on its own (see below).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, relative, resolve, sep } from 'node:path';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import { minifyCssTemplates } from './scripts/minify-css-templates.mjs';

/** Every tag, each with an entry of its own (`dist/define/<tag>.js` -> `dist/cdn/elements/<tag>.js`). */
const TAGS = [
  'presence-avatar',
  'presence-badge',
  'presence-provider',
  'presence-sign-in',
  'team-presence-list',
  'presence-status-picker',
  'presence-alerts',
  'presence-card',
];

/**
 * Writes what `npm run size` needs to add up what a page loads: each file's static and dynamic imports and the
 * modules in it. Kept out of the package (build/ is not published).
 */
function chunkGraph(fileName) {
  return {
    name: 'chunk-graph',
    generateBundle(_options, bundle) {
      const graph = {};
      for (const chunk of Object.values(bundle)) {
        if (chunk.type !== 'chunk') continue;
        graph[chunk.fileName] = {
          imports: chunk.imports,
          dynamicImports: chunk.dynamicImports,
          modules: Object.keys(chunk.modules).map((id) => relative(process.cwd(), id).replaceAll('\\', '/')),
        };
      }
      mkdirSync('build', { recursive: true });
      writeFileSync(`build/${fileName}`, `${JSON.stringify(graph, null, 2)}\n`);
    },
  };
}

/** The redirect-bridge page, next to its script: copy both to your site and register the page as the redirect URI. */
function redirectPage() {
  return {
    name: 'redirect-page',
    generateBundle() {
      this.emitFile({
        type: 'asset',
        fileName: 'redirect.html',
        source:
          '<!doctype html>\n<html lang="en">\n<head>\n  <meta charset="utf-8">\n  <title>Signing in…</title>\n  <script type="module" src="./redirect-bridge.js"></script>\n</head>\n<body>Signing in…</body>\n</html>\n',
      });
    },
  };
}

/**
 * A declaration file next to each entry (`presence-elements.d.ts`), re-exporting the types of the module it was built
 * from, so TypeScript types `import … from 'presence-elements/presence-elements.js'` as it types the module.
 */
function entryDeclarations() {
  return {
    name: 'entry-declarations',
    generateBundle(options, bundle) {
      for (const chunk of Object.values(bundle)) {
        if (chunk.type !== 'chunk' || !chunk.isEntry || !chunk.facadeModuleId) continue;
        if (!existsSync(chunk.facadeModuleId.replace(/\.js$/, '.d.ts'))) continue;
        const from = dirname(resolve(options.dir, chunk.fileName));
        const specifier = relative(from, chunk.facadeModuleId).split(sep).join('/');
        this.emitFile({
          type: 'asset',
          fileName: chunk.fileName.replace(/\.js$/, '.d.ts'),
          source: `export * from '${specifier.startsWith('.') ? specifier : `./${specifier}`}';\n`,
        });
      }
    },
  };
}

/**
 * Reads the source map tsc wrote next to each dist/ module, so the bundle's maps lead back to the TypeScript sources
 * (held in the maps, `inlineSources`) rather than to tsc's output.
 */
function tscSourceMaps() {
  const dist = resolve('dist') + sep;
  return {
    name: 'tsc-source-maps',
    load(id) {
      if (!id.startsWith(dist) || !existsSync(`${id}.map`)) return null;
      return { code: readFileSync(id, 'utf8'), map: readFileSync(`${id}.map`, 'utf8') };
    },
  };
}

// `production` keeps Lit's dev mode (and its console warnings) out of the bundle. A second compress pass folds what
// the first one inlined (a few dozen bytes gzipped per page); more passes, or the unsafe options, gain nothing more.
const plugins = () => [
  tscSourceMaps(),
  nodeResolve({ browser: true, exportConditions: ['browser', 'production', 'import', 'default'] }),
  minifyCssTemplates(),
  terser({ ecma: 2021, module: true, compress: { passes: 2 }, format: { comments: false } }),
  entryDeclarations(),
];

function onwarn(warning, warn) {
  if (warning.code === 'THIS_IS_UNDEFINED') return;
  // The full bundle registers every locale at once; the import() that loads one on demand then finds it there.
  if (
    warning.code === 'DYNAMIC_IMPORT_WILL_NOT_MOVE_MODULE' ||
    /dynamically imported by .* but also statically/.test(warning.message)
  )
    return;
  // @microsoft/signalr puts /*#__PURE__*/ before function declarations; Rollup drops the comment, nothing else.
  if (warning.code === 'INVALID_ANNOTATION' && warning.id?.includes('/node_modules/')) return;
  warn(warning);
}

// The heavy Microsoft libraries each get a chunk of their own, named, and loaded only when used.
function manualChunks(id) {
  if (id.includes('/@azure/msal-')) return 'msal';
  if (id.includes('/@microsoft/signalr/')) return 'signalr';
  return undefined;
}

/**
 * `core`: everything a page of avatars and badges runs (the two elements, the presence domain, English), in one
 * chunk: a dozen files of a few hundred bytes each would cost a request each and compress worse apart. Every other
 * element renders avatars or badges, so it loads `core` too. The autoloader defines the avatar and the badge from
 * `core` itself (one request after the autoloader, not two). `core` stays out of the autoloader's own file: the tags'
 * files import it, and a page that loads the autoloader through a redirect (unpkg answers a version range with one)
 * would have the browser run a second copy of the autoloader under the address it was served from.
 * Worked out from the module graph: what the two tags' entries import, statically (not the entries themselves:
 * loading an entry defines its tag, which must wait until the tag appears), Lit left out: the two elements reach
 * LitElement only through the server's branch of element-base.js, which the browser build drops, and Lit's element
 * classes and template engine are a chunk of their own (`lit`), loaded by the elements built on them.
 */
const CORE_ENTRIES = /\/dist\/define\/presence-(avatar|badge)\.js$/;
const LIT_PACKAGE = /\/node_modules\/(lit|lit-html|lit-element|@lit\/reactive-element)\//;
const LIT_ELEMENT =
  /\/node_modules\/(lit\/index|lit-element\/lit-element|lit-html\/lit-html|@lit\/reactive-element\/reactive-element)\.js$/;

/**
 * Lit's modules are taken for free of side effects unless something they export is used (Lit's package does not say
 * so itself): the elements built on our own base import Lit's index for `isServer` alone, and must not
 * bring LitElement along.
 */
const treeshake = {
  moduleSideEffects: (id) => !LIT_PACKAGE.test(id.replaceAll('\\', '/')),
};

function coreModules({ getModuleIds, getModuleInfo }) {
  const core = new Set();
  const visit = (id) => {
    if (core.has(id)) return;
    // Of Lit, only `isServer`: the rest is reached through the server's branch of element-base.js (see LIT_ELEMENT).
    if (LIT_PACKAGE.test(id.replaceAll('\\', '/')) && !id.endsWith('is-server.js')) return;
    core.add(id);
    for (const next of getModuleInfo(id)?.importedIds ?? []) visit(next);
  };
  const entries = [...getModuleIds()].filter((id) => CORE_ENTRIES.test(id.replaceAll('\\', '/')));
  for (const entry of entries) for (const next of getModuleInfo(entry)?.importedIds ?? []) visit(next);
  for (const entry of entries) core.delete(entry);
  return core;
}

/**
 * `live`: what the other elements share, to find their client and watch a person (the context protocol's consumer,
 * the page's default client, the client and person controllers, the clock), in one chunk that they all load, as does
 * an avatar the first time it has a person to watch. The directive that sets CSS properties is not in it: a live
 * avatar does not use it (the card and the Lit elements do). (No element uses Lit's decorators: each declares its
 * properties in `static properties`.)
 */
const LIVE = [
  /\/dist\/context\/(consume|protocol)\.js$/,
  /\/dist\/client\/(context|scheduler)\.js$/,
  /\/dist\/elements\/shared\/(client-controller|person-controller|own-state)\.js$/,
  /\/dist\/presence\/stale\.js$/,
];

let core;
function autoloadChunks(id, meta) {
  const heavy = manualChunks(id);
  if (heavy) return heavy;
  const path = id.replaceAll('\\', '/');
  // Loaded on demand by <presence-provider demo>.
  if (/\/dist\/sources\/demo(-writes)?\.js$/.test(path)) return 'demo';
  // Lit's element classes and template engine: a chunk of their own, which the Lit elements load.
  if (LIT_ELEMENT.test(path)) return 'lit';
  core ??= coreModules(meta);
  if (core.has(id)) return 'core';
  return LIVE.some((pattern) => pattern.test(path)) ? 'live' : undefined;
}

export default [
  {
    input: { 'presence-elements': 'dist/define.js' },
    output: {
      dir: 'dist/cdn',
      format: 'es',
      entryFileNames: '[name].js',
      chunkFileNames: 'chunks/[name]-[hash].js',
      manualChunks,
      // One file: the few small parts the autoloader's chunks load on first use (own presence, the waiting list,
      // members paging) are side-effect free and go back into it, rather than splitting it into a facade and a chunk.
      experimentalMinChunkSize: 20_000,
      sourcemap: true,
    },
    plugins: [...plugins(), chunkGraph('cdn-full.json')],
    treeshake,
    onwarn,
  },
  {
    // Pay for what you use: the autoloader defines each tag the first time it appears, from that tag's chunk (the
    // avatar and the badge from `core`).
    input: {
      autoloader: 'dist/autoloader.js',
      ...Object.fromEntries(TAGS.map((tag) => [`elements/${tag}`, `dist/define/${tag}.js`])),
    },
    output: {
      dir: 'dist/cdn',
      format: 'es',
      entryFileNames: '[name].js',
      // The relay's transport (transports/signalr.js) is not the SignalR library's chunk: named for what it is.
      // Our MSAL wrapper (auth/msal.js) is not MSAL's chunk either.
      chunkFileNames: (chunk) =>
        chunk.name === 'signalr' && chunk.moduleIds.some((id) => id.includes('/dist/transports/'))
          ? 'chunks/relay-transport-[hash].js'
          : chunk.name === 'msal' && chunk.moduleIds.some((id) => id.includes('/dist/auth/'))
            ? 'chunks/msal-provider-[hash].js'
            : 'chunks/[name]-[hash].js',
      manualChunks: autoloadChunks,
      sourcemap: true,
    },
    plugins: [...plugins(), chunkGraph('cdn-autoload.json')],
    treeshake,
    onwarn,
  },
  {
    // Self-contained on purpose: built together with the elements, it would share the whole MSAL chunk
    // (~300 KB) just to run broadcastResponseToMainFrame (~6 KB) on every sign-in.
    input: { 'redirect-bridge': 'dist/auth/redirect-bridge.js' },
    output: { dir: 'dist/cdn', format: 'es', entryFileNames: '[name].js', sourcemap: true },
    plugins: [redirectPage(), ...plugins()],
    onwarn,
  },
];
