import { enNotify } from './locales/en-notify.js';
import type { PresenceMessages } from './messages.js';

/** The words of "notify me when available" (`PresenceMessages.notify`). `{name}` and `{count}` are replaced. */
export interface NotifyMessages {
  /** The toggle that arms an alert for someone. */
  notifyMe: string;
  /** The same toggle when it is on (it stops the alert). */
  stopNotify: string;
  /** Added to a person's description while the user waits for them. */
  armed: string;
  /** The toast, and the desktop notification's title: "{name} is now available". */
  nowAvailable: string;
  /** The toast's close button. */
  dismiss: string;
  /** The heading of the list of people waited for; `{count}` is replaced. */
  waitingFor: string;
  /** When nobody is waited for. */
  nobody: string;
  /** The button that takes one person off the list; `{name}` is replaced. */
  remove: string;
  /** The button that empties the list. */
  clearAll: string;
  /** The button that asks the browser's permission for desktop notifications. */
  desktop: string;
  /** Said once desktop notifications are allowed. */
  desktopOn: string;
  /** Said when the browser blocks them. */
  desktopBlocked: string;
  /** How a keyboard arms the active row of `<team-presence-list>`. */
  keyHint: string;
}

/** The notify words of `messages`, each one missing in English. */
export function notifyWords(messages: PresenceMessages): NotifyMessages {
  const own = messages.notify;
  if (own === enNotify) return own;
  const words = { ...enNotify };
  for (const key of Object.keys(words) as Array<keyof NotifyMessages>) {
    const word = own?.[key];
    if (typeof word === 'string') words[key] = word;
  }
  return words;
}

/** A notify word with `{name}` / `{count}` replaced, each by a function so `$&` in a name is not a pattern. */
export function fillWords(template: string, values: { name?: string; count?: number }): string {
  return template.replace('{name}', () => values.name ?? '').replace('{count}', () => String(values.count ?? 0));
}
