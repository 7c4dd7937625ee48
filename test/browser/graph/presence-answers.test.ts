// Answers to a presence read that are 200 OK but not what Graph sends (a proxy's page, a broken gateway): the read
// fails with an error that says so, and nobody is shown as Offline or as a silent unknown. Graph is faked with a
// stub of fetch: nothing leaves the page.
import { expect, waitUntil } from '@open-wc/testing';
import {
  bringYourOwnToken,
  GraphSource,
  PresenceClient,
  type ClientErrorDetail,
  type PersonSnapshot,
} from '../../../src/index.js';

const A = '00000000-0000-4000-8000-000000000001';
const B = '00000000-0000-4000-8000-000000000002';

function answering(body: string, type = 'application/json'): () => void {
  const original = window.fetch;
  window.fetch = async () => new Response(body, { status: 200, headers: { 'content-type': type } });
  return () => void (window.fetch = original);
}

const source = () =>
  new GraphSource({
    auth: bringYourOwnToken(async () => 'token'),
    baseUrl: 'http://127.0.0.1:9',
    retry: { maxRetries: 0 },
  });

const malformed: Array<[string, string, string?]> = [
  ['a bare list', '[]'],
  ['a string', '"Offline"'],
  ['a string as the value', '{"value":"x"}'],
  ['an HTML page', '<!doctype html><title>Sign in</title><p>Please sign in', 'text/html'],
  [
    'numeric ids',
    `{"value":[{"id":1,"availability":"Offline","activity":"Offline"},{"id":2,"availability":"Offline","activity":"Offline"}]}`,
  ],
  ['an object as the value', `{"value":{"id":"${A}","availability":"Offline","activity":"Offline"}}`],
  ['nulls in the list', '{"value":[null,null]}'],
  ['no value', '{}'],
];

describe('a presence read answered 200 with something that is not a list of presences', () => {
  for (const [name, body, type] of malformed) {
    it(`(${name}) fails with an error, never a presence`, async () => {
      const restore = answering(body, type);
      try {
        let thrown: unknown;
        await source()
          .presences([A, B])
          .then(
            (value) => expect.fail(`accepted as ${JSON.stringify(value)}`),
            (error) => (thrown = error),
          );
        expect((thrown as Error).message).to.match(/presence/i);
      } finally {
        restore();
      }
    });
  }

  it('reaches the client as a presence error for the ids read, and the avatar is not shown as Offline', async () => {
    const restore = answering(`{"value":{"id":"${A}","availability":"Offline","activity":"Offline"}}`);
    const client = new PresenceClient({ source: source() });
    const errors: ClientErrorDetail[] = [];
    client.onError((e) => errors.push(e));
    let last: PersonSnapshot | undefined;
    client.watch(A, (s) => (last = s), { profile: false, photo: false });
    try {
      await waitUntil(() => errors.length > 0, 'an error reported');
      expect(errors[0]!.kind).to.equal('presence');
      expect(errors[0]!.ids).to.deep.equal([A]);
      expect(last!.presence).to.equal(undefined);
      expect(last!.error).to.match(/presence/i);
    } finally {
      restore();
      client.dispose();
    }
  });

  it('a well-formed answer is still read, and an id left out shows unknown', async () => {
    const restore = answering(
      `{"value":[{"id":"${A}","availability":"Busy","activity":"InACall","sequenceNumber":"0001"}]}`,
    );
    try {
      const presences = await source().presences([A, B]);
      expect(presences.map((p) => p.availability)).to.deep.equal(['Busy']);
    } finally {
      restore();
    }
  });
});
