// `npm run lint`: the code's rules. Formatting is Prettier's job (`npm run format`), so nothing here is about layout.
// The layer rules keep the three places apart: the browser library (src/), the relay (relay/) and the local cloud
// (emulator/) never import each other; what two of them share lives in common/, which imports none of them.
import js from '@eslint/js';
import { createNodeResolver, flatConfigs as importX } from 'eslint-plugin-import-x';
import lit from 'eslint-plugin-lit';
import litA11y from 'eslint-plugin-lit-a11y';
import wc from 'eslint-plugin-wc';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** The layers, and what each may not import (resolved paths, so `../../src` from relay/functions is relay/src). */
const layers = {
  src: ['relay', 'emulator', 'common', 'scripts', 'bench', 'test'],
  relay: ['src', 'emulator', 'scripts', 'bench', 'test'],
  emulator: ['src', 'relay', 'scripts', 'bench', 'test'],
  common: ['src', 'relay', 'emulator', 'scripts', 'bench', 'test'],
};
const zones = Object.entries(layers).flatMap(([target, forbidden]) =>
  forbidden.map((from) => ({
    target: `./${target}`,
    from: `./${from}`,
    message: `${target}/ may not import ${from}/: see docs/architecture.md, "The layers".`,
  })),
);

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'storybook-static/**',
      'coverage/**',
      'tmp/**',
      '**/*.d.ts',
      'relay/functions/dist/**',
      '.relay/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module', globals: { ...globals.browser, ...globals.node } },
    plugins: { 'import-x': importX.recommended.plugins['import-x'] },
    settings: {
      // Imports name the .js a .ts compiles to (Node's ESM rule); the resolver finds the .ts beside it.
      'import-x/extensions': ['.ts', '.js', '.mjs'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
      'import-x/resolver-next': [
        createNodeResolver({ extensions: ['.ts', '.js', '.mjs'], extensionAlias: { '.js': ['.ts', '.js'] } }),
      ],
    },
    rules: {
      // No module may reach itself through its imports (type-only imports excepted: they vanish at run time).
      'import-x/no-cycle': ['error', { ignoreExternal: true, allowUnsafeDynamicCyclicDependency: false }],
      'import-x/no-restricted-paths': ['error', { zones }],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
      // Tests and emulators read JSON of any shape on purpose; a cast is clearer there than a type for each body.
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      'no-empty': ['error', { allowEmptyCatch: true }],
    },
  },
  {
    // Elements are framework-free: only the React wrappers (src/react/) may import React or its helpers.
    files: ['src/**/*.ts'],
    ignores: ['src/react/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['react', 'react/*', 'react-dom', 'react-dom/*', '@lit/react', '@lit/react/*'],
              message: 'Only src/react/ may import React.',
            },
            { group: ['vue', 'vue/*'], message: 'The browser library imports no framework.' },
          ],
        },
      ],
    },
  },
  {
    files: ['src/elements/**/*.ts', 'stories/**/*.ts'],
    ...lit.configs['flat/recommended'],
  },
  {
    files: ['src/elements/**/*.ts'],
    ...wc.configs['flat/best-practice'],
  },
  {
    files: ['src/elements/**/*.ts'],
    ...litA11y.configs.recommended,
  },
);
