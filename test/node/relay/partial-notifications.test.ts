// Graph's presence notifications carry availability and activity only (no status message, no out-of-office
// settings, no sequence number), as the emulator sends them by default. The page must keep showing what pushes do not
// carry, must never show an older state for a notification that is replayed or overtaken, and must not lose a change
// the relay could not read back from Graph.
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { encryptResource } from '../../../common/notification-crypto.js';
import { DEMO_RELAY_CLIENT_ID, DEMO_SPA_CLIENT_ID } from '../../../emulator/entra/clients.js';
import { makeCertificate, type CertificateAndKey } from '../../../emulator/shared/tls.js';
import { startLocalRelay } from '../../../scripts/local-relay.js';
import type { Relay } from '../../../relay/src/relay.js';
import { chromiumStage, noChromium } from '../stage.js';
import { relaySubscriptions, until } from './support.js';

const CLIENT_STATE = 'partial-notifications-secret';
let relay: Relay;
let certificate: CertificateAndKey;

const stage = chromiumStage({
  emulators: {
    simulatorRate: 0,
    tenant: { seed: 'partial-notifications', userCount: 40, teamSizes: [5] },
    delivery: { batchWindowMs: 5 },
  },
  async setUp({ cloud, origin }) {
    certificate = await makeCertificate('partial-notifications');
    relay = await startLocalRelay(cloud, { certificate, clientState: CLIENT_STATE, allowedOrigins: [origin] });
  },
  async tearDown() {
    await relay?.stop();
  },
});

const WATCHER = 0;
const WATCHED = 7;

/** The live page, signed in as the watcher, showing the watched person's avatar with status and message. */
async function livePage(): Promise<Page> {
  const { cloud, browser, origin } = stage;
  const watched = cloud.tenant.users[WATCHED]!.id;
  const query = new URLSearchParams({
    user: cloud.tenant.users[WATCHER]!.id,
    watched,
    graph: cloud.graph.url,
    control: cloud.control.url,
    relay: `${relay.url}/api`,
    relayScope: `api://${DEMO_RELAY_CLIENT_ID}/access_as_user`,
  });
  const page = await browser.newPage();
  await page.goto(`${origin}/test/node/fixtures/signalr-live.html?${query}`);
  await page.waitForFunction(() => (window as any).presenceClient.connectionState === 'connected', null, {
    timeout: 20_000,
  });
  await until(
    () => relaySubscriptions(cloud).some((s) => s.ids.has(watched)),
    'the relay to cover the watched person',
    15_000,
  );
  // Every presence the page applies for the watched person, in order.
  await page.evaluate((id) => {
    (window as any).applied = [];
    (window as any).presenceClient.watch(
      id,
      (s: any) =>
        s.presence &&
        (window as any).applied.push({
          availability: s.presence.availability,
          statusMessage: s.presence.statusMessage ?? null,
          outOfOffice: s.presence.isOutOfOffice,
        }),
      { profile: false, photo: false },
    );
  }, watched);
  return page;
}

const badge = (page: Page) =>
  page.evaluate(
    () =>
      document.getElementById('watched')?.shadowRoot?.querySelector('[part="badge"]')?.getAttribute('data-status') ??
      null,
  );
const messageLine = (page: Page) =>
  page.evaluate(
    () => document.getElementById('watched')?.shadowRoot?.querySelector('[part="message"]')?.textContent ?? null,
  );
const waitForBadge = (page: Page, status: string) =>
  page.waitForFunction(
    (s) =>
      document.getElementById('watched')?.shadowRoot?.querySelector('[part="badge"]')?.getAttribute('data-status') ===
      s,
    status,
    { timeout: 10_000 },
  );

/** Reads of presence the page made itself (the SPA's app), as opposed to the relay's. */
const pageReads = () =>
  stage.cloud.graph.log.filter(
    (e) => e.path === '/v1.0/communications/getPresencesByUserId' && e.appId === DEMO_SPA_CLIENT_ID,
  ).length;

// Out of office, Away is drawn with the out-of-office glyph (as Teams does); the others in their usual colour.
const CYCLE = [
  ['Busy', 'InACall', 'busy'],
  ['Available', 'Available', 'available'],
  ['DoNotDisturb', 'Presenting', 'do-not-disturb'],
  ['Away', 'Away', 'out-of-office'],
] as const;

test('a status message and out-of-office survive 100 pushed availability changes', { skip: noChromium }, async () => {
  const { cloud } = stage;
  const watched = cloud.tenant.users[WATCHED]!.id;
  cloud.tenant.setPresence(watched, {
    availability: 'Available',
    activity: 'Available',
    statusMessage: {
      message: { content: 'On the train, back at 10', contentType: 'text' },
      expiryDateTime: null,
      publishedDateTime: new Date().toISOString(),
    },
    outOfOfficeSettings: { isOutOfOffice: true, message: 'Away until Monday' },
  });
  const page = await livePage();
  try {
    await page.waitForFunction(() => (window as any).applied.length > 0, null, { timeout: 10_000 });
    const readsBefore = pageReads();
    const relayReadsBefore = relay.reader!.stats.reads;
    for (let i = 0; i < 100; i++) {
      const [availability, activity, status] = CYCLE[i % CYCLE.length]!;
      cloud.tenant.setPresence(watched, { availability, activity });
      await waitForBadge(page, status);
      assert.equal(
        await messageLine(page),
        'On the train, back at 10',
        `the status message is still shown after change ${i + 1}`,
      );
    }
    const history: Array<{ availability: string; statusMessage: string | null; outOfOffice: boolean }> =
      await page.evaluate(() => (window as any).applied);
    assert.ok(history.length >= 100, `every change was applied (${history.length})`);
    for (const entry of history) {
      assert.equal(entry.statusMessage, 'On the train, back at 10');
      assert.equal(entry.outOfOffice, true);
    }
    assert.equal(pageReads(), readsBefore, 'every change came pushed, none had to be read again by the page');
    const reads = relay.reader!.stats.reads - relayReadsBefore;
    assert.ok(
      reads >= 1 && reads <= 100,
      `the relay read each change back from Graph at most once (${reads} reads for 100 changes)`,
    );
  } finally {
    await page.close();
  }
});

