/**
 * Where access tokens come from. Every implementation asks for the least: the scopes a call needs, when it needs
 * them, so consent grows with use.
 */
export interface TokenProvider {
  /** An access token for Microsoft Graph with at least these scopes. Rejects when the user must sign in. */
  getToken(scopes: string[], signal?: AbortSignal): Promise<string>;
}

/** A token provider for apps that get tokens their own way (their backend, another library). */
export function bringYourOwnToken(getToken: (scopes: string[], signal?: AbortSignal) => Promise<string> | string): TokenProvider {
  return {
    async getToken(scopes, signal) {
      signal?.throwIfAborted();
      const token = await getToken(scopes, signal);
      if (typeof token !== 'string' || !token) throw new Error('The token function returned no token.');
      return token;
    },
  };
}

/** The scopes each kind of call needs, least first. */
export const SCOPES = {
  me: ['User.Read'],
  ownPresence: ['Presence.Read'],
  presence: ['Presence.Read.All'],
  users: ['User.ReadBasic.All'],
  photos: ['User.ReadBasic.All'],
  teamMembers: ['TeamMember.Read.All'],
  groupMembers: ['GroupMember.Read.All'],
} as const;
