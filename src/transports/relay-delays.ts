// How long the SignalR transport waits before trying again: to reconnect to SignalR Service, and to ask the relay.
import { browserPage } from '../client/page-lifecycle.js';
import { backoff } from '../graph/backoff.js';

/** Whether the page is shown (outside a browser: yes). */
const pageVisible = () => !browserPage.hidden();

/**
 * Reconnection never gives up: exponential backoff with full jitter, capped at 5 s while the page is visible (what
 * it shows is re-read as soon as the connection is back) and at 30 s while it is hidden.
 */
export function reconnectDelay(attempt: number, random = Math.random, visible = pageVisible()): number {
  return backoff(attempt, { floorMs: 250, baseMs: 500, capMs: visible ? 5_000 : 30_000, maxDoublings: 10, random });
}

/**
 * A watch the relay did not answer is tried again with the same backoff, capped lower while the page is visible (at
 * 3 s), so that a page whose session the relay forgot reads what it shows again within seconds of the relay's return.
 */
export function watchRetryDelay(attempt: number, random = Math.random, visible = pageVisible()): number {
  return backoff(attempt, { floorMs: 250, baseMs: 500, capMs: visible ? 3_000 : 30_000, maxDoublings: 10, random });
}
