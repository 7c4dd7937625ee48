import { DeferredDemoSource } from '../sources/deferred-demo.js';
import { DeferredTransport } from '../transports/deferred-transport.js';
import type { ClientParts } from './assemble.js';

/**
 * The pieces of `<presence-provider>`'s client that only some pages use, each loaded with `import()` when the
 * client starts using it: the demo tenant (`demo`) and the relay's SignalR transport (`transport="signalr"`).
 * A live page that polls Graph downloads neither.
 */
export const onDemandParts: ClientParts = {
  demoSource: () => new DeferredDemoSource(),
  demoTransport: (rate) =>
    new DeferredTransport(
      () => import('../sources/demo.js').then(({ DemoTransport }) => new DemoTransport(rate)),
      "The demo tenant's code",
    ),
  signalr: (options) =>
    new DeferredTransport(
      () => import('../transports/signalr.js').then(({ SignalRTransport }) => new SignalRTransport(options)),
      'The SignalR transport',
    ),
};
