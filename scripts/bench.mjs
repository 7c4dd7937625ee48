// `npm run bench`: the elements benchmark, the relay benchmark, the faults table, the state store's, then the relay
// scaled out to several instances, each in a process of its own. With `--json` each prints JSON, gathered here into
// one document: { "elements": ..., "relay": ..., "faults": ..., "store": ..., "scale": ... }. `--only=store` (or a
// comma-separated list of those names) runs only those.
import { spawnSync } from 'node:child_process';

const only = process.argv
  .find((a) => a.startsWith('--only='))
  ?.slice('--only='.length)
  .split(',');
const args = process.argv.slice(2).filter((a) => !a.startsWith('--only='));
const json = args.includes('--json');
const all = {
  elements: 'bench/bench.ts',
  relay: 'bench/relay-bench.ts',
  faults: 'bench/faults-bench.ts',
  store: 'bench/store-bench.ts',
  scale: 'bench/scale-out-bench.ts',
};
const unknown = (only ?? []).filter((name) => !(name in all));
if (unknown.length) {
  console.error(`No benchmark named ${unknown.join(', ')}: choose among ${Object.keys(all).join(', ')}.`);
  process.exit(1);
}
const parts = Object.fromEntries(Object.entries(all).filter(([name]) => !only || only.includes(name)));
const results = {};
for (const [name, script] of Object.entries(parts)) {
  const run = spawnSync(process.execPath, ['--import', 'tsx', script, ...args], {
    stdio: json ? ['inherit', 'pipe', 'inherit'] : 'inherit',
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (run.status !== 0) {
    if (json && run.stdout) process.stdout.write(run.stdout);
    console.error(`${script} failed (exit code ${run.status ?? run.signal}).`);
    process.exit(run.status || 1);
  }
  if (json) {
    try {
      results[name] = JSON.parse(run.stdout);
    } catch {
      console.error(`${script} did not print JSON:\n${run.stdout}`);
      process.exit(1);
    }
  } else console.log();
}
if (json) console.log(JSON.stringify(results, null, 2));
