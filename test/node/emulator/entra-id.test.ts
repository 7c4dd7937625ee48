import assert from 'node:assert/strict';
import { createHash, createPublicKey, generateKeyPairSync, randomBytes } from 'node:crypto';
import { request } from 'node:https';
import { after, before, describe, test } from 'node:test';
import { DEMO_RELAY_CLIENT_ID, DEMO_RELAY_CLIENT_SECRET, DEMO_SPA_CLIENT_ID } from '../../../emulator/entra/clients.js';
import { EntraIdEmulator } from '../../../emulator/entra/entra-id.js';
import { decodeJwt, signRs256, verifyRs256 } from '../../../common/jwt.js';
import { Tenant } from '../../../emulator/tenant/tenant.js';
import { httpsTo, type Reply } from './entra-support.js';

const tenant = new Tenant({ seed: 'entra-tests', userCount: 50, teamSizes: [5] });
const adele = tenant.users[0]!;
let entra: EntraIdEmulator;
const ORIGIN = 'http://localhost:8080';
const REDIRECT = `${ORIGIN}/auth/redirect.html`;

before(async () => {
  entra = new EntraIdEmulator({ tenant, signInAs: adele.id });
  await entra.start();
});
after(() => entra.stop());

const https = (url: string, options?: Parameters<typeof httpsTo>[2]) => httpsTo(entra.tlsCertificate, url, options);

function form(values: Record<string, string>, extra: Record<string, string> = {}) {
  return {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: ORIGIN, ...extra },
    body: new URLSearchParams(values).toString(),
  };
}

