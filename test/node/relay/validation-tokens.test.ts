// The validation tokens of rich notifications, checked as Microsoft's "Validating the authenticity of notifications"
// says (https://learn.microsoft.com/graph/change-notifications-with-resource-data#how-to-validate): every token in
// the collection, not expired, signed by the Microsoft identity platform and issued by it (the tenant's issuer),
// for this app (`aud` its app id), by Microsoft Graph change tracking (`appid` 0bf30f3b-...). A collection with one
// token failing is refused whole. Graph sends none with Event Hubs delivery.
import assert from 'node:assert/strict';
import { generateKeyPairSync, X509Certificate } from 'node:crypto';
import { after, before, test } from 'node:test';
import { decodeJwt, signRs256, type JwtClaims } from '../../../common/jwt.js';
import { encryptResource } from '../../../common/notification-crypto.js';
import { DEMO_RELAY_CLIENT_ID, DEMO_SPA_CLIENT_ID } from '../../../emulator/entra/clients.js';
import { startEmulators, type Emulators } from '../../../emulator/index.js';
import { makeCertificate, type CertificateAndKey } from '../../../emulator/shared/tls.js';
import { Relay } from '../../../relay/src/relay.js';
import { localRelayOptions } from './support.js';

let cloud: Emulators;
let relay: Relay;
let certificate: CertificateAndKey;
const CLIENT_STATE = 'validation-token-tests';
let sequence = 1000;

before(async () => {
  cloud = await startEmulators({
    simulatorRate: 0,
    tenant: { seed: 'relay-validation-tokens', userCount: 20, teamSizes: [5] },
  });
  certificate = await makeCertificate('relay-validation-tokens');
  relay = new Relay(localRelayOptions(cloud, certificate, CLIENT_STATE, 'cert'));
  await relay.start();
});
after(async () => {
  await relay.stop();
  await cloud.stop();
});

/** Delivers one rich notification with these validation tokens (to the webhook, or from Event Hubs); whether the relay took it. */
async function accepted(
  validationTokens: string[] | undefined,
  via: 'webhook' | 'event-hubs' = 'webhook',
): Promise<boolean> {
  const id = cloud.tenant.users[5]!.id;
  const presence = {
    id,
    availability: 'Busy',
    activity: 'InACall',
    sequenceNumber: String(++sequence).padStart(22, '0'),
  };
  const notification = {
    subscriptionId: 'sub-1',
    changeType: 'updated',
    clientState: CLIENT_STATE,
    resource: `communications/presences('${id}')`,
    resourceData: { id },
    encryptedContent: encryptResource(
      presence,
      new X509Certificate(Buffer.from(certificate.certBase64, 'base64')),
      'cert',
    ),
  };
  const before = relay.stats.received;
  const payload = { value: [notification], ...(validationTokens ? { validationTokens } : {}) };
  if (via === 'event-hubs') {
    await relay.process(payload, { via: 'event-hubs' });
  } else {
    const res = await fetch(`${relay.url}/api/notifications`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(payload),
    });
    assert.equal(res.status, 202, 'always acknowledged, valid or not');
    await relay.idle();
  }
  return relay.stats.received > before;
}

/** A genuine validation token's claims, changed, signed again with the tenant's key. */
function altered(change: (claims: JwtClaims) => void): string {
  const { claims } = decodeJwt(cloud.entra.issueGraphValidationToken(DEMO_RELAY_CLIENT_ID));
  change(claims);
  return cloud.entra.sign(claims, '1.0');
}

test("a genuine validation token (v1.0, from Graph change tracking, for the relay's app id) is accepted", async () => {
  const token = cloud.entra.issueGraphValidationToken(DEMO_RELAY_CLIENT_ID);
  assert.equal(decodeJwt(token).claims.appid, '0bf30f3b-4a52-48df-9a82-234910c4a086');
  assert.ok(await accepted([token]));
});

test('expired, or not yet valid', async () => {
  const now = Math.floor(cloud.entra.clock.now() / 1000);
  assert.equal(
    await accepted([altered((c) => Object.assign(c, { iat: now - 7200, nbf: now - 7200, exp: now - 600 }))]),
    false,
  );
  assert.equal(await accepted([altered((c) => Object.assign(c, { nbf: now + 600 }))]), false);
  assert.match(relay.refusals.at(-1)!.reason, /validation token/);
});

test("not signed by the tenant's keys, or issued by another authority", async () => {
  const { claims, header } = decodeJwt(cloud.entra.issueGraphValidationToken(DEMO_RELAY_CLIENT_ID));
  const forged = signRs256(claims, generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey, header.kid!, {
    x5t: header.kid!,
  });
  assert.equal(await accepted([forged]), false);
  assert.equal(
    await accepted([altered((c) => (c.iss = 'https://sts.windows.net/72f988bf-86f1-41af-91ab-2d7cd011db47/'))]),
    false,
  );
  assert.equal(await accepted([altered((c) => (c.iss = 'https://issuer.example/'))]), false);
});

test('for another app, as `aud` says', async () => {
  assert.equal(await accepted([cloud.entra.issueGraphValidationToken(DEMO_SPA_CLIENT_ID)]), false);
  assert.equal(
    await accepted([altered((c) => (c.aud = `api://${DEMO_RELAY_CLIENT_ID}`))]),
    false,
    'the app id, not the App ID URI',
  );
});

test("a token the tenant issued for the relay's app id, but not to Graph change tracking", async () => {
  // A user's token for the relay's API, with its client id as audience, passes every check but the issuing app's.
  assert.equal(await accepted([altered((c) => (c.appid = DEMO_SPA_CLIENT_ID))]), false);
  assert.match(relay.refusals.at(-1)!.reason, /change tracking/);
});

test('one bad token among good ones: the whole collection is refused', async () => {
  const good = cloud.entra.issueGraphValidationToken(DEMO_RELAY_CLIENT_ID);
  assert.equal(await accepted([good, altered((c) => (c.appid = DEMO_SPA_CLIENT_ID))]), false);
  assert.ok(await accepted([good, good]));
});

test('without validation tokens: refused from the webhook; taken from Event Hubs, where Graph sends none', async () => {
  // "Microsoft Graph doesn't send validation tokens for change notifications delivered through Azure Event Hubs."
  assert.equal(await accepted(undefined), false);
  assert.ok(await accepted(undefined, 'event-hubs'));
  // Tokens that do come are still checked.
  assert.equal(await accepted([altered((c) => (c.appid = DEMO_SPA_CLIENT_ID))], 'event-hubs'), false);
});
