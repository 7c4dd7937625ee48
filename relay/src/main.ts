// `npm run relay`: the relay as a plain Node server, configured by environment variables.
import { settingsFromEnv, type RelaySettings } from './config.js';
import { relayFromSettings } from './from-settings.js';

let settings: RelaySettings;
try {
  settings = settingsFromEnv();
} catch (error) {
  console.error((error as Error).message);
  process.exit(2);
}
const graphBaseUrl = process.env.GRAPH_BASE_URL ?? 'https://graph.microsoft.com';
const { relay } = relayFromSettings(settings, { graphBaseUrl });
await relay.start();
console.log(`Presence relay listening on ${relay.url} (public ${settings.publicUrl}); Graph at ${graphBaseUrl}`);
if (settings.notificationUrl.startsWith('EventHub:')) {
  // This server has no Event Hubs reader: the Functions app's trigger reads the hub.
  console.warn(
    `Graph delivers notifications to ${settings.notificationUrl}; this server does not read Event Hubs (the Functions app does).`,
  );
}
const stop = async () => {
  await relay.stop();
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