function pkce() {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

async function authorize(
  params: Record<string, string>,
  cookie?: string,
): Promise<{ location: URL; cookie: string | undefined; reply: Reply }> {
  const url = new URL(`${entra.authority}/oauth2/v2.0/authorize`);
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  const reply = await https(url.toString(), { headers: cookie ? { cookie } : {} });
  const setCookie = reply.headers['set-cookie'];
  return {
    location: new URL(String(reply.headers.location ?? 'http://none/')),
    cookie: Array.isArray(setCookie) ? setCookie[0]!.split(';')[0] : undefined,
    reply,
  };
}

async function signIn(scope = 'openid profile offline_access User.Read Presence.Read.All') {
  const { verifier, challenge } = pkce();
  const { location, cookie } = await authorize({
    client_id: DEMO_SPA_CLIENT_ID,
    response_type: 'code',
    redirect_uri: REDIRECT,
    scope,
    state: 's1',
    nonce: 'n1',
    code_challenge: challenge,
    code_challenge_method: 'S256',
    response_mode: 'fragment',
  });
  const fragment = new URLSearchParams(location.hash.slice(1));
  return { code: fragment.get('code')!, verifier, fragment, cookie };
}

describe('discovery and keys', () => {
  test('the OpenID configuration names this tenant, by id, and its endpoints; the tenant-independent ones a template issuer', async () => {
    for (const name of [tenant.id, tenant.domain]) {
      const { status, json } = await https(`${entra.url}/${name}/v2.0/.well-known/openid-configuration`);
      assert.equal(status, 200);
      assert.equal(json.issuer, entra.issuer);
      assert.equal(json.authorization_endpoint, `${entra.url}/${tenant.id}/oauth2/v2.0/authorize`);
      assert.equal(json.jwks_uri, `${entra.url}/${tenant.id}/discovery/v2.0/keys`);
    }
    for (const name of ['common', 'organizations']) {
      const { status, json } = await https(`${entra.url}/${name}/v2.0/.well-known/openid-configuration`);
      assert.equal(status, 200);
      assert.equal(json.issuer, `${entra.url}/{tenantid}/v2.0`);
      assert.equal(json.token_endpoint, `${entra.url}/${name}/oauth2/v2.0/token`);
      const v1 = await https(`${entra.url}/${name}/.well-known/openid-configuration`);
      assert.equal(v1.json.issuer, 'https://sts.windows.net/{tenantid}/');
    }
    const v1 = await https(`${entra.url}/${tenant.id}/.well-known/openid-configuration`);
    assert.equal(v1.json.issuer, `https://sts.windows.net/${tenant.id}/`);
    assert.equal(v1.json.jwks_uri, `${entra.url}/common/discovery/keys`);
    assert.equal((await https(`${entra.url}/not-a-tenant/v2.0/.well-known/openid-configuration`)).status, 400);
  });

  test("each key is named by its certificate's SHA-1 thumbprint (kid = x5t), and verifies the tokens issued for APIs", async () => {
    const { json } = await https(`${entra.url}/${tenant.id}/discovery/v2.0/keys`);
    const key = json.keys[0];
    assert.equal(key.kty, 'RSA');
    const thumbprint = createHash('sha1').update(Buffer.from(key.x5c[0], 'base64')).digest('base64url');
    assert.equal(key.x5t, thumbprint);
    assert.equal(key.kid, thumbprint);
    assert.equal(key.issuer, entra.issuer);
    assert.equal(
      (await https(`${entra.url}/common/discovery/v2.0/keys`)).json.keys[0].issuer,
      `${entra.url}/{tenantid}/v2.0`,
    );
    assert.equal((await https(`${entra.url}/common/discovery/keys`)).json.keys[0].kid, thumbprint);
    const publicKey = createPublicKey({ key: { kty: 'RSA', n: key.n, e: key.e }, format: 'jwk' });
    const keyFor = (kid: string | undefined) => (kid === key.kid ? publicKey : undefined);
    const token = entra.issueToken({
      userId: adele.id,
      clientId: DEMO_SPA_CLIENT_ID,
      audience: `api://${DEMO_RELAY_CLIENT_ID}`,
      scopes: ['access_as_user'],
    });
    assert.equal(decodeJwt(token).header.kid, key.kid);
    assert.equal(verifyRs256(token, keyFor, { audience: `api://${DEMO_RELAY_CLIENT_ID}` }).claims.oid, adele.id);
    // Graph's tokens are Graph's to validate: their header nonce makes the published key refuse them, as Entra's do.
    const graphToken = entra.issueToken({
      userId: adele.id,
      clientId: DEMO_SPA_CLIENT_ID,
      audience: 'https://graph.microsoft.com',
      scopes: ['User.Read'],
    });
    assert.ok(decodeJwt(graphToken).header.nonce);
    assert.throws(() => verifyRs256(graphToken, keyFor, { audience: 'https://graph.microsoft.com' }), /signature/);
    assert.equal(entra.verifyAccessToken(graphToken, { audience: 'https://graph.microsoft.com' }).oid, adele.id);
  });
});

describe('authorization code with PKCE', () => {
  test("signs in and gives tokens with Entra's claims", async () => {
    const { code, verifier, fragment } = await signIn();
    assert.equal(fragment.get('state'), 's1');
    assert.deepEqual(JSON.parse(Buffer.from(fragment.get('client_info')!, 'base64url').toString()), {
      uid: adele.id,
      utid: tenant.id,
    });
    const { status, json } = await https(
      `${entra.authority}/oauth2/v2.0/token`,
      form({
        client_id: DEMO_SPA_CLIENT_ID,
        grant_type: 'authorization_code',
        code,
        code_verifier: verifier,
        redirect_uri: REDIRECT,
        scope: 'openid profile offline_access User.Read Presence.Read.All',
      }),
    );
    assert.equal(status, 200, JSON.stringify(json));
    assert.equal(json.token_type, 'Bearer');
    assert.ok(json.refresh_token);
    // Graph's tokens are v1.0, whichever endpoint issued them; the bare scope names Graph by its application id.
    const { header, claims: access } = decodeJwt(json.access_token);
    assert.equal(header.x5t, header.kid);
    assert.equal(access.aud, '00000003-0000-0000-c000-000000000000');
    assert.equal(access.iss, `https://sts.windows.net/${tenant.id}/`);
    assert.equal(access.ver, '1.0');
    assert.equal(access.tid, tenant.id);
    assert.equal(access.oid, adele.id);
    assert.equal(access.scp, 'User.Read Presence.Read.All');
    assert.equal(access.appid, DEMO_SPA_CLIENT_ID);
    assert.equal(access.appidacr, '0');
    assert.equal(access.upn, adele.userPrincipalName);
    assert.equal(access.unique_name, adele.userPrincipalName);
    assert.equal(access.name, adele.displayName);
    for (const v2Only of ['azp', 'azpacr', 'preferred_username']) assert.equal(access[v2Only], undefined, v2Only);
    assert.ok(typeof access.exp === 'number' && access.exp > Date.now() / 1000);
    // ID tokens come from the v2.0 endpoint, for the client.
    const id = decodeJwt(json.id_token);
    assert.equal(id.header.x5t, undefined);
    assert.equal(id.claims.aud, DEMO_SPA_CLIENT_ID);
    assert.equal(id.claims.iss, entra.issuer);
    assert.equal(id.claims.ver, '2.0');
    assert.equal(id.claims.nonce, 'n1');
    assert.equal(id.claims.preferred_username, adele.userPrincipalName);
    assert.deepEqual(
      entra.verifyAccessToken(json.access_token, {
        audience: ['https://graph.microsoft.com', '00000003-0000-0000-c000-000000000000'],
      }).oid,
      adele.id,
    );
  });

  test('a wrong code_verifier is refused', async () => {
    const { code } = await signIn();
    const { status, json } = await https(
      `${entra.authority}/oauth2/v2.0/token`,
      form({
        client_id: DEMO_SPA_CLIENT_ID,
        grant_type: 'authorization_code',
        code,
        code_verifier: 'wrong-verifier-wrong-verifier-wrong-verifier',
        redirect_uri: REDIRECT,
      }),
    );
    assert.equal(status, 400);
    assert.equal(json.error, 'invalid_grant');
    assert.match(json.error_description, /^AADSTS501481/);
  });

  test('a code works once', async () => {
    const { code, verifier } = await signIn();
    const body = {
      client_id: DEMO_SPA_CLIENT_ID,
      grant_type: 'authorization_code',
      code,
      code_verifier: verifier,
      redirect_uri: REDIRECT,
    };
    assert.equal((await https(`${entra.authority}/oauth2/v2.0/token`, form(body))).status, 200);
    assert.equal((await https(`${entra.authority}/oauth2/v2.0/token`, form(body))).json.error, 'invalid_grant');
  });

  test('a SPA code must be redeemed cross-origin', async () => {
    const { code, verifier } = await signIn();
    const { status, json } = await https(`${entra.authority}/oauth2/v2.0/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        client_id: DEMO_SPA_CLIENT_ID,
        grant_type: 'authorization_code',
        code,
        code_verifier: verifier,
        redirect_uri: REDIRECT,
      }).toString(),
    });
    assert.equal(status, 400);
    assert.match(json.error_description, /AADSTS9002327/);
  });

  test('PKCE is required, the redirect URI must be registered, the client must exist', async () => {
    const base = {
      client_id: DEMO_SPA_CLIENT_ID,
      response_type: 'code',
      redirect_uri: REDIRECT,
      scope: 'openid User.Read',
      state: 'x',
    };
    const noPkce = await authorize(base);
    assert.equal(new URLSearchParams(noPkce.location.search).get('error'), 'invalid_request');
    const badRedirect = await authorize({
      ...base,
      redirect_uri: 'https://evil.example/cb',
      code_challenge: pkce().challenge,
      code_challenge_method: 'S256',
    });
    assert.equal(badRedirect.reply.status, 400);
    assert.match(badRedirect.reply.text, /AADSTS50011/);
    const unknown = await authorize({ ...base, client_id: '00000000-0000-4000-8000-000000000000' });
    assert.match(unknown.reply.text, /AADSTS700016/);
  });

  test('PKCE for a SPA must be S256: plain, a challenge without a method, and no challenge at all are refused', async () => {
    const base = {
      client_id: DEMO_SPA_CLIENT_ID,
      response_type: 'code',
      redirect_uri: REDIRECT,
      scope: 'openid User.Read',
      state: 'p1',
      response_mode: 'fragment',
    };
    // With plain the challenge is the verifier itself, so whoever sees the authorization request can redeem the code.
    const { verifier } = pkce();
    const attempts = [
      { ...base, code_challenge: verifier, code_challenge_method: 'plain' },
      { ...base, code_challenge: verifier },
      { ...base, code_challenge_method: 'S256' },
      base,
    ];
    for (const params of attempts) {
      const { location, reply } = await authorize(params);
      assert.equal(reply.status, 302);
      const fragment = new URLSearchParams(location.hash.slice(1));
      assert.equal(fragment.get('error'), 'invalid_request', JSON.stringify(params));
      assert.match(fragment.get('error_description') ?? '', /^AADSTS9002325: /);
      assert.equal(fragment.get('state'), 'p1');
      assert.equal(fragment.get('code'), null);
    }
  });

  test('scopes of two resources in one request are refused', async () => {
    const { challenge } = pkce();
    const { location } = await authorize({
      client_id: DEMO_SPA_CLIENT_ID,
      response_type: 'code',
      redirect_uri: REDIRECT,
      scope: `User.Read api://${DEMO_RELAY_CLIENT_ID}/access_as_user`,
      code_challenge: challenge,
      code_challenge_method: 'S256',
    });
    assert.equal(new URLSearchParams(location.search).get('error'), 'invalid_request');
  });

  test('prompt=none signs in silently with the session cookie, and says login_required without it', async () => {
    const picker = new EntraIdEmulator({ tenant });
    await picker.start();
    try {
      const { challenge } = pkce();
      const params = {
        client_id: DEMO_SPA_CLIENT_ID,
        response_type: 'code',
        redirect_uri: REDIRECT,
        scope: 'openid User.Read',
        code_challenge: challenge,
        code_challenge_method: 'S256',
        response_mode: 'fragment',
        prompt: 'none',
      };
      const url = new URL(`${picker.authority}/oauth2/v2.0/authorize`);
      for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
      const get = (cookie?: string) =>
        new Promise<{ status: number; location?: string; cookie?: string; text: string }>((resolve, reject) => {
          const req = request(url, { ca: picker.tlsCertificate, headers: cookie ? { cookie } : {} }, (res) => {
            let text = '';
            res.on('data', (c) => (text += c));
            res.on('end', () =>
              resolve({
                status: res.statusCode!,
                location: res.headers.location,
                cookie: res.headers['set-cookie']?.[0]?.split(';')[0],
                text,
              }),
            );
          });
          req.on('error', reject);
          req.end();
        });
      const silent = await get();
      assert.equal(new URLSearchParams(new URL(silent.location!).hash.slice(1)).get('error'), 'login_required');
      url.searchParams.delete('prompt');
      const page = await get();
      assert.equal(page.status, 200);
      assert.match(page.text, /Pick an account/);
      url.searchParams.set('login_hint', adele.userPrincipalName);
      const signedIn = await get();
      assert.ok(signedIn.cookie);
      url.searchParams.delete('login_hint');
      url.searchParams.set('prompt', 'none');
      const again = await get(signedIn.cookie);
      assert.ok(new URLSearchParams(new URL(again.location!).hash.slice(1)).get('code'));
    } finally {
      await picker.stop();
    }
  });

  test('the account picker shows hostile names as text', async () => {
    const hostile = new Tenant({ seed: 'entra-tests', userCount: 50, teamSizes: [5] });
    hostile.users[0]!.displayName = '<img src=x onerror=alert(1)>';
    const picker = new EntraIdEmulator({ tenant: hostile });
    await picker.start();
    try {
      const { challenge } = pkce();
      const url = new URL(`${picker.authority}/oauth2/v2.0/authorize`);
      for (const [k, v] of Object.entries({
        client_id: DEMO_SPA_CLIENT_ID,
        response_type: 'code',
        redirect_uri: REDIRECT,
        scope: 'openid',
        code_challenge: challenge,
        code_challenge_method: 'S256',
      }))
        url.searchParams.set(k, v);
      const text = await new Promise<string>((resolve, reject) => {
        const req = request(url, { ca: picker.tlsCertificate }, (res) => {
          let t = '';
          res.on('data', (c) => (t += c));
          res.on('end', () => resolve(t));
        });
        req.on('error', reject);
        req.end();
      });
      assert.ok(!text.includes('<img src=x'));
      assert.ok(text.includes('&lt;img src=x onerror=alert(1)&gt;'));
    } finally {
      await picker.stop();
    }
  });
});

