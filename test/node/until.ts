// Waiting in Node tests: for something a real service, process or browser does in its own time. Tests wait for the
// event they need, never for a fixed while; the limit only turns a hang into a clear failure.
import assert from 'node:assert/strict';

/** Resolves once `check` holds (it may be async), asking every `everyMs`; fails naming `what` after `ms`. */
export async function until(check: () => unknown, what: string, ms = 8000, everyMs = 20): Promise<void> {
  for (const end = Date.now() + ms; !(await check());) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** Resolves once `read()` gives `wanted`; fails saying what it gave last. */
export async function untilEquals<T>(read: () => Promise<T>, wanted: T, what: string, ms = 20_000): Promise<void> {
  let last: T | undefined;
  try {
    await until(async () => (last = await read()) === wanted, what, ms, 100);
  } catch {
    assert.fail(`${what}: still ${String(last)}`);
  }
}
