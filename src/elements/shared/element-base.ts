// The base class of <presence-avatar>, <presence-badge> and <presence-provider>: in the browser our own small
// reactive element (presence-element.ts), which keeps Lit off the pages that only show avatars; on the server
// (`isServer`, Lit's "node" export condition) LitElement, which is what Lit's server renderer (@lit-labs/ssr)
// renders. Both render the same templates (template.ts) and follow the same lifecycle. A bundler building for the
// browser drops the branch that is never taken, and with it LitElement.
import { isServer, LitElement } from 'lit';
import { PresenceElement } from './presence-element.js';

export const ElementBase: typeof PresenceElement = isServer
  ? (LitElement as unknown as typeof PresenceElement)
  : PresenceElement;