describe('other grants', () => {
  test('refresh tokens rotate, and the one spent stays usable: Entra does not revoke it', async () => {
    const { code, verifier } = await signIn();
    const first = (
      await https(
        `${entra.authority}/oauth2/v2.0/token`,
        form({
          client_id: DEMO_SPA_CLIENT_ID,
          grant_type: 'authorization_code',
          code,
          code_verifier: verifier,
          redirect_uri: REDIRECT,
          scope: 'openid offline_access User.Read',
        }),
      )
    ).json;
    const refreshed = await https(
      `${entra.authority}/oauth2/v2.0/token`,
      form({
        client_id: DEMO_SPA_CLIENT_ID,
        grant_type: 'refresh_token',
        refresh_token: first.refresh_token,
        scope: 'TeamMember.Read.All',
      }),
    );
    assert.equal(refreshed.status, 200);
    assert.equal(decodeJwt(refreshed.json.access_token).claims.scp, 'TeamMember.Read.All');
    assert.notEqual(refreshed.json.refresh_token, first.refresh_token);
    const reused = await https(
      `${entra.authority}/oauth2/v2.0/token`,
      form({ client_id: DEMO_SPA_CLIENT_ID, grant_type: 'refresh_token', refresh_token: first.refresh_token }),
    );
    assert.equal(reused.status, 200, JSON.stringify(reused.json));
    assert.equal(decodeJwt(reused.json.access_token).claims.oid, adele.id);
    const unknown = await https(
      `${entra.authority}/oauth2/v2.0/token`,
      form({ client_id: DEMO_SPA_CLIENT_ID, grant_type: 'refresh_token', refresh_token: 'not-a-refresh-token' }),
    );
    assert.equal(unknown.json.error, 'invalid_grant');
  });

  test('client_credentials gives roles and no scp, and needs the secret', async () => {
    const ok = await https(
      `${entra.authority}/oauth2/v2.0/token`,
      form({
        client_id: DEMO_RELAY_CLIENT_ID,
        client_secret: DEMO_RELAY_CLIENT_SECRET,
        grant_type: 'client_credentials',
        scope: 'https://graph.microsoft.com/.default',
      }),
    );
    assert.equal(ok.status, 200);
    const claims = decodeJwt(ok.json.access_token).claims;
    assert.deepEqual(claims.roles, ['User.Read.All']);
    assert.equal(claims.scp, undefined);
    assert.equal(claims.idtyp, 'app');
    assert.equal(claims.sub, claims.oid, "an app token's subject is its service principal");
    assert.equal(claims.appidacr, '1');
    assert.equal(claims.ver, '1.0');
    const bad = await https(
      `${entra.authority}/oauth2/v2.0/token`,
      form({
        client_id: DEMO_RELAY_CLIENT_ID,
        client_secret: 'nope',
        grant_type: 'client_credentials',
        scope: 'https://graph.microsoft.com/.default',
      }),
    );
    assert.equal(bad.status, 401);
    assert.equal(bad.json.error, 'invalid_client');
  });

  test('on-behalf-of turns a user token for the relay into a Graph token for the same user', async () => {
    const userToken = entra.issueToken({
      userId: adele.id,
      clientId: DEMO_SPA_CLIENT_ID,
      audience: `api://${DEMO_RELAY_CLIENT_ID}`,
      scopes: ['access_as_user'],
    });
    const obo = {
      client_id: DEMO_RELAY_CLIENT_ID,
      client_secret: DEMO_RELAY_CLIENT_SECRET,
      grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
      requested_token_use: 'on_behalf_of',
      scope: 'https://graph.microsoft.com/Presence.Read.All offline_access',
    };
    const ok = await https(`${entra.authority}/oauth2/v2.0/token`, form({ ...obo, assertion: userToken }));
    assert.equal(ok.status, 200, JSON.stringify(ok.json));
    const claims = decodeJwt(ok.json.access_token).claims;
    assert.equal(claims.oid, adele.id);
    assert.equal(claims.aud, 'https://graph.microsoft.com');
    assert.equal(claims.scp, 'Presence.Read.All');
    assert.equal(claims.appid, DEMO_RELAY_CLIENT_ID);
    assert.ok(ok.json.refresh_token);

    const graphToken = entra.issueToken({
      userId: adele.id,
      clientId: DEMO_SPA_CLIENT_ID,
      audience: 'https://graph.microsoft.com',
      scopes: ['User.Read'],
    });
    assert.equal(
      (await https(`${entra.authority}/oauth2/v2.0/token`, form({ ...obo, assertion: graphToken }))).json.error,
      'invalid_grant',
    );
    const expired = entra.issueToken({
      userId: adele.id,
      clientId: DEMO_SPA_CLIENT_ID,
      audience: `api://${DEMO_RELAY_CLIENT_ID}`,
      scopes: ['access_as_user'],
      lifetimeSeconds: -60,
    });
    assert.equal(
      (await https(`${entra.authority}/oauth2/v2.0/token`, form({ ...obo, assertion: expired }))).json.error,
      'invalid_grant',
    );
  });

  test('on-behalf-of is refused to a public client: a SPA holds no credential to prove who it is', async () => {
    // A token for the SPA itself, which it would otherwise be able to trade for a Graph token with no secret at all.
    const userToken = entra.issueToken({
      userId: adele.id,
      clientId: DEMO_SPA_CLIENT_ID,
      audience: DEMO_SPA_CLIENT_ID,
      scopes: ['access_as_user'],
    });
    const obo = {
      client_id: DEMO_SPA_CLIENT_ID,
      grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
      requested_token_use: 'on_behalf_of',
      scope: 'https://graph.microsoft.com/Presence.Read.All',
      assertion: userToken,
    };
    const bare = await https(`${entra.authority}/oauth2/v2.0/token`, form(obo));
    assert.equal(bare.status, 401, JSON.stringify(bare.json));
    assert.equal(bare.json.error, 'invalid_client');
    assert.match(bare.json.error_description, /^AADSTS7000218: /);
    assert.deepEqual(bare.json.error_codes, [7000218]);
    assert.equal(bare.json.access_token, undefined);
    const withSecret = await https(`${entra.authority}/oauth2/v2.0/token`, form({ ...obo, client_secret: 'made-up' }));
    assert.equal(withSecret.status, 401);
    assert.equal(withSecret.json.error, 'invalid_client');
    assert.match(withSecret.json.error_description, /^AADSTS700025: /);
  });

  test('on-behalf-of needs the confidential client to present a valid credential', async () => {
    const userToken = entra.issueToken({
      userId: adele.id,
      clientId: DEMO_SPA_CLIENT_ID,
      audience: `api://${DEMO_RELAY_CLIENT_ID}`,
      scopes: ['access_as_user'],
    });
    const obo = {
      client_id: DEMO_RELAY_CLIENT_ID,
      grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
      requested_token_use: 'on_behalf_of',
      scope: 'https://graph.microsoft.com/Presence.Read.All',
      assertion: userToken,
    };
    const refusals: Array<[Record<string, string>, number]> = [
      [{}, 7000218],
      [{ client_secret: 'not-the-secret' }, 7000215],
      [
        {
          client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
          client_assertion: 'eyJhbGciOiJub25lIn0.e30.',
        },
        700027,
      ],
    ];
    for (const [credential, code] of refusals) {
      const { status, json } = await https(`${entra.authority}/oauth2/v2.0/token`, form({ ...obo, ...credential }));
      assert.equal(status, 401, JSON.stringify(json));
      assert.equal(json.error, 'invalid_client');
      assert.deepEqual(json.error_codes, [code]);
      assert.match(json.error_description, new RegExp(`^AADSTS${code}: `));
    }
    const basic = `Basic ${Buffer.from(`${DEMO_RELAY_CLIENT_ID}:${encodeURIComponent(DEMO_RELAY_CLIENT_SECRET)}`).toString('base64')}`;
    assert.equal(
      (await https(`${entra.authority}/oauth2/v2.0/token`, form(obo, { authorization: basic }))).status,
      200,
    );
  });
});

