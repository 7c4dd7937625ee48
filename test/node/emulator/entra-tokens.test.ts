// The tokens the Entra ID emulator issues, by the rules of the real service: the resource decides the access token's
// version (Graph and default APIs v1.0, an API registered with accessTokenAcceptedVersion 2 v2.0), validation tokens
// are Graph change tracking's v1.0 tokens, clients authenticate with client_secret_post or client_secret_basic, and
// errors come in Entra's shape.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { decodeJwt } from '../../../common/jwt.js';
import {
  DEFAULT_CLIENTS,
  DEMO_RELAY_CLIENT_ID,
  DEMO_RELAY_CLIENT_SECRET,
  DEMO_SPA_CLIENT_ID,
  type ClientApp,
} from '../../../emulator/entra/clients.js';
import { EntraIdEmulator } from '../../../emulator/entra/entra-id.js';
import { Tenant } from '../../../emulator/tenant/tenant.js';
import { httpsTo } from './entra-support.js';

const tenant = new Tenant({ seed: 'entra-tokens', userCount: 20, teamSizes: [5] });
const adele = tenant.users[0]!;
const ORIGIN = 'http://localhost:8080';
const REDIRECT = `${ORIGIN}/auth/redirect.html`;
const V2_API_ID = '3d9a61f4-7b2e-4c58-9e0a-5f16c2b7d804';
const V2_API_SECRET = 'a+b:c%d e';
const v2Api: ClientApp = {
  clientId: V2_API_ID,
  name: 'An API on v2.0 tokens',
  type: 'web',
  redirectUris: ['http://localhost:*'],
  secret: V2_API_SECRET,
  exposedScopes: [`api://${V2_API_ID}/access_as_user`],
  accessTokenAcceptedVersion: 2,
};
const GRAPH_APP_ID = '00000003-0000-0000-c000-000000000000';
const CHANGE_TRACKING_APP_ID = '0bf30f3b-4a52-48df-9a82-234910c4a086';
let entra: EntraIdEmulator;

before(async () => {
  entra = new EntraIdEmulator({ tenant, signInAs: adele.id, clients: [...DEFAULT_CLIENTS, v2Api] });
  await entra.start();
});
after(() => entra.stop());

const tokenEndpoint = () => `${entra.authority}/oauth2/v2.0/token`;
const post = (values: Record<string, string>, headers: Record<string, string> = {}) =>
  httpsTo(entra.tlsCertificate, tokenEndpoint(), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(values).toString(),
  });
