// The framework types as a user gets them: the package is packed with `npm pack`, unpacked into a project of its own
// (its dependencies linked from this checkout, as an offline install would place them), and small files of each
// framework the guide covers are type-checked against it, each by the framework's own checker: React and Next.js
// (tsc, TSX strict), Vue (vue-tsc), Angular (ngc, strictTemplates), Svelte 5 (svelte-check), Preact and Solid (tsc
// with their JSX). Correct uses, including every snippet of docs/frameworks.md marked as checked, must compile; wrong
// ones must fail with the expected error, on the expected line.
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, test } from 'node:test';
import { requireBuild, root } from './support.js';

const fixtures = join(root, 'test/node/fixtures/frameworks');
let project = '';

interface Diagnostic {
  file: string;
  line: number;
  code: string;
  message: string;
}
interface Check {
  exitCode: number;
  output: string;
  diagnostics: Diagnostic[];
}

/** Links a dependency from this checkout's node_modules, then the dependencies it needs at top level. */
function link(name: string, nodeModules: string): void {
  const target = join(nodeModules, name);
  if (existsSync(target)) return;
  const source = join(root, 'node_modules', name);
  if (!existsSync(source)) return; // nested under its dependant: found from there through the real path
  mkdirSync(dirname(target), { recursive: true });
  symlinkSync(source, target, 'junction');
  const manifest = JSON.parse(readFileSync(join(source, 'package.json'), 'utf8'));
  for (const dependency of Object.keys(manifest.dependencies ?? {})) link(dependency, nodeModules);
}

/** The code blocks of docs/frameworks.md preceded by `<!-- type-checked: <path> -->`, by path. */
function checkedSnippets(): Map<string, string> {
  const guide = readFileSync(join(root, 'docs/frameworks.md'), 'utf8');
  const snippets = new Map<string, string>();
  for (const match of guide.matchAll(/<!-- type-checked: (\S+) -->\s*```\w*\n([\s\S]*?)```/g)) {
    snippets.set(match[1]!, match[2]!);
  }
  return snippets;
}

/** Lines (1-based) following each expect-error marker, with the error code the marker names. */
function expectations(source: string, marker: string): Map<number, string> {
  const expected = new Map<number, string>();
  source.split('\n').forEach((line, index) => {
    const found = line.match(new RegExp(`${marker} (TS\\d+)`));
    if (found) expected.set(index + 2, found[1]!);
  });
  return expected;
}

/** Runs a checker of this checkout's node_modules in the project, and reads its errors with `read`. */
function runChecker(bin: string, args: string[], read: (output: string) => Diagnostic[]): Promise<Check> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(root, 'node_modules', bin), ...args],
      { cwd: project, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        // Colours off: ngc colours its report whatever it is told.
        const output = `${stdout}${stderr}`.replace(new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g'), '');
        resolve({ exitCode: error ? ((error.code as number | undefined) ?? 1) : 0, output, diagnostics: read(output) });
      },
    );
  });
}

const diagnostic = (file: string, line: string | number, code: string, message: string): Diagnostic => ({
  file: file.replace(/\\/g, '/'),
  line: Number(line),
  code,
  message,
});

/** tsc and vue-tsc, `file(line,column): error TS…: message`. */
const typeCheck = (bin: string, tsconfig: string) =>
  runChecker(bin, ['-p', tsconfig, '--pretty', 'false'], (output) =>
    [...output.matchAll(/^(.+?)\((\d+),\d+\): error (TS\d+): (.*)$/gm)].map((m) =>
      diagnostic(m[1]!, m[2]!, m[3]!, m[4]!),
    ),
  );

/** ngc, `file:line:column - error TS…: message`. */
const angularCheck = (tsconfig: string) =>
  runChecker('@angular/compiler-cli/bundles/src/bin/ngc.js', ['-p', tsconfig], (output) =>
    [...output.matchAll(/^(.+?):(\d+):\d+ - error (TS\d+): (.*)$/gm)].map((m) =>
      diagnostic(m[1]!, m[2]!, m[3]!, m[4]!),
    ),
  );

/** svelte-check, one JSON object a line (its lines count from 0). */
const svelteCheck = (tsconfig: string) =>
  runChecker('svelte-check/bin/svelte-check', ['--tsconfig', tsconfig, '--output', 'machine-verbose'], (output) =>
    [...output.matchAll(/^\d+ (\{.*\})$/gm)]
      .map(
        (m) =>
          JSON.parse(m[1]!) as {
            type: string;
            filename: string;
            start: { line: number };
            code?: number;
            message: string;
          },
      )
      .filter((d) => d.type === 'ERROR')
      .map((d) => diagnostic(d.filename, d.start.line + 1, `TS${d.code ?? ''}`, d.message)),
  );

