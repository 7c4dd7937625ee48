// More faults seen from a real page in Chromium (the built library: live avatars and a team list) against the relay
// and the local cloud: the browser offline, SignalR Service refusing and dropping connections, the relay refusing a
// token it once took. While a fault lasts, a badge is true or marked stale; once it ends, every badge is true again
// within seconds, and nothing escapes the library as an uncaught error.
import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { parseConnectionString, serverToken } from '../../../common/signalr-connection.js';
import { DEMO_SPA_CLIENT_ID } from '../../../emulator/entra/clients.js';
import { startLocalRelay } from '../../../scripts/local-relay.js';
import type { Relay } from '../../../relay/src/relay.js';
import { chromiumStage, noChromium } from '../stage.js';
import { changeEveryone, openAvatarsPage, type AvatarsPage } from './avatars-page.js';
import { relaySubscriptions, until } from './support.js';

let relay: Relay;

const stage = chromiumStage({
  emulators: {
    simulatorRate: 0,
    tenant: { seed: 'relay-faults-more-browser', userCount: 40, teamSizes: [5] },
    delivery: { batchWindowMs: 10 },
  },
  async setUp({ cloud, origin }) {
    relay = await startLocalRelay(cloud, { allowedOrigins: [origin] });
  },
  async tearDown() {
    await relay?.stop();
  },
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// A test that fails before clearing its faults must not leave them to the tests after it.
afterEach(() => stage.cloud?.faults.clear());

/**
 * Who a test's page shows: signed in as user `signedIn`, avatars of users `from` to `to` (exclusive), and the first
 * team's list. Everyone's presence is changed once first, so that nobody is out of office and every later change
 * draws a badge of its own.
 */
function cast(signedIn: number, from: number, to: number) {
  const { cloud } = stage;
  const team = cloud.tenant.teams[0]!;
  const user = cloud.tenant.users[signedIn]!.id;
  const people = cloud.tenant.users.slice(from, to).map((u) => u.id);
  const everyone = [...people, ...team.memberIds];
  changeEveryone(cloud, everyone);
  return { team, user, people, everyone };
}

/**
 * SignalR Service cuts the page of `user` off: it refuses the page's negotiations (until the returned fault is
 * cleared) and drops its connection.
 */
function cutOff(user: string) {
  const refused = stage.cloud.faults.add({
    service: 'signalr',
    path: '/client/negotiate',
    kind: 'status',
    status: 503,
  });
  assert.ok(stage.cloud.signalr.dropConnections({ userId: user }) >= 1, "the page's connection cut");
  return refused;
}

/** The page showing Graph's truth on every badge (pushed: Graph's subscriptions cover everyone shown). */
async function settled(live: AvatarsPage, people: string[]): Promise<void> {
  const { cloud } = stage;
  await until(
    () => people.every((id) => relaySubscriptions(cloud).some((s) => s.ids.has(id))),
    "Graph covering the page's people",
    15_000,
  );
  await until(async () => (await live.wrong()).length === 0, 'every badge true', 10_000).catch(async (e) => {
    throw new Error(`${e.message}: ${JSON.stringify(await live.wrong())} ${await live.state()}`);
  });
  await until(async () => (await live.state()) === 'connected', 'the page connected', 10_000);
}

/**
 * After a fault: every badge true within 5 s (or `withinMs`), and changes made now pushed to the page within 5 s too.
 */
async function trueAgain(live: AvatarsPage, people: string[], what: string, withinMs = 5_000): Promise<number> {
  const from = Date.now();
  await until(
    async () => (await live.wrong()).length === 0,
    `every badge true within ${withinMs / 1000} s ${what}`,
    withinMs,
  );
  const took = (Date.now() - from) / 1000;
  await until(async () => (await live.state()) === 'connected', `the page connected again ${what}`, 10_000);
  changeEveryone(stage.cloud, people);
  await until(async () => (await live.wrong()).length === 0, `changes after the fault shown within 5 s`, 5_000);
  assert.deepEqual(await live.errors(), [], 'nothing uncaught in the page');
  return took;
}

test(
  'in Chromium: the browser offline for 6 s while everyone changes; stale or true meanwhile, true within 5 s of coming back',
  { skip: noChromium, timeout: 60_000 },
  async (t) => {
    const { cloud, browser } = stage;
    const { team, user, people, everyone } = cast(0, 10, 14);
    const context = await browser.newContext();
    const live = await openAvatarsPage(stage, relay.url, user, people, { team: team.id, interval: 2_000, context });
    try {
      await settled(live, everyone);
      await context.setOffline(true);
      await sleep(500);
      changeEveryone(cloud, everyone);
      // Past a polling interval and a few heartbeats: the page cannot know, and must say so on every wrong badge.
      let lying = 0;
      for (const end = Date.now() + 6_000; Date.now() < end; await sleep(500))
        if (Date.now() > end - 2_000) lying = Math.max(lying, (await live.lying()).length);
      const state = await live.state();
      await context.setOffline(false);
      const took = await trueAgain(live, everyone, 'of coming back online');
      t.diagnostic(
        `offline: "${state}", ${lying} wrong badges not marked stale at its end; true ${took.toFixed(1)} s after`,
      );
      assert.equal(lying, 0, 'no wrong badge left unmarked once the page could know');
    } finally {
      await context.close();
    }
  },
);

test(
  'in Chromium, polling every 30 s: the browser offline while everyone changes; stale meanwhile, true within 5 s of coming back',
  { skip: noChromium, timeout: 60_000 },
  async (t) => {
    const { cloud, browser } = stage;
    const { team, user, people, everyone } = cast(1, 20, 24);
    const context = await browser.newContext();
    const live = await openAvatarsPage(stage, relay.url, user, people, {
      team: team.id,
      transport: 'polling',
      context,
    });
    try {
      await until(async () => (await live.wrong()).length === 0, 'every badge true', 10_000).catch(async (e) => {
        throw new Error(`${e.message}: ${JSON.stringify(await live.wrong())} ${await live.state()}`);
      });
      await context.setOffline(true);
      changeEveryone(cloud, everyone);
      await sleep(2_000);
      const lying = (await live.lying()).length;
      const state = await live.state();
      await context.setOffline(false);
      const from = Date.now();
      await until(async () => (await live.wrong()).length === 0, 'every badge true within 5 s of coming back', 5_000);
      t.diagnostic(
        `offline: "${state}", ${lying} wrong badges not marked stale; true ${((Date.now() - from) / 1000).toFixed(1)} s after`,
      );
      assert.equal(lying, 0, 'no wrong badge left unmarked while offline');
      assert.equal((await live.badges()).filter((b) => b.stale).length, 0, 'no badge marked stale once read again');
      assert.deepEqual(await live.errors(), [], 'nothing uncaught in the page');
    } finally {
      await context.close();
    }
  },
);

test(
  "in Chromium: the page's connection drops once its relay token is no longer good at the relay; it gets a new one and is live within seconds",
  { skip: noChromium, timeout: 60_000 },
  async (t) => {
    const { cloud } = stage;
    const { team, user, people, everyone } = cast(2, 25, 29);
    // Relay tokens of 5 minutes, which the page keeps for 3 (until 2 minutes before they expire, by its own clock).
    const live = await openAvatarsPage(stage, relay.url, user, people, { team: team.id, relayTokenSeconds: 300 });
    try {
      await settled(live, everyone);
      // The relay's clock (the local cloud's) is 7 minutes ahead of the page's: the token the page keeps has expired
      // for the relay (beyond its minute of tolerance) while the page still takes it for good. Then the connection
      // drops, and everyone changes.
      cloud.entra.clock.advance(7 * 60_000);
      assert.ok(cloud.signalr.dropConnections({ userId: user }) >= 1, "the page's connection dropped");
      changeEveryone(cloud, everyone);
      const took = await trueAgain(live, everyone, 'of the drop');
      t.diagnostic(
        `connection dropped with a token the relay no longer takes: every badge true ${took.toFixed(1)} s after`,
      );
    } finally {
      await live.page.close();
    }
  },
);

test(
  'in Chromium: SignalR Service flapping for 8 s (connections cut, negotiations refused with 503) while everyone changes; true within 5 s after',
  { skip: noChromium, timeout: 60_000 },
  async (t) => {
    const { cloud } = stage;
    const { team, user, people, everyone } = cast(3, 30, 34);
    const live = await openAvatarsPage(stage, relay.url, user, people, { team: team.id });
    try {
      await settled(live, everyone);
      let cuts = 0;
      let lying = 0;
      for (let round = 0; round < 4; round++) {
        cuts += cloud.signalr.dropConnections({ userId: user });
        // Every other round, the service refuses the next negotiations too.
        const refused =
          round % 2 === 0
            ? cloud.faults.add({ service: 'signalr', path: '/client/negotiate', kind: 'status', status: 503, times: 3 })
            : undefined;
        changeEveryone(cloud, everyone);
        await sleep(1_000);
        if ((await live.state()) === 'connected') lying = Math.max(lying, (await live.lying()).length);
        await sleep(1_000);
        if (refused) cloud.faults.clear(refused.id);
      }
      const took = await trueAgain(live, everyone, 'of the last cut', 8_000);
      t.diagnostic(
        `${cuts} connections cut in 8 s: at most ${lying} wrong badges unmarked while "connected"; true ${took.toFixed(1)} s after`,
      );
      assert.equal(lying, 0, 'no wrong badge unmarked while the page says it is connected');
    } finally {
      await live.page.close();
    }
  },
);

test(
  'in Chromium: the page hidden through a relay outage of 8 s, then shown; every badge true within 5 s of both being back',
  { skip: noChromium, timeout: 60_000 },
  async (t) => {
    const { cloud } = stage;
    const { team, user, people, everyone } = cast(4, 35, 39);
    const live = await openAvatarsPage(stage, relay.url, user, people, { team: team.id });
    const visibility = (state: 'hidden' | 'visible') =>
      live.page.evaluate(`(() => {
        Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => '${state}' });
        Object.defineProperty(document, 'hidden', { configurable: true, get: () => ${state === 'hidden'} });
        document.dispatchEvent(new Event('visibilitychange'));
      })()`);
    try {
      await settled(live, everyone);
      await visibility('hidden');
      // SignalR Service cuts the page and refuses it for 8 s while everyone changes.
      const refused = cutOff(user);
      changeEveryone(cloud, everyone);
      await sleep(8_000);
      cloud.faults.clear(refused.id);
      await visibility('visible');
      const took = await trueAgain(live, everyone, 'of being shown with the service back');
      t.diagnostic(`hidden through an 8 s outage: every badge true ${took.toFixed(1)} s after being shown`);
    } finally {
      await live.page.close();
    }
  },
);

test(
  'in Chromium: Graph failing (503) as the page reads again after a dropped connection; stale meanwhile, true within 5 s of its return',
  { skip: noChromium, timeout: 60_000 },
  async (t) => {
    const { cloud } = stage;
    const { team, user, people, everyone } = cast(5, 14, 18);
    const live = await openAvatarsPage(stage, relay.url, user, people, { team: team.id });
    try {
      await settled(live, everyone);
      // The connection is cut and refused for 2 s while everyone changes; Graph answers the page's presence reads
      // with 503 from then until well after the read made on reconnecting has run out of its own retries.
      const failing = cloud.faults.add({
        service: 'graph',
        path: '/v1.0/communications/getPresencesByUserId',
        appId: DEMO_SPA_CLIENT_ID,
        kind: 'status',
        status: 503,
      });
      const refused = cutOff(user);
      changeEveryone(cloud, everyone);
      await sleep(2_000);
      cloud.faults.clear(refused.id);
      await until(async () => (await live.state()) === 'connected', 'the page connected again', 10_000);
      // The page's read runs out of its own retries: every wrong badge says it may be out of date, while Graph fails.
      await until(async () => (await live.lying()).length === 0, 'every wrong badge marked stale', 12_000);
      const marked = (await live.wrong()).length;
      assert.ok(marked > 0, 'the changes made during the cut not read yet');
      await sleep(2_000);
      const lying = (await live.lying()).length;
      assert.ok(failing.hits >= 2, 'the page met the failing reads');
      cloud.faults.clear(failing.id);
      const took = await trueAgain(live, everyone, "of Graph's return");
      t.diagnostic(
        `Graph failing after a cut: ${marked} wrong badges, all marked stale; every badge true ${took.toFixed(1)} s after its return`,
      );
      assert.equal(lying, 0, 'no wrong badge unmarked while Graph fails');
    } finally {
      await live.page.close();
    }
  },
);

test(
  'in Chromium: Graph throttling (429, Retry-After 2 s) the read made after a dropped connection; stale while it waits, then true',
  { skip: noChromium, timeout: 60_000 },
  async (t) => {
    const { cloud } = stage;
    const { team, user, people, everyone } = cast(6, 6, 10);
    const live = await openAvatarsPage(stage, relay.url, user, people, { team: team.id });
    try {
      await settled(live, everyone);
      // Graph throttles the page's presence reads from now on, each time asking it to wait 2 s; the page reads
      // nothing while pushes come, so the first read throttled is the one made because the connection dropped.
      const throttled = cloud.faults.add({
        service: 'graph',
        path: '/v1.0/communications/getPresencesByUserId',
        appId: DEMO_SPA_CLIENT_ID,
        kind: 'status',
        status: 429,
        retryAfter: 2,
      });
      const refused = cutOff(user);
      changeEveryone(cloud, everyone);
      await until(async () => throttled.hits >= 1, 'the read after the cut throttled', 10_000);
      // The page waits as Graph asks; meanwhile what it waits to read again says it may be out of date.
      await until(async () => (await live.lying()).length === 0, 'every wrong badge marked stale within 3 s', 3_000);
      const marked = (await live.wrong()).length;
      assert.ok(marked > 0, 'the changes made during the cut not read yet');
      cloud.faults.clear(refused.id);
      await until(async () => (await live.state()) === 'connected', 'the page connected again', 10_000);
      assert.equal((await live.lying()).length, 0, 'still marked while the reads wait');
      cloud.faults.clear(throttled.id);
      // The read waiting out its 2 s is answered, or the next try (within 1.5 s) is.
      const took = await trueAgain(live, everyone, 'of the throttling', 8_000);
      t.diagnostic(
        `throttled read after a cut: ${marked} wrong badges marked stale while it waited; true ${took.toFixed(1)} s after`,
      );
    } finally {
      await live.page.close();
    }
  },
);

test(
  'in Chromium: SignalR Service down for good while everyone changes; every badge true within 6 s, not at the first poll',
  { skip: noChromium, timeout: 60_000 },
  async (t) => {
    const { cloud } = stage;
    const { team, user, people, everyone } = cast(7, 0, 4);
    // Polling every 30 s (the default) as the fallback: its first poll is 30 s after the connection drops.
    const live = await openAvatarsPage(stage, relay.url, user, people, { team: team.id });
    try {
      await settled(live, everyone);
      const cutAt = Date.now();
      const refused = cutOff(user);
      changeEveryone(cloud, everyone);
      await until(async () => (await live.wrong()).length === 0, 'every badge true while the service is down', 6_000);
      const took = (Date.now() - cutAt) / 1000;
      assert.notEqual(await live.state(), 'connected', 'the page still cut off');
      // It keeps trying to connect again (at most 5 s apart), and is refused.
      await until(async () => refused.hits >= 1, 'a try to connect again refused', 10_000);
      assert.notEqual(await live.state(), 'connected', 'the page still cut off');
      cloud.faults.clear(refused.id);
      const back = await trueAgain(live, everyone, 'of the service coming back', 8_000);
      t.diagnostic(
        `service down: every badge true ${took.toFixed(1)} s after the cut; ${back.toFixed(1)} s after its return`,
      );
    } finally {
      await live.page.close();
    }
  },
);

test(
  'in Chromium: two tabs sharing one poller; the polling tab closes while Graph fails; the other takes over and is true within 5 s of its return',
  { skip: noChromium, timeout: 60_000 },
  async (t) => {
    const { cloud, browser } = stage;
    const team = cloud.tenant.teams[0]!;
    const user = cloud.tenant.users[7]!.id;
    const people = cloud.tenant.users.slice(2, 6).map((u) => u.id);
    const others = cloud.tenant.users.slice(36, 39).map((u) => u.id);
    const everyone = [...people, ...others, ...team.memberIds];
    // Nobody out of office, so that every change draws a badge of its own.
    changeEveryone(cloud, everyone);
    const context = await browser.newContext();
    const options = { transport: 'polling', interval: 2_000, tabs: 'faults-more', context } as const;
    const first = await openAvatarsPage(stage, relay.url, user, people, { ...options, team: team.id });
    const second = await openAvatarsPage(stage, relay.url, user, [...people, ...others], options);
    try {
      await until(
        async () => (await first.wrong()).length + (await second.wrong()).length === 0,
        'both tabs true',
        10_000,
      );
      const failing = cloud.faults.add({
        service: 'graph',
        path: '/v1.0/communications/getPresencesByUserId',
        appId: DEMO_SPA_CLIENT_ID,
        kind: 'status',
        status: 503,
      });
      changeEveryone(cloud, everyone);
      // The polling tab's reads fail: both tabs say their badges may be out of date.
      await until(
        async () => (await first.lying()).length + (await second.lying()).length === 0,
        'every wrong badge marked stale in both tabs',
        10_000,
      );
      assert.ok((await second.wrong()).length > 0, 'the changes not read yet');
      await first.page.close();
      cloud.faults.clear(failing.id);
      const from = Date.now();
      await until(async () => (await second.wrong()).length === 0, 'the tab left true within 5 s', 5_000);
      const took = (Date.now() - from) / 1000;
      assert.deepEqual(await second.errors(), [], 'nothing uncaught in the page');
      t.diagnostic(
        `the polling tab closed while Graph failed: the other true ${took.toFixed(1)} s after Graph's return`,
      );
    } finally {
      await context.close();
    }
  },
);

test(
  'in Chromium: malformed messages on the live connection; every badge stays true, nothing uncaught, later changes still shown',
  { skip: noChromium, timeout: 60_000 },
  async () => {
    const { cloud } = stage;
    const { team, user, people, everyone } = cast(8, 10, 13);
    const live = await openAvatarsPage(stage, relay.url, user, people, { team: team.id });
    try {
      await settled(live, everyone);
      const { endpoint, accessKey } = parseConnectionString(cloud.signalr.connectionString);
      const url = `${endpoint}/api/v1/hubs/presence/users/${encodeURIComponent(user)}`;
      const send = async (target: string, args: unknown[]) => {
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
      for (const [target, args] of [
        ['presence', ['not a list']],
        ['presence', [[null, 7, 'x', { id: 12 }, { id: 'someone-not-watched', availability: { toString: null } }]]],
        ['presence', [[{ id: 'someone-not-watched', availability: 'Offline', activity: 'Offline' }]]],
        ['presence', []],
        ['resync', [{ ids: 'everyone' }]],
        ['resync', [['constructor', '__proto__']]],
        ['coverage', ['nothing']],
        ['heartbeat', [{ intervalMs: -1 }]],
        ['heartbeat', ['soon']],
        ['unknown-target', [1, 2, 3]],
      ] as Array<[string, unknown[]]>)
        await send(target, args);
      await sleep(1_000);
      assert.deepEqual(await live.wrong(), [], 'every badge still true');
      assert.equal(await live.state(), 'connected');
      changeEveryone(cloud, everyone);
      await until(async () => (await live.wrong()).length === 0, 'the changes after the malformed messages', 5_000);
      assert.deepEqual(await live.errors(), [], 'nothing uncaught in the page');
    } finally {
      await live.page.close();
    }
  },
);

test(
  'in Chromium: SignalR Service closes the connection for good (no reconnect allowed) while everyone changes; true within 5 s',
  { skip: noChromium, timeout: 60_000 },
  async (t) => {
    const { cloud } = stage;
    const { team, user, people, everyone } = cast(9, 16, 20);
    const live = await openAvatarsPage(stage, relay.url, user, people, { team: team.id });
    try {
      await settled(live, everyone);
      const refused = cloud.faults.add({ service: 'signalr', path: '/client/negotiate', kind: 'status', status: 503 });
      assert.ok(
        cloud.signalr.closeConnections({ userId: user, allowReconnect: false, error: 'Service is shutting down' }) >= 1,
      );
      changeEveryone(cloud, everyone);
      await sleep(3_000);
      cloud.faults.clear(refused.id);
      // The next try may be up to 5.25 s away (the backoff's cap while the page is shown), then the read.
      const took = await trueAgain(live, everyone, 'of the service taking connections again', 8_000);
      t.diagnostic(`closed for good: every badge true ${took.toFixed(1)} s after the service took connections again`);
    } finally {
      await live.page.close();
    }
  },
);
