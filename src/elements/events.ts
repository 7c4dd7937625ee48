// The public events now live in src/events/, one module each; their types are re-exported here for code that
// imported them from this module.
export type { PresenceChangeDetail, PresenceChangeEvent, PresenceErrorDetail, PresenceErrorEvent } from '../events/index.js';
export { emit } from '../events/index.js';

/**
 * Dispatches an event the way every element here does: bubbling, composed, with a small serialisable detail.
 * Untyped: use `emit`, which checks the detail against the event's name.
 */
export function dispatch<T>(target: EventTarget, type: string, detail: T): boolean {
  return target.dispatchEvent(new CustomEvent<T>(type, { detail, bubbles: true, composed: true }));
}
