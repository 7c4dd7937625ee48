import type { BatchItem } from './batch.js';
import { sample } from './presence-answer.js';
import { GraphCallError } from './retry.js';

function invalid(body: unknown, why: string): GraphCallError {
  return new GraphCallError(
    `Microsoft Graph answered a $batch with something that is not a list of answers (${why}): ${sample(body)}`,
    200,
    undefined,
    'InvalidBatchAnswer',
  );
}

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
