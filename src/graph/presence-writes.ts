// The signed-in user's presence writes on Microsoft Graph, each a POST with `Presence.ReadWrite` (delegated):
// https://learn.microsoft.com/graph/api/presence-setuserpreferredpresence, presence-clearuserpreferredpresence,
// presence-setstatusmessage, presence-setpresence and presence-clearpresence. Graph documents them on
// `/users/{id}/presence/...`, so they are sent there with the signed-in user's id.
import type { PresenceWrites, WriteOptions } from '../client/write-types.js';

/** Sends one POST to Graph (through the source's request layer and its retry policy) and settles when it is done. */
export type GraphPost = (path: string, body: unknown, options: WriteOptions) => Promise<unknown>;

function presencePath(userId: string, action: string): string {
  return `/users/${encodeURIComponent(userId)}/presence/${action}`;
}

/** The five writes, over `post`. */
export function presenceWrites(post: GraphPost): PresenceWrites {
  const send = async (userId: string, action: string, body: unknown, options: WriteOptions = {}) => {
    await post(presencePath(userId, action), body, options);
  };
  return {
    setUserPreferredPresence: (userId, body, options) => send(userId, 'setUserPreferredPresence', body, options),
    clearUserPreferredPresence: (userId, options) => send(userId, 'clearUserPreferredPresence', {}, options),
    setStatusMessage: (userId, statusMessage, options) => send(userId, 'setStatusMessage', { statusMessage }, options),
    setPresence: (userId, body, options) => send(userId, 'setPresence', body, options),
    clearPresence: (userId, sessionId, options) => send(userId, 'clearPresence', { sessionId }, options),
  };
}