describe('verifyAccessToken', () => {
  test('refuses forged, expired and wrong-audience tokens, and app tokens unless allowed', () => {
    const good = entra.issueToken({
      userId: adele.id,
      clientId: DEMO_SPA_CLIENT_ID,
      audience: 'https://graph.microsoft.com',
      scopes: ['User.Read'],
    });
    assert.equal(entra.verifyAccessToken(good, { audience: 'https://graph.microsoft.com' }).oid, adele.id);
    const claims = decodeJwt(good).claims;
    const forged = signRs256(
      claims,
      generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey,
      String(decodeJwt(good).header.kid),
    );
    assert.throws(() => entra.verifyAccessToken(forged, { audience: 'https://graph.microsoft.com' }), /signature/);
    const expired = entra.issueToken({
      userId: adele.id,
      clientId: DEMO_SPA_CLIENT_ID,
      audience: 'https://graph.microsoft.com',
      scopes: ['User.Read'],
      lifetimeSeconds: -1,
    });
    assert.throws(() => entra.verifyAccessToken(expired, { audience: 'https://graph.microsoft.com' }), /expired/);
    assert.throws(() => entra.verifyAccessToken(good, { audience: 'api://other' }), /audience/);
    const app = entra.issueToken({
      clientId: DEMO_RELAY_CLIENT_ID,
      audience: 'https://graph.microsoft.com',
      roles: ['User.Read.All'],
    });
    assert.throws(() => entra.verifyAccessToken(app, { audience: 'https://graph.microsoft.com' }), /user token/);
    assert.ok(entra.verifyAccessToken(app, { audience: 'https://graph.microsoft.com', allowAppTokens: true }));
  });
});
