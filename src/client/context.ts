import type { Context } from '../context/protocol.js';
import type { PresenceClient } from './presence-client.js';

/**
 * The context through which `<presence-provider>` gives its client to the elements inside it, under the Context
 * Community Protocol: `@lit/context`'s `@consume` and `ContextProvider` take it as it is.
 */
export const presenceClientContext = Symbol.for('presence-elements/client') as Context<
  symbol,
  PresenceClient | undefined
>;

let defaultClient: PresenceClient | undefined;
const defaultListeners = new Set<(client: PresenceClient | undefined) => void>();

/**
 * Sets the page's default client: the one elements outside any `<presence-provider>` use. The first provider on
 * the page sets it when none is set.
 */
export function setDefaultClient(client: PresenceClient | undefined): void {
  defaultClient = client;
  for (const listener of defaultListeners) listener(client);
}

export function getDefaultClient(): PresenceClient | undefined {
  return defaultClient;
}

/** Calls `listener` now and whenever the default client changes. */
export function onDefaultClient(listener: (client: PresenceClient | undefined) => void): () => void {
  defaultListeners.add(listener);
  listener(defaultClient);
  return () => defaultListeners.delete(listener);
}
