// The script-tag bundle: dist/define.js (compiled by tsc) with Lit bundled in, minified, split into chunks so that
// anything loaded with import() (MSAL, the Graph client, SignalR) arrives only when used.
// Two builds: the elements, and the redirect-bridge page's script on its own (see below).
import { existsSync, readFileSync } from 'node:fs';
import { dirname, relative, resolve, sep } from 'node:path';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';

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

// `production` keeps Lit's dev mode (and its console warnings) out of the bundle.
const plugins = () => [
  tscSourceMaps(),
  nodeResolve({ browser: true, exportConditions: ['browser', 'production', 'import', 'default'] }),
  terser({ ecma: 2021, module: true, format: { comments: false } }),
  entryDeclarations(),
];

function onwarn(warning, warn) {
  if (warning.code === 'THIS_IS_UNDEFINED') return;
  // @microsoft/signalr puts /*#__PURE__*/ before function declarations; Rollup drops the comment, nothing else.
  if (warning.code === 'INVALID_ANNOTATION' && warning.id?.includes('/node_modules/')) return;
  warn(warning);
}

export default [
  {
    input: { 'presence-elements': 'dist/define.js' },
    output: {
      dir: 'dist/cdn',
      format: 'es',
      entryFileNames: '[name].js',
      chunkFileNames: 'chunks/[name]-[hash].js',
      // The heavy Microsoft libraries each get a chunk of their own, named, and loaded only when used.
      manualChunks(id) {
        if (id.includes('/@azure/msal-')) return 'msal';
        if (id.includes('/@microsoft/microsoft-graph-client/')) return 'graph-client';
        if (id.includes('/@microsoft/signalr/')) return 'signalr';
        return undefined;
      },
      sourcemap: true,
    },
    plugins: plugins(),
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
