// Graph's answers as the library reads them when they are not a plain success: Graph's error body
// (https://learn.microsoft.com/graph/errors) becomes a GraphCallError saying what Graph said, a refused token is
// replaced once, a network failure is an error with status 0. Graph is faked here with a stub of fetch: nothing
// leaves the page.
import { expect } from '@open-wc/testing';
import { bringYourOwnToken, GraphCallError, GraphSource } from '../../../src/index.js';

interface Sent {
  url: string;
  authorization: string | null;
  method: string;
}

/** Answers each request with the next of `answers` (a Response, or an error to throw), and records it. */
function fakeGraph(answers: Array<() => Response>): { sent: Sent[]; restore: () => void } {
  const original = window.fetch;
  const sent: Sent[] = [];
  window.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = input instanceof Request ? input : new Request(input, init);
    sent.push({ url: request.url, authorization: request.headers.get('authorization'), method: request.method });
    const next = answers.shift();
    if (!next) throw new Error('no more answers');
    return next();
  };
  return { sent, restore: () => void (window.fetch = original) };
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

const PRESENCE = { id: 'a', availability: 'Busy', activity: 'InACall' };

describe('Graph calls over fetch', () => {
  it('a refusal says what Graph said: its status, code and message, and when to try again', async () => {
    const graph = fakeGraph([
      () =>
        json(403, { error: { code: 'Forbidden', message: 'Missing role Presence.Read.All.' } }, { 'Retry-After': '7' }),
    ]);
    try {
      const source = new GraphSource({ auth: bringYourOwnToken(() => 'token'), baseUrl: 'http://127.0.0.1:9/v1.0/' });
      const error = await source.presences(['a']).then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).to.be.instanceOf(GraphCallError);
      expect(error).to.include({ status: 403, code: 'Forbidden', message: 'Missing role Presence.Read.All.' });
      expect((error as GraphCallError).retryAfterMs).to.equal(7000);
      // Sent once, to Graph's v1.0 under the root given (a trailing version and slash are not doubled).
      expect(graph.sent.map((s) => [s.method, s.url])).to.deep.equal([
        ['POST', 'http://127.0.0.1:9/v1.0/communications/getPresencesByUserId'],
      ]);
    } finally {
      graph.restore();
    }
  });

  it('a throttled read waits as Retry-After says, then is sent again', async () => {
    const graph = fakeGraph([
      () => json(429, { error: { code: 'TooManyRequests' } }, { 'Retry-After': '0.05' }),
      () => json(200, { value: [PRESENCE] }),
    ]);
    try {
      const waits: number[] = [];
      const source = new GraphSource({
        auth: bringYourOwnToken(() => 'token'),
        baseUrl: 'http://127.0.0.1:9',
        retry: { onWait: (ms) => waits.push(ms) },
      });
      expect(await source.presences(['a'])).to.deep.equal([PRESENCE]);
      expect(waits).to.deep.equal([50]);
      expect(graph.sent).to.have.length(2);
    } finally {
      graph.restore();
    }
  });

  it('a token Graph refuses (401) is forgotten, and the call is sent once more with a fresh one', async () => {
    const graph = fakeGraph([
      () => json(401, { error: { code: 'InvalidAuthenticationToken', message: 'Token expired.' } }),
      () => json(200, { value: [PRESENCE] }),
    ]);
    try {
      let n = 0;
      const source = new GraphSource({
        auth: bringYourOwnToken(() => `token-${++n}`),
        baseUrl: 'http://127.0.0.1:9',
      });
      expect(await source.presences(['a'])).to.deep.equal([PRESENCE]);
      expect(graph.sent.map((s) => s.authorization)).to.deep.equal(['Bearer token-1', 'Bearer token-2']);
    } finally {
      graph.restore();
    }
  });

  it('a network failure is a GraphCallError of status 0, not a success with nothing in it', async () => {
    const graph = fakeGraph([
      () => {
        throw new TypeError('Failed to fetch');
      },
    ]);
    try {
      const source = new GraphSource({ auth: bringYourOwnToken(() => 'token'), baseUrl: 'http://127.0.0.1:9' });
      const error = await source.presences(['a']).then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).to.be.instanceOf(GraphCallError);
      expect(error).to.include({ status: 0, message: 'Failed to fetch' });
    } finally {
      graph.restore();
    }
  });
});
