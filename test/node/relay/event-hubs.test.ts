// Event Hubs delivery: with an Event Hub configured, the keeper asks Graph to deliver there (Graph's EventHub: URL,
// for change and lifecycle notifications), and the Functions app's Event Hubs trigger hands both to the relay.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import functions from '@azure/functions';
import { startEmulators, type Emulators } from '../../../emulator/index.js';
import { makeCertificate } from '../../../emulator/shared/tls.js';
import { createHandlers } from '../../../relay/functions/src/handlers.js';
import { settingsFromEnv } from '../../../relay/src/config.js';
import { MemoryLogger } from '../../../relay/src/logger.js';
import { relayFromSettings } from '../../../relay/src/from-settings.js';
import { relayEnv, relaySubscriptions, relayToken, until } from './support.js';

const { HttpRequest } = functions;
let cloud: Emulators;
let dir: string;

before(async () => {
  cloud = await startEmulators({
    simulatorRate: 0,
    tenant: { seed: 'relay-event-hubs', userCount: 30, teamSizes: [5] },
    delivery: { batchWindowMs: 10 },
  });
  dir = mkdtempSync(join(tmpdir(), 'relay-event-hubs-'));
  const certificate = await makeCertificate('relay-event-hubs');
  writeFileSync(join(dir, 'cert.pem'), certificate.cert);
  writeFileSync(join(dir, 'key.pem'), certificate.key);
  writeFileSync(join(dir, 'ca.pem'), cloud.entra.tlsCertificate);
});
after(async () => {
  await cloud.stop();
  rmSync(dir, { recursive: true, force: true });
});

test('subscriptions name the Event Hub; lifecycle notifications read from it reach the keeper', async () => {
  const settings = settingsFromEnv({
    ...relayEnv(cloud, dir, 'https://presence-relay.azurewebsites.net'),
    RELAY_STORE_PATH: join(dir, 'state.json'),
    RELAY_DECRYPT_WORKERS: '0',
    GRAPH_EVENT_HUB_NAME: 'graph-presence',
    GRAPH_EVENT_HUB_NAMESPACE: 'contoso-graph',
  });
  const { relay, keeper } = relayFromSettings(settings, { graphBaseUrl: cloud.graph.url, logger: new MemoryLogger() });
  const handlers = createHandlers(relay, keeper);
  const [user, watched] = [cloud.tenant.users[0]!.id, cloud.tenant.users[10]!.id];
  const reply = await handlers.watch(
    new HttpRequest({
      method: 'POST',
      url: 'http://func/api/watch',
      headers: { authorization: `Bearer ${relayToken(cloud, user)}` },
      body: { string: JSON.stringify({ ids: [watched] }) },
    }),
  );
  assert.equal(reply.status, 200);
  assert.equal((reply.jsonBody as { covered: boolean }).covered, true);

  const hub = `EventHub:https://contoso-graph.servicebus.windows.net/eventhubname/graph-presence?tenantId=${cloud.tenant.id}`;
  const [sub] = relaySubscriptions(cloud);
  assert.ok(sub);
  assert.equal(sub.notificationUrl, hub, 'change notifications go to the hub');
  assert.equal(sub.lifecycleNotificationUrl, hub, 'and so do lifecycle notifications');
  assert.equal(sub.clientState, keeper.clientState);
  assert.ok(sub.includeResourceData && sub.ids.has(watched));
  // Graph sends no validation request to a hub; the emulator has no hub and delivers nothing to it.
  cloud.tenant.setPresence(watched, { availability: 'Busy', activity: 'InACall' });
  await new Promise((r) => setTimeout(r, 200));
  assert.deepEqual(
    cloud.graph.subscriptions.deliveries.filter((d) => d.subscriptionId === sub.id),
    [],
  );

  // Graph removes the subscription and says so through the hub: the keeper makes it again.
  await cloud.graph.subscriptions.removeByService(sub.id);
  const lifecycle = {
    subscriptionId: sub.id,
    subscriptionExpirationDateTime: new Date().toISOString(),
    tenantId: cloud.tenant.id,
    clientState: keeper.clientState,
    lifecycleEvent: 'subscriptionRemoved',
  };
  await handlers.eventHub([JSON.stringify({ value: [lifecycle] })]);
  await until(
    () => relaySubscriptions(cloud).some((s) => s.ids.has(watched) && s.id !== sub.id),
    'the subscription made again',
  );
  assert.equal(relay.stats.refused, 0, 'the lifecycle notification was not taken for a change notification');
  assert.deepEqual(relay.refusals, []);

  await handlers.watch(
    new HttpRequest({
      method: 'POST',
      url: 'http://func/api/watch',
      headers: { authorization: `Bearer ${relayToken(cloud, user)}` },
      body: { string: JSON.stringify({ ids: [] }) },
    }),
  );
  assert.equal(relaySubscriptions(cloud).length, 0);
  await relay.stop();
});
