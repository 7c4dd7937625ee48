// The Entra ID emulator driven by clients we did not write, expecting what they get from Microsoft Entra ID:
// openid-client (discovery, client_credentials with client_secret_basic and client_secret_post, authorization code
// with PKCE and ID token validation, refresh_token, errors) and jose (the tenant's remote key set, v1.0 and v2.0
// access tokens, Graph's validation tokens). The emulator's self-signed certificate is trusted through each client's
// custom fetch. Each expectation is the real service's, from Microsoft's documentation.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as jose from 'jose';
import * as client from 'openid-client';
import {
  DEFAULT_CLIENTS,
  DEMO_RELAY_CLIENT_ID,
  DEMO_RELAY_CLIENT_SECRET,
  DEMO_SPA_CLIENT_ID,
  type ClientApp,
} from '../../../emulator/entra/clients.js';
import { EntraIdEmulator } from '../../../emulator/entra/entra-id.js';
import { Clock } from '../../../emulator/shared/clock.js';
import { Tenant } from '../../../emulator/tenant/tenant.js';
import { fetchTrusting } from './trusting-fetch.js';

const tenant = new Tenant({ seed: 'entra-fidelity', userCount: 20, teamSizes: [5] });
const adele = tenant.users[0]!;
const clock = new Clock();
// An API registered with `accessTokenAcceptedVersion: 2`, beside the relay's API, which keeps the default.
const V2_API_ID = '6a0f2c9e-5d41-4b8a-93e7-0c2b8f5d1a47';
const v2Api: ClientApp = {
  clientId: V2_API_ID,
  name: 'v2.0 API',
  type: 'web',
  redirectUris: [],
  secret: 'v2-api-secret',
  exposedScopes: [`api://${V2_API_ID}/access_as_user`],
  accessTokenAcceptedVersion: 2,
};
const CHANGE_TRACKING_APP_ID = '0bf30f3b-4a52-48df-9a82-234910c4a086';
const ORIGIN = 'http://localhost:8080';
let entra: EntraIdEmulator;
let trusting: ReturnType<typeof fetchTrusting>;

before(async () => {
  entra = new EntraIdEmulator({ tenant, signInAs: adele.id, clients: [...DEFAULT_CLIENTS, v2Api], clock });
  await entra.start();
  trusting = fetchTrusting(entra.tlsCertificate);
});
after(() => entra.stop());

/**
 * openid-client configured by the tenant's v2.0 discovery document, its clock agreeing with the emulator's (which
 * tests move forward).
 */
function discover(clientId: string, auth: client.ClientAuth, fetchImpl = trusting): Promise<client.Configuration> {
  return client.discovery(
    new URL(`${entra.authority}/v2.0`),
    clientId,
    { [client.clockSkew]: Math.round(clock.offset / 1000) },
    auth,
    { [client.customFetch]: fetchImpl },
  );
}

const remoteKeys = (jwksUri: string) => jose.createRemoteJWKSet(new URL(jwksUri), { [jose.customFetch]: trusting });
/** jose's checks of a token's times, on the emulator's clock. */
const onTime = () => ({ currentDate: new Date(clock.now()) });

/** A metadata document fetched as a validating API would, by its well-known address. */
async function metadata(path: string): Promise<Record<string, any>> {
  const res = await trusting(`${entra.url}/${path}`);
  assert.equal(res.status, 200);
  return res.json();
}

/** Follows an authorization request as a browser would, to the redirect back; the URL it lands on. */
async function authorize(url: URL, cookie?: string): Promise<URL> {
  const res = await trusting(url.toString(), { redirect: 'manual', headers: cookie ? { cookie } : {} });
  assert.equal(res.status, 302, await res.text());
  return new URL(res.headers.get('location')!);
}

