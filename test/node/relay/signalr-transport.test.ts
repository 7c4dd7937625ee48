// The SignalR transport in Chromium: presence pushed from Graph through the relay and Azure SignalR Service to the
// badge; after a dropped connection it reconnects and re-reads presence, so a change made meanwhile is not lost.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEMO_RELAY_CLIENT_ID } from '../../../emulator/entra/clients.js';
import { makeCertificate } from '../../../emulator/shared/tls.js';
import { Relay } from '../../../relay/src/relay.js';
import { localRelayOptions, until } from './support.js';
import { parseConnectionString, serverToken } from '../../../common/signalr-connection.js';
import { chromiumStage, noChromium } from '../stage.js';

let relay: Relay;
const CLIENT_STATE = 'shared-with-graph';

const stage = chromiumStage({
  emulators: {
    simulatorRate: 0,
    tenant: { seed: 'signalr-transport', userCount: 60, teamSizes: [5, 50] },
    delivery: { batchWindowMs: 10 },
  },
  async setUp({ cloud, origin }) {
    const certificate = await makeCertificate('relay-notification-encryption');
    relay = new Relay({ ...localRelayOptions(cloud, certificate, CLIENT_STATE, 'cert-1'), allowedOrigins: [origin] });
    await relay.start();
    // The subscription the relay keeps for the watched person.
    const watched = cloud.tenant.users[9]!.id;
    const token = cloud.entra.issueToken({
      userId: cloud.tenant.users[1]!.id,
      clientId: DEMO_RELAY_CLIENT_ID,
      audience: 'https://graph.microsoft.com',
      scopes: ['Presence.Read.All'],
    });
    const res = await fetch(`${cloud.graph.url}/v1.0/subscriptions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        changeType: 'updated',
        resource: `/communications/presences/${watched}`,
        notificationUrl: `${relay.url}/api/notifications`,
        expirationDateTime: new Date(Date.now() + 50 * 60_000).toISOString(),
        clientState: CLIENT_STATE,
        includeResourceData: true,
        encryptionCertificate: certificate.certBase64,
        encryptionCertificateId: 'cert-1',
      }),
    });
    assert.equal(res.status, 201);
  },
  async tearDown() {
    await relay?.stop();
  },
});

test('pushed to the badge, and resynced after a dropped connection', { skip: noChromium }, async () => {
  const { cloud, browser, origin } = stage;
  const user = cloud.tenant.users[0]!.id;
  const watched = cloud.tenant.users[9]!.id;
  cloud.tenant.setPresence(watched, { availability: 'Available', activity: 'Available' });
  const query = new URLSearchParams({
    user,
    watched,
    graph: cloud.graph.url,
    control: cloud.control.url,
    relay: `${relay.url}/api`,
    relayScope: `api://${DEMO_RELAY_CLIENT_ID}/access_as_user`,
  });
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${origin}/test/node/fixtures/signalr-live.html?${query}`);
  const badge = () =>
    page.evaluate(
      () =>
        document.getElementById('watched')?.shadowRoot?.querySelector('svg.glyph')?.getAttribute('data-status') ?? null,
    );
  const waitFor = (status: string) =>
    page.waitForFunction(
      (s) =>
        document.getElementById('watched')?.shadowRoot?.querySelector('svg.glyph')?.getAttribute('data-status') === s,
      status,
      { timeout: 20_000 },
    );
  await waitFor('available');
  await page.waitForFunction(() => (window as any).presenceClient.connectionState === 'connected', null, {
    timeout: 20_000,
  });
  for (const start = Date.now(); relay.watchers.ids().length === 0 && Date.now() - start < 5000;)
    await new Promise((r) => setTimeout(r, 20));
  assert.deepEqual(relay.watchers.ids(), [watched], 'the page told the relay what it watches');

  // Pushed: no poll is involved (the polling interval is 30 s).
  cloud.tenant.setPresence(watched, { availability: 'Busy', activity: 'InACall' });
  await waitFor('busy');

  // The connection drops; a change happens while the page is away; polling covers the gap and the reconnection
  // re-reads every presence, so the change is on screen once connected again.
  const reads = () => cloud.graph.log.filter((e) => e.path === '/v1.0/communications/getPresencesByUserId').length;
  const readsBefore = reads();
  assert.equal(cloud.signalr.dropConnections({ userId: user }), 1);
  cloud.tenant.setPresence(watched, { availability: 'DoNotDisturb', activity: 'Presenting' });
  await page
    .waitForFunction(() => (window as any).presenceClient.connectionState === 'reconnecting', null, { timeout: 20_000 })
    .catch(() => undefined);
  await page.waitForFunction(() => (window as any).presenceClient.connectionState === 'connected', null, {
    timeout: 20_000,
  });
  await waitFor('do-not-disturb');
  assert.ok(reads() > readsBefore, 'presence was read again from Graph');
  // And pushes flow again on the new connection.
  cloud.tenant.setPresence(watched, { availability: 'Away', activity: 'BeRightBack' });
  await waitFor('away');
  assert.equal(await badge(), 'away');
  assert.deepEqual(errors, []);
  await page.close();
});

test(
  'malformed pushes are reported and ignored; the connection and the next update go on',
  { skip: noChromium },
  async () => {
    const { cloud, browser, origin } = stage;
    const user = cloud.tenant.users[2]!.id;
    const watched = cloud.tenant.users[9]!.id;
    cloud.tenant.setPresence(watched, { availability: 'Available', activity: 'Available' });
    const query = new URLSearchParams({
      user,
      watched,
      graph: cloud.graph.url,
      control: cloud.control.url,
      relay: `${relay.url}/api`,
      relayScope: `api://${DEMO_RELAY_CLIENT_ID}/access_as_user`,
    });
    const page = await browser.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    try {
      await page.goto(`${origin}/test/node/fixtures/signalr-live.html?${query}`);
      await page.waitForFunction(() => (window as any).presenceClient.connectionState === 'connected', null, {
        timeout: 20_000,
      });
      await page.waitForFunction(
        () =>
          document.getElementById('watched')?.shadowRoot?.querySelector('svg.glyph')?.getAttribute('data-status') ===
          'available',
        null,
        { timeout: 20_000 },
      );
      await page.evaluate(() => {
        (window as any).clientErrors = [];
        (window as any).presenceClient.onError((detail: { message: string }) =>
          (window as any).clientErrors.push(detail.message),
        );
      });
      // What a broken or hostile sender might push, straight through SignalR Service's REST API.
      const { endpoint, accessKey } = parseConnectionString(cloud.signalr.connectionString);
      const url = `${endpoint}/api/v1/hubs/presence/users/${encodeURIComponent(user)}`;
      const push = async (args: unknown[], target = 'presence') => {
        const res = await fetch(url, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${serverToken({ accessKey, audience: url })}`,
            'content-type': 'application/json',
          },
          body: JSON.stringify({ target, arguments: args }),
        });
        assert.equal(res.status, 202);
      };
      await push(['not a list']);
      await push([[null, 42, 'text', { id: 42 }, { availability: 'Busy' }]]);
      await push([
        [
          {
            id: watched,
            availability: 'DoNotDisturb',
            activity: 'Presenting',
            sequenceNumber: '~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~',
          },
        ],
      ]);
      await page.waitForFunction(
        () =>
          document.getElementById('watched')?.shadowRoot?.querySelector('svg.glyph')?.getAttribute('data-status') ===
          'do-not-disturb',
        null,
        { timeout: 20_000 },
      );
      const errors: string[] = await page.evaluate(() => (window as any).clientErrors);
      assert.equal(errors.length, 1, errors.join(' | '));
      assert.match(errors[0]!, /not a list/);
      // A request to re-read without ids is reported too; one naming only people the page does not show costs nothing.
      const reads = () => cloud.graph.log.filter((e) => e.path === '/v1.0/communications/getPresencesByUserId').length;
      const readsBefore = reads();
      await push([{ ids: 'nope' }], 'resync');
      await push([[cloud.tenant.users[30]!.id, 42]], 'resync');
      await page.waitForFunction(() => (window as any).clientErrors.length === 2, null, { timeout: 10_000 });
      assert.match((await page.evaluate(() => (window as any).clientErrors))[1], /re-read presence without a list/);
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(reads(), readsBefore, 'nobody shown, nothing read');
      assert.equal(await page.evaluate(() => (window as any).presenceClient.connectionState), 'connected');
      assert.deepEqual(pageErrors, []);
    } finally {
      await page.close();
    }
  },
);

test(
  'two tabs of one user watch side by side; stopping one, or leaving the other page, ends its watch at once',
  { skip: noChromium },
  async () => {
    const { cloud, browser, origin } = stage;
    const user = cloud.tenant.users[3]!.id;
    const watched = cloud.tenant.users[9]!.id;
    const query = new URLSearchParams({
      user,
      watched,
      graph: cloud.graph.url,
      control: cloud.control.url,
      relay: `${relay.url}/api`,
      relayScope: `api://${DEMO_RELAY_CLIENT_ID}/access_as_user`,
    });
    const sessions = () => Object.keys(relay.watchers.sessionsOf(user));
    const watchers = () => [...relay.watchers.watchersOf(watched)];
    const open = async () => {
      const page = await browser.newPage();
      await page.goto(`${origin}/test/node/fixtures/signalr-live.html?${query}`);
      await page.waitForFunction(() => (window as any).presenceClient.connectionState === 'connected', null, {
        timeout: 20_000,
      });
      return page;
    };
    const first = await open();
    const second = await open();
    try {
      await until(() => sessions().length === 2, 'a watch session per tab');
      assert.ok(watchers().includes(user));

      await first.evaluate(() => (window as any).presenceClient.dispose());
      await until(() => sessions().length === 1, "the stopped tab's session ended");
      assert.ok(watchers().includes(user), 'the other tab still watches');

      // Leaving the page (pagehide), without stopping anything.
      await second.goto('about:blank');
      await until(() => sessions().length === 0, "the left page's session ended");
      assert.ok(!watchers().includes(user), 'nothing watched for the user any more');
    } finally {
      await first.close();
      await second.close();
    }
  },
);