const tsconfig = (include: string[], extra: Record<string, unknown> = {}) =>
  JSON.stringify(
    {
      compilerOptions: {
        target: 'ES2022',
        module: 'ESNext',
        moduleResolution: 'bundler',
        lib: ['ES2022', 'DOM', 'DOM.Iterable'],
        strict: true,
        noEmit: true,
        // Our declaration files are checked too, not only the uses.
        skipLibCheck: false,
        types: [],
        ...extra,
      },
      include,
    },
    null,
    2,
  );

let react: Promise<Check>;
let vue: Promise<Check>;
let angular: Promise<Check>;
let svelte: Promise<Check>;
let preact: Promise<Check>;
let solid: Promise<Check>;

before(() => {
  requireBuild('dist/jsx.d.ts');
  project = mkdtempSync(join(tmpdir(), 'presence-elements-types-'));
  const packed = JSON.parse(
    execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', project], {
      cwd: root,
      encoding: 'utf8',
      shell: process.platform === 'win32',
    }),
  )[0];
  const nodeModules = join(project, 'node_modules');
  const installed = join(nodeModules, 'presence-elements');
  mkdirSync(installed, { recursive: true });
  execFileSync('tar', ['-xzf', join(project, packed.filename), '-C', installed, '--strip-components=1']);
  const manifest = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8'));
  for (const name of [
    ...Object.keys(manifest.dependencies ?? {}),
    ...Object.keys(manifest.peerDependencies ?? {}),
    '@types/react',
    'vue',
    '@angular/core',
    'rxjs',
    'svelte',
    'preact',
    'solid-js',
  ]) {
    link(name, nodeModules);
  }
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }));

  const write = (path: string, text: string) => {
    mkdirSync(dirname(join(project, path)), { recursive: true });
    writeFileSync(join(project, path), text);
  };
  for (const [path, text] of checkedSnippets()) write(path, text);
  const reactMisuse = readFileSync(join(fixtures, 'react/misuse.tsx'), 'utf8');
  const vueMisuse = readFileSync(join(fixtures, 'vue/Misuse.vue'), 'utf8');
  write('react/misuse.tsx', reactMisuse);
  write('react/misuse-unmarked.tsx', reactMisuse.replaceAll('@ts-expect-error', 'expected:'));
  write('vue/Misuse.vue', vueMisuse);
  write('vue/MisuseUnmarked.vue', vueMisuse.replaceAll('@vue-expect-error', 'expected:'));
  // Svelte and Angular have no expect-error marker for markup: only the copy with `expected:` comments is checked.
  write('svelte/Misuse.svelte', readFileSync(join(fixtures, 'svelte/Misuse.svelte'), 'utf8'));
  write('angular/misuse.component.ts', readFileSync(join(fixtures, 'angular/misuse.component.ts'), 'utf8'));
  const misuse = readFileSync(join(fixtures, 'jsx-props/misuse.tsx'), 'utf8');
  for (const jsx of ['preact', 'solid']) {
    write(`${jsx}/misuse.tsx`, misuse);
    write(`${jsx}/misuse-unmarked.tsx`, misuse.replaceAll('@ts-expect-error', 'expected:'));
  }
  // The guide's Preact usage is the Solid usage too.
  write('solid/App.tsx', checkedSnippets().get('preact/App.tsx') ?? '');
  write('tsconfig.react.json', tsconfig(['react'], { jsx: 'react-jsx' }));
  write('tsconfig.vue.json', tsconfig(['vue/**/*.ts', 'vue/**/*.vue']));
  write('tsconfig.preact.json', tsconfig(['preact'], { jsx: 'react-jsx', jsxImportSource: 'preact' }));
  write('tsconfig.solid.json', tsconfig(['solid'], { jsx: 'preserve', jsxImportSource: 'solid-js' }));
  write('tsconfig.svelte.json', tsconfig(['svelte/**/*.ts', 'svelte/**/*.svelte'], { verbatimModuleSyntax: true }));
  write(
    'tsconfig.angular.json',
    JSON.stringify({
      ...JSON.parse(tsconfig(['angular'])),
      angularCompilerOptions: { strictTemplates: true, strictInjectionParameters: true },
    }),
  );

  // All the checks at once: they are independent, and each takes seconds.
  react = typeCheck('typescript/bin/tsc', 'tsconfig.react.json');
  vue = typeCheck('vue-tsc/bin/vue-tsc.js', 'tsconfig.vue.json');
  angular = angularCheck('tsconfig.angular.json');
  svelte = svelteCheck('tsconfig.svelte.json');
  preact = typeCheck('typescript/bin/tsc', 'tsconfig.preact.json');
  solid = typeCheck('typescript/bin/tsc', 'tsconfig.solid.json');
});

after(async () => {
  await Promise.allSettled([react, vue, angular, svelte, preact, solid]);
  if (project) rmSync(project, { recursive: true, force: true });
});

