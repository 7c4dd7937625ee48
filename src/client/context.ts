import { createContext } from '@lit/context';
import type { PresenceClient } from './presence-client.js';

/** The context through which `<presence-provider>` gives its client to the elements inside it. */
export const presenceClientContext = createContext<PresenceClient | undefined>(Symbol.for('presence-elements/client'));

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
