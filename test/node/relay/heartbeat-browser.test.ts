// The relay's heartbeat, seen from a real page in Chromium running the built library against the relay in a process
// of its own. The page's connection is to SignalR Service, which stays up when the relay dies: without the heartbeat
// the page would say "connected" until its next watch renewal (half of a 10-minute lease here). With it, the page
// knows within seconds that the relay is away, polls what it shows, and reads everything again when the relay is back.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { noChromium } from '../stage.js';
import { freshChanges, openLivePage, relayPageStage } from './live-page.js';
import { relaySubscriptions, until } from './support.js';

const { stage, home } = relayPageStage('heartbeat-browser', 30);

const changeAll = freshChanges(() => stage.cloud);

test(
  'in Chromium: the relay killed while SignalR Service stays up; the page stops saying "connected" within seconds',
  { skip: noChromium, timeout: 90_000 },
  async (t) => {
    const { cloud } = stage;
    const relayHome = await home('heartbeat', { RELAY_HEARTBEAT_SECONDS: '1', RELAY_WATCH_LEASE_SECONDS: '600' });
    const start = () => relayHome.start();
    let relay = await start();
    const user = cloud.tenant.users[0]!.id;
    const people = cloud.tenant.users.slice(10, 15).map((u) => u.id);
    // Polled every 2 s when it must be.
    const { page, state, stale } = await openLivePage(stage, relay.url, user, people, {
      interval: 2000,
      connected: false,
    });
    try {
      await until(async () => (await state()) === 'connected', 'the page connected', 20_000);
      await until(
        () => people.every((id) => relaySubscriptions(cloud).some((s) => s.ids.has(id))),
        "Graph covering the page's people",
        15_000,
      );
      await until(async () => (await stale()).length === 0, 'the page showing the truth', 10_000);
      // Heartbeats come: the page stays connected.
      await new Promise((r) => setTimeout(r, 3_000));
      assert.equal(await state(), 'connected');

      await relay.kill();
      const killed = Date.now();
      await until(async () => (await state()) !== 'connected', 'the page no longer "connected"', 10_000);
      const detected = (Date.now() - killed) / 1000;
      const during = await state();

      // Changes while the relay is down are polled: the page shows them, and never says "connected" meanwhile.
      changeAll(people);
      const changed = Date.now();
      await until(async () => (await stale()).length === 0, 'the changes polled during the outage', 8_000);
      const polledIn = (Date.now() - changed) / 1000;
      assert.notEqual(await state(), 'connected');

      // A change just before the restart; then the relay is back.
      changeAll(people);
      relay = await start();
      const back = Date.now();
      await until(
        async () => (await stale()).length === 0 && (await state()) === 'connected',
        'every badge true, and connected, within 5 s of the restart',
        5_000,
      );
      const took = (Date.now() - back) / 1000;
      t.diagnostic(
        `heartbeat 1 s: the page left "connected" (for "${during}") ${detected.toFixed(1)} s after the relay was killed; changes during the outage shown within ${polledIn.toFixed(1)} s (polled); every badge true and connected ${took.toFixed(1)} s after the restart`,
      );

      // Pushed again: a change after the outage shows, connected all along.
      await until(
        () => people.every((id) => relaySubscriptions(cloud).some((s) => s.ids.has(id))),
        "Graph covering the page's people again",
        15_000,
      );
      changeAll(people);
      await until(async () => (await stale()).length === 0, 'the changes after the outage on the page', 10_000);
      assert.equal(await state(), 'connected');
    } finally {
      await page.close();
      await relay.stop();
    }
  },
);

test(
  "in Chromium: nobody changes for three times the page's staleAfterMs; the heartbeats keep every badge fresh",
  { skip: noChromium, timeout: 90_000 },
  async (t) => {
    const { cloud } = stage;
    const relay = await (await home('calm', { RELAY_HEARTBEAT_SECONDS: '1' })).start();
    const user = cloud.tenant.users[1]!.id;
    const people = cloud.tenant.users.slice(16, 21).map((u) => u.id);
    const { page, state, stale } = await openLivePage(stage, relay.url, user, people, { staleAfterMs: 3_000 });
    // Marked possibly out of date: by the client, for each person, and on the page's avatar.
    const marked = () =>
      page.evaluate(
        (ids) => [
          ...ids.filter((id) => (window as any).presenceClient.peek(id).stale),
          ...[...document.querySelectorAll('presence-avatar')]
            .filter((a) => a.shadowRoot?.querySelector('[part="badge"].stale'))
            .map((a) => a.getAttribute('user-id') ?? ''),
        ],
        people,
      );
    try {
      await until(
        () => people.every((id) => relaySubscriptions(cloud).some((s) => s.ids.has(id))),
        "Graph covering the page's people",
        15_000,
      );
      await until(async () => (await stale()).length === 0, 'the page showing the truth', 10_000);
      // Pushes flow, and nothing changes: the page hears the relay every second, and nobody turns stale.
      let most: string[] = [];
      for (const end = Date.now() + 9_000; Date.now() < end; await new Promise((r) => setTimeout(r, 500))) {
        const now = await marked();
        if (now.length > most.length) most = now;
      }
      assert.deepEqual(most, [], 'nobody marked possibly out of date while the relay pushes and nothing changes');
      assert.equal(await state(), 'connected');
      // Still pushed: a change shows at once.
      changeAll(people);
      await until(async () => (await stale()).length === 0, 'a change after the calm on the page', 5_000);
      t.diagnostic(`9 s of calm with staleAfterMs 3 s and a 1 s heartbeat: nobody marked stale`);
    } finally {
      await page.close();
      await relay.stop();
    }
  },
);
