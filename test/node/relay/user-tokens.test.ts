// Who may use the relay: a user token for its API with its scope (`access_as_user`), from its own tenant. A token
// for the API with another scope, or signed for another tenant under the right issuer, is refused, on the Node
// server and on the Functions host alike, for negotiate and for watch.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import functions from '@azure/functions';
import { decodeJwt } from '../../../common/jwt.js';
import { DEMO_RELAY_CLIENT_ID, DEMO_SPA_CLIENT_ID } from '../../../emulator/entra/clients.js';
import { startEmulators, type Emulators } from '../../../emulator/index.js';
import { makeCertificate } from '../../../emulator/shared/tls.js';
import { createHandlers, type RelayHandlers } from '../../../relay/functions/src/handlers.js';
import { Relay } from '../../../relay/src/relay.js';
import { localRelayOptions } from './support.js';

const { HttpRequest } = functions;
let cloud: Emulators;
let relay: Relay;
let handlers: RelayHandlers;

before(async () => {
  cloud = await startEmulators({ simulatorRate: 0, tenant: { seed: 'user-tokens', userCount: 10, teamSizes: [5] } });
  const certificate = await makeCertificate('user-tokens');
  relay = new Relay({ ...localRelayOptions(cloud, certificate, 'user-tokens-secret'), tenantId: cloud.tenant.id });
  await relay.start();
  handlers = createHandlers(
    new Relay({ ...localRelayOptions(cloud, certificate, 'user-tokens-secret'), tenantId: cloud.tenant.id }),
  );
});
after(async () => {
  await relay.stop();
  await cloud.stop();
});

const tokenWith = (userId: string, scopes: string[]) =>
  cloud.entra.issueToken({ userId, clientId: DEMO_SPA_CLIENT_ID, audience: `api://${DEMO_RELAY_CLIENT_ID}`, scopes });

/** A token signed with the tenant's key and issuer, naming another tenant. */
function otherTenantToken(userId: string): string {
  const { claims } = decodeJwt(tokenWith(userId, ['access_as_user']));
  return cloud.entra.sign(
    { ...claims, tid: '0b0b0b0b-1111-4222-8333-444444444444' },
    claims.ver === '1.0' ? '1.0' : '2.0',
  );
}

type Call = (token: string) => Promise<number>;

const node: Record<'negotiate' | 'watch', Call> = {
  negotiate: async (token) =>
    (await fetch(`${relay.url}/api/negotiate`, { method: 'POST', headers: { authorization: `Bearer ${token}` } }))
      .status,
  watch: async (token) =>
    (
      await fetch(`${relay.url}/api/watch`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ ids: [cloud.tenant.users[5]!.id] }),
      })
    ).status,
};

const functionsHost: Record<'negotiate' | 'watch', Call> = {
  negotiate: async (token) =>
    (
      await handlers.negotiate(
        new HttpRequest({
          method: 'POST',
          url: 'http://func/api/negotiate',
          headers: { authorization: `Bearer ${token}` },
        }),
      )
    ).status ?? 200,
  watch: async (token) =>
    (
      await handlers.watch(
        new HttpRequest({
          method: 'POST',
          url: 'http://func/api/watch',
          headers: { authorization: `Bearer ${token}` },
          body: { string: JSON.stringify({ ids: [cloud.tenant.users[5]!.id] }) },
        }),
      )
    ).status ?? 200,
};

for (const [host, calls] of [
  ['the Node server', node],
  ['the Functions host', functionsHost],
] as const) {
  describe(host, () => {
    for (const route of ['negotiate', 'watch'] as const) {
      test(`${route}: the relay's scope from its tenant is accepted; another scope or another tenant is refused`, async () => {
        const user = cloud.tenant.users[1]!.id;
        assert.equal(await calls[route](tokenWith(user, ['access_as_user'])), 200);
        assert.equal(await calls[route](tokenWith(user, ['User.Read'])), 401, 'a token without access_as_user');
        assert.equal(await calls[route](otherTenantToken(user)), 401, 'a token naming another tenant');
      });
    }
  });
}

test('the required scope can be configured', async () => {
  const certificate = await makeCertificate('user-tokens-scope');
  const strict = new Relay({
    ...localRelayOptions(cloud, certificate, 'user-tokens-secret'),
    requiredScope: 'Presence.Watch',
  });
  await strict.start();
  try {
    const status = async (scopes: string[]) =>
      (
        await fetch(`${strict.url}/api/negotiate`, {
          method: 'POST',
          headers: { authorization: `Bearer ${tokenWith(cloud.tenant.users[2]!.id, scopes)}` },
        })
      ).status;
    assert.equal(await status(['access_as_user']), 401);
    assert.equal(await status(['openid', 'Presence.Watch']), 200);
  } finally {
    await strict.stop();
  }
});
