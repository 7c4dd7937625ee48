// Configuration of `cem analyze`, which writes custom-elements.json from the elements' JSDoc.
import { expandedTypesPlugin } from './scripts/manifest/expanded-types.mjs';
import { shippedPathsPlugin } from './scripts/manifest/shipped-paths.mjs';

export default {
  globs: ['src/**/*.ts'],
  // src/react/ holds the React wrappers generated from this manifest (scripts/framework-types.mjs), not elements.
  exclude: ['src/**/*.styles.ts', 'src/react/**'],
  litelement: true,
  packagejson: false,
  plugins: [
    {
      // The manifest describes the public API: TypeScript `private` members, `#private` fields and names starting
      // with an underscore are the implementation's, so they stay out (`@internal` and `@ignore` already do).
      name: 'presence-elements/public-members-only',
      moduleLinkPhase({ moduleDoc }) {
        for (const declaration of moduleDoc.declarations ?? []) {
          if (!declaration.members) continue;
          declaration.members = declaration.members.filter((m) => m.privacy !== 'private' && !/^[_#]/.test(m.name));
          if (declaration.members.length === 0) delete declaration.members;
        }
      },
    },
    expandedTypesPlugin(),
    shippedPathsPlugin(),
    {
      // The analyzer reads files in whatever order the file system gives; sorting keeps the manifest stable.
      name: 'presence-elements/sort-modules',
      packageLinkPhase({ customElementsManifest }) {
        customElementsManifest.modules.sort((a, b) => a.path.localeCompare(b.path));
      },
    },
  ],
};