describe('discovery (openid-client)', () => {
  test("the tenant's v2.0 document: its issuer is where it was found, and both client secret methods are offered", async () => {
    const config = await discover(DEMO_RELAY_CLIENT_ID, client.ClientSecretBasic(DEMO_RELAY_CLIENT_SECRET));
    const server = config.serverMetadata();
    assert.equal(server.issuer, `${entra.authority}/v2.0`);
    assert.equal(server.token_endpoint, `${entra.authority}/oauth2/v2.0/token`);
    assert.equal(server.jwks_uri, `${entra.authority}/discovery/v2.0/keys`);
    assert.ok(server.token_endpoint_auth_methods_supported?.includes('client_secret_basic'));
    assert.ok(server.token_endpoint_auth_methods_supported?.includes('client_secret_post'));
    assert.deepEqual(server.id_token_signing_alg_values_supported, ['RS256']);
  });

  test('common and organizations name the issuer template https://<host>/{tenantid}/v2.0', async () => {
    for (const name of ['common', 'organizations']) {
      const config = await client.discovery(
        new URL(`${entra.url}/${name}/v2.0/.well-known/openid-configuration`),
        DEMO_RELAY_CLIENT_ID,
        undefined,
        client.None(),
        { [client.customFetch]: trusting },
      );
      assert.equal(config.serverMetadata().issuer, `${entra.url}/{tenantid}/v2.0`);
      assert.equal(
        (await metadata(`${name}/.well-known/openid-configuration`)).issuer,
        'https://sts.windows.net/{tenantid}/',
      );
    }
  });
});

describe('client_credentials (openid-client)', () => {
  for (const [method, auth] of [
    ['client_secret_basic', client.ClientSecretBasic],
    ['client_secret_post', client.ClientSecretPost],
  ] as const) {
    test(`${method}: an app-only Graph token, v1.0`, async () => {
      const config = await discover(DEMO_RELAY_CLIENT_ID, auth(DEMO_RELAY_CLIENT_SECRET));
      const tokens = await client.clientCredentialsGrant(config, { scope: 'https://graph.microsoft.com/.default' });
      assert.equal(tokens.token_type.toLowerCase(), 'bearer');
      assert.ok(tokens.expires_in! >= 3600 && tokens.expires_in! <= 5400, `60 to 90 minutes: ${tokens.expires_in}`);
      const claims = jose.decodeJwt(tokens.access_token);
      assert.equal(claims.iss, `https://sts.windows.net/${tenant.id}/`);
      assert.equal(claims.ver, '1.0');
      assert.equal(claims.aud, 'https://graph.microsoft.com');
      assert.equal(claims.appid, DEMO_RELAY_CLIENT_ID);
      assert.equal(claims.appidacr, '1');
      assert.equal(claims.idtyp, 'app');
      assert.deepEqual(claims.roles, ['User.Read.All']);
      assert.equal(claims.scp, undefined);
    });
  }

  test("a token for the v2.0 API: v2.0, its client id as audience, verified with the tenant's keys", async () => {
    const config = await discover(DEMO_RELAY_CLIENT_ID, client.ClientSecretBasic(DEMO_RELAY_CLIENT_SECRET));
    const tokens = await client.clientCredentialsGrant(config, { scope: `api://${V2_API_ID}/.default` });
    const { payload } = await jose.jwtVerify(tokens.access_token, remoteKeys(config.serverMetadata().jwks_uri!), {
      issuer: config.serverMetadata().issuer,
      audience: V2_API_ID,
      algorithms: ['RS256'],
      ...onTime(),
    });
    assert.deepEqual([payload.ver, payload.azp, payload.azpacr], ['2.0', DEMO_RELAY_CLIENT_ID, '1']);
  });
});

