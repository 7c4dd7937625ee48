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

/** Answers every $batch with `body` as it is, with `type` as its content type. */
function rawGraph(body: string, type = 'application/json'): () => void {
  const original = window.fetch;
  window.fetch = async () => new Response(body, { status: 200, headers: { 'content-type': type } });
  return () => void (window.fetch = original);
}

describe('a $batch answer of the wrong shape', () => {
  const shapes: Array<[string, string, string?]> = [
    ['null', 'null'],
    ['a sign-in page', '<html><body>Sign in</body></html>', 'text/html'],
    ['responses not a list', '{"responses":{"id":"0","status":200}}'],
    ['an item that is not an object', '{"responses":[null]}'],
    ['an item without an id', '{"responses":[{"status":200,"body":{"id":"x"}}]}'],
  ];
  for (const [name, body, type] of shapes) {
    it(`(${name}) fails the read with a clear error, never "no such person"`, async () => {
      const restore = rawGraph(body, type);
      try {
        const failure = await source()
          .profiles(['adele@contoso.com'])
          .then(
            () => undefined,
            (error: unknown) => error,
          );
        expect(failure).to.be.instanceOf(Error);
        expect((failure as { code?: string }).code).to.equal('InvalidBatchAnswer');
        expect((failure as Error).message).to.match(/\$batch/);
      } finally {
        restore();
      }
    });
  }

  it('a photo whose bytes are not base64 is no photo (initials), and the others are still read', async () => {
    const graph = fakeGraph((step) => ({
      status: 200,
      headers: { 'Content-Type': 'image/png' },
      body: step.url.includes('/users/a/') ? 'not base64 at all!' : PNG,
    }));
    try {
      const photos = await source().photos(['a', 'b']);
      expect(photos.get('a')).to.equal(null);
      expect(photos.get('b')?.type).to.equal('image/png');
    } finally {
      graph.restore();
    }
  });
});

describe('a profile of the wrong shape', () => {
  it('keeps only text in its fields: a name that is not text is no name, never a crash', async () => {
    const graph = fakeGraph(() => ({
      status: 200,
      headers: { 'Content-Type': 'application/json' },
      body: { id: 'a', displayName: 42, userPrincipalName: ['x'], mail: { at: 'y' }, jobTitle: 'Engineer' },
    }));
    try {
      const [profile] = await source().profiles(['a']);
      expect(profile).to.deep.equal({
        key: 'a',
        id: 'a',
        displayName: null,
        userPrincipalName: null,
        mail: null,
        jobTitle: 'Engineer',
      });
    } finally {
      graph.restore();
    }
  });
});
