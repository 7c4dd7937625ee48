// One keeper at a time among relay instances sharing a store: a lease on one blob in the app's Azure Storage account
// (https://learn.microsoft.com/rest/api/storageservices/lease-blob: a lease lasts 15 to 60 seconds unless renewed;
// while it runs, nobody else can acquire it; released, anyone can at once; not renewed, it expires). The instance
// holding it is the only one that makes, renews or deletes Graph subscriptions.
//
// Timing, for a lease of D seconds (default 30): the holder renews every D/3 seconds and believes it holds the lease
// only until D - D/5 seconds after the start of its last successful renewal, so it stops acting before the service
// could give the lease to anyone else, even if its renewals stall. The others try to take it every D/3 seconds. A
// holder that stops releases it: another instance takes it within D/3 seconds. One that crashes (or is frozen, or
// loses the network) keeps it until it expires: another takes it within D + D/3 seconds (40 s by default).
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { BlobServiceClient, type BlobClient, type ContainerClient } from '@azure/storage-blob';
import type { RelayLogger } from './logger.js';

export const DEFAULT_KEEPER_LEASE_SECONDS = 30;

export interface KeeperLeaseOptions {
  /** The storage account (on Functions, the `AzureWebJobsStorage` connection string). */
  connectionString: string;
  /** The container holding the lease blob (made if missing). Default `presence-relay`. */
  container?: string;
  /** The blob leased. Default `keeper.lease`. */
  blob?: string;
  /** How long the lease lasts unless renewed, 15 to 60 seconds. Default 30. */
  durationSeconds?: number;
  logger: RelayLogger;
}

/** Whether a Storage error says that someone else holds the lease (409) or the blob is being made (412). */
const conflict = (error: unknown) => [409, 412].includes((error as { statusCode?: number }).statusCode ?? 0);

export class KeeperLease {
  readonly durationSeconds: number;
  readonly container: ContainerClient;
  private readonly blob: BlobClient;
  /** This instance's lease id: the service hands the lease to whoever proposes an id while it is free. */
  private readonly leaseId = randomUUID();
  /** Until when (monotonic milliseconds) this instance may act as the keeper. */
  private heldUntil = Number.NEGATIVE_INFINITY;
  private timer: ReturnType<typeof setInterval> | undefined;
  private beating: Promise<boolean> | undefined;
  private ready: Promise<void> | undefined;
  private stopped = false;
  /** Called when this instance takes the lease (it should then load what the previous keeper stored). */
  onAcquired: (() => void) | undefined;
  /** Called when this instance finds it no longer holds the lease. */
  onLost: (() => void) | undefined;
  /** Lease calls made (acquire, renew, release) and how many times the lease was taken, for operators and the bench. */
  readonly counts = { calls: 0, acquired: 0, lost: 0 };

  constructor(private readonly options: KeeperLeaseOptions) {
    const duration = options.durationSeconds ?? DEFAULT_KEEPER_LEASE_SECONDS;
    if (!(Number.isInteger(duration) && duration >= 15 && duration <= 60))
      throw new Error(`a keeper lease lasts 15 to 60 seconds, not ${duration}`);
    this.durationSeconds = duration;
    const service = BlobServiceClient.fromConnectionString(options.connectionString);
    this.container = service.getContainerClient(options.container ?? 'presence-relay');
    this.blob = this.container.getBlobClient(options.blob ?? 'keeper.lease');
  }

  /** How often the holder renews and the others try to take the lease. */
  get periodMs(): number {
    return (this.durationSeconds * 1000) / 3;
  }

  /** Whether this instance holds the lease now, with time to spare: only then may it act as the keeper. */
  holds(): boolean {
    return performance.now() < this.heldUntil;
  }

  /** Tries to take the lease at once, then renews it (or tries again) every period until `stop`. */
  async start(): Promise<void> {
    this.stopped = false;
    await this.beat();
    this.timer = setInterval(() => void this.beat(), this.periodMs);
    this.timer.unref();
  }

  /**
   * Renews the lease if held, else tries to take it; true when held after. One call at a time (a call made during
   * one joins it). Failures to reach the service count as not held once the time to spare has passed.
   */
  beat(): Promise<boolean> {
    return (this.beating ??= this.renewOrAcquire().finally(() => (this.beating = undefined)));
  }

  private async renewOrAcquire(): Promise<boolean> {
    if (this.stopped) return false;
    const had = this.holds();
    const started = performance.now();
    try {
      await (this.ready ??= this.makeBlob());
      const lease = this.blob.getBlobLeaseClient(this.leaseId);
      this.counts.calls++;
      // Acquiring with the id already held renews it; acquiring after it expired (ours or another's) takes it.
      await (had ? lease.renewLease() : lease.acquireLease(this.durationSeconds));
      if (this.stopped) return false;
      this.heldUntil = started + this.durationSeconds * 1000 * 0.8;
      if (!had) {
        this.counts.acquired++;
        this.options.logger.info(`this instance is now the keeper (lease ${this.leaseId})`);
        this.onAcquired?.();
      }
      return true;
    } catch (error) {
      if (conflict(error) || !had) {
        if (had) this.lose('another instance holds the keeper lease');
        else if (!conflict(error))
          this.options.logger.warn(`taking the keeper lease failed: ${(error as Error).message}`);
        this.ready = conflict(error) ? this.ready : undefined;
        return false;
      }
      // The service did not answer: still held until the time to spare runs out, and renewed again next period.
      this.options.logger.warn(`renewing the keeper lease failed: ${(error as Error).message}`);
      if (!this.holds()) this.lose('the keeper lease could not be renewed in time');
      return this.holds();
    }
  }

  private lose(why: string): void {
    this.heldUntil = Number.NEGATIVE_INFINITY;
    this.counts.lost++;
    this.options.logger.warn(`this instance is no longer the keeper: ${why}`);
    this.onLost?.();
  }

  /** The container and the blob leased, made once if missing (by whichever instance comes first). */
  private async makeBlob(): Promise<void> {
    await this.container.createIfNotExists();
    try {
      await this.blob.getBlockBlobClient().upload('', 0, { conditions: { ifNoneMatch: '*' } });
    } catch (error) {
      // Already there (made by another instance, or leased now: a write to a leased blob is refused too).
      if (!conflict(error)) throw error;
    }
  }

  /** Stops renewing and releases the lease, so another instance takes it at its next try. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.beating?.catch(() => false);
    if (!this.holds()) return;
    this.heldUntil = Number.NEGATIVE_INFINITY;
    this.counts.calls++;
    await this.blob
      .getBlobLeaseClient(this.leaseId)
      .releaseLease()
      .catch((error: Error) => this.options.logger.warn(`releasing the keeper lease failed: ${error.message}`));
  }
}
