// The relay as `npm run relay` runs it, on the local cloud's clock: the offset by which the emulators' clock was moved
// (`POST /clock/advance` on the control API at CLOUD_CONTROL_URL) is read every 100 ms and added to the relay's
// time for tokens, watch leases and subscription expiries, as `npm start`'s relay does in-process. Says
// "clock offset <seconds>" each time it learns a new one.
import { settingsFromEnv } from '../../../relay/src/config.js';
import { relayFromSettings } from '../../../relay/src/from-settings.js';

const control = process.env.CLOUD_CONTROL_URL!;
let offsetMs = 0;
async function follow(): Promise<void> {
  const status = (await (await fetch(`${control}/status`)).json()) as { clock: { offsetSeconds: number } };
  const next = status.clock.offsetSeconds * 1000;
  if (next === offsetMs) return;
  offsetMs = next;
  console.log(`clock offset ${next / 1000}`);
}
await follow();
setInterval(() => void follow().catch(() => undefined), 100).unref();

const { relay } = relayFromSettings(settingsFromEnv(), {
  graphBaseUrl: process.env.GRAPH_BASE_URL!,
  now: () => Date.now() + offsetMs,
});
await relay.start();
console.log(`Presence relay listening on ${relay.url}`);
process.on('SIGTERM', () => void relay.stop().then(() => process.exit(0)));
