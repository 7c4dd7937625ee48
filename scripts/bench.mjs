// `npm run bench`: the elements benchmark, the relay benchmark, then the faults table, each in a process of its own.
// With `--json` each prints JSON, gathered here into one document: { "elements": ..., "relay": ..., "faults": ... }.
import { spawnSync } from 'node:child_process';

const args = process.argv.slice(2);
const json = args.includes('--json');
const parts = { elements: 'bench/bench.ts', relay: 'bench/relay-bench.ts', faults: 'bench/faults-bench.ts' };
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
