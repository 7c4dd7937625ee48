// The relay as an Azure Functions v4 app: the same core as the Node server, registered as functions.
import functions from '@azure/functions';
import { settingsFromEnv } from '../../src/config.js';
import { relayFromSettings } from '../../src/from-settings.js';
import { DEFAULT_HEARTBEAT_MS, heartbeatSchedule } from '../../src/heartbeat.js';
import { createHandlers } from './handlers.js';

const { app, output } = functions;
// RELAY_STORE=table keeps the state in the function app's own storage account (AzureWebJobsStorage, unless
// AZURE_STORAGE_CONNECTION_STRING names another), shared by every instance the app scales out to.
const settings = settingsFromEnv();
const { relay, keeper } = relayFromSettings(settings, {
  ...(process.env.GRAPH_BASE_URL ? { graphBaseUrl: process.env.GRAPH_BASE_URL } : {}),
});

// Notifications are queued by the webhooks and processed after Graph has its answer (the function app's own
// storage account holds the queue); RELAY_NOTIFICATION_QUEUE=none processes them before answering instead.
const queueName = (process.env.RELAY_NOTIFICATION_QUEUE ?? 'graph-notifications').trim();
if (queueName !== 'none' && !/^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$/.test(queueName)) {
  throw new Error(
    `RELAY_NOTIFICATION_QUEUE=${queueName} is not a Storage queue name (3 to 63 lower-case letters, digits and single hyphens), nor "none"`,
  );
}
const queue = queueName === 'none' ? undefined : output.storageQueue({ queueName, connection: 'AzureWebJobsStorage' });
const handlers = createHandlers(relay, keeper, queue ? { queue } : {});
const queued = queue ? { extraOutputs: [queue] } : {};

app.http('negotiate', {
  route: 'negotiate',
  methods: ['POST', 'OPTIONS'],
  authLevel: 'anonymous',
  handler: handlers.negotiate,
});
app.http('watch', { route: 'watch', methods: ['POST', 'OPTIONS'], authLevel: 'anonymous', handler: handlers.watch });
app.http('notifications', {
  route: 'notifications',
  methods: ['POST'],
  authLevel: 'anonymous',
  ...queued,
  handler: handlers.notifications,
});
app.http('lifecycle', {
  route: 'lifecycle',
  methods: ['POST'],
  authLevel: 'anonymous',
  ...queued,
  handler: handlers.lifecycle,
});
if (queue)
  app.storageQueue('processNotifications', { queueName, connection: 'AzureWebJobsStorage', handler: handlers.queued });
app.timer('renewSubscriptions', { schedule: '0 */5 * * * *', handler: handlers.renew });
// The heartbeat by which pages notice the relay's silence (relay/src/heartbeat.ts): a timer, which runs on one instance
// however many there are (https://learn.microsoft.com/azure/azure-functions/functions-bindings-timer#scale-out), so
// one broadcast goes out per beat.
const heartbeat = heartbeatSchedule(settings.heartbeatSeconds ?? DEFAULT_HEARTBEAT_MS / 1000);
if (heartbeat) app.timer('heartbeat', { schedule: heartbeat, handler: () => relay.heartbeat() });
if (process.env.GRAPH_EVENT_HUB_NAME) {
  app.eventHub('graphNotifications', {
    connection: 'GRAPH_EVENT_HUB_CONNECTION',
    eventHubName: process.env.GRAPH_EVENT_HUB_NAME,
    cardinality: 'many',
    handler: handlers.eventHub,
  });
}
