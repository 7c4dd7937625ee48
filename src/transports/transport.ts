import type { GraphPresence } from '../presence/types.js';

/** Where a transport's connection stands, as an element may show it. */
export type ConnectionState = 'idle' | 'connecting' | 'connected' | 'reconnecting' | 'paused' | 'offline';

/** What a transport reports to the client. */
export interface TransportSink {
  /**
   * New presences, as Graph sends them. Out-of-order ones are dropped by the client. `readAt` says they were read
   * from Graph (polled), when the read was sent: a read is the truth at that time, whatever was pushed before.
   */
  update(presences: GraphPresence[], readAt?: number): void;
  /** The connection state changed. */
  state(state: ConnectionState, detail?: string): void;
  /** Something went wrong for these ids (or all, when absent); the client shows it. */
  error(error: Error, ids?: string[]): void;
  /**
   * Updates may have been missed (after a reconnection, or before a subscription covered new ids): the client
   * re-reads these watched presences, or every one when `ids` is absent, and resolves with the watched ids it could
   * not read.
   */
  resync?(ids?: string[]): Promise<string[]> | void;
  /**
   * The presences of these watched ids (all when absent) may be out of date (a re-read of them waits): the client
   * marks them so until they are read or updated.
   */
  doubt?(ids?: string[]): void;
  /**
   * Pushes are coming through for these ids, and none came: what is shown for them is still current (a push
   * transport's confirmation, as a poll that reads the same presence is one). The client keeps them fresh; one whose
   * refresh failed, or whose re-read waits, stays marked until it is read.
   */
  current?(ids: string[]): void;
}

/**
 * Brings presence updates for watched ids. The client tells it which ids are watched; it reports updates and its
 * connection state; `stop()` ends it.
 */
export interface PresenceTransport {
  start(sink: TransportSink): void;
  /** The ids being watched changed: `added` are new (seed them), `removed` nobody watches any more. */
  watch(ids: ReadonlySet<string>, added: string[], removed: string[]): void;
  stop(): void;
}