const basic = (id: string, secret: string) =>
  `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;

/** The SPA signs the user in for `scope` (PKCE, cross-origin redemption) and gets the token response. */
async function spaSignIn(
  scope: string,
  cookie?: string,
): Promise<{ json: any; cookie: string | undefined; error?: string | null }> {
  const verifier = randomBytes(32).toString('base64url');
  const url = new URL(`${entra.authority}/oauth2/v2.0/authorize`);
  const params = {
    client_id: DEMO_SPA_CLIENT_ID,
    response_type: 'code',
    redirect_uri: REDIRECT,
    scope,
    response_mode: 'fragment',
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
    ...(cookie ? { prompt: 'none' } : {}),
  };
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  const reply = await httpsTo(entra.tlsCertificate, url.toString(), { headers: cookie ? { cookie } : {} });
  const fragment = new URLSearchParams(new URL(String(reply.headers.location)).hash.slice(1));
  const setCookie = reply.headers['set-cookie'];
  const newCookie = Array.isArray(setCookie) ? setCookie[0]!.split(';')[0] : undefined;
  if (!fragment.get('code')) return { json: undefined, cookie: newCookie, error: fragment.get('error') };
  const redeemed = await post(
    {
      client_id: DEMO_SPA_CLIENT_ID,
      grant_type: 'authorization_code',
      code: fragment.get('code')!,
      code_verifier: verifier,
      redirect_uri: REDIRECT,
      scope,
    },
    { origin: ORIGIN },
  );
  assert.equal(redeemed.status, 200, JSON.stringify(redeemed.json));
  return { json: redeemed.json, cookie: newCookie };
}

describe('access token versions', () => {
  test('Graph: v1.0, for Graph as the request named it', async () => {
    const bare = decodeJwt((await spaSignIn('openid profile offline_access User.Read')).json.access_token);
    assert.equal(bare.claims.aud, GRAPH_APP_ID);
    const named = decodeJwt((await spaSignIn('openid https://graph.microsoft.com/User.Read')).json.access_token);
    assert.equal(named.claims.aud, 'https://graph.microsoft.com');
    for (const { header, claims } of [bare, named]) {
      assert.equal(claims.ver, '1.0');
      assert.equal(claims.iss, `https://sts.windows.net/${tenant.id}/`);
      assert.equal(claims.appid, DEMO_SPA_CLIENT_ID);
      assert.equal(claims.appidacr, '0', 'a public client');
      assert.equal(claims.upn, adele.userPrincipalName);
      assert.equal(claims.idtyp, 'user');
      assert.equal(header.x5t, header.kid);
    }
  });

  test('an API keeping the default accessTokenAcceptedVersion: v1.0, its App ID URI as audience', async () => {
    const { header, claims } = decodeJwt(
      (await spaSignIn(`api://${DEMO_RELAY_CLIENT_ID}/access_as_user`)).json.access_token,
    );
    assert.equal(claims.aud, `api://${DEMO_RELAY_CLIENT_ID}`);
    assert.equal(claims.iss, `https://sts.windows.net/${tenant.id}/`);
    assert.equal(claims.ver, '1.0');
    assert.equal(claims.appid, DEMO_SPA_CLIENT_ID);
    assert.equal(claims.scp, 'access_as_user');
    assert.equal(claims.oid, adele.id);
    assert.equal(claims.upn, adele.userPrincipalName);
    assert.equal(claims.azp, undefined);
    assert.equal(header.x5t, header.kid);
  });

  test('an API registered with accessTokenAcceptedVersion 2: v2.0, its client id as audience, azp and no appid', async () => {
    const { header, claims } = decodeJwt((await spaSignIn(`api://${V2_API_ID}/access_as_user`)).json.access_token);
    assert.equal(claims.aud, V2_API_ID);
    assert.equal(claims.iss, entra.issuer);
    assert.equal(claims.ver, '2.0');
    assert.equal(claims.azp, DEMO_SPA_CLIENT_ID);
    assert.equal(claims.azpacr, '0');
    assert.equal(claims.preferred_username, adele.userPrincipalName);
    assert.equal(claims.scp, 'access_as_user');
    for (const v1Only of ['appid', 'appidacr', 'upn', 'unique_name']) assert.equal(claims[v1Only], undefined, v1Only);
    assert.equal(header.x5t, undefined, 'x5t is a v1.0 header');
  });

  test('on-behalf-of takes a v2.0 token for the API (aud its client id) and gives a v1.0 Graph token', async () => {
    const assertion = (await spaSignIn(`api://${V2_API_ID}/access_as_user`)).json.access_token;
    const reply = await post({
      client_id: V2_API_ID,
      client_secret: V2_API_SECRET,
      grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
      requested_token_use: 'on_behalf_of',
      assertion,
      scope: 'https://graph.microsoft.com/Presence.Read.All offline_access',
    });
    assert.equal(reply.status, 200, JSON.stringify(reply.json));
    const claims = decodeJwt(reply.json.access_token).claims;
    assert.deepEqual(
      [claims.ver, claims.aud, claims.appid, claims.appidacr, claims.oid],
      ['1.0', 'https://graph.microsoft.com', V2_API_ID, '1', adele.id],
    );
  });

  test('client_credentials: an app token, v1.0 for Graph, v2.0 for the v2.0 API', async () => {
    const graph = decodeJwt(
      (
        await post({
          client_id: V2_API_ID,
          client_secret: V2_API_SECRET,
          grant_type: 'client_credentials',
          scope: 'https://graph.microsoft.com/.default',
        })
      ).json.access_token,
    ).claims;
    assert.deepEqual(
      [graph.ver, graph.appid, graph.appidacr, graph.idtyp, graph.scp],
      ['1.0', V2_API_ID, '1', 'app', undefined],
    );
    const api = decodeJwt(
      (
        await post({
          client_id: DEMO_RELAY_CLIENT_ID,
          client_secret: DEMO_RELAY_CLIENT_SECRET,
          grant_type: 'client_credentials',
          scope: `api://${V2_API_ID}/.default`,
        })
      ).json.access_token,
    ).claims;
    assert.deepEqual(
      [api.ver, api.aud, api.azp, api.azpacr, api.iss],
      ['2.0', V2_API_ID, DEMO_RELAY_CLIENT_ID, '1', entra.issuer],
    );
  });

  test('verifyAccessToken takes both versions, each from its own issuer only', () => {
    const v1 = entra.issueToken({
      userId: adele.id,
      clientId: DEMO_SPA_CLIENT_ID,
      audience: `api://${DEMO_RELAY_CLIENT_ID}`,
      scopes: ['access_as_user'],
    });
    const v2 = entra.issueToken({
      userId: adele.id,
      clientId: DEMO_SPA_CLIENT_ID,
      audience: `api://${V2_API_ID}`,
      scopes: ['access_as_user'],
    });
    assert.equal(entra.verifyAccessToken(v1, { audience: `api://${DEMO_RELAY_CLIENT_ID}` }).ver, '1.0');
    assert.equal(entra.verifyAccessToken(v2, { audience: V2_API_ID }).ver, '2.0');
    assert.throws(() => entra.verifyAccessToken(v2, { audience: `api://${V2_API_ID}` }), /audience/);
  });
});

