import type { MemberEventDetail } from './member-detail.js';
import type { PresenceActionDetail } from './presence-action.js';
import type { PresenceChangeDetail } from './presence-change.js';
import type { PresenceErrorDetail } from './presence-error.js';
import type { PresenceSignedInDetail } from './presence-signed-in.js';
import type { PresenceSignedOutDetail } from './presence-signed-out.js';

/** Every public event the elements send, by name, with its detail. */
export interface PresenceEventMap {
  'presence-error': PresenceErrorDetail;
  'presence-change': PresenceChangeDetail;
  'presence-signed-in': PresenceSignedInDetail;
  'presence-signed-out': PresenceSignedOutDetail;
  'presence-select': MemberEventDetail;
  'presence-available': MemberEventDetail;
  'presence-alert': MemberEventDetail;
  'presence-action': PresenceActionDetail;
}

/**
 * Sends one of the public events the way every element here does: bubbling, composed, with a small serialisable
 * detail. Typed by name, so that a detail of the wrong shape does not compile. With `cancelable`, a listener may
 * call `preventDefault()`: the result is then false, and the sender skips its default.
 */
export function emit<K extends keyof PresenceEventMap>(
  target: EventTarget,
  type: K,
  detail: PresenceEventMap[K],
  options: { cancelable?: boolean } = {},
): boolean {
  return target.dispatchEvent(
    new CustomEvent<PresenceEventMap[K]>(type, { detail, bubbles: true, composed: true, ...options }),
  );
}
