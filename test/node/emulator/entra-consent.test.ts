// The Entra ID emulator's consent mode: scopes that need each user's interactive consent are refused to silent
// requests in Entra's words (AADSTS65001, suberror consent_required) until an interactive sign-in grants them.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { DEMO_RELAY_CLIENT_ID, DEMO_RELAY_CLIENT_SECRET, DEMO_SPA_CLIENT_ID } from '../../../emulator/entra/clients.js';
import { EntraIdEmulator } from '../../../emulator/entra/entra-id.js';
import { startEmulators } from '../../../emulator/index.js';
import { decodeJwt } from '../../../common/jwt.js';
import { Tenant } from '../../../emulator/tenant/tenant.js';
import { httpsTo, type Reply } from './entra-support.js';

const tenant = new Tenant({ seed: 'entra-consent', userCount: 20, teamSizes: [5] });
const adele = tenant.users[0]!;
const alex = tenant.users[1]!;
let entra: EntraIdEmulator;
const ORIGIN = 'http://localhost:8080';
const REDIRECT = `${ORIGIN}/auth/redirect.html`;
const BASIC = 'openid profile offline_access User.Read Presence.Read.All';

before(async () => {
  entra = new EntraIdEmulator({ tenant, signInAs: adele.id, consentRequired: ['TeamMember.Read.All'] });
  await entra.start();
});
after(() => entra.stop());

const https = (url: string, options?: Parameters<typeof httpsTo>[2]) => httpsTo(entra.tlsCertificate, url, options);

const token = (values: Record<string, string>) =>
  https(`${entra.authority}/oauth2/v2.0/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: ORIGIN },
    body: new URLSearchParams(values).toString(),
  });

/** An authorize request as a browser makes it; `prompt: 'none'` is the hidden iframe's silent one. */
async function authorize(scope: string, options: { prompt?: string; cookie?: string; loginHint?: string } = {}) {
  const verifier = randomBytes(32).toString('base64url');
  const url = new URL(`${entra.authority}/oauth2/v2.0/authorize`);
  const params: Record<string, string> = {
    client_id: DEMO_SPA_CLIENT_ID,
    response_type: 'code',
    redirect_uri: REDIRECT,
    scope,
    state: 's',
    response_mode: 'fragment',
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
    ...(options.prompt ? { prompt: options.prompt } : {}),
    ...(options.loginHint ? { login_hint: options.loginHint } : {}),
  };
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  const reply = await https(url.toString(), { headers: options.cookie ? { cookie: options.cookie } : {} });
  const setCookie = reply.headers['set-cookie'];
  const fragment = new URLSearchParams(new URL(String(reply.headers.location)).hash.slice(1));
  return { fragment, verifier, cookie: Array.isArray(setCookie) ? setCookie[0]!.split(';')[0] : options.cookie };
}

async function redeem(scope: string, options: { prompt?: string; cookie?: string; loginHint?: string } = {}) {
  const { fragment, verifier, cookie } = await authorize(scope, options);
  assert.ok(fragment.get('code'), `a code: ${fragment.toString()}`);
  const reply = await token({
    client_id: DEMO_SPA_CLIENT_ID,
    grant_type: 'authorization_code',
    code: fragment.get('code')!,
    code_verifier: verifier,
    redirect_uri: REDIRECT,
    scope,
  });
  assert.equal(reply.status, 200, JSON.stringify(reply.json));
  return { json: reply.json, cookie };
}

function assertConsentRequired(reply: Reply, clientId: string, name: string) {
  assert.equal(reply.status, 400, JSON.stringify(reply.json));
  assert.equal(reply.json.error, 'invalid_grant');
  assert.equal(reply.json.suberror, 'consent_required');
  assert.deepEqual(reply.json.error_codes, [65001]);
  assert.match(
    reply.json.error_description,
    new RegExp(
      `^AADSTS65001: The user or administrator has not consented to use the application with ID '${clientId}' named '${name}'\\. Send an interactive authorization request for this user and resource\\.`,
    ),
  );
  assert.match(
    reply.json.error_description,
    /\r\nTrace ID: .+\r\nCorrelation ID: .+\r\nTimestamp: \d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ$/,
  );
}

describe('consent required per scope', () => {
  test('a refresh token is refused an unconsented scope with AADSTS65001, and still serves the granted ones', async () => {
    entra.requireConsent(['TeamMember.Read.All']);
    const { json: first } = await redeem(BASIC);
    const refused = await token({
      client_id: DEMO_SPA_CLIENT_ID,
      grant_type: 'refresh_token',
      refresh_token: first.refresh_token,
      scope: 'openid profile offline_access TeamMember.Read.All',
    });
    assertConsentRequired(refused, DEMO_SPA_CLIENT_ID, 'Presence Elements demo');
    // Not spent by the refusal.
    const granted = await token({
      client_id: DEMO_SPA_CLIENT_ID,
      grant_type: 'refresh_token',
      refresh_token: first.refresh_token,
      scope: 'openid profile offline_access User.Read',
    });
    assert.equal(granted.status, 200, JSON.stringify(granted.json));
    assert.equal(decodeJwt(granted.json.access_token).claims.scp, 'User.Read');
    // Scopes not listed need no consent.
    const other = await token({
      client_id: DEMO_SPA_CLIENT_ID,
      grant_type: 'refresh_token',
      refresh_token: granted.json.refresh_token,
      scope: 'GroupMember.Read.All',
    });
    assert.equal(other.status, 200, JSON.stringify(other.json));
  });

  test('prompt=none says consent_required; an interactive request grants the scope, for that user, and silent works after', async () => {
    entra.requireConsent(['TeamMember.Read.All']);
    const { json: first, cookie } = await redeem(BASIC);
    const silent = await authorize('openid profile TeamMember.Read.All', { prompt: 'none', cookie });
    assert.equal(silent.fragment.get('error'), 'consent_required');
    assert.match(
      silent.fragment.get('error_description')!,
      /^AADSTS65001: The user or administrator has not consented/,
    );
    assert.equal(silent.fragment.get('code'), null);
    assert.deepEqual(entra.consentsOf(DEMO_SPA_CLIENT_ID, adele.id), []);

    // The popup: an interactive request for the scope.
    const { json: granted } = await redeem('openid profile offline_access TeamMember.Read.All', { cookie });
    assert.equal(decodeJwt(granted.access_token).claims.scp, 'TeamMember.Read.All');
    assert.deepEqual(entra.consentsOf(DEMO_SPA_CLIENT_ID, adele.id), ['teammember.read.all']);

    // Now silent requests get it: the refresh token from before the consent, and the hidden iframe.
    const refreshed = await token({
      client_id: DEMO_SPA_CLIENT_ID,
      grant_type: 'refresh_token',
      refresh_token: first.refresh_token,
      scope: 'TeamMember.Read.All',
    });
    assert.equal(refreshed.status, 200, JSON.stringify(refreshed.json));
    assert.equal(decodeJwt(refreshed.json.access_token).claims.scp, 'TeamMember.Read.All');
    assert.ok((await authorize('openid TeamMember.Read.All', { prompt: 'none', cookie })).fragment.get('code'));

    // Another user of the same app has not consented.
    entra.signInAs = alex.id;
    try {
      const { json: theirs } = await redeem(BASIC, { prompt: 'login' });
      assert.equal(decodeJwt(theirs.access_token).claims.oid, alex.id);
      const refused = await token({
        client_id: DEMO_SPA_CLIENT_ID,
        grant_type: 'refresh_token',
        refresh_token: theirs.refresh_token,
        scope: 'TeamMember.Read.All',
      });
      assertConsentRequired(refused, DEMO_SPA_CLIENT_ID, 'Presence Elements demo');
    } finally {
      entra.signInAs = adele.id;
    }
  });

  test('a code redeemed for more than was consented is refused; requireConsent forgets consents given', async () => {
    entra.requireConsent(['TeamMember.Read.All']);
    await redeem('openid offline_access TeamMember.Read.All');
    assert.deepEqual(entra.consentsOf(DEMO_SPA_CLIENT_ID, adele.id), ['teammember.read.all']);
    entra.requireConsent(['TeamMember.Read.All', 'GroupMember.Read.All']);
    assert.deepEqual(entra.consentsOf(DEMO_SPA_CLIENT_ID, adele.id), []);
    const { fragment, verifier } = await authorize(BASIC);
    const more = await token({
      client_id: DEMO_SPA_CLIENT_ID,
      grant_type: 'authorization_code',
      code: fragment.get('code')!,
      code_verifier: verifier,
      redirect_uri: REDIRECT,
      scope: 'openid GroupMember.Read.All',
    });
    assertConsentRequired(more, DEMO_SPA_CLIENT_ID, 'Presence Elements demo');
  });

  test('on-behalf-of for a scope the user has not consented to the API using: AADSTS65001, as Entra documents it', async () => {
    entra.requireConsent(['TeamMember.Read.All']);
    const assertion = entra.issueToken({
      userId: adele.id,
      clientId: DEMO_SPA_CLIENT_ID,
      audience: `api://${DEMO_RELAY_CLIENT_ID}`,
      scopes: ['access_as_user'],
    });
    const obo = (scope: string) =>
      token({
        client_id: DEMO_RELAY_CLIENT_ID,
        client_secret: DEMO_RELAY_CLIENT_SECRET,
        grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
        requested_token_use: 'on_behalf_of',
        assertion,
        scope,
      });
    assertConsentRequired(
      await obo('https://graph.microsoft.com/TeamMember.Read.All'),
      DEMO_RELAY_CLIENT_ID,
      'Presence Elements relay',
    );
    assert.equal((await obo('https://graph.microsoft.com/Presence.Read.All')).status, 200);
  });
});