test("a validation token is Graph change tracking's v1.0 token for the subscribing app", () => {
  const { header, claims } = decodeJwt(entra.issueGraphValidationToken(DEMO_RELAY_CLIENT_ID));
  assert.equal(claims.aud, DEMO_RELAY_CLIENT_ID);
  assert.equal(claims.iss, `https://sts.windows.net/${tenant.id}/`);
  assert.equal(claims.ver, '1.0');
  assert.equal(claims.appid, CHANGE_TRACKING_APP_ID);
  assert.equal(claims.appidacr, '2');
  assert.equal(claims.tid, tenant.id);
  assert.equal(claims.azp, undefined);
  assert.ok(typeof claims.exp === 'number' && typeof claims.nbf === 'number' && claims.exp > claims.nbf);
  assert.equal(header.x5t, header.kid);
});

describe('client authentication at the token endpoint', () => {
  const credentials = { grant_type: 'client_credentials', scope: 'https://graph.microsoft.com/.default' };

  test('client_secret_basic: the client id and secret, form-encoded, in the Authorization header only', async () => {
    const reply = await post(credentials, { authorization: basic(V2_API_ID, V2_API_SECRET) });
    assert.equal(reply.status, 200, JSON.stringify(reply.json));
    assert.equal(decodeJwt(reply.json.access_token).claims.appid, V2_API_ID);
    const wrong = await post(credentials, { authorization: basic(V2_API_ID, 'a+b:c%d') });
    assert.equal(wrong.status, 401);
    assert.deepEqual([wrong.json.error, wrong.json.error_codes], ['invalid_client', [7000215]]);
  });

  test('client_secret_post still works; both at once, or two client ids, are refused', async () => {
    assert.equal((await post({ ...credentials, client_id: V2_API_ID, client_secret: V2_API_SECRET })).status, 200);
    const twice = await post(
      { ...credentials, client_id: V2_API_ID, client_secret: V2_API_SECRET },
      { authorization: basic(V2_API_ID, V2_API_SECRET) },
    );
    assert.equal(twice.status, 400);
    assert.equal(twice.json.error, 'invalid_request');
    const mismatch = await post(
      { ...credentials, client_id: DEMO_RELAY_CLIENT_ID },
      { authorization: basic(V2_API_ID, V2_API_SECRET) },
    );
    assert.equal(mismatch.status, 400);
  });
});

test("an error answer has Entra's fields: error, AADSTS description with its trace, codes, timestamp, ids, error_uri", async () => {
  const { status, json } = await post({
    client_id: DEMO_RELAY_CLIENT_ID,
    client_secret: 'wrong',
    grant_type: 'client_credentials',
    scope: 'https://graph.microsoft.com/.default',
  });
  assert.equal(status, 401);
  assert.equal(json.error, 'invalid_client');
  assert.deepEqual(json.error_codes, [7000215]);
  assert.match(json.timestamp, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ$/);
  const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
  assert.match(json.trace_id, uuid);
  assert.match(json.correlation_id, uuid);
  assert.equal(
    json.error_description,
    `AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID.\r\nTrace ID: ${json.trace_id}\r\nCorrelation ID: ${json.correlation_id}\r\nTimestamp: ${json.timestamp}`,
  );
  assert.equal(json.error_uri, 'https://login.microsoftonline.com/error?code=7000215');
});

test('prompt=none signs in only with the session cookie, even when a user signs in by themselves interactively', async () => {
  const silentWithout = await spaSignIn('openid User.Read', 'esctx=not-a-session');
  assert.equal(silentWithout.error, 'login_required');
  const { cookie } = await spaSignIn('openid User.Read');
  assert.ok(cookie);
  const silent = await spaSignIn('openid User.Read', cookie);
  assert.equal(decodeJwt(silent.json.access_token).claims.oid, adele.id);
});
