// Graph's JSON batching (json-batching): at most 20 requests per `$batch`, answers read item by item.

/** The most requests Graph takes in one `$batch`. */
export const GRAPH_BATCH = 20;

export interface BatchItem {
  id: string;
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

/**
 * A header of a $batch answer. Graph writes `Content-Type`, `Retry-After`... (json-batching), but the headers are a
 * JSON object there, where names are case-sensitive, while HTTP names are not: read them whatever their casing.
 */
export function headerOf(item: BatchItem | undefined, name: string): string | undefined {
  const lower = name.toLowerCase();
  for (const [key, value] of Object.entries(item?.headers ?? {})) if (key.toLowerCase() === lower) return value;
  return undefined;
}

/** A $batch item's base64 body (a photo) as bytes; null when it is not base64 (then the person has no photo). */
export function base64Bytes(text: string): Uint8Array<ArrayBuffer> | null {
  try {
    return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
  } catch {
    return null;
  }
}

/** Runs `tasks` with at most `concurrency` at once, keeping their order in the results. */
export async function pool<T>(tasks: Array<() => Promise<T>>, concurrency: number): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const i = next++;
      results[i] = await tasks[i]!();
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, tasks.length) }, worker));
  return results;
}
