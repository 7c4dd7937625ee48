// Refresh-token lifetimes as Entra keeps them, on the local cloud's clock: a single-page app's last 24 hours from the
// sign-in, through every refresh; other clients' 90 days from their last use; revoked ones say so. The control API's
// clock moves Entra ID and Graph together.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { decodeJwt } from '../../../common/jwt.js';
import { DEMO_RELAY_CLIENT_ID, DEMO_RELAY_CLIENT_SECRET, DEMO_SPA_CLIENT_ID } from '../../../emulator/entra/clients.js';
import { startEmulators, type Emulators } from '../../../emulator/index.js';
import { httpsTo } from './entra-support.js';

const ORIGIN = 'http://localhost:8080';
const REDIRECT = `${ORIGIN}/auth/redirect.html`;
const HOUR = 3600;
let cloud: Emulators;

before(async () => {
  cloud = await startEmulators({ simulatorRate: 0, tenant: { seed: 'entra-refresh', userCount: 20, teamSizes: [5] } });
});
after(() => cloud.stop());

const user = () => cloud.tenant.users[0]!;
const advance = async (seconds: number) => {
  const res = await fetch(`${cloud.control.url}/clock/advance`, { method: 'POST', body: JSON.stringify({ seconds }) });
  assert.equal(res.status, 200);
};
const token = (values: Record<string, string>, headers: Record<string, string> = { origin: ORIGIN }) =>
  httpsTo(cloud.entra.tlsCertificate, `${cloud.entra.authority}/oauth2/v2.0/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(values).toString(),
  });
const refresh = (refreshToken: string) =>
  token({
    client_id: DEMO_SPA_CLIENT_ID,
    grant_type: 'refresh_token',
    refresh_token: refreshToken,
    scope: 'openid offline_access User.Read',
  });
const me = (accessToken: string) =>
  fetch(`${cloud.graph.url}/v1.0/me`, { headers: { authorization: `Bearer ${accessToken}` } });

/** The SPA's interactive sign-in: a code, redeemed cross-origin with PKCE. */
async function signIn(): Promise<{ access_token: string; refresh_token: string }> {
  const verifier = randomBytes(32).toString('base64url');
  const url = new URL(`${cloud.entra.authority}/oauth2/v2.0/authorize`);
  const params = {
    client_id: DEMO_SPA_CLIENT_ID,
    response_type: 'code',
    redirect_uri: REDIRECT,
    scope: 'openid offline_access User.Read',
    response_mode: 'fragment',
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
  };
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  const code = new URLSearchParams(
    new URL(String((await httpsTo(cloud.entra.tlsCertificate, url.toString())).headers.location)).hash.slice(1),
  ).get('code')!;
  const reply = await token({
    client_id: DEMO_SPA_CLIENT_ID,
    grant_type: 'authorization_code',
    code,
    code_verifier: verifier,
    redirect_uri: REDIRECT,
    scope: params.scope,
  });
  assert.equal(reply.status, 200, JSON.stringify(reply.json));
  return reply.json;
}

describe("a single-page app's refresh tokens", () => {
  test("keep the first sign-in's 24 hours through refreshes, then answer AADSTS700084", async () => {
    const first = await signIn();
    await advance(20 * HOUR);
    const second = await refresh(first.refresh_token);
    assert.equal(second.status, 200, JSON.stringify(second.json));
    await advance(3 * HOUR);
    const third = await refresh(second.json.refresh_token);
    assert.equal(third.status, 200, JSON.stringify(third.json));
    // 24 hours after the sign-in, every refresh token of it has expired: the last one too, though only an hour old.
    await advance(HOUR);
    for (const spent of [third.json.refresh_token, second.json.refresh_token, first.refresh_token]) {
      const expired = await refresh(spent);
      assert.equal(expired.status, 400);
      assert.equal(expired.json.error, 'invalid_grant');
      assert.deepEqual(expired.json.error_codes, [700084]);
      assert.match(
        expired.json.error_description,
        /^AADSTS700084: The refresh token was issued to a single page app \(SPA\), and therefore has a fixed, limited lifetime of 1\.00:00:00, which cannot be extended\. It is now expired and a new sign in request must be sent by the SPA to the sign in page\. The token was issued on /,
      );
    }
    // A new sign-in starts a new 24 hours.
    const again = await signIn();
    assert.equal((await refresh(again.refresh_token)).status, 200);
  });

  test('the one a refresh replaced stays usable until then', async () => {
    const first = await signIn();
    const second = await refresh(first.refresh_token);
    assert.equal(second.status, 200);
    const reused = await refresh(first.refresh_token);
    assert.equal(reused.status, 200, JSON.stringify(reused.json));
    assert.equal(decodeJwt(reused.json.access_token).claims.oid, user().id);
  });

  test('revoked sessions: AADSTS50173 for every refresh token of the user', async () => {
    const first = await signIn();
    const second = await refresh(first.refresh_token);
    cloud.entra.revokeSignInSessions(user().id);
    for (const revoked of [first.refresh_token, second.json.refresh_token]) {
      const reply = await refresh(revoked);
      assert.equal(reply.json.error, 'invalid_grant');
      assert.deepEqual(reply.json.error_codes, [50173]);
    }
  });
});

test("a confidential client's refresh token lasts 90 days from its last use, and each use gives 90 more", async () => {
  const assertion = cloud.entra.issueToken({
    userId: cloud.tenant.users[1]!.id,
    clientId: DEMO_SPA_CLIENT_ID,
    audience: `api://${DEMO_RELAY_CLIENT_ID}`,
    scopes: ['access_as_user'],
  });
  const relay = { client_id: DEMO_RELAY_CLIENT_ID, client_secret: DEMO_RELAY_CLIENT_SECRET };
  const obo = await token(
    {
      ...relay,
      grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
      requested_token_use: 'on_behalf_of',
      assertion,
      scope: 'https://graph.microsoft.com/Presence.Read.All offline_access',
    },
    {},
  );
  assert.equal(obo.status, 200, JSON.stringify(obo.json));
  await advance(89 * 24 * HOUR);
  const renewed = await token(
    {
      ...relay,
      grant_type: 'refresh_token',
      refresh_token: obo.json.refresh_token,
      scope: 'https://graph.microsoft.com/Presence.Read.All offline_access',
    },
    {},
  );
  assert.equal(renewed.status, 200, JSON.stringify(renewed.json));
  await advance(89 * 24 * HOUR);
  const stillFresh = await token(
    {
      ...relay,
      grant_type: 'refresh_token',
      refresh_token: renewed.json.refresh_token,
      scope: 'https://graph.microsoft.com/Presence.Read.All offline_access',
    },
    {},
  );
  assert.equal(stillFresh.status, 200, JSON.stringify(stillFresh.json));
  // The first one lay unused for 178 days.
  const stale = await token({ ...relay, grant_type: 'refresh_token', refresh_token: obo.json.refresh_token }, {});
  assert.deepEqual([stale.json.error, stale.json.error_codes], ['invalid_grant', [700082]]);
});

test("the control API's clock moves Entra ID and Graph together: a token expires at Graph, and a new one works", async () => {
  const { access_token, refresh_token } = await signIn();
  assert.equal((await me(access_token)).status, 200);
  await advance(2 * HOUR);
  assert.equal((await me(access_token)).status, 401, 'the access token has expired on the moved clock');
  const renewed = await refresh(refresh_token);
  assert.equal(renewed.status, 200, JSON.stringify(renewed.json));
  const claims = decodeJwt(renewed.json.access_token).claims;
  assert.ok(Math.abs((claims.iat as number) * 1000 - cloud.graph.clock.now()) < 60_000, 'issued at the moved time');
  assert.equal((await me(renewed.json.access_token)).status, 200, 'and Graph takes it');
});
