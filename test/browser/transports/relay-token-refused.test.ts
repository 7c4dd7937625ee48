// A relay token the page still takes for good but the relay refuses (401: their clocks differ, or it was replaced):
// the page drops it, asks for a new one and sends the watch again at once, rather than waiting a minute as for a
// list the relay refuses.
import { expect } from '@open-wc/testing';
import { bringYourOwnToken } from '../../../src/auth/token-provider.js';
import { RelaySession } from '../../../src/transports/relay-session.js';
import { FakeClock } from '../support/fake-clock.js';

/** A JWT-shaped token (unsigned) that expires in an hour, so the token provider keeps it. */
function token(n: number): string {
  const part = (o: object) => btoa(JSON.stringify(o)).replace(/=+$/, '');
  return `${part({ alg: 'none' })}.${part({ n, exp: Math.floor(Date.now() / 1000) + 3600 })}.`;
}

describe('RelaySession with a token the relay refuses', () => {
  const realFetch = window.fetch;
  afterEach(() => (window.fetch = realFetch));

  it('gets a new token and sends the watch once more; a second 401 is a refusal', async () => {
    let issued = 0;
    const auth = bringYourOwnToken(() => token(++issued));
    const sent: string[] = [];
    let refuseAll = false;
    window.fetch = async (_input: RequestInfo | URL, init?: RequestInit) => {
      const authorization = new Headers(init?.headers).get('authorization') ?? '';
      sent.push(authorization);
      const good = !refuseAll && authorization === `Bearer ${token(2)}`;
      return good
        ? new Response(JSON.stringify({ leaseSeconds: 600, covered: true }), { status: 200 })
        : new Response('{"error":"token expired"}', { status: 401 });
    };
    const session = new RelaySession(
      { relayUrl: 'https://relay.invalid/api', auth, relayScopes: ['api://relay/access_as_user'] },
      new FakeClock(),
    );
    const answer = await session.post(['a'], () => false);
    expect(answer?.leaseMs).to.equal(600_000);
    expect(sent).to.deep.equal([`Bearer ${token(1)}`, `Bearer ${token(2)}`]);
    // The new token is kept; a relay that refuses it too is refused, not asked in a loop.
    refuseAll = true;
    const refused = await session.post(['a'], () => false).catch((e: Error) => e);
    expect(refused).to.be.instanceOf(Error);
    expect((refused as Error).message).to.contain('401');
    expect(sent.slice(2)).to.deep.equal([`Bearer ${token(2)}`, `Bearer ${token(3)}`]);
  });
});
