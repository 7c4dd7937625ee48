// A relay outage longer than a page's watch lease, seen from a real page in Chromium running the built library
// against the relay in a process of its own. The relay, back, restores only the sessions whose lease has not ended,
// so its own `resync` reaches nobody for this page: the page itself must read again what it shows once its watch is
// answered again. While the relay is down, the page must not show a wrong badge as live.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEMO_SPA_CLIENT_ID } from '../../../emulator/entra/clients.js';
import { noChromium } from '../stage.js';
import { freshChanges, openLivePage, relayPageStage } from './live-page.js';
import type { RelayProcess } from './relay-process.js';
import { relaySubscriptions, until } from './support.js';

const { stage, home } = relayPageStage('long-outage-browser', 30);

/** The relay's watch lease in these tests: the page renews it every 5 s, and an outage of 15 s outlives it. */
const LEASE_SECONDS = 10;

const relayFor = (name: string) => home(name, { RELAY_WATCH_LEASE_SECONDS: String(LEASE_SECONDS) });

const livePage = (relay: RelayProcess, user: string, people: string[], interval: number) =>
  openLivePage(stage, relay.url, user, people, { interval });

const changeAll = freshChanges(() => stage.cloud);

const reads = () =>
  stage.cloud.graph.log.filter(
    (e) => e.path === '/v1.0/communications/getPresencesByUserId' && e.appId === DEMO_SPA_CLIENT_ID,
  ).length;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test(
  'in Chromium: the relay killed for longer than the watch lease; never live while wrong, and every badge true within 5 s of its return',
  { skip: noChromium, timeout: 120_000 },
  async (t) => {
    const { cloud } = stage;
    const r = await relayFor('long-outage');
    let relay = await r.start();
    const user = cloud.tenant.users[0]!.id;
    const people = cloud.tenant.users.slice(10, 15).map((u) => u.id);
    // Polling (when the page must poll) every 30 s: slower than the outage, so only a read at the return can fix what
    // changed at its end.
    const live = await livePage(relay, user, people, 30_000);
    try {
      await until(
        () => people.every((id) => relaySubscriptions(cloud).some((s) => s.ids.has(id))),
        "Graph covering the page's people",
        15_000,
      );
      await until(async () => (await live.stale()).length === 0, 'the page showing the truth', 10_000);

      // The first reads are over (the people read, and read once more once the relay confirmed it covers them).
      for (let before = -1; before !== reads();) {
        before = reads();
        await sleep(2_000);
      }
      // Ordinary renewals of the lease (every 5 s) read nothing from Graph.
      const beforeRenewals = reads();
      await sleep(LEASE_SECONDS * 1000 + 2_000);
      const renewalReads = reads() - beforeRenewals;
      assert.equal(renewalReads, 0, 'no presence read by the page for its lease renewals');
      assert.equal(await live.state(), 'connected');

      await relay.kill();
      // Presence changes early in the outage, and again at its end (after every renewal the page could make).
      await sleep(1_000);
      changeAll(people);
      await sleep((LEASE_SECONDS + 4) * 1000);
      changeAll(people);
      await sleep(500);
      // Past the lease, the page knows the relay is away: it says so (not "connected") or shows the truth.
      const duringState = await live.state();
      const duringStale = (await live.stale()).length;
      assert.ok(
        duringState !== 'connected' || duringStale === 0,
        `live while wrong during the outage: "${duringState}" with ${duringStale} wrong badges`,
      );

      const readsBefore = reads();
      relay = await r.start();
      const back = Date.now();
      // No change from now on: only reading Graph again can make the badges true.
      await until(
        async () => (await live.stale()).length === 0,
        'every badge showing the truth within 5 s of the restart',
        5_000,
      );
      const took = (Date.now() - back) / 1000;
      await until(async () => (await live.state()) === 'connected', 'the page connected again', 10_000);
      t.diagnostic(
        `relay down ${LEASE_SECONDS + 5.5} s (lease ${LEASE_SECONDS} s): page "${duringState}" with ${duringStale} wrong badges during it; 0 wrong ${took.toFixed(1)} s after the restart, ${reads() - readsBefore} presence reads by then; ${renewalReads} reads for two ordinary renewals`,
      );

      // Pushed again: changes after the outage show without polling.
      await until(
        () => people.every((id) => relaySubscriptions(cloud).some((s) => s.ids.has(id))),
        "Graph covering the page's people again",
        15_000,
      );
      changeAll(people);
      await until(async () => (await live.stale()).length === 0, 'the changes after the outage on the page', 10_000);
    } finally {
      await live.page.close();
      await relay.stop();
    }
  },
);
