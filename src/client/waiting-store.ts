// Where the people the user waits for are saved: localStorage, one key per signed-in account, followed across tabs.

/** The most people one account waits for; the oldest go first past it. */
export const MAX_WAITING = 100;
/** Longer saved text than this is not read at all (what MAX_WAITING ids take, with room to spare). */
const MAX_SAVED_CHARS = 16_384;
const PREFIX = 'presence-elements:notify-when-available:';
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The object ids in saved text: a JSON array of ids (or `{ "ids": [...] }`). Anything else (not JSON, other types,
 * ids that are not object ids, repeats) is left out, and at most `MAX_WAITING` are kept (the newest).
 */
export function readWaitingList(saved: unknown): string[] {
  if (typeof saved !== 'string' || saved.length > MAX_SAVED_CHARS) return [];
  let value: unknown;
  try {
    value = JSON.parse(saved);
  } catch {
    return [];
  }
  const list: unknown = Array.isArray(value) ? value : (value as { ids?: unknown } | null)?.ids;
  if (!Array.isArray(list)) return [];
  const ids = [...new Set(list.filter((id): id is string => typeof id === 'string' && GUID.test(id)))];
  return ids.slice(-MAX_WAITING);
}

/** The page's localStorage, or undefined where there is none or it may not be used (server, sandbox, privacy). */
function storage(): Storage | undefined {
  try {
    return typeof localStorage === 'undefined' ? undefined : localStorage;
  } catch {
    return undefined;
  }
}

/**
 * The saved list of one account at a time. `onOtherTab` is told the list another tab saved for the same account
 * (the `storage` event); saving here tells the other tabs the same way.
 */
export class WaitingStore {
  private key: string | undefined;
  private listening = false;

  constructor(private readonly onOtherTab: (ids: string[]) => void) {}

  /** Follows `account`'s list from now on (undefined: nobody's). */
  open(account: string | undefined): void {
    this.key = account === undefined ? undefined : PREFIX + account;
    if (this.listening || typeof globalThis.addEventListener !== 'function') return;
    this.listening = true;
    globalThis.addEventListener('storage', this.onStorage);
  }

  /** Stops following other tabs (the client was disposed); `open` follows them again. */
  close(): void {
    this.key = undefined;
    if (!this.listening) return;
    this.listening = false;
    globalThis.removeEventListener('storage', this.onStorage);
  }

  read(): string[] {
    if (!this.key) return [];
    try {
      return readWaitingList(storage()?.getItem(this.key));
    } catch {
      return [];
    }
  }

  write(ids: readonly string[]): void {
    if (!this.key) return;
    try {
      const kept = ids.slice(-MAX_WAITING);
      if (kept.length) storage()?.setItem(this.key, JSON.stringify(kept));
      else storage()?.removeItem(this.key);
    } catch {
      // Full or forbidden: the list lives on in this page only.
    }
  }

  private readonly onStorage = (event: StorageEvent): void => {
    if (!this.key || event.key !== this.key) return;
    if (event.storageArea && event.storageArea !== storage()) return;
    this.onOtherTab(readWaitingList(event.newValue ?? '[]'));
  };
}
