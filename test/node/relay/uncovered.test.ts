// People the relay cannot cover yet (Graph allows one presence subscription of 650 ids per user, and only one user
// is signed in) are polled by the page, so they never go stale; once another owner lets the relay cover them, the
// page stops polling and everything comes pushed.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEMO_RELAY_CLIENT_ID } from '../../../emulator/entra/clients.js';
import { startLocalRelay } from '../../../scripts/local-relay.js';
import type { Relay } from '../../../relay/src/relay.js';
import { chromiumStage, noChromium } from '../stage.js';
import { relaySubscriptions, until, watchAt } from './support.js';

let relay: Relay;

async function eventually(check: () => Promise<boolean>, what: string, ms = 10_000): Promise<void> {
  for (const end = Date.now() + ms; !(await check());) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const stage = chromiumStage({
  emulators: {
    simulatorRate: 0,
    tenant: { seed: 'relay-uncovered', userCount: 720, teamSizes: [5] },
    delivery: { batchWindowMs: 10 },
  },
  async setUp({ cloud, origin }) {
    // A short lease, so the page asks again about what is not covered every couple of seconds.
    relay = await startLocalRelay(cloud, { watchLeaseSeconds: 4, allowedOrigins: [origin] });
  },
  async tearDown() {
    await relay?.stop();
  },
});

test(
  'ids the relay cannot cover are polled until another owner covers them, then pushed',
  { skip: noChromium },
  async () => {
    const { cloud, browser, origin } = stage;
    const [me, other] = [cloud.tenant.users[0]!.id, cloud.tenant.users[1]!.id];
    const watched = cloud.tenant.users.slice(10, 710).map((u) => u.id);
    const reads = () => cloud.graph.log.filter((e) => e.path === '/v1.0/communications/getPresencesByUserId').length;
    const query = new URLSearchParams({
      user: me,
      watched: watched[0]!,
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
      await page.goto(`${origin}/test/node/fixtures/signalr-live.html?${query}#extra=${watched.join(',')}`);
      const seen = (id: string) => page.evaluate((i) => (window as any).seen[i] as string | undefined, id);
      await page.waitForFunction(() => (window as any).presenceClient.connectionState === 'connected', null, {
        timeout: 20_000,
      });
      await until(() => relay.watchers.ids().length === 700, 'the page watching 700 people', 20_000);
      // One owner, one subscription of 650: 50 people are left without one.
      await until(() => relaySubscriptions(cloud).length === 1, 'the one subscription Graph allows this user');
      const covered = new Set(relaySubscriptions(cloud)[0]!.ids);
      const uncovered = watched.filter((id) => !covered.has(id));
      assert.equal(uncovered.length, 50);

      // Changes to someone not covered still reach the page, one after the other: it polls them (only them, every
      // second), not just once when it first reads them.
      for (const availability of ['Busy', 'Away', 'Available']) {
        cloud.tenant.setPresence(uncovered[7]!, {
          availability,
          activity: availability === 'Busy' ? 'InACall' : availability,
        });
        await eventually(
          async () => (await seen(uncovered[7]!))?.toLowerCase() === availability.toLowerCase(),
          `${availability} for someone not covered`,
        );
      }
      // A change to someone covered is pushed.
      const pushedOne = [...covered][3]!;
      cloud.tenant.setPresence(pushedOne, { availability: 'Away', activity: 'Away' });
      await eventually(async () => (await seen(pushedOne))?.toLowerCase() === 'away', 'the pushed change');

      // Another user signs in and watches: a second owner, so the relay covers the 50 as well; the page hears so at
      // its next watch and stops polling.
      assert.equal((await watchAt(cloud, relay.url, other, [watched[0]!])).status, 200);
      await until(
        () =>
          relaySubscriptions(cloud)
            .flatMap((s) => [...s.ids])
            .filter((id) => uncovered.includes(id)).length === 50,
        'the 50 covered',
        10_000,
      );
      let quiet = false;
      for (const end = Date.now() + 15_000; !quiet && Date.now() < end;) {
        const before = reads();
        await new Promise((r) => setTimeout(r, 3_000));
        quiet = reads() === before;
      }
      assert.ok(quiet, 'no presence read for 3 s once everything is covered');
      cloud.tenant.setPresence(uncovered[8]!, { availability: 'DoNotDisturb', activity: 'Presenting' });
      await eventually(
        async () => (await seen(uncovered[8]!))?.toLowerCase() === 'donotdisturb',
        'the change, now pushed',
      );
      assert.deepEqual(errors, []);
    } finally {
      await page.close();
    }
  },
);
