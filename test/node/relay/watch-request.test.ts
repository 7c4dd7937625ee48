// What a watch request's body must be, checked before anything changes: hostile or careless bodies are answered 400
// with what is wrong, and never reach the watch lists.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import { parseWatchRequest, type WatchRequest } from '../../../relay/src/watch-request.js';

const refusal = (request: WatchRequest): string => {
  assert.ok('status' in request, `refused: ${JSON.stringify(request)}`);
  assert.equal(request.status, 400);
  return request.body.error;
};

test('a body that is not JSON, or not an object, is refused', () => {
  assert.equal(refusal(parseWatchRequest('{"ids": [')), 'the body is not JSON');
  for (const text of ['null', '"ids"', '42', 'true'])
    assert.match(refusal(parseWatchRequest(text)), /the body must be/, text);
  // An empty body or an array names no ids.
  for (const text of ['', '[]', '{}'])
    assert.equal(refusal(parseWatchRequest(text)), 'ids must be an array of strings', text);
});

test('ids of any other type than a list of strings are refused', () => {
  const id = randomUUID();
  for (const ids of [id, { 0: id }, [1], [null], [[id]], [{ id }], [id, 7], 5, null]) {
    assert.equal(
      refusal(parseWatchRequest(JSON.stringify({ ids }))),
      'ids must be an array of strings',
      JSON.stringify(ids),
    );
  }
});

test('ids given through the prototype are not taken', () => {
  assert.equal(
    refusal(parseWatchRequest(`{"__proto__": {"ids": ["${randomUUID()}"]}}`)),
    'ids must be an array of strings',
  );
});

test('a session id of another type, empty, too long or with other characters is refused', () => {
  for (const session of [5, true, null, {}, [], '', 'a b', 'x'.repeat(101), 'é', '<script>', 'a/b']) {
    assert.match(
      refusal(parseWatchRequest(JSON.stringify({ ids: [], session }))),
      /^session must be a string of 1 to 100/,
      JSON.stringify(session),
    );
  }
  assert.deepEqual(parseWatchRequest(JSON.stringify({ ids: [], session: 'tab-1.a_b:2' })), {
    ids: [],
    session: 'tab-1.a_b:2',
  });
  assert.deepEqual(parseWatchRequest(JSON.stringify({ ids: [], session: 'x'.repeat(100) })), {
    ids: [],
    session: 'x'.repeat(100),
  });
});

test("without a session, the request is for the user's session without an id", () => {
  const id = randomUUID();
  assert.deepEqual(parseWatchRequest(JSON.stringify({ ids: [id] })), { ids: [id], session: '' });
});

test('ids that are not object ids are named, each once, and the request is refused whole', () => {
  const good = randomUUID();
  const refused = parseWatchRequest(
    JSON.stringify({ ids: [good, 'alice@contoso.com', 'alice@contoso.com', `${good}x`] }),
  );
  assert.ok('status' in refused);
  assert.deepEqual(refused.body.invalid, ['alice@contoso.com', `${good}x`]);
  assert.equal(
    refused.body.error,
    `ids must be user object ids (GUIDs); these are not: "alice@contoso.com", ${JSON.stringify(`${good}x`)}`,
  );
});

test('a huge list of bad ids gets a bounded answer: ten named, a hundred listed, each cut to 80 characters', () => {
  const ids = Array.from({ length: 5_000 }, (_, i) => `${'y'.repeat(200)}${i}`);
  const refused = parseWatchRequest(JSON.stringify({ ids }));
  assert.ok('status' in refused);
  assert.equal(refused.body.invalid!.length, 100);
  assert.match(refused.body.error, / and 4990 more$/);
  assert.equal(refused.body.error.split('", "').length, 10);
  assert.ok(refused.body.error.length < 1_200, 'the message stays short');
});

test('duplicate object ids are kept as given (the watch lists count each id once)', () => {
  const id = randomUUID();
  const upper = id.toUpperCase();
  assert.deepEqual(parseWatchRequest(JSON.stringify({ ids: [id, id, upper], session: 's' })), {
    ids: [id, id, upper],
    session: 's',
  });
});
