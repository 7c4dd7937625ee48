// The relay's heartbeat: one broadcast to the hub per interval, however many pages listen, so a page whose
// connection to SignalR Service outlives the relay notices the silence. It ends when the relay stops.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { HttpTransportType, HubConnectionBuilder, LogLevel, type HubConnection } from '@microsoft/signalr';
import { clientAccessToken } from '../../../common/signalr-connection.js';
import { SignalRServiceEmulator } from '../../../emulator/signalr/signalr-service.js';
import { heartbeatSchedule } from '../../../relay/src/heartbeat.js';
import { Relay } from '../../../relay/src/relay.js';
import { until } from './support.js';

let service: SignalRServiceEmulator;
const connections: HubConnection[] = [];

before(async () => {
  service = new SignalRServiceEmulator();
  await service.start();
});
after(async () => {
  await Promise.all(connections.map((c) => c.stop()));
  await service.stop();
});

/** A page of `userId` connected to the hub, and the heartbeats it hears. */
async function page(userId: string): Promise<unknown[]> {
  const { url, accessToken } = clientAccessToken({
    endpoint: service.url,
    accessKey: service.accessKey,
    hub: 'presence',
    userId,
  });
  const connection = new HubConnectionBuilder()
    .withUrl(url, { accessTokenFactory: () => accessToken, transport: HttpTransportType.WebSockets })
    .configureLogging(LogLevel.None)
    .build();
  const beats: unknown[] = [];
  connection.on('heartbeat', (beat: unknown) => beats.push(beat));
  await connection.start();
  connections.push(connection);
  return beats;
}

test('one REST call per interval reaches every page; none after stop()', async (t) => {
  const pages = await Promise.all(
    [
      '66825e03-7ef5-42da-9069-724602c31f01',
      '66825e03-7ef5-42da-9069-724602c31f02',
      '66825e03-7ef5-42da-9069-724602c31f03',
    ].map(page),
  );
  // The relay's interval timer moves only when the test moves it.
  t.mock.timers.enable({ apis: ['setInterval'] });
  const relay = new Relay({
    clientId: 'relay',
    issuers: [],
    jwksUri: 'http://127.0.0.1:9/keys',
    signalrConnectionString: service.connectionString,
    clientState: 'a-secret',
    encryptionKeys: [],
    decryptWorkers: 0,
    heartbeatMs: 15_000,
  });
  const calls = service.counters.restCalls;
  try {
    await relay.start();
    // The first beat as the relay starts.
    await until(() => pages.every((beats) => beats.length === 1), 'the first beat at every page');
    assert.equal(service.counters.restCalls - calls, 1);
    assert.deepEqual(pages[0]![0], { intervalMs: 15_000 });

    t.mock.timers.tick(14_999);
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(service.counters.restCalls - calls, 1, 'nothing before the interval');
    for (let beat = 2; beat <= 4; beat++) {
      t.mock.timers.tick(beat === 2 ? 1 : 15_000);
      await until(() => pages.every((beats) => beats.length === beat), `beat ${beat} at every page`);
      assert.equal(service.counters.restCalls - calls, beat, 'one call a beat, for three pages');
    }
  } finally {
    await relay.stop();
  }
  const { sent, failed } = relay.heartbeats.counts;
  assert.deepEqual([sent, failed], [4, 0]);
  t.mock.timers.tick(60_000);
  await new Promise((resolve) => setTimeout(resolve, 200));
  assert.deepEqual(relay.heartbeats.counts, { sent: 4, failed: 0 }, 'no beat after stop()');
});

test('heartbeats 0: none is sent', async () => {
  const beats = await page('66825e03-7ef5-42da-9069-724602c31f04');
  const relay = new Relay({
    clientId: 'relay',
    issuers: [],
    jwksUri: 'http://127.0.0.1:9/keys',
    signalrConnectionString: service.connectionString,
    clientState: 'a-secret',
    encryptionKeys: [],
    decryptWorkers: 0,
    heartbeatMs: 0,
  });
  await relay.start();
  await relay.heartbeat();
  await relay.stop();
  assert.deepEqual(relay.heartbeats.counts, { sent: 0, failed: 0 });
  assert.deepEqual(beats, []);
});

test('on Azure Functions, the timer beats at least as often as the setting says', () => {
  assert.equal(heartbeatSchedule(0), undefined);
  assert.equal(heartbeatSchedule(1), '*/1 * * * * *');
  assert.equal(heartbeatSchedule(15), '*/15 * * * * *');
  // 25 s does not divide a minute: every 20 s, so pages (told 25 s) never wait in vain.
  assert.equal(heartbeatSchedule(25), '*/20 * * * * *');
  assert.equal(heartbeatSchedule(60), '0 */1 * * * *');
  assert.equal(heartbeatSchedule(450), '0 */6 * * * *');
  assert.equal(heartbeatSchedule(3600), '0 0 * * * *');
});
