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
const { relay } = relayFromSettings(settings, { graphBaseUrl, ...(process.env.RELAY_ISSUER ? { extraIssuers: [process.env.RELAY_ISSUER] } : {}) });
await relay.start();
console.log(`Presence relay listening on ${relay.url} (public ${settings.publicUrl}); Graph at ${graphBaseUrl}`);
const stop = async () => {
  await relay.stop();
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