/** A rich notification as Graph sends it: availability and activity only, encrypted for the relay. */
function notification(subscriptionId: string, id: string, availability: string, activity: string) {
  const x509 = new X509Certificate(Buffer.from(certificate.certBase64, 'base64'));
  const reference = { '@odata.type': '#microsoft.graph.presence', '@odata.id': `users/${id}/presence`, id };
  return {
    subscriptionId,
    changeType: 'updated',
    clientState: CLIENT_STATE,
    resource: `communications/presences/${id}`,
    resourceData: reference,
    tenantId: stage.cloud.tenant.id,
    encryptedContent: encryptResource({ ...reference, availability, activity }, x509, 'local-relay'),
  };
}

test('a replayed or overtaken notification never shows an older state', { skip: noChromium }, async () => {
  const { cloud } = stage;
  const watched = cloud.tenant.users[WATCHED]!.id;
  cloud.tenant.setPresence(watched, {
    availability: 'Busy',
    activity: 'InAMeeting',
    statusMessage: null,
    outOfOfficeSettings: { isOutOfOffice: false, message: null },
  });
  const page = await livePage();
  try {
    await waitForBadge(page, 'busy');
    const subscription = relaySubscriptions(cloud).find((s) => s.ids.has(watched))!;
    const older = notification(subscription.id, watched, 'Busy', 'InAMeeting');
    cloud.tenant.setPresence(watched, { availability: 'Available', activity: 'Available' });
    await waitForBadge(page, 'available');
    await page.evaluate(() => ((window as any).applied = []));
    const staleBefore = relay.stats.stale;
    const pushedBefore = relay.stats.received;
    const validationTokens = [cloud.entra.issueGraphValidationToken(DEMO_RELAY_CLIENT_ID)];
    // The Busy notification arrives after the Available one (overtaken), then twice more (redelivered).
    for (let i = 0; i < 3; i++) {
      const res = await fetch(`${relay.url}/api/notifications`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ value: [older], validationTokens }),
      });
      assert.equal(res.status, 202);
    }
    await relay.idle();
    await new Promise((r) => setTimeout(r, 300));
    const history: Array<{ availability: string }> = await page.evaluate(() => (window as any).applied);
    assert.deepEqual(
      history.map((h) => h.availability).filter((a) => a !== 'Available'),
      [],
      'the older Busy was never applied',
    );
    assert.equal(await badge(page), 'available');
    assert.ok(relay.stats.stale > staleBefore, 'the relay read Graph and found nothing newer');
    assert.equal(relay.stats.received, pushedBefore, 'so it pushed nothing');
    // A real change afterwards still goes through.
    cloud.tenant.setPresence(watched, { availability: 'Away', activity: 'BeRightBack' });
    await waitForBadge(page, 'away');
  } finally {
    await page.close();
  }
});

test(
  'a change the relay cannot read back still reaches the badge: the page is asked to read it',
  { skip: noChromium },
  async () => {
    const { cloud } = stage;
    const watched = cloud.tenant.users[WATCHED]!.id;
    cloud.tenant.setPresence(watched, { availability: 'Available', activity: 'Available' });
    const page = await livePage();
    const fault = cloud.faults.add({
      service: 'graph',
      path: '/v1.0/communications/getPresencesByUserId',
      appId: DEMO_RELAY_CLIENT_ID,
      kind: 'status',
      status: 500,
    });
    try {
      await waitForBadge(page, 'available');
      const resyncsBefore = relay.stats.resyncs;
      const readsBefore = pageReads();
      cloud.tenant.setPresence(watched, { availability: 'DoNotDisturb', activity: 'Presenting' });
      await waitForBadge(page, 'do-not-disturb');
      assert.ok(relay.stats.resyncs > resyncsBefore, 'the relay asked the page to read it');
      assert.ok(pageReads() > readsBefore, 'the page read it from Graph');
    } finally {
      cloud.faults.clear(fault.id);
      await page.close();
    }
  },
);

test(
  'a read Graph throttles waits for Retry-After and still pushes the whole presence',
  { skip: noChromium },
  async () => {
    const { cloud } = stage;
    const watched = cloud.tenant.users[WATCHED]!.id;
    cloud.tenant.setPresence(watched, {
      availability: 'Available',
      activity: 'Available',
      statusMessage: {
        message: { content: 'Heads down', contentType: 'text' },
        expiryDateTime: null,
        publishedDateTime: new Date().toISOString(),
      },
    });
    const page = await livePage();
    try {
      await waitForBadge(page, 'available');
      const throttledBefore = relay.reader!.stats.throttled;
      const readsBefore = pageReads();
      cloud.faults.add({
        service: 'graph',
        path: '/v1.0/communications/getPresencesByUserId',
        appId: DEMO_RELAY_CLIENT_ID,
        kind: 'status',
        status: 429,
        retryAfter: 1,
        times: 1,
      });
      cloud.tenant.setPresence(watched, { availability: 'Busy', activity: 'InACall' });
      await waitForBadge(page, 'busy');
      assert.equal(relay.reader!.stats.throttled, throttledBefore + 1);
      assert.equal(await messageLine(page), 'Heads down');
      assert.equal(pageReads(), readsBefore, 'pushed by the relay after the wait, not read by the page');
    } finally {
      await page.close();
    }
  },
);