test("the page renews its watch before the relay's lease lapses", { skip: noChromium }, async () => {
  const { cloud, browser, origin } = stage;
  // A relay with a 4-second lease: the page renews about every 2 seconds.
  const short = new Relay({
    ...localRelayOptions(cloud, await makeCertificate('relay-short-lease'), CLIENT_STATE, 'cert-2'),
    watchLeaseSeconds: 4,
    allowedOrigins: [origin],
  });
  await short.start();
  const user = cloud.tenant.users[4]!.id;
  const watched = cloud.tenant.users[9]!.id;
  const query = new URLSearchParams({
    user,
    watched,
    graph: cloud.graph.url,
    control: cloud.control.url,
    relay: `${short.url}/api`,
    relayScope: `api://${DEMO_RELAY_CLIENT_ID}/access_as_user`,
  });
  const page = await browser.newPage();
  try {
    await page.goto(`${origin}/test/node/fixtures/signalr-live.html?${query}`);
    const lease = () => Object.values(short.watchers.sessionsOf(user))[0]?.expiresAt;
    await until(() => lease() !== undefined, "the page's watch");
    const first = lease()!;
    await new Promise((r) => setTimeout(r, 5_000));
    await short.expireLeases();
    assert.equal(short.stats.leasesExpired, 0, 'renewed in time');
    assert.ok(lease()! > first + 1_000, 'the lease moved on');
    assert.deepEqual(short.watchers.ids(), [watched]);
  } finally {
    await page.close();
    await short.stop();
  }
});
