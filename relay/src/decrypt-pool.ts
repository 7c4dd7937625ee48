// A few worker threads that decrypt rich notifications, so one relay uses every core for the costly RSA step and
// its main thread stays free for HTTP and fan-out. Falls back to decrypting in place when a worker cannot run.
import type { KeyObject } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { decryptResource, type EncryptedContent } from '../../common/notification-crypto.js';

export interface DecryptJob {
  keyId: string;
  key: KeyObject;
  content: EncryptedContent;
}
export type DecryptOutcome = { value: unknown; error?: undefined } | { error: string; value?: undefined };
export type WorkerMessage =
  | { type: 'key'; keyId: string; key: KeyObject }
  | { type: 'jobs'; id: number; jobs: Array<{ keyId: string; content: EncryptedContent }> };

/** Decrypts in the calling thread: the fallback, and what one-core machines use. */
export function decryptInPlace(jobs: DecryptJob[]): DecryptOutcome[] {
  return jobs.map(({ key, content }) => {
    try {
      return { value: decryptResource(content, key) };
    } catch (error) {
      return { error: (error as Error).message };
    }
  });
}

/** Worker threads to use by default: one per core when there are at least two, else none. */
export function defaultDecryptWorkers(): number {
  const cores = availableParallelism();
  return cores > 1 ? Math.min(cores, 8) : 0;
}

interface Slot {
  worker: Worker;
  keys: Map<string, KeyObject>;
  waiting: Map<number, { jobs: DecryptJob[]; resolve: (outcomes: DecryptOutcome[]) => void }>;
}

function spawn(): Worker {
  const here = import.meta.url;
  if (here.endsWith('.ts')) {
    // Running from source (tsx): the worker registers the TypeScript loader before loading its module.
    const tsx = import.meta.resolve('tsx/esm/api');
    const target = new URL('./decrypt-worker.ts', here).href;
    return new Worker(
      `import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(target)}); });`,
      { eval: true },
    );
  }
  return new Worker(new URL('./decrypt-worker.js', here));
}

export class DecryptPool {
  private slots: Slot[] = [];
  private next = 0;
  private nextId = 1;
  private broken = false;

  constructor(private readonly size = defaultDecryptWorkers()) {}

  /** Decrypts each job; the outcomes are in the jobs' order. Large collections are shared among the workers. */
  async decrypt(jobs: DecryptJob[]): Promise<DecryptOutcome[]> {
    if (!jobs.length) return [];
    if (this.size < 1 || this.broken) return decryptInPlace(jobs);
    this.ensureWorkers();
    const parts = Math.min(this.slots.length, Math.ceil(jobs.length / 16));
    const per = Math.ceil(jobs.length / parts);
    const pieces: Array<Promise<DecryptOutcome[]>> = [];
    for (let i = 0; i < jobs.length; i += per) pieces.push(this.send(jobs.slice(i, i + per)));
    return (await Promise.all(pieces)).flat();
  }

  /** Starts the workers now rather than on the first notification, which would otherwise wait for them. */
  warm(): void {
    if (this.size > 0 && !this.broken) this.ensureWorkers();
  }

  /** Ends the workers; later calls decrypt in place until used again. */
  async close(): Promise<void> {
    const slots = this.slots;
    this.slots = [];
    for (const slot of slots) {
      for (const { jobs, resolve } of slot.waiting.values()) resolve(decryptInPlace(jobs));
      slot.waiting.clear();
    }
    await Promise.all(slots.map((slot) => slot.worker.terminate()));
  }

  private ensureWorkers(): void {
    while (this.slots.length < this.size) {
      const slot: Slot = { worker: spawn(), keys: new Map(), waiting: new Map() };
      slot.worker.on('message', (message: { id: number; outcomes: DecryptOutcome[] }) => {
        const waiting = slot.waiting.get(message.id);
        slot.waiting.delete(message.id);
        if (!slot.waiting.size) slot.worker.unref();
        waiting?.resolve(message.outcomes);
      });
      const fail = () => {
        // A worker that cannot run (or died): what it held is decrypted in place, and so is everything after.
        this.broken = true;
        this.slots = this.slots.filter((s) => s !== slot);
        for (const { jobs, resolve } of slot.waiting.values()) resolve(decryptInPlace(jobs));
        slot.waiting.clear();
      };
      slot.worker.on('error', fail);
      slot.worker.on('exit', () => slot.waiting.size && fail());
      // After the listeners (adding one references the worker again): idle workers never keep the process alive.
      slot.worker.unref();
      this.slots.push(slot);
    }
  }

  private send(jobs: DecryptJob[]): Promise<DecryptOutcome[]> {
    const slot = this.slots[this.next++ % this.slots.length];
    if (!slot) return Promise.resolve(decryptInPlace(jobs));
    for (const { keyId, key } of jobs) {
      if (slot.keys.get(keyId) === key) continue;
      slot.keys.set(keyId, key);
      slot.worker.postMessage({ type: 'key', keyId, key } satisfies WorkerMessage);
    }
    const id = this.nextId++;
    return new Promise((resolve) => {
      // Referenced while it holds work, so the process waits for it; idle workers never keep it alive.
      if (!slot.waiting.size) slot.worker.ref();
      slot.waiting.set(id, { jobs, resolve });
      slot.worker.postMessage({
        type: 'jobs',
        id,
        jobs: jobs.map(({ keyId, content }) => ({ keyId, content })),
      } satisfies WorkerMessage);
    });
  }
}
