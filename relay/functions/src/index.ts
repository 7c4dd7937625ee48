// The relay as an Azure Functions v4 app: the same core as the Node server, registered as functions.
import functions from '@azure/functions';
import { settingsFromEnv } from '../../src/config.js';
import { relayFromSettings } from '../../src/from-settings.js';
import { createHandlers } from './handlers.js';

const { app } = functions;
const { relay, keeper } = relayFromSettings(settingsFromEnv(), { ...(process.env.GRAPH_BASE_URL ? { graphBaseUrl: process.env.GRAPH_BASE_URL } : {}) });
const handlers = createHandlers(relay, keeper);

app.http('negotiate', { route: 'negotiate', methods: ['POST', 'OPTIONS'], authLevel: 'anonymous', handler: handlers.negotiate });
app.http('watch', { route: 'watch', methods: ['POST', 'OPTIONS'], authLevel: 'anonymous', handler: handlers.watch });
app.http('notifications', { route: 'notifications', methods: ['POST'], authLevel: 'anonymous', handler: handlers.notifications });
app.http('lifecycle', { route: 'lifecycle', methods: ['POST'], authLevel: 'anonymous', handler: handlers.lifecycle });
app.timer('renewSubscriptions', { schedule: '0 */5 * * * *', handler: handlers.renew });
if (process.env.GRAPH_EVENT_HUB_NAME) {
  app.eventHub('graphNotifications', {
    connection: 'GRAPH_EVENT_HUB_CONNECTION',
    eventHubName: process.env.GRAPH_EVENT_HUB_NAME,
    cardinality: 'many',
    handler: handlers.eventHub,
  });
}
