import type { BatchItem } from './batch.js';
import { invalidAnswer } from './presence-answer.js';

const invalid = (body: unknown, why: string) =>
  invalidAnswer('a $batch', 'a list of answers', 'InvalidBatchAnswer', body, why);

/**
 * The items of a `$batch` answer: `{ responses: [{ id, status, headers?, body? }, ...] }` (json-batching). A 200 of
 * another shape (a proxy's sign-in page, a gateway's error) is an error: read as "no answers", every person asked for
 * would show as unknown without a word.
 */
export function readBatchAnswer(body: unknown): BatchItem[] {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw invalid(body, 'not an object');
  const responses = (body as { responses?: unknown }).responses;
  if (!Array.isArray(responses))
    throw invalid(body, responses === undefined ? 'no responses' : 'responses is not a list');
  for (const item of responses) {
    if (typeof item !== 'object' || item === null || Array.isArray(item))
      throw invalid(body, 'an answer is not an object');
    const { id, status } = item as { id?: unknown; status?: unknown };
    if (typeof id !== 'string') throw invalid(body, 'an answer has no string id');
    if (typeof status !== 'number') throw invalid(body, 'an answer has no numeric status');
  }
  return responses as BatchItem[];
}
