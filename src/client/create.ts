import { DemoSource, DemoTransport } from '../sources/demo.js';
import { SignalRTransport } from '../transports/signalr.js';
import { assembleClient, type ClientParts } from './assemble.js';
import type { CreatePresenceClientOptions } from './create-options.js';
import type { PresenceClient } from './presence-client.js';

export type { CreatePresenceClientOptions } from './create-options.js';

/** Everything at hand: a client made in code answers at once, the demo and the relay transport included. */
const parts: ClientParts = {
  demoSource: () => new DemoSource(),
  demoTransport: (rate) => new DemoTransport(rate),
  signalr: (options) => new SignalRTransport(options),
};

/** Makes a presence client from plain options. */
export function createPresenceClient(options: CreatePresenceClientOptions = {}): PresenceClient {
  return assembleClient(options, parts);
}
