// The provider's side of the Context Community Protocol (protocol.ts), as a Lit reactive controller.
import type { ReactiveControllerHost } from 'lit';
import {
  announceProvider,
  requestContext,
  type Context,
  type ContextCallback,
  type ContextProviderAppeared,
  type ContextRequest,
} from './protocol.js';

/** The value a host provides: read it, or set it (every subscriber is told of a change). */
export interface ProvidedValue<V> {
  readonly value: V;
  set(value: V): void;
}

/**
 * Makes `host` the provider of `context` for the elements inside it (in its light DOM and, the events being
 * composed, in shadow roots below): it answers their requests and stops them there (the nearest provider wins),
 * tells subscribers each new value, and, when a provider of the same context appears inside it, has its subscribers
 * ask again so that those inside the new one move to it. Says it is there each time it is connected, for the
 * consumers that asked before it was.
 */
export function provideContext<V>(
  host: ReactiveControllerHost & HTMLElement,
  context: Context<unknown, V>,
  initial: V,
): ProvidedValue<V> {
  let value = initial;
  /** Each subscriber's callback, with the element that asked and the function that ends its subscription. */
  const subscribers = new Map<ContextCallback<V>, [Element, () => void]>();
  /** The element an event came from: the protocol's `contextTarget`, else the first in its path. */
  const from = (event: ContextRequest<V> | ContextProviderAppeared): Element =>
    event.contextTarget ?? (event.composedPath()[0] as Element);
  host.addEventListener('context-request', (event) => {
    const request = event as ContextRequest<V>;
    const target = from(request);
    if (request.context !== context || target === host) return;
    event.stopPropagation();
    const { callback } = request;
    if (!request.subscribe) return callback(value);
    let subscriber = subscribers.get(callback);
    if (!subscriber) subscribers.set(callback, (subscriber = [target, () => subscribers.delete(callback)]));
    callback(value, subscriber[1]);
  });
  host.addEventListener('context-provider', (event) => {
    const appeared = event as ContextProviderAppeared;
    if (appeared.context !== context || from(appeared) === host) return;
    event.stopPropagation();
    for (const [callback, [target]] of [...subscribers]) requestContext(target, context, callback, true);
  });
  host.addController({ hostConnected: () => announceProvider(host, context) });
  return {
    get value() {
      return value;
    },
    set(next) {
      if (Object.is(next, value)) return;
      value = next;
      for (const [callback, [, stop]] of [...subscribers]) callback(value, stop);
    },
  };
}
