import { deferredMsal } from '../auth/deferred-msal.js';
import type { PresenceErrorDetail } from '../events/presence-error.js';
import { assembleClient } from './assemble.js';
import { onDemandParts } from './on-demand-parts.js';
import type { PresenceClient } from './presence-client.js';

/** What `<presence-provider>`'s attributes say, read into plain values (an empty text counts as none). */
export interface ClientAttributes {
  /** A simulated tenant in the browser: no account, no sign-in. */
  demo?: boolean;
  /** The app registration's client id (Microsoft Entra ID). */
  clientId?: string | null;
  /** The tenant id or domain; `organizations` by default. */
  tenant?: string | null;
  /** The full authority URL; wins over `tenant`. */
  authority?: string | null;
  /** The redirect-bridge page. */
  redirectUri?: string | null;
  /** `polling` (default), `signalr` or `demo`. */
  transport?: 'polling' | 'signalr' | 'demo';
  /** For `signalr`: the relay's API root. */
  negotiateUrl?: string | null;
  /** For `signalr`: the relay API's scope. */
  relayScope?: string | null;
  /** Seconds between polls. Default 30. */
  intervalSeconds?: number;
  /** Microsoft Graph's root. */
  graphBaseUrl?: string | null;
}

/** A client, or why none could be made: an error meant for a `presence-error` event, never a throw. */
export type ClientFromAttributes = { client: PresenceClient } | { error: PresenceErrorDetail };

/**
 * Makes the client `<presence-provider>` describes with its attributes: the demo tenant, or Microsoft Graph with
 * MSAL's sign-in, polled or pushed by the relay. The one place that chooses MSAL, so that elements never import it.
 * The demo tenant's and the SignalR transport's code load on demand (`onDemandParts`), when the client uses them,
 * and MSAL's with the first token asked for (`deferredMsal`).
 */
export function clientFromAttributes(attributes: ClientAttributes): ClientFromAttributes {
  const { clientId, authority, tenant, redirectUri, negotiateUrl, relayScope, graphBaseUrl } = attributes;
  const transport = attributes.transport ?? 'polling';
  try {
    if (attributes.demo || transport === 'demo')
      return { client: assembleClient({ transport: 'demo' }, onDemandParts) };
    if (!clientId) {
      return configError(
        "<presence-provider> has no client: set `client-id` (the app registration's client id), add `demo` for the simulated tenant, or set `.client` to a client made in code.",
      );
    }
    if (transport === 'signalr' && !negotiateUrl) {
      return configError(
        '<presence-provider transport="signalr"> needs a `negotiate-url` attribute: the relay\'s API root.',
      );
    }
    // MSAL's wrapper and MSAL load when the client first asks for a token.
    const auth = deferredMsal({
      clientId,
      ...(authority ? { authority } : {}),
      ...(tenant ? { tenantId: tenant } : {}),
      ...(redirectUri ? { redirectUri } : {}),
    });
    // Tabs of this app, signed in to this tenant, reading this Graph share one poller (the token provider's
    // `tabKey` with Graph's root); another app or tenant on the same origin has a poller of its own.
    const client = assembleClient(
      {
        auth,
        transport: transport === 'signalr' ? 'signalr' : 'polling',
        pollingIntervalMs: (attributes.intervalSeconds ?? 30) * 1000,
        ...(graphBaseUrl ? { graphBaseUrl } : {}),
        ...(negotiateUrl ? { relayUrl: negotiateUrl } : {}),
        ...(relayScope ? { relayScopes: [relayScope] } : {}),
      },
      onDemandParts,
    );
    return { client };
  } catch (error) {
    return configError(error instanceof Error ? error.message : String(error));
  }
}

function configError(message: string): { error: PresenceErrorDetail } {
  return { error: { kind: 'config', message } };
}
