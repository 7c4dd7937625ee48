// The library reads the headers of $batch answers whatever their casing: Graph writes `Content-Type` and
// `Retry-After` (https://learn.microsoft.com/graph/json-batching), other servers and proxies may not, and HTTP header
// names are case-insensitive. Graph is faked here with a stub of fetch: nothing leaves the page.
import { expect } from '@open-wc/testing';
import { bringYourOwnToken, GraphSource } from '../../../src/index.js';

interface Step {
  id: string;
  method: string;
  url: string;
}
type Answer = (step: Step, attempt: number) => { status: number; headers: Record<string, string>; body?: unknown };

const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';

/** Answers every $batch with `answer`, per step; counts how often each step was asked. */
function fakeGraph(answer: Answer): { asked: Map<string, number>; restore: () => void } {
  const original = window.fetch;
  const asked = new Map<string, number>();
  window.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = input instanceof Request ? input : new Request(input, init);
    const { requests } = (await request.json()) as { requests: Step[] };
    const responses = requests.map((step) => {
      const attempt = (asked.get(step.url) ?? 0) + 1;
      asked.set(step.url, attempt);
      return { id: step.id, ...answer(step, attempt) };
    });
    return new Response(JSON.stringify({ responses }), {
      status: 200,
      headers: { 'content-type': 'application/json' },
    });
  };
  return { asked, restore: () => void (window.fetch = original) };
}

const source = (onWait?: (ms: number) => void) =>
  new GraphSource({
    auth: bringYourOwnToken(async () => 'token'),
    baseUrl: 'http://127.0.0.1:9',
    retry: { maxRetries: 2, ...(onWait ? { onWait } : {}) },
  });

describe('the $batch reader', () => {
  for (const name of ['Content-Type', 'content-type', 'CONTENT-TYPE']) {
    it(`takes a photo's type from ${name}`, async () => {
      const graph = fakeGraph(() => ({ status: 200, headers: { [name]: 'image/png' }, body: PNG }));
      try {
        const photos = await source().photos(['a']);
        expect(photos.get('a')?.type).to.equal('image/png');
      } finally {
        graph.restore();
      }
    });
  }

  for (const name of ['Retry-After', 'retry-after', 'RETRY-AFTER']) {
    it(`waits as a throttled item's ${name} says, then asks for that item again`, async () => {
      const waits: number[] = [];
      const graph = fakeGraph((_step, attempt) =>
        attempt === 1
          ? { status: 429, headers: { [name]: '0.05' }, body: { error: { code: 'TooManyRequests' } } }
          : { status: 200, headers: { 'Content-Type': 'image/png' }, body: PNG },
      );
      try {
        const photos = await source((ms) => waits.push(ms)).photos(['a']);
        expect(waits).to.deep.equal([50]);
        expect(photos.get('a')).to.be.instanceOf(Blob);
      } finally {
        graph.restore();
      }
    });
  }
});