test('the control API sets the scopes needing consent', async () => {
  const cloud = await startEmulators({
    simulatorRate: 0,
    tenant: { seed: 'consent-control', userCount: 10, teamSizes: [5] },
    consentRequired: ['TeamMember.Read.All'],
  });
  try {
    const control = (path: string, init?: RequestInit) =>
      fetch(`${cloud.control.url}${path}`, init).then(async (r) => ({
        status: r.status,
        json: (await r.json()) as any,
      }));
    assert.deepEqual((await control('/consent-required')).json, { scopes: ['teammember.read.all'] });
    assert.deepEqual((cloud.describe() as any).entra.consentRequired, ['teammember.read.all']);
    const set = await control('/consent-required', {
      method: 'POST',
      body: JSON.stringify({ scopes: ['GroupMember.Read.All', `api://${DEMO_RELAY_CLIENT_ID}/access_as_user`] }),
    });
    assert.deepEqual(set.json, { scopes: ['groupmember.read.all', `api://${DEMO_RELAY_CLIENT_ID}/access_as_user`] });
    assert.deepEqual((await control('/consent-required?scope=TeamMember.Read.All', { method: 'POST' })).json, {
      scopes: ['teammember.read.all'],
    });
    assert.deepEqual(
      (await control('/consent-required', { method: 'POST', body: JSON.stringify({ scopes: [] }) })).json,
      { scopes: [] },
    );
    assert.equal(
      (await control('/consent-required', { method: 'POST', body: JSON.stringify({ scopes: [1] }) })).status,
      400,
    );
  } finally {
    await cloud.stop();
  }
});
