// The card's actions: the links they open, and what each does when the app lets it (the `presence-action` default).
import type { PresenceClient } from '../../client/presence-client.js';
import type { PresenceActionDetail, PresenceActionKind } from '../../events/presence-action.js';

/** Who the actions are for, as the directory knows them. */
export interface Contact {
  userId: string | null;
  userPrincipalName: string | null;
  mail: string | null;
}

const TEAMS = 'https://teams.microsoft.com/l';

/** `value` as a query or path component; null when it is not well-formed text (a lone surrogate). */
function encoded(value: string): string | null {
  try {
    return encodeURIComponent(value);
  } catch {
    return null;
  }
}

/** An address worth writing to: one `@`, something on each side, no spaces or controls. */
const ADDRESS = /^[^@\s\p{Cc}]+@[^@\s\p{Cc}]+$/u;

/**
 * The link each action opens, or null when the person lacks what it needs. Every value is URL-encoded, and every
 * link starts with a fixed scheme (`https:` or `mailto:`): no name or address can turn one into `javascript:`.
 *
 * Teams deep links, as Microsoft documents them ("Deep link to a workflow in Teams",
 * https://learn.microsoft.com/microsoftteams/platform/concepts/build-and-test/deep-link-workflow):
 * - new chat: `https://teams.microsoft.com/l/chat/0/0?users=<user1>,<user2>,...`;
 * - audio call: `https://teams.microsoft.com/l/call/0/0?users=<user1>,<user2>`;
 * - video call: the same with `&withVideo=true`.
 * `users` takes the Microsoft Entra userPrincipalName ("such as an email address only"): the card uses the
 * userPrincipalName, or the mail address when the directory gave none.
 */
export function actionHref(action: PresenceActionKind, contact: Contact): string | null {
  const upn = contact.userPrincipalName?.trim() || contact.mail?.trim() || '';
  const user = upn ? encoded(upn) : null;
  switch (action) {
    case 'chat':
      return user ? `${TEAMS}/chat/0/0?users=${user}` : null;
    case 'call':
      return user ? `${TEAMS}/call/0/0?users=${user}` : null;
    case 'video':
      return user ? `${TEAMS}/call/0/0?users=${user}&withVideo=true` : null;
    case 'email': {
      const mail = contact.mail?.trim() ?? '';
      // RFC 6068: the address is percent-encoded, `@` may stay as it is.
      const address = ADDRESS.test(mail) ? encoded(mail)?.replace(/%40/g, '@') : null;
      return address ? `mailto:${address}` : null;
    }
    case 'notify':
      return null;
  }
}

/** The detail of the `presence-action` event for `action`. */
export function actionDetail(action: PresenceActionKind, contact: Contact): PresenceActionDetail {
  return { action, ...contact, href: actionHref(action, contact) };
}

/** Asks the client to tell the user, once, when the person is available. False when there is no client to ask. */
export function notifyWhenAvailable(client: PresenceClient | undefined, userId: string): boolean {
  if (!client) return false;
  client.notifyWhenAvailable(userId);
  return true;
}

/** The default of a link action: Teams in a new tab with no access back to this page; mail in the mail app. */
export function openLink(detail: PresenceActionDetail): void {
  if (!detail.href) return;
  if (detail.action === 'email') window.open(detail.href, '_self');
  else window.open(detail.href, '_blank', 'noopener');
}
