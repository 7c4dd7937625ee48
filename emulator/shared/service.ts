// What every emulated service shares: where it listens and how it is started and stopped.
import type { FaultInjector } from './faults.js';

export interface ListenOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0: a free port. */
  port?: number;
  /** Serve HTTPS with this certificate (PEM). */
  tls?: { cert: string; key: string };
  /** Shared fault injector (the control API adds rules to it). */
  faults?: FaultInjector;
  /** Time to receive a request's headers. Default 10 s. */
  headersTimeoutMs?: number;
  /** Time to receive a whole request, body included. Default 30 s. */
  requestTimeoutMs?: number;
}

export interface EmulatorService {
  /** The base URL, e.g. `https://127.0.0.1:52311`, known once started. */
  readonly url: string;
  start(): Promise<void>;
  stop(): Promise<void>;
}