test('the React wrappers are the ones custom-elements.json makes', () => {
  execFileSync(process.execPath, [join(root, 'scripts/framework-types.mjs'), '--check'], { cwd: root });
});

test('the guide has snippets to check for each framework', () => {
  const paths = [...checkedSnippets().keys()];
  for (const [framework, ending] of [
    ['react', '.tsx'],
    ['vue', '.vue'],
    ['angular', '.component.ts'],
    ['svelte', '.svelte'],
    ['svelte', '.d.ts'],
    ['preact', '.d.ts'],
    ['preact', '.tsx'],
    ['solid', '.d.ts'],
  ]) {
    assert.ok(
      paths.some((p) => p.startsWith(`${framework}/`) && p.endsWith(ending!)),
      `no ${framework} ${ending} snippet: ${paths.join(', ')}`,
    );
  }
});

/** Every error is in the unmarked copy, on a line a marker announced, with the code it named, and none is missing. */
function assertOnlyExpected(check: Check, unmarked: string, source: string, marker: string) {
  const expected = expectations(source, marker);
  assert.ok(expected.size >= 4, 'the misuse fixture names its expected errors');
  const elsewhere = check.diagnostics.filter((d) => d.file !== unmarked);
  assert.deepEqual(
    elsewhere,
    [],
    `errors outside the misuses (a correct use fails, or a misuse compiles):\n${check.output}`,
  );
  const found = new Map<number, string[]>();
  for (const d of check.diagnostics) found.set(d.line, [...(found.get(d.line) ?? []), d.code]);
  for (const [line, code] of expected) {
    assert.ok(found.get(line)?.includes(code), `${unmarked}:${line} should fail with ${code}:\n${check.output}`);
  }
  assert.deepEqual(
    [...found.keys()].filter((line) => !expected.has(line)),
    [],
    `unexpected errors in ${unmarked}:\n${check.output}`,
  );
  assert.notEqual(check.exitCode, 0, 'the compiler exits with an error');
}

test('React (TSX, strict): the elements and wrappers type-check; wrong props and handlers fail', async () => {
  const check = await react;
  const source = readFileSync(join(fixtures, 'react/misuse.tsx'), 'utf8');
  assertOnlyExpected(check, 'react/misuse-unmarked.tsx', source, '@ts-expect-error');
  assert.match(check.output, /Type 'number' is not assignable to type 'string'/);
  assert.match(check.output, /Property 'foo' does not exist on type 'PresenceChangeDetail'/);
  assert.match(check.output, /Property 'onPresenceChange' does not exist on type/);
});

test('Vue (vue-tsc): the elements type-check as global components; wrong props and handlers fail', async () => {
  const check = await vue;
  const source = readFileSync(join(fixtures, 'vue/Misuse.vue'), 'utf8');
  assertOnlyExpected(check, 'vue/MisuseUnmarked.vue', source, '@vue-expect-error');
  assert.match(check.output, /Type 'number' is not assignable to type 'string'/);
  assert.match(check.output, /Property 'foo' does not exist on type 'PresenceChangeDetail'/);
});

test('Angular (ngc, strictTemplates): the guide compiles; $event is typed by the event maps', async () => {
  const check = await angular;
  const source = readFileSync(join(fixtures, 'angular/misuse.component.ts'), 'utf8');
  assertOnlyExpected(check, 'angular/misuse.component.ts', source, 'expected:');
  assert.match(check.output, /'PresenceChangeEvent' is not assignable to parameter of type 'PresenceSelectEvent'/);
  assert.match(check.output, /Property 'foo' does not exist on type 'PresenceChangeDetail'/);
});

test('Svelte 5 (svelte-check): the guide checks; wrong props and handlers fail', async () => {
  const check = await svelte;
  const source = readFileSync(join(fixtures, 'svelte/Misuse.svelte'), 'utf8');
  assertOnlyExpected(check, 'svelte/Misuse.svelte', source, 'expected:');
  assert.match(check.output, /Type 'number' is not assignable to type 'string'/);
  assert.match(check.output, /Property 'foo' does not exist on type 'PresenceChangeDetail'/);
});

for (const [name, checked] of [
  ['Preact', () => preact],
  ['Solid', () => solid],
] as const) {
  test(`${name} (tsc, its JSX): the guide's declaration types the tags; wrong props and handlers fail`, async () => {
    const check = await checked();
    const folder = name.toLowerCase();
    const source = readFileSync(join(fixtures, 'jsx-props/misuse.tsx'), 'utf8');
    assertOnlyExpected(check, `${folder}/misuse-unmarked.tsx`, source, '@ts-expect-error');
    assert.match(check.output, /Type 'number' is not assignable to type 'string'/);
    assert.match(check.output, /Property 'foo' does not exist on type 'PresenceChangeDetail'/);
  });
}
