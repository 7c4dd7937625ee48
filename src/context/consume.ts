// The consumer's side of the Context Community Protocol (protocol.ts), as a Lit reactive controller.
import type { ReactiveControllerHost } from 'lit';
import { requestContext, type Context, type ContextProviderAppeared } from './protocol.js';

type Host = ReactiveControllerHost & HTMLElement;

/**
 * Consumers connected while no provider answered them (a provider not upgraded yet, or not added yet), each as the
 * function that asks again, with its context. When a provider of that context appears, they ask again: what
 * `@lit/context`'s `ContextRoot` does, here for our own consumers, with one listener on the document.
 */
const waiting = new Map<() => void, unknown>();

function onProvider(event: Event): void {
  const { context } = event as ContextProviderAppeared;
  for (const [ask, wanted] of [...waiting]) if (wanted === context) ask();
}

/**
 * Subscribes `host`, while it is connected, to the value of `context` given by its nearest provider; `onValue` is
 * called with it, then with each change, and again when a nearer provider appears (the provider's
 * `context-provider` event). Unsubscribes when the host is disconnected. Each value also asks the host to update.
 */
export function consumeContext<V>(host: Host, context: Context<unknown, V>, onValue: (value: V) => void): void {
  let unsubscribe: (() => void) | undefined;
  let answered = false;
  // One function for the host's whole life: a provider knows its subscribers by it.
  const callback = (value: V, stop?: () => void): void => {
    answered = true;
    // Another provider answers now: leave the one before.
    if (stop !== unsubscribe) unsubscribe?.();
    unsubscribe = stop;
    host.requestUpdate();
    onValue(value);
  };
  const ask = (): void => {
    answered = false;
    requestContext(host, context, callback, true);
    if (answered) {
      waiting.delete(ask);
    } else {
      // Added once per document: the same listener again is not added twice.
      host.ownerDocument.addEventListener('context-provider', onProvider);
      waiting.set(ask, context);
    }
  };
  host.addController({
    hostConnected: ask,
    hostDisconnected() {
      waiting.delete(ask);
      unsubscribe?.();
      unsubscribe = undefined;
    },
  });
}
