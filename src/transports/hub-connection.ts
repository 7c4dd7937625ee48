// The SignalR connection to the relay's hub: `@microsoft/signalr` loaded on first use, WebSockets only, reconnecting
// for ever with the transport's backoff, each hub message read and checked before the transport sees it.
import type { HubConnection } from '@microsoft/signalr';
import type { GraphPresence } from '../presence/types.js';
import { reconnectDelay } from './relay-delays.js';
import { readPresenceMessage, readResyncMessage } from './relay-messages.js';

/** What the transport does with each message and each change of the connection. */
export interface HubHandlers {
  /** The hub method presence comes with. */
  target: string;
  presence(presences: GraphPresence[] | Error): void;
  resync(ids: string[] | Error): void;
  coverage(message: unknown): void;
  heartbeat(message: unknown): void;
  reconnecting(): void;
  /** An attempt to connect failed because the relay refused the token it was given (401). */
  unauthorized(): void;
  reconnected(): void;
  closed(): void;
}

/**
 * Whether a connection attempt failed because the negotiate refused the token (401). The client wraps the HTTP error
 * in one of its own, which keeps only its message (`... Status code '401'`).
 */
export function refusedToken(error: unknown): boolean {
  if ((error as { statusCode?: unknown } | undefined)?.statusCode === 401) return true;
  return error instanceof Error && /Status code '401'/.test(error.message);
}

/** Builds the connection (not started) to the hub at `url`, negotiating with `token()`. */
export async function openHubConnection(
  url: string,
  token: () => Promise<string>,
  on: HubHandlers,
): Promise<HubConnection> {
  const { HubConnectionBuilder, HttpTransportType, LogLevel } = await import('@microsoft/signalr');
  const connection = new HubConnectionBuilder()
    .withUrl(url, { accessTokenFactory: token, transport: HttpTransportType.WebSockets })
    .withAutomaticReconnect({
      nextRetryDelayInMilliseconds: (context) => {
        if (refusedToken(context.retryReason)) on.unauthorized();
        return reconnectDelay(context.previousRetryCount);
      },
    })
    .configureLogging(LogLevel.None)
    .build();
  connection.on(on.target, (message: unknown) => on.presence(readPresenceMessage(message)));
  connection.on('resync', (message: unknown) => on.resync(readResyncMessage(message)));
  connection.on('coverage', (message: unknown) => on.coverage(message));
  connection.on('heartbeat', (message: unknown) => on.heartbeat(message));
  connection.onreconnecting(() => on.reconnecting());
  connection.onreconnected(() => on.reconnected());
  connection.onclose(() => on.closed());
  return connection;
}
