// A page as the relay sees it, without a browser: it connects to SignalR Service through the relay's negotiate,
// watches some people, shows the presence pushed to it (in sequence order), and re-reads from Graph the ids the
// relay asks it to (`resync`, and `covered` in a `coverage` message), as the browser library does. Its badges can
// be compared with Graph's truth.
import { HttpTransportType, HubConnectionBuilder, LogLevel, type HubConnection } from '@microsoft/signalr';
import { DEMO_SPA_CLIENT_ID } from '../../../emulator/entra/clients.js';
import type { Emulators } from '../../../emulator/index.js';
import { relayToken, watchAt } from './support.js';

interface Badge { availability: string; sequenceNumber: string }

export interface WatchingPage {
  readonly connection: HubConnection;
  /** What each badge shows. */
  readonly badges: Map<string, Badge>;
  /** Presences pushed, and ids the relay asked to re-read. */
  readonly counts: { pushed: number; resyncs: number };
  /** The ids whose badge differs from what Graph says now. */
  stale(): string[];
  stop(): Promise<void>;
}

const newer = (a: string, b: string | undefined) => b === undefined || a.length > b.length || (a.length === b.length && a >= b);

export async function watchingPage(cloud: Emulators, relayUrl: string, userId: string, ids: string[]): Promise<WatchingPage> {
  const badges = new Map<string, Badge>();
  const counts = { pushed: 0, resyncs: 0 };
  const show = (list: Array<{ id: string; availability?: string; sequenceNumber?: string }>) => {
    for (const p of list) {
      if (!ids.includes(p.id) || typeof p.availability !== 'string') continue;
      const seq = p.sequenceNumber ?? '';
      if (newer(seq, badges.get(p.id)?.sequenceNumber)) badges.set(p.id, { availability: p.availability, sequenceNumber: seq });
    }
  };
  const read = async (list: string[]) => {
    const token = cloud.entra.issueToken({ userId, clientId: DEMO_SPA_CLIENT_ID, audience: 'https://graph.microsoft.com', scopes: ['Presence.Read.All'] });
    const res = await fetch(`${cloud.graph.url}/v1.0/communications/getPresencesByUserId`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ ids: list }) });
    if (res.ok) show(((await res.json()) as { value: Array<{ id: string; availability: string; sequenceNumber: string }> }).value);
  };
  const connection = new HubConnectionBuilder()
    .withUrl(`${relayUrl}/api`, { accessTokenFactory: () => relayToken(cloud, userId), transport: HttpTransportType.WebSockets })
    .configureLogging(LogLevel.None)
    .build();
  connection.on('presence', (list: Array<{ id: string; availability: string; sequenceNumber?: string }>) => {
    counts.pushed += list.length;
    show(list);
  });
  connection.on('resync', (list: string[]) => {
    counts.resyncs += list.length;
    void read(list.filter((id) => ids.includes(id)));
  });
  // Covered again after a gap: read once, for what changed meanwhile, as the browser library does.
  connection.on('coverage', (message: { covered?: string[] }) => {
    const again = (message?.covered ?? []).filter((id) => ids.includes(id));
    counts.resyncs += again.length;
    if (again.length) void read(again);
  });
  await connection.start();
  await read(ids);
  const watched = await watchAt(cloud, relayUrl, userId, ids);
  if (watched.status !== 200) throw new Error(`watch refused: ${JSON.stringify(watched.body)}`);
  // Read once more after the relay answers (Graph covers the ids then), as the browser library does.
  await read(ids);
  return {
    connection,
    badges,
    counts,
    stale: () => ids.filter((id) => badges.get(id)?.availability !== cloud.tenant.getPresence(id)?.availability),
    stop: () => connection.stop(),
  };
}
