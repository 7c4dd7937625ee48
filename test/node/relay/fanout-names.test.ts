// The relay sends Azure SignalR Service only names it takes (docs/swagger/V20220601.json in Azure/azure-signalr): a
// hub name the service would refuse stops the relay at start, and a user id it would refuse is never sent.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { HttpTransportType, HubConnectionBuilder, LogLevel } from '@microsoft/signalr';
import { clientAccessToken } from '../../../common/signalr-connection.js';
import { SignalRServiceEmulator } from '../../../emulator/signalr/signalr-service.js';
import { FanOut } from '../../../relay/src/fanout.js';
import { Watchers } from '../../../relay/src/watchers.js';
import { until } from './support.js';

let service: SignalRServiceEmulator;

before(async () => {
  service = new SignalRServiceEmulator();
  await service.start();
});
after(() => service.stop());

test('a hub name the service refuses is refused when the fan-out is made', () => {
  for (const hub of ['presence-hub', 'presence hub', '1presence', `p${'x'.repeat(128)}`]) {
    assert.throws(() => new FanOut(service.connectionString, { hub }), /hub name/i, hub);
  }
});

test('a hub name with the other characters the service takes works end to end', async () => {
  const hub = 'Presence_v2.1';
  const user = '66825e03-7ef5-42da-9069-724602c31f6b';
  const { url, accessToken } = clientAccessToken({
    endpoint: service.url,
    accessKey: service.accessKey,
    hub,
    userId: user,
  });
  const connection = new HubConnectionBuilder()
    .withUrl(url, { accessTokenFactory: () => accessToken, transport: HttpTransportType.WebSockets })
    .configureLogging(LogLevel.None)
    .build();
  const received: unknown[] = [];
  connection.on('presence', (list: unknown[]) => received.push(...list));
  await connection.start();
  try {
    const watchers = new Watchers();
    watchers.set(user, ['a1b2c3d4-0000-4000-8000-000000000001']);
    const sent = await new FanOut(service.connectionString, { hub }).publish(
      [{ id: 'a1b2c3d4-0000-4000-8000-000000000001', availability: 'Busy', activity: 'InACall' }],
      watchers,
    );
    assert.deepEqual([sent.messages, sent.failures], [1, 0]);
    await until(() => received.length === 1, 'the presence to reach the user');
  } finally {
    await connection.stop();
  }
});

test('a user id the service would refuse is never sent; the others are', async () => {
  const watchers = new Watchers();
  const id = 'a1b2c3d4-0000-4000-8000-000000000002';
  watchers.set('66825e03-7ef5-42da-9069-724602c31f6c', [id]);
  watchers.set('u'.repeat(1025), [id]);
  const calls = service.counters.restCalls;
  const sent = await new FanOut(service.connectionString).publish(
    [{ id, availability: 'Away', activity: 'Away' }],
    watchers,
  );
  assert.deepEqual([sent.messages, sent.failures], [1, 1]);
  assert.equal(service.counters.restCalls - calls, 1, 'one call to the service: the refused id was not sent');
});
