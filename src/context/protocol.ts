// The Context Community Protocol of the Web Components Community Group
// (webcomponents-cg/community-protocols, proposals/context.md): the two events through which an element asks its
// ancestors for a value and a provider says it has appeared. What `@lit/context` sends and answers, so that our
// elements and Lit's `@consume`/`ContextProvider` understand each other; a few hundred bytes instead of Lit's
// controllers, on every live page.

/**
 * A context: a key (here a symbol) that carries, for TypeScript only, the type of its value. The same shape as
 * `@lit/context`'s `Context`, so a key typed with it can be given to `@consume` or `ContextProvider`.
 */
export type Context<KeyType, ValueType> = KeyType & { __context__: ValueType };

/**
 * Called by a provider with its value; for a subscriber, again with every new value, and with the function that
 * ends the subscription (a different one means another provider answers now).
 */
export type ContextCallback<V> = (value: V, unsubscribe?: () => void) => void;

/** What a `context-request` event carries (the protocol's `ContextRequestEvent`). */
export interface ContextRequest<V> extends Event {
  readonly context: Context<unknown, V>;
  /** The element asking: a provider answers it, and asks again from it when a nearer provider appears. */
  readonly contextTarget: Element;
  readonly callback: ContextCallback<V>;
  readonly subscribe?: boolean;
}

/** What a `context-provider` event carries: a provider of `context` has just been connected. */
export interface ContextProviderAppeared extends Event {
  readonly context: Context<unknown, unknown>;
  readonly contextTarget: Element;
}

/** Sends `name` from `target`, bubbling and composed (so it crosses shadow roots), with the protocol's fields. */
function send(target: Element, name: string, fields: object): void {
  target.dispatchEvent(Object.assign(new Event(name, { bubbles: true, composed: true }), fields));
}

/** Asks the providers above `target` for `context`; the nearest one calls `callback`. */
export function requestContext<V>(
  target: Element,
  context: Context<unknown, V>,
  callback: ContextCallback<V>,
  subscribe: boolean,
): void {
  send(target, 'context-request', { context, contextTarget: target, callback, subscribe });
}

/** Says that `host` now provides `context`: whoever waits for it, or an outer provider's subscribers, asks again. */
export function announceProvider(host: Element, context: Context<unknown, unknown>): void {
  send(host, 'context-provider', { context, contextTarget: host });
}
