// Relay faults seen from a real page in Chromium, running the built library against the relay in a process of its
// own: the library's own recovery (the relay's `resync` after a restart; polling what the relay cannot cover yet,
// and asking it again) brings every badge to Graph's truth, and changes after the fault are pushed again.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEMO_SPA_CLIENT_ID } from '../../../emulator/entra/clients.js';
import { noChromium } from '../stage.js';
import { openLivePage, relayPageStage } from './live-page.js';
import type { RelayProcess } from './relay-process.js';
import { relaySubscriptions, until } from './support.js';

const { stage, home } = relayPageStage('faults-browser', 40);

const relayFor = (name: string, env: Record<string, string> = {}) => home(name, env);

/** A page of the built library watching `people` through the relay, and what it shows for each of them. */
const livePage = (relay: RelayProcess, user: string, people: string[], interval?: number) =>
  openLivePage(stage, relay.url, user, people, interval ? { interval } : {});

const states = ['Busy', 'Away', 'DoNotDisturb', 'Available', 'BeRightBack'];

async function stream(people: string[], ms: number, done: () => boolean = () => false): Promise<number> {
  let i = 0;
  for (const end = Date.now() + ms; Date.now() < end && !done(); i++) {
    const id = people[(i * 3) % people.length]!;
    const now = stage.cloud.tenant.getPresence(id)?.availability;
    const state = states.find((s, k) => k >= i % states.length && s !== now) ?? states.find((s) => s !== now)!;
    stage.cloud.tenant.setPresence(id, { availability: state, activity: state });
    await new Promise((r) => setTimeout(r, 250));
  }
  return i;
}

/** Every person changes once more; the page shows it. */
async function changesShow(live: { stale(): Promise<string[]> }, people: string[]): Promise<void> {
  for (const id of people) {
    const now = stage.cloud.tenant.getPresence(id)?.availability;
    const state = states.find((s) => s !== now)!;
    stage.cloud.tenant.setPresence(id, { availability: state, activity: state });
  }
  await until(async () => (await live.stale()).length === 0, 'the changes after the fault on the page', 10_000);
}

const reads = (appId: string) =>
  stage.cloud.graph.log.filter((e) => e.path === '/v1.0/communications/getPresencesByUserId' && e.appId === appId)
    .length;

test(
  'in Chromium: the relay killed (SIGKILL) for 10 s while presence changes; once it is back every badge shows the truth',
  { skip: noChromium, timeout: 90_000 },
  async (t) => {
    const { cloud } = stage;
    const r = await relayFor('killed');
    let relay = await r.start();
    const user = cloud.tenant.users[0]!.id;
    const people = cloud.tenant.users.slice(10, 16).map((u) => u.id);
    const live = await livePage(relay, user, people);
    try {
      await until(
        () => people.every((id) => relaySubscriptions(cloud).some((s) => s.ids.has(id))),
        "Graph covering the page's people",
        15_000,
      );
      await until(async () => (await live.stale()).length === 0, 'the page showing the truth', 10_000);

      await relay.kill();
      const changes = await stream(people, 10_000);
      const staleAtEnd = (await live.stale()).length;
      relay = await r.start();
      const back = Date.now();
      await until(
        async () => (await live.stale()).length === 0,
        'every badge showing the truth within 5 s of the restart',
        5_000,
      );
      t.diagnostic(
        `relay killed for 10 s (${changes} changes): ${staleAtEnd} stale badges when it came back, 0 stale ${((Date.now() - back) / 1000).toFixed(1)} s after`,
      );
      assert.equal(
        await live.page.evaluate(() => (window as any).presenceClient.connectionState),
        'connected',
        'the page kept its connection',
      );
      await changesShow(live, people);
    } finally {
      await live.page.close();
      await relay.stop();
    }
  },
);

test(
  'in Chromium: a first watch answered "uncovered" through a passing Entra failure; the page polls, asks again and is covered',
  { skip: noChromium, timeout: 90_000 },
  async (t) => {
    const { cloud } = stage;
    // A short lease, so the page asks again about what is not covered every 5 s (half of it).
    const relay = await (await relayFor('uncovered', { RELAY_WATCH_LEASE_SECONDS: '10' })).start();
    const user = cloud.tenant.users[1]!.id;
    const people = cloud.tenant.users.slice(20, 25).map((u) => u.id);
    // Entra fails the relay's on-behalf-of exchanges for a while: the user cannot be made an owner, so nothing can be
    // covered yet, and the page's first watches are answered "uncovered".
    const tokenPath = `${new URL(cloud.entra.authority).pathname}/oauth2/v2.0/token`;
    const failing = cloud.faults.add({
      service: 'entra',
      path: tokenPath,
      method: 'POST',
      kind: 'status',
      status: 503,
    });
    const live = await livePage(relay, user, people, 1000);
    try {
      await until(() => failing.hits >= 1, 'the relay meeting the fault', 10_000);
      const isCovered = () => people.every((id) => relaySubscriptions(cloud).some((s) => s.ids.has(id)));
      // Presence changes while the page polls the people nobody covers.
      const polledBefore = reads(DEMO_SPA_CLIENT_ID);
      let changes = await stream(people, 3_000);
      assert.ok(reads(DEMO_SPA_CLIENT_ID) >= polledBefore + 2, 'the page polls them');
      assert.ok(!isCovered(), 'nothing covered while the fault lasts');
      cloud.faults.clear(failing.id);
      const passed = Date.now();
      // The page asks again (within half the lease) with the same list, and the relay covers them.
      changes += await stream(people, 15_000, isCovered);
      assert.ok(isCovered(), 'covered once the page asked again');
      const coveredAfter = (Date.now() - passed) / 1000;
      const from = Date.now();
      await until(
        async () => (await live.stale()).length === 0,
        'every badge showing the truth within 5 s of the coverage',
        5_000,
      );
      t.diagnostic(
        `covered ${coveredAfter.toFixed(1)} s after the fault passed (${changes} changes while polled); 0 stale ${((Date.now() - from) / 1000).toFixed(1)} s after`,
      );
      // Covered, the page stops polling: the next changes are pushed.
      let quiet = false;
      for (const end = Date.now() + 15_000; !quiet && Date.now() < end;) {
        const before = reads(DEMO_SPA_CLIENT_ID);
        await new Promise((r) => setTimeout(r, 2_500));
        quiet = reads(DEMO_SPA_CLIENT_ID) === before;
      }
      assert.ok(quiet, 'no presence read by the page for 2.5 s once covered');
      await changesShow(live, people);
    } finally {
      await live.page.close();
      await relay.stop();
    }
  },
);
