import type { PresenceMessages } from '../messages.js';

export type ListMessages = Required<
  Pick<
    PresenceMessages,
    'filterLabel' | 'peopleCount' | 'noMatch' | 'loading' | 'consentNeeded' | 'grantAccess' | 'signIn' | 'signOut'
  >
>;

/** The English words of `<team-presence-list>` and `<presence-sign-in>`. */
export const enList: ListMessages = {
  filterLabel: 'Filter by name',
  peopleCount: '{count} people',
  noMatch: 'No one matches.',
  loading: 'Loading members…',
  consentNeeded: 'Showing these members needs your permission.',
  grantAccess: 'Grant access',
  signIn: 'Sign in',
  signOut: 'Sign out',
};

/** A locale's words, with those of the team list and the sign-in button in English where it has none. */
export function listWords(messages: PresenceMessages): PresenceMessages & ListMessages {
  const words = { ...enList };
  for (const key of Object.keys(enList) as Array<keyof ListMessages>) {
    const word = messages[key];
    if (typeof word === 'string') words[key] = word;
  }
  return { ...messages, ...words };
}
