// SignalR clients written elsewhere against the SignalR Service emulator: the first JavaScript client,
// `@aspnet/signalr` 1.1.4 (it sends no negotiateVersion, so the service answers version 0 and it connects with the
// connection id), and the current `@microsoft/signalr`, each through the relay's negotiate redirect
// (`{url, accessToken}`) or straight to the service with a client token, receiving what the REST API sends.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as aspnet from '@aspnet/signalr';
import * as current from '@microsoft/signalr';
import { clientAccessToken, serverToken } from '../../../common/signalr-connection.js';
import { DEMO_RELAY_CLIENT_ID, DEMO_SPA_CLIENT_ID } from '../../../emulator/entra/clients.js';
import { startEmulators, type Emulators } from '../../../emulator/index.js';
import { makeCertificate } from '../../../emulator/shared/tls.js';
import { SignalRServiceEmulator } from '../../../emulator/signalr/signalr-service.js';
import { Relay } from '../../../relay/src/relay.js';
import { localRelayOptions } from '../relay/support.js';

let cloud: Emulators;
let relay: Relay;
const stops: Array<() => Promise<unknown>> = [];

before(async () => {
  cloud = await startEmulators({
    simulatorRate: 0,
    tenant: { seed: 'signalr-fidelity', userCount: 20, teamSizes: [5] },
  });
  relay = new Relay({
    ...localRelayOptions(cloud, await makeCertificate('signalr-fidelity'), 'signalr-fidelity'),
    decryptWorkers: 0,
  });
  await relay.start();
});

after(async () => {
  for (const stop of stops.reverse()) await stop();
  await relay.stop();
  await cloud.stop();
});

/** A token for the relay, as a signed-in page holds it. */
const userToken = (userId: string) =>
  cloud.entra.issueToken({
    userId,
    clientId: DEMO_SPA_CLIENT_ID,
    audience: `api://${DEMO_RELAY_CLIENT_ID}`,
    scopes: ['access_as_user'],
  });

/** Sends through the service's REST API to one user, as the relay's fan-out does. */
async function sendToUser(
  service: { url: string; accessKey: string },
  userId: string,
  payload: unknown,
): Promise<number> {
  const url = `${service.url}/api/v1/hubs/presence/users/${encodeURIComponent(userId)}`;
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${serverToken({ accessKey: service.accessKey, audience: url })}`,
      'content-type': 'application/json',
    },
    body: JSON.stringify({ target: 'presence', arguments: [payload] }),
  });
  return res.status;
}

/** The first message for `target` a connection receives. */
function first(
  connection: { on(target: string, handler: (...args: any[]) => void): void },
  target: string,
): Promise<unknown[]> {
  return new Promise((resolve) => connection.on(target, (...args: unknown[]) => resolve(args)));
}

describe('@aspnet/signalr 1.1.4', () => {
  test("connects through the relay's negotiate redirect and receives a message sent through the REST API", async () => {
    const user = cloud.tenant.users[1]!.id;
    const negotiations = cloud.signalr.counters.negotiations;
    const connection = new aspnet.HubConnectionBuilder()
      .withUrl(`${relay.url}/api`, {
        accessTokenFactory: () => userToken(user),
        transport: aspnet.HttpTransportType.WebSockets,
        logger: aspnet.LogLevel.None,
      })
      .build();
    const got = first(connection, 'presence');
    await connection.start();
    stops.push(() => connection.stop());
    assert.equal(cloud.signalr.counters.negotiations, negotiations + 1, 'redirected to the service, which negotiated');
    assert.deepEqual(cloud.signalr.list().filter((c) => c.userId === user).length, 1);
    assert.equal(await sendToUser(cloud.signalr, user, [{ id: 'u1', availability: 'Busy' }]), 202);
    assert.deepEqual(await got, [[{ id: 'u1', availability: 'Busy' }]]);
  });

  test('connects straight to the service with a client token and receives a broadcast', async () => {
    const user = cloud.tenant.users[2]!.id;
    const { url, accessToken } = clientAccessToken({
      endpoint: cloud.signalr.url,
      accessKey: cloud.signalr.accessKey,
      hub: 'presence',
      userId: user,
    });
    const connection = new aspnet.HubConnectionBuilder()
      .withUrl(url, {
        accessTokenFactory: () => accessToken,
        transport: aspnet.HttpTransportType.WebSockets,
        logger: aspnet.LogLevel.None,
      })
      .build();
    const got = first(connection, 'announcement');
    await connection.start();
    stops.push(() => connection.stop());
    const broadcast = `${cloud.signalr.url}/api/v1/hubs/presence`;
    const res = await fetch(broadcast, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${serverToken({ accessKey: cloud.signalr.accessKey, audience: broadcast })}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ target: 'announcement', arguments: ['to everyone'] }),
    });
    assert.equal(res.status, 202);
    assert.deepEqual(await got, ['to everyone']);
  });
});

describe('@microsoft/signalr', () => {
  test('through the relay to a service that answers only negotiate version 0, it connects and receives', async () => {
    const older = new SignalRServiceEmulator({ maxNegotiateVersion: 0 });
    await older.start();
    const olderRelay = new Relay({
      ...localRelayOptions(cloud, await makeCertificate('signalr-fidelity-v0'), 'signalr-fidelity-v0'),
      signalrConnectionString: older.connectionString,
      decryptWorkers: 0,
    });
    await olderRelay.start();
    stops.push(
      () => older.stop(),
      () => olderRelay.stop(),
    );
    const user = cloud.tenant.users[3]!.id;
    const connection = new current.HubConnectionBuilder()
      .withUrl(`${olderRelay.url}/api`, {
        accessTokenFactory: () => userToken(user),
        transport: current.HttpTransportType.WebSockets,
      })
      .configureLogging(current.LogLevel.None)
      .build();
    const got = first(connection, 'presence');
    await connection.start();
    stops.push(() => connection.stop());
    assert.equal(connection.state, current.HubConnectionState.Connected);
    assert.equal(older.list().find((c) => c.userId === user)?.id, connection.connectionId);
    assert.equal(await sendToUser(older, user, [{ id: 'u2', availability: 'Away' }]), 202);
    assert.deepEqual(await got, [[{ id: 'u2', availability: 'Away' }]]);
  });
});
