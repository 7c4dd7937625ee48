// bringYourOwnToken keeps tokens until shortly before they expire and shares one call among callers, so an app's
// backend is asked once per set of scopes rather than once per Graph request.
import { expect } from '@open-wc/testing';
import { bringYourOwnToken } from '../../../src/index.js';

/** A JWT-shaped token (unsigned: only its payload matters here) expiring in `seconds`. */
function jwt(seconds: number, n: number): string {
  const part = (value: object) =>
    btoa(String.fromCharCode(...new TextEncoder().encode(JSON.stringify(value))))
      .replace(/=+$/, '')
      .replace(/\+/g, '-')
      .replace(/\//g, '_');
  return `${part({ alg: 'none' })}.${part({ exp: Math.floor(Date.now() / 1000) + seconds, n, name: 'Zoë ✓' })}.sig`;
}

function counting(make: (n: number) => string | Promise<string>) {
  const calls: string[][] = [];
  const fn = async (scopes: string[]) => {
    calls.push(scopes);
    await new Promise((r) => setTimeout(r, 5));
    return make(calls.length);
  };
  return { calls, fn };
}

describe('bringYourOwnToken', () => {
  it('asks once for callers asking together, and keeps the token for the same scopes in any order', async () => {
    const { calls, fn } = counting((n) => jwt(3600, n));
    const auth = bringYourOwnToken(fn);
    const tokens = await Promise.all([
      auth.getToken(['Presence.Read.All', 'User.ReadBasic.All']),
      auth.getToken(['User.ReadBasic.All', 'Presence.Read.All']),
      auth.getToken(['Presence.Read.All', 'User.ReadBasic.All']),
    ]);
    expect(new Set(tokens).size).to.equal(1);
    expect(await auth.getToken(['User.ReadBasic.All', 'Presence.Read.All'])).to.equal(tokens[0]);
    expect(calls.length).to.equal(1);
    await auth.getToken(['GroupMember.Read.All']);
    expect(calls.length).to.equal(2, 'other scopes, another token');
  });

  it('asks again when the kept token has less than two minutes left, or is not a JWT', async () => {
    const soon = counting((n) => jwt(90, n));
    const auth = bringYourOwnToken(soon.fn);
    const first = await auth.getToken(['Presence.Read.All']);
    const second = await auth.getToken(['Presence.Read.All']);
    expect(second).not.to.equal(first);
    expect(soon.calls.length).to.equal(2);
    const opaque = counting((n) => `opaque-${n}`);
    const other = bringYourOwnToken(opaque.fn);
    expect(await other.getToken(['Presence.Read.All'])).to.equal('opaque-1');
    expect(await other.getToken(['Presence.Read.All'])).to.equal('opaque-2');
  });

  it('forgets a token Graph refused', async () => {
    const { calls, fn } = counting((n) => jwt(3600, n));
    const auth = bringYourOwnToken(fn);
    const refused = await auth.getToken(['Presence.Read.All']);
    auth.invalidate!(refused);
    const fresh = await auth.getToken(['Presence.Read.All']);
    expect(fresh).not.to.equal(refused);
    expect(calls.length).to.equal(2);
  });

  it('with cache: false, the function is called every time', async () => {
    const { calls, fn } = counting((n) => jwt(3600, n));
    const auth = bringYourOwnToken(fn, { cache: false });
    await auth.getToken(['Presence.Read.All']);
    await auth.getToken(['Presence.Read.All']);
    expect(calls.length).to.equal(2);
  });

  it('one caller giving up does not cancel the call for the others', async () => {
    const { calls, fn } = counting((n) => jwt(3600, n));
    const auth = bringYourOwnToken(fn);
    const abort = new AbortController();
    const leaving = auth.getToken(['Presence.Read.All'], abort.signal);
    const staying = auth.getToken(['Presence.Read.All']);
    abort.abort();
    let error: unknown;
    await leaving.catch((e) => (error = e));
    expect((error as Error)?.name).to.equal('AbortError');
    expect(await staying).to.match(/^[\w-]+\.[\w-]+\.sig$/);
    expect(calls.length).to.equal(1);
  });

  it('a failure is not kept: the next call asks again; an empty token is a clear error', async () => {
    let fail = true;
    const auth = bringYourOwnToken(async () => {
      if (fail) throw new Error('backend down');
      return jwt(3600, 1);
    });
    let error: unknown;
    await auth.getToken(['Presence.Read.All']).catch((e) => (error = e));
    expect((error as Error).message).to.equal('backend down');
    fail = false;
    expect(await auth.getToken(['Presence.Read.All'])).to.contain('.sig');
    const empty = bringYourOwnToken(async () => '');
    error = undefined;
    await empty.getToken(['Presence.Read.All']).catch((e) => (error = e));
    expect((error as Error).message).to.equal('The token function returned no token.');
  });
});