describe('authorization code and refresh_token (openid-client)', () => {
  const REDIRECT = 'http://localhost:3000/callback';

  async function signIn(config: client.Configuration, scope: string) {
    const verifier = client.randomPKCECodeVerifier();
    const nonce = client.randomNonce();
    const state = client.randomState();
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: REDIRECT,
      scope,
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      nonce,
      state,
    });
    const back = await authorize(url);
    return client.authorizationCodeGrant(config, back, {
      pkceCodeVerifier: verifier,
      expectedNonce: nonce,
      expectedState: state,
      idTokenExpected: true,
    });
  }

  test("the ID token passes openid-client's validation, its signature checked against the keys", async () => {
    const config = await discover(DEMO_RELAY_CLIENT_ID, client.ClientSecretPost(DEMO_RELAY_CLIENT_SECRET));
    client.enableNonRepudiationChecks(config);
    const tokens = await signIn(config, 'openid profile offline_access User.Read');
    const id = tokens.claims()!;
    assert.equal(id.iss, `${entra.authority}/v2.0`);
    assert.equal(id.aud, DEMO_RELAY_CLIENT_ID);
    assert.equal(id.ver, '2.0');
    assert.equal(id.oid, adele.id);
    assert.equal(id.tid, tenant.id);
    assert.equal(id.preferred_username, adele.userPrincipalName);
    assert.ok(tokens.refresh_token);
  });

  test('refresh_token: new tokens and a new refresh token; the one spent keeps working', async () => {
    const config = await discover(DEMO_RELAY_CLIENT_ID, client.ClientSecretBasic(DEMO_RELAY_CLIENT_SECRET));
    const first = await signIn(config, 'openid profile offline_access User.Read');
    const second = await client.refreshTokenGrant(config, first.refresh_token!, {
      scope: 'openid offline_access Presence.Read.All',
    });
    assert.notEqual(second.refresh_token, first.refresh_token);
    assert.equal(jose.decodeJwt(second.access_token).scp, 'Presence.Read.All');
    assert.equal(second.claims()?.oid, adele.id, 'the refreshed ID token validates too');
    const again = await client.refreshTokenGrant(config, first.refresh_token!);
    assert.equal(jose.decodeJwt(again.access_token).oid, adele.id);
  });

  test("a single-page app's refresh token ends 24 hours after the sign-in: invalid_grant, AADSTS700084", async () => {
    // A browser sends the Origin header; Entra redeems a SPA's codes and refresh tokens only cross-origin.
    const spa = () =>
      discover(DEMO_SPA_CLIENT_ID, client.None(), fetchTrusting(entra.tlsCertificate, { origin: ORIGIN }));
    const config = await spa();
    const verifier = client.randomPKCECodeVerifier();
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: `${ORIGIN}/redirect.html`,
      scope: 'openid offline_access User.Read',
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state: 's',
    });
    const tokens = await client.authorizationCodeGrant(config, await authorize(url), {
      pkceCodeVerifier: verifier,
      expectedState: 's',
    });
    clock.advance(23 * 3600_000);
    const refreshed = await client.refreshTokenGrant(await spa(), tokens.refresh_token!);
    clock.advance(3600_000);
    await assert.rejects(
      client.refreshTokenGrant(await spa(), refreshed.refresh_token!),
      (error: client.ResponseBodyError) => {
        assert.ok(error instanceof client.ResponseBodyError);
        assert.equal(error.status, 400);
        assert.equal(error.error, 'invalid_grant');
        assert.match(error.error_description!, /^AADSTS700084: /);
        assert.deepEqual(error.cause.error_codes, [700084]);
        return true;
      },
    );
  });
});

describe('errors (openid-client)', () => {
  test("a wrong secret: invalid_client with Entra's fields", async () => {
    const config = await discover(DEMO_RELAY_CLIENT_ID, client.ClientSecretBasic('not-the-secret'));
    await assert.rejects(
      client.clientCredentialsGrant(config, { scope: 'https://graph.microsoft.com/.default' }),
      (error: client.ResponseBodyError) => {
        assert.ok(error instanceof client.ResponseBodyError);
        assert.equal(error.status, 401);
        assert.equal(error.error, 'invalid_client');
        assert.match(
          error.error_description!,
          /^AADSTS7000215: .*\r\nTrace ID: [0-9a-f-]{36}\r\nCorrelation ID: [0-9a-f-]{36}\r\nTimestamp: \d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ$/s,
        );
        assert.deepEqual(error.cause.error_codes, [7000215]);
        assert.match(String(error.cause.trace_id), /^[0-9a-f-]{36}$/);
        assert.match(String(error.cause.correlation_id), /^[0-9a-f-]{36}$/);
        assert.match(String(error.cause.timestamp), /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ$/);
        assert.equal(error.cause.error_uri, 'https://login.microsoftonline.com/error?code=7000215');
        return true;
      },
    );
  });

  test('client credentials without /.default: invalid_scope, AADSTS1002012', async () => {
    const config = await discover(DEMO_RELAY_CLIENT_ID, client.ClientSecretPost(DEMO_RELAY_CLIENT_SECRET));
    await assert.rejects(
      client.clientCredentialsGrant(config, { scope: 'https://graph.microsoft.com/User.Read.All' }),
      (error: client.ResponseBodyError) => {
        assert.equal(error.error, 'invalid_scope');
        assert.deepEqual(error.cause.error_codes, [1002012]);
        return true;
      },
    );
  });
});

