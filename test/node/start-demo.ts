// Runs `scripts/start.ts` (what `npm start` runs) as a child process, for the tests of the demo it serves.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { root } from './support.js';

export interface RunningDemo {
  /** The live demo's URL, as `npm start` prints it. */
  url: string;
  stop(): void;
}

/** Starts the demo with extra environment variables (on a free port unless `PORT` is given). */
export function startDemo(env: Record<string, string> = {}): Promise<RunningDemo> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', join(root, 'scripts/start.ts')], {
    cwd: root,
    env: { ...process.env, PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stop = () => void child.kill('SIGTERM');
  let output = '';
  return new Promise<RunningDemo>((resolve, reject) => {
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`npm start did not come up:\n${output}`));
    }, 60_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /Live demo\s+(\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve({ url: match[1]!, stop });
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('exit', (code) => reject(new Error(`npm start exited with ${code}:\n${output}`)));
  });
}
