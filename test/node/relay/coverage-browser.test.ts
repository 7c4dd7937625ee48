// A page never shows "live" for someone no subscription covers: when the relay loses coverage of people a page
// watches (the only owner's sessions were revoked, and nobody else can subscribe), the page hears it (`coverage`)
// and polls them, so their changes still show; once another owner lets the relay cover them again, they are pushed.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseConnectionString, serverToken } from '../../../common/signalr-connection.js';
import { DEMO_RELAY_CLIENT_ID } from '../../../emulator/entra/clients.js';
import { startLocalRelay } from '../../../scripts/local-relay.js';
import type { Relay } from '../../../relay/src/relay.js';
import { chromiumStage, noChromium } from '../stage.js';
import { relaySubscriptions, until, watchAt } from './support.js';

let relay: Relay;

const eventually = (check: () => Promise<boolean>, what: string) => until(check, what, 10_000, 50);

const stage = chromiumStage({
  emulators: {
    simulatorRate: 0,
    tenant: { seed: 'relay-coverage-browser', userCount: 40, teamSizes: [5] },
    delivery: { batchWindowMs: 10 },
  },
  async setUp({ cloud, origin }) {
    // A short lease, so the page asks again about what is not covered every couple of seconds.
    relay = await startLocalRelay(cloud, { watchLeaseSeconds: 4, renewalCheckMs: 3_600_000, allowedOrigins: [origin] });
  },
  async tearDown() {
    await relay?.stop();
  },
});

test(
  'people whose coverage the relay lost are polled by the page, then pushed once covered again',
  { skip: noChromium },
  async () => {
    const { cloud, browser, origin } = stage;
    const [owner, viewer, watched] = [cloud.tenant.users[0]!.id, cloud.tenant.users[1]!.id, cloud.tenant.users[20]!.id];
    // The owner signs in and watches: their subscription covers the person.
    assert.equal((await watchAt(cloud, relay.url, owner, [watched])).body.covered, true);
    const [sub] = relaySubscriptions(cloud);
    assert.ok(sub);
    // The viewer's own sign-in cannot be exchanged by the relay for now (Entra refuses the relay's token requests).
    const tokenPath = `${new URL(cloud.entra.authority).pathname}/oauth2/v2.0/token`;
    const refusing = cloud.faults.add({
      service: 'entra',
      path: tokenPath,
      method: 'POST',
      kind: 'status',
      status: 400,
    });
    const query = new URLSearchParams({
      user: viewer,
      watched,
      interval: '1000',
      graph: cloud.graph.url,
      control: cloud.control.url,
      relay: `${relay.url}/api`,
      relayScope: `api://${DEMO_RELAY_CLIENT_ID}/access_as_user`,
    });
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    try {
      await page.goto(`${origin}/test/node/fixtures/signalr-live.html?${query}`);
      const seen = () => page.evaluate((i) => (window as any).seen[i] as string | undefined, watched);
      const shown = async (availability: string) => (await seen())?.toLowerCase() === availability.toLowerCase();
      await page.waitForFunction(() => (window as any).presenceClient.connectionState === 'connected', null, {
        timeout: 20_000,
      });
      await until(() => [...relay.watchers.watchersOf(watched)].includes(viewer), 'the page watching');
      await page.evaluate(
        (id) =>
          (window as any).presenceClient.watch(id, (s: any) => ((window as any).seen[id] = s.presence?.availability), {
            profile: false,
            photo: false,
          }),
        watched,
      );
      cloud.tenant.setPresence(watched, { availability: 'Busy', activity: 'InACall' });
      await eventually(() => shown('Busy'), 'the pushed change');

      // The owner's sessions are revoked; Graph asks the relay to reauthorise, and the refresh is refused: nobody
      // can cover the person now, and Graph holds what the old subscription would have sent.
      await fetch(`${cloud.control.url}/sessions/revoke`, { method: 'POST', body: JSON.stringify({ user: owner }) });
      await cloud.graph.subscriptions.requireReauthorization(sub.id);
      for (const availability of ['Away', 'DoNotDisturb']) {
        cloud.tenant.setPresence(watched, { availability, activity: availability });
        await eventually(() => shown(availability), `${availability}, polled by the page`);
      }

      // Entra exchanges tokens again: the viewer's next watch makes them an owner, and the person is pushed again.
      cloud.faults.clear(refusing.id);
      await until(
        () => relaySubscriptions(cloud).some((s) => s.creatorId === viewer && s.ids.has(watched)),
        "the viewer's subscription",
        15_000,
      );
      const delivered = relay.stats.delivered;
      cloud.tenant.setPresence(watched, { availability: 'Available', activity: 'Available' });
      await eventually(() => shown('Available'), 'the change, pushed again');
      await until(() => relay.stats.delivered > delivered, 'the push');
      assert.deepEqual(errors, []);
    } finally {
      await page.close();
    }
  },
);

test(
  'a malformed coverage message is reported and ignored; a valid one makes the page poll whom it names',
  { skip: noChromium },
  async () => {
    const { cloud, browser, origin } = stage;
    const [user, watched] = [cloud.tenant.users[2]!.id, cloud.tenant.users[21]!.id];
    const query = new URLSearchParams({
      user,
      watched,
      interval: '1000',
      graph: cloud.graph.url,
      control: cloud.control.url,
      relay: `${relay.url}/api`,
      relayScope: `api://${DEMO_RELAY_CLIENT_ID}/access_as_user`,
    });
    const page = await browser.newPage();
    try {
      await page.goto(`${origin}/test/node/fixtures/signalr-live.html?${query}`);
      await page.waitForFunction(() => (window as any).presenceClient.connectionState === 'connected', null, {
        timeout: 20_000,
      });
      await until(() => relaySubscriptions(cloud).some((s) => s.ids.has(watched)), "the page's person covered");
      await page.evaluate(() => {
        (window as any).clientErrors = [];
        (window as any).presenceClient.onError((detail: { message: string }) =>
          (window as any).clientErrors.push(detail.message),
        );
      });
      const { endpoint, accessKey } = parseConnectionString(cloud.signalr.connectionString);
      const url = `${endpoint}/api/v1/hubs/presence/users/${encodeURIComponent(user)}`;
      const push = async (args: unknown[]) => {
        const res = await fetch(url, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${serverToken({ accessKey, audience: url })}`,
            'content-type': 'application/json',
          },
          body: JSON.stringify({ target: 'coverage', arguments: args }),
        });
        assert.equal(res.status, 202);
      };
      await push(['nope']);
      await page.waitForFunction(() => (window as any).clientErrors.length === 1, null, { timeout: 10_000 });
      assert.match((await page.evaluate(() => (window as any).clientErrors))[0], /coverage message without lists/);
      // Told the person is not covered, the page reads them from Graph itself (until the relay's next watch answer
      // says otherwise).
      const reads = () => cloud.graph.log.filter((e) => e.path === '/v1.0/communications/getPresencesByUserId').length;
      const before = reads();
      await push([{ uncovered: [watched, 42], covered: 'x' }]);
      await until(() => reads() > before, 'the page polling the person', 10_000);
      assert.equal(await page.evaluate(() => (window as any).presenceClient.connectionState), 'connected');
    } finally {
      await page.close();
    }
  },
);
