// A `cem analyze` plugin: the analyzer documents the TypeScript sources (`src/…/x.ts`), but the package ships the
// compiled files (`dist/…/x.js`), and a module path in the manifest is "the path to the JavaScript file needed to be
// imported" (custom-elements-manifest schema). So every module path and every reference to a module in the package
// becomes the shipped file, relative references included (`./status.js` → `dist/presence/status.js`), and the
// module that registers the tags lists a `custom-element-definition` export for each.
import { posix } from 'node:path';

const SOURCE_ROOT = 'src/';
const SHIPPED_ROOT = 'dist/';
/** The module whose import defines every tag (from a table the analyzer cannot follow). */
const DEFINING_MODULE = 'src/define.ts';

/** `src/a/b.ts` (or `.js`, as re-exports are written) → `dist/a/b.js`; other paths are left alone. */
export function shippedPath(path) {
  if (!path.startsWith(SOURCE_ROOT)) return path;
  return SHIPPED_ROOT + path.slice(SOURCE_ROOT.length).replace(/\.ts$/, '.js');
}

/** The reverse, for tests and scripts that read the source of a manifest module. */
export function sourcePath(path) {
  if (!path.startsWith(SHIPPED_ROOT)) return path;
  return SOURCE_ROOT + path.slice(SHIPPED_ROOT.length).replace(/\.js$/, '.ts');
}

/** Rewrites every `module` reference below `value`, resolving relative ones against `modulePath`'s folder. */
function rewriteReferences(value, modulePath) {
  if (Array.isArray(value)) {
    for (const item of value) rewriteReferences(item, modulePath);
    return;
  }
  if (!value || typeof value !== 'object') return;
  if (typeof value.module === 'string' && !value.package) {
    const module = value.module.startsWith('.')
      ? posix.join(posix.dirname(modulePath), value.module)
      : value.module.replace(/^\//, '');
    value.module = shippedPath(module);
  }
  for (const [key, child] of Object.entries(value)) if (key !== 'module') rewriteReferences(child, modulePath);
}

export function shippedPathsPlugin() {
  return {
    name: 'presence-elements/shipped-paths',
    packageLinkPhase({ customElementsManifest }) {
      const modules = customElementsManifest.modules;
      // Definitions first, while paths are still the sources' (defineElements() registers these tags).
      const defining = modules.find((m) => m.path === DEFINING_MODULE);
      if (defining) {
        const defined = new Set(
          modules
            .flatMap((m) => (m.exports ?? []).filter((e) => e.kind === 'custom-element-definition'))
            .map((e) => e.name),
        );
        const elements = modules
          .flatMap((m) => (m.declarations ?? []).map((d) => ({ module: m.path, declaration: d })))
          .filter(({ declaration }) => declaration.customElement && declaration.tagName)
          .filter(({ declaration }) => !defined.has(declaration.tagName))
          .sort((a, b) => a.declaration.tagName.localeCompare(b.declaration.tagName));
        defining.exports ??= [];
        for (const { module, declaration } of elements) {
          defining.exports.push({
            kind: 'custom-element-definition',
            name: declaration.tagName,
            declaration: { name: declaration.name, module },
          });
        }
      }
      for (const module of modules) {
        const path = module.path;
        rewriteReferences(module.declarations, path);
        rewriteReferences(module.exports, path);
        module.path = shippedPath(path);
      }
    },
  };
}
