// Cancelling Graph calls, with the browser's fetch in Chromium against the Graph emulator: an aborted
// request rejects with an AbortError and its connection is really closed, a stopped poller applies nothing late, and
// an abort cuts a throttling wait short.
import { executeServerCommand } from '@web/test-runner-commands';
import { expect, waitUntil } from '@open-wc/testing';
import { bringYourOwnToken, GraphSource, PollingTransport } from '../../../src/index.js';
import type { GraphPresence, TransportSink } from '../../../src/index.js';
import { control, type Cloud } from '../support/emulator.js';

interface Logged {
  method: string;
  path: string;
  status: number;
  batchItem: boolean;
  closed: boolean;
}

const PRESENCE = '/v1.0/communications/getPresencesByUserId';
let cloud: Cloud;

/** A source whose tokens name a fresh application, so that faults and the request log are this test's own. */
function appSource() {
  const appId = crypto.randomUUID();
  const user = cloud.tenant.demoUsers[0]!.id;
  const auth = bringYourOwnToken(
    async (scopes) => (await control('POST', '/tokens', { userId: user, clientId: appId, scopes })).accessToken,
  );
  return { appId, source: new GraphSource({ auth, baseUrl: cloud.graph.url }) };
}

const presenceRequests = async (appId: string) =>
  (await executeServerCommand<Logged[], { appId: string }>('emulator-requests', { appId })).filter(
    (r) => r.path === PRESENCE,
  );

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

before(async () => {
  cloud = await executeServerCommand<Cloud, undefined>('emulator');
});

describe('cancelling Graph calls', () => {
  it('an aborted presence read rejects with an AbortError at once, and Graph sees the connection closed', async function () {
    this.timeout(15_000);
    const { appId, source } = appSource();
    const person = cloud.tenant.demoUsers[3]!.id;
    // Warm up: the token is ready, so the abort lands on the request itself.
    await source.presences([person]);
    const fault = await control('POST', '/faults', {
      service: 'graph',
      appId,
      path: PRESENCE,
      kind: 'latency',
      latencyMs: 2000,
      times: 1,
    });
    try {
      const controller = new AbortController();
      const started = performance.now();
      const read = source.presences([person], controller.signal);
      await waitUntil(
        async () => (await control('GET', '/faults')).find((f: { id: number }) => f.id === fault.id) === undefined,
        'the request reached Graph',
        { timeout: 3000 },
      );
      controller.abort();
      const error = await read.then(
        () => null,
        (e: Error) => e,
      );
      const took = performance.now() - started;
      expect(error, 'the read rejects').to.be.instanceOf(Error);
      expect(error!.name).to.equal('AbortError');
      expect(took, 'without waiting for Graph').to.be.below(1500);
      // Once Graph's answer would have been ready, it finds nobody to send it to.
      await waitUntil(async () => (await presenceRequests(appId)).length === 2, 'Graph logged the request', {
        timeout: 5000,
      });
      const [first, second] = await presenceRequests(appId);
      expect(first!.closed).to.equal(false);
      expect(second!.closed, "the aborted request's connection was closed").to.equal(true);
    } finally {
      await control('DELETE', `/faults/${fault.id}`);
    }
  });

  it('a poller stopped while its request is in flight applies nothing afterwards', async function () {
    this.timeout(15_000);
    const { appId, source } = appSource();
    const person = cloud.tenant.demoUsers[4]!.id;
    await source.presences([person]);
    const fault = await control('POST', '/faults', {
      service: 'graph',
      appId,
      path: PRESENCE,
      kind: 'latency',
      latencyMs: 1500,
      times: 1,
    });
    const updates: GraphPresence[][] = [];
    const errors: Error[] = [];
    const transport = new PollingTransport({
      fetch: (ids, signal) => source.presences(ids, signal),
      intervalMs: 1000,
      shareAcrossTabs: false,
    });
    try {
      const sink: TransportSink = {
        update: (p) => void updates.push(p),
        state: () => undefined,
        error: (e) => void errors.push(e),
      };
      transport.start(sink);
      transport.watch(new Set([person]));
      await waitUntil(
        async () => (await presenceRequests(appId)).length === 1 && transport.polls === 1,
        'the poll is in flight',
        { timeout: 5000 },
      );
      transport.stop();
      await sleep(2500);
      expect(updates, 'no presence reported after stop').to.deep.equal([]);
      expect(errors, 'an abort is not an error').to.deep.equal([]);
      const log = await presenceRequests(appId);
      expect(log.length).to.equal(2);
      expect(log[1]!.closed).to.equal(true);
    } finally {
      transport.stop();
      await control('DELETE', `/faults/${fault.id}`);
    }
  });

  it('an abort during a 429 Retry-After wait ends it: the call rejects at once and nothing more is sent', async function () {
    this.timeout(15_000);
    const { appId, source } = appSource();
    const person = cloud.tenant.demoUsers[5]!.id;
    const fault = await control('POST', '/faults', {
      service: 'graph',
      appId,
      path: PRESENCE,
      kind: 'status',
      status: 429,
      retryAfter: 3,
      times: 1,
    });
    try {
      const controller = new AbortController();
      const read = source.presences([person], controller.signal);
      // Faults answer before the request log: the rule is used up once the 429 went out.
      await waitUntil(
        async () => (await control('GET', '/faults')).find((f: { id: number }) => f.id === fault.id) === undefined,
        'the 429 was sent',
        { timeout: 5000 },
      );
      await sleep(200);
      const aborted = performance.now();
      controller.abort();
      const error = await read.then(
        () => null,
        (e: Error) => e,
      );
      expect(error?.name).to.equal('AbortError');
      expect(performance.now() - aborted, 'the 3 s wait was cut short').to.be.below(500);
      await sleep(3500);
      expect(await presenceRequests(appId), 'no retry after the abort').to.deep.equal([]);
    } finally {
      await control('DELETE', `/faults/${fault.id}`);
    }
  });
});
