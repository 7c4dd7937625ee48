// A page as the relay sees it, without a browser: it connects to SignalR Service through the relay's negotiate,
// watches some people, shows the presence pushed to it (in sequence order), and re-reads from Graph the ids the
// relay asks it to (`resync`), as the browser library does. Like the library, it polls the people the relay says
// Graph does not cover (in the watch answer or a `coverage` message), asks the relay again about them now and then,
// and reads once those covered again. Its badges can be compared with Graph's truth.
import { HttpTransportType, HubConnectionBuilder, LogLevel, type HubConnection } from '@microsoft/signalr';
import { DEMO_SPA_CLIENT_ID } from '../../../emulator/entra/clients.js';
import type { Emulators } from '../../../emulator/index.js';
import { relayToken, watchAt } from './support.js';

interface Badge {
  availability: string;
  sequenceNumber: string;
}

export interface WatchingPageOptions {
  /** How often the people not covered are read from Graph. Default 1 s. */
  pollMs?: number;
  /** How often the relay is asked again while some people are not covered. Default 2 s. */
  recheckMs?: number;
}

export interface WatchingPage {
  readonly connection: HubConnection;
  /** What each badge shows. */
  readonly badges: Map<string, Badge>;
  /** Presences pushed, ids the relay asked to re-read, polls of people not covered, coverage messages. */
  readonly counts: { pushed: number; resyncs: number; polls: number; coverage: number };
  /** The people the relay last said Graph does not cover (polled meanwhile). */
  readonly uncovered: Set<string>;
  /** The ids whose badge differs from what Graph says now. */
  stale(): string[];
  /** Asks the relay again with the same list (as a lease renewal does); resolves with its answer. */
  rewatch(): Promise<{ status: number; body: any }>;
  stop(): Promise<void>;
}

const newer = (a: string, b: string | undefined) =>
  b === undefined || a.length > b.length || (a.length === b.length && a >= b);

export async function watchingPage(
  cloud: Emulators,
  relayUrl: string,
  userId: string,
  ids: string[],
  options: WatchingPageOptions = {},
): Promise<WatchingPage> {
  const badges = new Map<string, Badge>();
  const counts = { pushed: 0, resyncs: 0, polls: 0, coverage: 0 };
  const uncovered = new Set<string>();
  let stopped = false;
  const show = (list: Array<{ id: string; availability?: string; sequenceNumber?: string }>) => {
    for (const p of list) {
      if (!ids.includes(p.id) || typeof p.availability !== 'string') continue;
      const seq = p.sequenceNumber ?? '';
      if (newer(seq, badges.get(p.id)?.sequenceNumber))
        badges.set(p.id, { availability: p.availability, sequenceNumber: seq });
    }
  };
  const read = async (list: string[]) => {
    if (!list.length) return;
    const token = cloud.entra.issueToken({
      userId,
      clientId: DEMO_SPA_CLIENT_ID,
      audience: 'https://graph.microsoft.com',
      scopes: ['Presence.Read.All'],
    });
    const res = await fetch(`${cloud.graph.url}/v1.0/communications/getPresencesByUserId`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ ids: list }),
    }).catch(() => undefined);
    if (res?.ok)
      show(
        ((await res.json()) as { value: Array<{ id: string; availability: string; sequenceNumber: string }> }).value,
      );
  };
  const rewatch = async () => {
    const answer = await watchAt(cloud, relayUrl, userId, ids);
    if (answer.status === 200) {
      const before = [...uncovered];
      uncovered.clear();
      for (const id of Array.isArray(answer.body.uncovered) ? (answer.body.uncovered as string[]) : [])
        uncovered.add(id);
      // Covered now: read once more, for a change between the last poll and the subscription.
      await read(before.filter((id) => !uncovered.has(id)));
    }
    return answer;
  };
  const connection = new HubConnectionBuilder()
    .withUrl(`${relayUrl}/api`, {
      accessTokenFactory: () => relayToken(cloud, userId),
      transport: HttpTransportType.WebSockets,
    })
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
  connection.on('coverage', (message: { uncovered?: string[]; covered?: string[] }) => {
    counts.coverage++;
    for (const id of message.uncovered ?? []) if (ids.includes(id)) uncovered.add(id);
    const again = (message.covered ?? []).filter((id) => ids.includes(id));
    for (const id of again) uncovered.delete(id);
    // Covered again after a gap: read once, for what changed meanwhile, as the browser library does.
    counts.resyncs += again.length;
    if (again.length) void read(again);
  });
  await connection.start();
  await read(ids);
  const watched = await rewatch();
  if (watched.status !== 200) throw new Error(`watch refused: ${JSON.stringify(watched.body)}`);
  // Read once more after the relay answers (Graph covers the ids then), as the browser library does.
  await read(ids);
  // Only while some people are not covered: polled, and the relay asked again.
  const poll = setInterval(() => {
    if (stopped || !uncovered.size) return;
    counts.polls++;
    void read([...uncovered]);
  }, options.pollMs ?? 1_000);
  let asking = false;
  const recheck = setInterval(() => {
    if (stopped || asking || !uncovered.size) return;
    asking = true;
    void rewatch()
      .catch(() => undefined)
      .finally(() => (asking = false));
  }, options.recheckMs ?? 2_000);
  return {
    connection,
    badges,
    counts,
    uncovered,
    stale: () => ids.filter((id) => badges.get(id)?.availability !== cloud.tenant.getPresence(id)?.availability),
    rewatch,
    stop: () => {
      stopped = true;
      clearInterval(poll);
      clearInterval(recheck);
      return connection.stop();
    },
  };
}
