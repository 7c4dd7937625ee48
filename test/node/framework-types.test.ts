// The framework types as a user gets them: the package is packed with `npm pack`, unpacked into a project of its own
// (its dependencies linked from this checkout, as an offline install would place them), and small React (TSX, strict)
// and Vue (vue-tsc) files are type-checked against it. Correct uses, including every snippet of docs/frameworks.md
// marked as checked, must compile; wrong ones must fail with the expected error, on the expected line.
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

function typeCheck(bin: string, tsconfig: string): Promise<Check> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(root, 'node_modules', bin), '-p', tsconfig, '--pretty', 'false'],
      { cwd: project, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const output = `${stdout}${stderr}`;
        const diagnostics = [...output.matchAll(/^(.+?)\((\d+),\d+\): error (TS\d+): (.*)$/gm)].map((m) => ({
          file: m[1]!.replace(/\\/g, '/'),
          line: Number(m[2]),
          code: m[3]!,
          message: m[4]!,
        }));
        resolve({ exitCode: error ? ((error.code as number | undefined) ?? 1) : 0, output, diagnostics });
      },
    );
  });
}

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
  write('tsconfig.react.json', tsconfig(['react'], { jsx: 'react-jsx' }));
  write('tsconfig.vue.json', tsconfig(['vue/**/*.ts', 'vue/**/*.vue']));

  // Both checks at once: they are independent, and each takes seconds.
  react = typeCheck('typescript/bin/tsc', 'tsconfig.react.json');
  vue = typeCheck('vue-tsc/bin/vue-tsc.js', 'tsconfig.vue.json');
});

after(async () => {
  await Promise.allSettled([react, vue]);
  if (project) rmSync(project, { recursive: true, force: true });
});

test('the React wrappers are the ones custom-elements.json makes', () => {
  execFileSync(process.execPath, [join(root, 'scripts/framework-types.mjs'), '--check'], { cwd: root });
});

test('the guide has React and Vue snippets to check', () => {
  const paths = [...checkedSnippets().keys()];
  assert.ok(
    paths.some((p) => p.startsWith('react/') && p.endsWith('.tsx')),
    `React snippets: ${paths.join(', ')}`,
  );
  assert.ok(
    paths.some((p) => p.startsWith('vue/') && p.endsWith('.vue')),
    `Vue snippets: ${paths.join(', ')}`,
  );
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
