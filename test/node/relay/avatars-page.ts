// A real page in Chromium running the built library (fixtures/faults-live.html) against a relay: one live avatar per
// person and, when given a team, a team list. It reads what every badge draws and whether it is marked stale, to
// compare with Graph's truth, and collects whatever escapes the library (uncaught errors, unhandled rejections).
import type { BrowserContext, Page } from 'playwright-core';
import { DEMO_RELAY_CLIENT_ID } from '../../../emulator/entra/clients.js';
import type { Emulators } from '../../../emulator/index.js';
import { badgeFor } from '../../../src/presence/status.js';
import type { Stage } from '../stage.js';

export interface Badge {
  id: string;
  /** `data-status` of the badge; undefined while none is drawn. */
  status: string | undefined;
  stale: boolean;
}

export interface AvatarsPage {
  page: Page;
  /** Every live avatar's badge: the page's own, then the team list's rows. */
  badges(): Promise<Badge[]>;
  /** The badges that differ from what Graph says now (or draw nothing yet). */
  wrong(): Promise<Badge[]>;
  /** The wrong badges not marked stale: a badge that claims to be fresh while it is not true. */
  lying(): Promise<Badge[]>;
  /** The client's connection state. */
  state(): Promise<string>;
  /** Uncaught errors and unhandled rejections in the page. */
  errors(): Promise<string[]>;
}

export interface AvatarsPageOptions {
  /** The page's polling interval (ms) when it must poll; the library's default when absent. */
  interval?: number;
  /** A team whose members the page lists too. */
  team?: string;
  /** The lifetime of the page's relay tokens, in seconds. */
  relayTokenSeconds?: number;
  /** Tabs of the page share one poller under this key. */
  tabs?: string;
  /** `polling` for a page that only polls Graph (default `signalr`, through the relay). */
  transport?: 'polling';
  /** The browser context to open it in (default a new page in the stage's browser). */
  context?: BrowserContext;
}

/** The status a badge should draw for a person, from Graph's truth now. */
export function statusInGraph(cloud: Emulators, id: string): string | undefined {
  const p = cloud.tenant.getPresence(id);
  if (!p) return undefined;
  return badgeFor({ availability: p.availability as never, isOutOfOffice: !!p.outOfOfficeSettings?.isOutOfOffice })
    .status;
}

/** Opens the page as `user` watching `people` through the relay at `relayUrl`; resolves once every badge is drawn. */
export async function openAvatarsPage(
  stage: Stage,
  relayUrl: string,
  user: string,
  people: string[],
  options: AvatarsPageOptions = {},
): Promise<AvatarsPage> {
  const { cloud, origin } = stage;
  const query = new URLSearchParams({
    user,
    graph: cloud.graph.url,
    control: cloud.control.url,
    relay: `${relayUrl}/api`,
    relayScope: `api://${DEMO_RELAY_CLIENT_ID}/access_as_user`,
    ...(options.interval ? { interval: String(options.interval) } : {}),
    ...(options.team ? { team: options.team } : {}),
    ...(options.relayTokenSeconds ? { relayTokenSeconds: String(options.relayTokenSeconds) } : {}),
    ...(options.tabs ? { tabs: options.tabs } : {}),
    ...(options.transport ? { transport: options.transport } : {}),
  });
  const page = await (options.context ?? stage.browser).newPage();
  const uncaught: string[] = [];
  page.on('pageerror', (e) => uncaught.push(e.message));
  await page.goto(`${origin}/test/node/fixtures/faults-live.html?${query}#people=${people.join(',')}`);
  // A string, not a function: the test's compiler would wrap named functions in a helper the page lacks.
  const badges = () =>
    page.evaluate(`(() => {
      const read = (root) =>
        [...root.querySelectorAll('presence-avatar')].map((a) => {
          const badge = a.shadowRoot?.querySelector('[part="badge"]');
          return {
            id: a.getAttribute('user-id') ?? '',
            status: badge?.getAttribute('data-status') ?? undefined,
            stale: !!badge?.classList.contains('stale'),
          };
        });
      const list = document.getElementById('team')?.shadowRoot;
      return [...read(document.getElementById('people')), ...(list ? read(list) : [])];
    })()`) as Promise<Badge[]>;
  const wrong = async () => (await badges()).filter((b) => b.status !== statusInGraph(cloud, b.id));
  const expected = people.length + (options.team ? cloud.tenant.team(options.team)!.memberIds.length : 0);
  await page.waitForFunction(
    (n) => {
      const list = document.getElementById('team')?.shadowRoot;
      const drawn = [
        ...document.querySelectorAll('#people presence-avatar'),
        ...(list?.querySelectorAll('presence-avatar') ?? []),
      ].filter((a) => a.shadowRoot?.querySelector('[part="badge"]'));
      return drawn.length >= n;
    },
    expected,
    { timeout: 20_000 },
  );
  return {
    page,
    badges,
    wrong,
    lying: async () => (await wrong()).filter((b) => !b.stale),
    state: () => page.evaluate(() => (window as any).presenceClient.connectionState as string),
    errors: async () => [...uncaught, ...((await page.evaluate(() => (window as any).pageErrors)) as string[])],
  };
}

const ROTATION = ['Busy', 'DoNotDisturb', 'Available', 'Away', 'Offline'];

/** Moves everyone in `people` to the next availability in a rotation of five badges that all look different. */
export function changeEveryone(cloud: Emulators, people: string[]): void {
  for (const id of people) {
    const now = cloud.tenant.getPresence(id)!.availability;
    const next = ROTATION[(ROTATION.indexOf(now) + 1) % ROTATION.length]!;
    cloud.tenant.setPresence(id, {
      availability: next,
      activity: next,
      outOfOfficeSettings: { message: null, isOutOfOffice: false },
    });
  }
}
