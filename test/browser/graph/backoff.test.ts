// The one backoff every wait before trying again comes from, with each caller's parameters.
import { expect } from '@open-wc/testing';
import { backoff } from '../../../src/graph/backoff.js';
import { chunk, PRESENCE_CHUNK } from '../../../src/graph/chunk.js';
import { reconnectDelay } from '../../../src/transports/signalr.js';

const most = () => 1;
const least = () => 0;

describe('backoff', () => {
  it('throttled Graph calls without Retry-After: up to 0.5 s, doubling, never more than 30 s', () => {
    const waits = Array.from({ length: 9 }, (_, attempt) =>
      backoff(attempt, { baseMs: 500, capMs: 30_000, random: most }),
    );
    expect(waits).to.deep.equal([500, 1000, 2000, 4000, 8000, 16_000, 30_000, 30_000, 30_000]);
    expect(backoff(3, { baseMs: 500, capMs: 30_000, random: least })).to.equal(0);
    expect(backoff(3, { baseMs: 500, capMs: 30_000, random: () => 0.5 })).to.equal(2000);
  });

  it('polling failures: from the interval, doubling, never more than 5 minutes', () => {
    const waits = Array.from({ length: 10 }, (_, attempt) =>
      backoff(attempt, { baseMs: 30_000, capMs: 5 * 60_000, random: most }),
    );
    expect(waits.slice(0, 5)).to.deep.equal([30_000, 60_000, 120_000, 240_000, 300_000]);
    expect(Math.max(...waits)).to.equal(300_000);
    expect(backoff(1_000, { baseMs: 30_000, capMs: 5 * 60_000, random: most }), 'any number of failures').to.equal(
      300_000,
    );
  });

  it('reconnecting to the relay: a 250 ms floor, and the doubling stops after 10 attempts', () => {
    const options = { floorMs: 250, baseMs: 500, capMs: 1e9, maxDoublings: 10, random: most };
    expect(backoff(10, options)).to.equal(250 + 500 * 1024);
    expect(backoff(40, options)).to.equal(250 + 500 * 1024);
    expect(backoff(5, { ...options, random: least })).to.equal(250);
  });

  it('reconnectDelay keeps its public behaviour through it', () => {
    for (let attempt = 0; attempt < 14; attempt++) {
      for (const visible of [true, false]) {
        for (const r of [0, 0.37, 0.999]) {
          const old = Math.round(250 + r * Math.min(visible ? 5_000 : 30_000, 500 * 2 ** Math.min(attempt, 10)));
          expect(
            reconnectDelay(attempt, () => r, visible),
            `attempt ${attempt}, visible ${visible}, random ${r}`,
          ).to.equal(old);
        }
      }
    }
  });
});

describe('chunk', () => {
  it('cuts a list into parts of the size asked, the last one shorter', () => {
    const ids = Array.from({ length: 1301 }, (_, n) => `id-${n}`);
    const parts = chunk(ids, PRESENCE_CHUNK);
    expect(parts.map((p) => p.length)).to.deep.equal([650, 650, 1]);
    expect(parts.flat()).to.deep.equal(ids);
    expect(chunk([], PRESENCE_CHUNK)).to.deep.equal([]);
  });
});
