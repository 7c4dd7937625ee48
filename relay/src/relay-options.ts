// How a relay is configured (`RelayOptions`) and what it counts (`RelayStats`).
import type { KeyObject } from 'node:crypto';
import type { FanOutOptions } from './fanout.js';
import type { HttpLimits } from './http-limits.js';
import type { RelayLogger } from './logger.js';
import type { Pacing } from './paced-sends.js';
import type { WatchQuotas } from './quotas.js';
import type { RelayStore } from './store.js';
import type { SubscriptionKeeper } from './subscriptions.js';
import type { UserDirectory } from './user-directory.js';

/** How long a watch session lasts without being renewed, by default: 30 minutes. */
export const DEFAULT_WATCH_LEASE_SECONDS = 30 * 60;

export interface RelayOptions {
  host?: string;
  port?: number;
  /** The relay's app registration: user tokens must be for its API (`api://<clientId>` or `<clientId>`), validation tokens for its id. */
  clientId: string;
  /** The relay's tenant id: user tokens naming another tenant (`tid`) are refused. */
  tenantId?: string;
  /** The scope user tokens must grant (the one the relay's API exposes). Default `access_as_user`. */
  requiredScope?: string;
  /**
   * Accepted token issuers: `https://sts.windows.net/<tenant>/` for v1.0 tokens (what an API registration keeps by
   * default) and `https://login.microsoftonline.com/<tenant>/v2.0` for v2.0 ones (`accessTokenAcceptedVersion: 2`).
   */
  issuers: string[];
  /** The tenant's keys, `…/discovery/v2.0/keys`. */
  jwksUri: string;
  /** Certificate authorities to trust when fetching the keys (the local emulator's certificate). */
  tlsCa?: string;
  signalrConnectionString: string;
  hub?: string;
  /**
   * The secret Graph echoes in every notification. Without it, the keeper's (or the store's) is used: made once and
   * stored, so a restarted relay, and every instance sharing the store, still accept their subscriptions'.
   */
  clientState?: string;
  /**
   * Private keys of the notification encryption certificates, by certificate id: the current one, and during a key
   * roll the previous one too, since Graph may go on encrypting with it for a while after the keeper moves the
   * subscriptions to the new one.
   */
  encryptionKeys: Array<{ id: string; privateKey: KeyObject }>;
  /** Origins allowed to call negotiate and watch across origins (`https://host[:port]`); default none. */
  allowedOrigins?: string[];
  /** Distinct ids a user's sessions, and the tenant, may watch (see quotas.ts for the defaults). */
  quotas?: WatchQuotas;
  /** Checks that watched ids are users of the tenant: ids the directory does not know are not watched. */
  userDirectory?: UserDirectory;
  /** Body sizes and time limits of the Node server (see http-limits.ts for the defaults). */
  http?: HttpLimits;
  /** Keeps Graph subscriptions covering the watched ids (without it, subscriptions are made elsewhere). */
  keeper?: SubscriptionKeeper;
  /** How often subscriptions are checked for renewal, and watch sessions for lapsed leases. Default 60 s. */
  renewalCheckMs?: number;
  /** Worker threads that decrypt notifications. Default: one per core on machines with two or more; 0 decrypts in place. */
  decryptWorkers?: number;
  /** How long a watch request waits for Graph to cover newly watched ids before answering. Default 10 s. */
  watchWaitMs?: number;
  /** Where the clientState and the last sequence numbers are kept; default the keeper's store. */
  store?: RelayStore;
  /**
   * With a store shared by several instances: how often the watch sessions made through the others are read from it
   * (shared-sessions.ts; a notification collection also waits for a read begun after it arrived). Default 1 s.
   */
  sessionsRefreshMs?: number;
  /** Sequence numbers are stored at most this often, in one batch. Default 1 s. */
  sequenceSaveMs?: number;
  /**
   * How long a watch session lasts unless its page renews it (pages renew at about half of it); a page that goes
   * away without saying so stops costing subscriptions once it ends. Default 30 minutes.
   */
  watchLeaseSeconds?: number;
  /**
   * How often the relay broadcasts a heartbeat to every page (one REST call to SignalR Service per beat, whatever the
   * number of pages), so a page notices within 2.5 beats that the relay stopped; 0 sends none. Default 15 s. Sent by
   * `start()` (the Node server); a host without it calls `heartbeat()` from a timer of its own. SignalR Service bills
   * each page's copy of a broadcast as an outbound message
   * (https://learn.microsoft.com/azure/azure-signalr/signalr-concept-messages-and-connections): at 15 s, 5,760 a day
   * per connected page.
   */
  heartbeatMs?: number;
  /** Milliseconds since the epoch, for watch leases and token lifetimes; default the keeper's clock, else `Date.now`. */
  now?: () => number;
  /** The waits before each retry of a failed send to SignalR Service (default 0.5, 1.5 and 4 s). */
  fanoutRetryDelaysMs?: number[];
  /**
   * Bounds and recovery of the sends to SignalR Service: connections at most (256), retry budget (10 s), health probe
   * (2 s); `groups`: each change sent once to a group per watched id instead of once per watching user.
   */
  fanout?: Pick<FanOutOptions, 'maxSockets' | 'retryBudgetMs' | 'recoveryProbeMs' | 'groups'>;
  /**
   * A file where each notification collection is kept (synced to disk) from before its 202 until it is processed,
   * so one acknowledged but not processed when the relay died is processed when it starts again. One per instance.
   */
  journalPath?: string;
  /**
   * How the ids of notifications without a sequence number (what Graph sends) are read back from Graph before they
   * are pushed: the window that gathers them (default 5 ms), the relay's reads per 30 s, paced evenly after a burst of 20 (default 1,200) and
   * the longest wait before pages are asked to re-read instead (default 3 s).
   */
  reads?: { windowMs?: number; readsPer30s?: number; maxWaitMs?: number };
  /**
   * How fast pages are told to read from Graph en masse (the resync after a restart, coverage changes): users told
   * at once, and the wait between batches. Default 50 users every 250 ms, about 1,000 pages in 5 s (paced-sends.ts).
   */
  resyncPacing?: Pacing;
  /** How often subscriptions are looked at for a silence longer than their pace (delivery-watch.ts). Default 1 s. */
  silenceScanMs?: number;
  /** Where the relay says what it does and what failed; default the keeper's, else the console (logger.ts). */
  logger?: RelayLogger;
}

export interface RelayStats {
  received: number;
  refused: number;
  stale: number;
  delivered: number;
  /** Sends to SignalR Service given up (after retries, or refused with a 4xx other than 429). */
  failed: number;
  /** Sends to SignalR Service tried again. */
  retried: number;
  /** Presences left out of a retry because a newer one for the same person went out meanwhile. */
  superseded: number;
  /** Watch sessions ended because their lease passed without renewal. */
  leasesExpired: number;
  /** Ids whose pages were asked to read them again (the relay could not read them itself). */
  resyncs: number;
}
