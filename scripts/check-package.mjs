// Checks the package as npm would publish it: Are The Types Wrong (every export resolves, with types, the way
// TypeScript resolves it) and publint --strict (package.json's fields and the files they point at). Both pack the
// package with `npm pack`, locally; nothing is read from the registry. Builds first when dist/ is missing.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
// npm pack needs no network; offline makes sure of it.
const env = { ...process.env, npm_config_offline: 'true' };

function run(command, args) {
  console.log(`\n$ ${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, { cwd: root, env, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

const bin = (name) => join(root, 'node_modules/.bin', name);

if (!existsSync(join(root, 'dist/index.js')) || !existsSync(join(root, 'dist/cdn/presence-elements.js'))) {
  run('npm', ['run', 'build']);
}

run(bin('attw'), [
  '--pack',
  '.',
  // The package is ES modules only ("type": "module"): `require()` from CommonJS and node10's resolution (which
  // ignores `exports`) are not supported ways in, so they are not checked.
  '--profile',
  'esm-only',
  // The sign-in redirect page is an asset to copy or serve, not a module: there are no types to find for it.
  // Excluding such files is what the tool's authors advise for non-JavaScript exports:
  // https://github.com/arethetypeswrong/arethetypeswrong.github.io/issues/30
  '--exclude-entrypoints',
  './redirect.html',
  // Only the packed files count (and no request to the registry for @types packages).
  '--no-definitely-typed',
]);
run(bin('publint'), ['--strict']);