describe("access and validation tokens (jose, the tenant's remote key set)", () => {
  test('the key set: RS256 keys whose kid is x5t, the SHA-1 thumbprint of the certificate in x5c', async () => {
    const { keys } = await metadata(`${tenant.id}/discovery/v2.0/keys`);
    assert.ok(keys.length >= 1);
    for (const key of keys) {
      const { createHash } = await import('node:crypto');
      assert.equal(key.kid, createHash('sha1').update(Buffer.from(key.x5c[0], 'base64')).digest('base64url'));
      assert.equal(key.x5t, key.kid);
      assert.equal(key.issuer, `${entra.authority}/v2.0`);
    }
  });

  test('a v1.0 token for an API keeping the default: checked with the v1.0 metadata (sts.windows.net issuer, api:// audience)', async () => {
    const v1 = await metadata(`${tenant.id}/.well-known/openid-configuration`);
    const token = entra.issueToken({
      userId: adele.id,
      clientId: DEMO_SPA_CLIENT_ID,
      audience: `api://${DEMO_RELAY_CLIENT_ID}`,
      scopes: ['access_as_user'],
    });
    const { payload, protectedHeader } = await jose.jwtVerify(token, remoteKeys(v1.jwks_uri), {
      issuer: v1.issuer,
      audience: `api://${DEMO_RELAY_CLIENT_ID}`,
      algorithms: ['RS256'],
      ...onTime(),
    });
    assert.equal(v1.issuer, `https://sts.windows.net/${tenant.id}/`);
    assert.equal(protectedHeader.alg, 'RS256');
    assert.equal(protectedHeader.x5t, protectedHeader.kid);
    assert.deepEqual(
      [payload.ver, payload.appid, payload.upn, payload.scp],
      ['1.0', DEMO_SPA_CLIENT_ID, adele.userPrincipalName, 'access_as_user'],
    );
    await assert.rejects(
      jose.jwtVerify(token, remoteKeys(v1.jwks_uri), {
        issuer: `${entra.authority}/v2.0`,
        audience: `api://${DEMO_RELAY_CLIENT_ID}`,
        ...onTime(),
      }),
      /iss/,
    );
    await assert.rejects(
      jose.jwtVerify(token, remoteKeys(v1.jwks_uri), {
        issuer: v1.issuer,
        audience: DEMO_RELAY_CLIENT_ID,
        ...onTime(),
      }),
      /aud/,
    );
  });

  test('a v2.0 token for an API registered for them: checked with the v2.0 metadata (its issuer, the client id as audience)', async () => {
    const v2 = await metadata(`${tenant.id}/v2.0/.well-known/openid-configuration`);
    const token = entra.issueToken({
      userId: adele.id,
      clientId: DEMO_SPA_CLIENT_ID,
      audience: `api://${V2_API_ID}`,
      scopes: ['access_as_user'],
    });
    const { payload, protectedHeader } = await jose.jwtVerify(token, remoteKeys(v2.jwks_uri), {
      issuer: v2.issuer,
      audience: V2_API_ID,
      algorithms: ['RS256'],
      ...onTime(),
    });
    const { keys } = await metadata(`${tenant.id}/discovery/v2.0/keys`);
    assert.ok(keys.some((k: { kid: string }) => k.kid === protectedHeader.kid));
    assert.deepEqual(
      [payload.ver, payload.azp, payload.preferred_username, payload.appid],
      ['2.0', DEMO_SPA_CLIENT_ID, adele.userPrincipalName, undefined],
    );
  });

  test("a Graph access token is not for others to validate: the tenant's keys do not verify it, as Microsoft warns", async () => {
    const v1 = await metadata(`${tenant.id}/.well-known/openid-configuration`);
    const token = entra.issueToken({
      userId: adele.id,
      clientId: DEMO_SPA_CLIENT_ID,
      audience: 'https://graph.microsoft.com',
      scopes: ['User.Read'],
    });
    assert.ok(jose.decodeProtectedHeader(token).nonce, "a header nonce, as in Graph's tokens");
    await assert.rejects(
      jose.jwtVerify(token, remoteKeys(v1.jwks_uri), {
        issuer: v1.issuer,
        audience: 'https://graph.microsoft.com',
        ...onTime(),
      }),
      jose.errors.JWSSignatureVerificationFailed,
    );
  });

  test("a Graph validation token: v1.0, for the subscribing app's id, issued to Graph change tracking", async () => {
    const v1 = await metadata(`${tenant.id}/.well-known/openid-configuration`);
    const token = entra.issueGraphValidationToken(DEMO_RELAY_CLIENT_ID);
    const { payload } = await jose.jwtVerify(token, remoteKeys(v1.jwks_uri), {
      issuer: `https://sts.windows.net/${tenant.id}/`,
      audience: DEMO_RELAY_CLIENT_ID,
      algorithms: ['RS256'],
      ...onTime(),
    });
    assert.deepEqual(
      [payload.appid, payload.appidacr, payload.ver, payload.tid],
      [CHANGE_TRACKING_APP_ID, '2', '1.0', tenant.id],
    );
  });
});
