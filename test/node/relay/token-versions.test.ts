// The relay takes its API's user tokens in the version its app registration makes Entra issue: v1.0 by default
// (`aud` api://<id>, sts.windows.net issuer), v2.0 when registered with accessTokenAcceptedVersion 2 (`aud` the client
// id, the v2.0 issuer). Either way a page negotiates, watches, and gets the pushes Graph's notifications bring.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import type { HubConnection } from '@microsoft/signalr';
import { decodeJwt } from '../../../common/jwt.js';
import {
  DEFAULT_CLIENTS,
  DEMO_RELAY_CLIENT_ID,
  DEMO_SPA_CLIENT_ID,
  type ClientApp,
} from '../../../emulator/entra/clients.js';
import { startEmulators, type Emulators } from '../../../emulator/index.js';
import { startLocalRelay } from '../../../scripts/local-relay.js';
import type { Relay } from '../../../relay/src/relay.js';
import { connectAs, relaySubscriptions, relayToken, until, watchAt } from './support.js';

const running: Array<{ cloud: Emulators; relay: Relay; connections: HubConnection[] }> = [];
after(async () => {
  for (const { cloud, relay, connections } of running) {
    await Promise.all(connections.map((c) => c.stop()));
    await relay.stop();
    await cloud.stop();
  }
});

/** The local cloud with the relay's API registered for `version` tokens, and the relay. */
async function start(version: 1 | 2 | null) {
  const clients: ClientApp[] = DEFAULT_CLIENTS.map((c) =>
    c.clientId === DEMO_RELAY_CLIENT_ID ? { ...c, accessTokenAcceptedVersion: version } : c,
  );
  const cloud = await startEmulators({
    simulatorRate: 0,
    clients,
    tenant: { seed: `relay-token-v${version}`, userCount: 30, teamSizes: [5] },
    delivery: { batchWindowMs: 10 },
  });
  const relay = await startLocalRelay(cloud);
  const entry = { cloud, relay, connections: [] as HubConnection[] };
  running.push(entry);
  return entry;
}

/** Negotiates and watches as `me`, then sees a change of `watched` pushed. */
async function negotiateWatchAndReceive({ cloud, relay, connections }: Awaited<ReturnType<typeof start>>) {
  const me = cloud.tenant.users[0]!.id;
  const watched = cloud.tenant.users[7]!.id;
  const { connection, received } = await connectAs(cloud, relay.url, me);
  connections.push(connection);
  const watch = await watchAt(cloud, relay.url, me, [watched]);
  assert.equal(watch.status, 200, JSON.stringify(watch.body));
  await until(() => relaySubscriptions(cloud).some((s) => s.ids.has(watched)), "a subscription on the user's behalf");
  cloud.tenant.setPresence(watched, { availability: 'DoNotDisturb', activity: 'Presenting' });
  await until(
    () => received.flat().some((p) => p.id === watched && p.availability === 'DoNotDisturb'),
    'the change pushed to the page',
  );
  assert.equal(relay.stats.refused, 0, JSON.stringify(relay.refusals));
}

describe("the relay's API keeps the default token version", () => {
  test('v1.0 tokens (aud api://<id>) negotiate and watch', async () => {
    const entry = await start(null);
    const { claims } = decodeJwt(relayToken(entry.cloud, entry.cloud.tenant.users[0]!.id));
    assert.deepEqual(
      [claims.ver, claims.aud, claims.iss, claims.appid],
      ['1.0', `api://${DEMO_RELAY_CLIENT_ID}`, `https://sts.windows.net/${entry.cloud.tenant.id}/`, DEMO_SPA_CLIENT_ID],
    );
    await negotiateWatchAndReceive(entry);
  });
});

describe("the relay's API registered with accessTokenAcceptedVersion 2", () => {
  test('v2.0 tokens (aud the client id) negotiate and watch', async () => {
    const entry = await start(2);
    const { claims } = decodeJwt(relayToken(entry.cloud, entry.cloud.tenant.users[0]!.id));
    assert.deepEqual(
      [claims.ver, claims.aud, claims.iss, claims.azp],
      ['2.0', DEMO_RELAY_CLIENT_ID, entry.cloud.entra.issuer, DEMO_SPA_CLIENT_ID],
    );
    await negotiateWatchAndReceive(entry);
  });

  test('a token for another API is refused', async () => {
    const { cloud, relay } = running.at(-1)!;
    const other = cloud.entra.issueToken({
      userId: cloud.tenant.users[1]!.id,
      clientId: DEMO_SPA_CLIENT_ID,
      audience: DEMO_SPA_CLIENT_ID,
      scopes: ['access_as_user'],
    });
    const reply = await fetch(`${relay.url}/api/negotiate`, {
      method: 'POST',
      headers: { authorization: `Bearer ${other}` },
    });
    assert.equal(reply.status, 401);
  });
});
