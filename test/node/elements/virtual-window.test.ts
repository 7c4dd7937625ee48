// The team list's window arithmetic and key map, in Node: which rows are rendered, where each key moves.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { OVERSCAN, keyAction, windowRange } from '../../../src/elements/team-presence-list/virtual-window.js';

test('renders the rows in view plus an overscan either side, within the list', () => {
  assert.deepEqual(windowRange(0, 480, 48, 10_000), { first: 0, last: 10 + OVERSCAN });
  assert.deepEqual(windowRange(4800, 480, 48, 10_000), { first: 100 - OVERSCAN, last: 110 + OVERSCAN });
  assert.deepEqual(windowRange(48 * 9_990, 480, 48, 10_000), { first: 9_990 - OVERSCAN, last: 10_000 });
  assert.deepEqual(windowRange(0, 480, 48, 3), { first: 0, last: 3 });
  assert.deepEqual(windowRange(0, 480, 48, 0), { first: 0, last: 0 });
  assert.deepEqual(windowRange(100, 100, 50, 100, 0), { first: 2, last: 4 }, 'no overscan: the two rows in view');
});

test('keys of a listbox: arrows, Home, End, pages; Enter and Space select; others are left alone', () => {
  assert.equal(keyAction('ArrowDown', -1, 10, 5), 0, 'from no row, down is the first');
  assert.equal(keyAction('ArrowDown', 3, 10, 5), 4);
  assert.equal(keyAction('ArrowUp', -1, 10, 5), 0, 'from no row, up is the first');
  assert.equal(keyAction('ArrowUp', 3, 10, 5), 2);
  assert.equal(keyAction('Home', 7, 10, 5), 0);
  assert.equal(keyAction('End', 0, 10, 5), 9);
  assert.equal(keyAction('PageDown', 2, 10, 5), 7);
  assert.equal(keyAction('PageUp', 2, 10, 5), -3, 'the caller clamps');
  assert.equal(keyAction('Enter', 2, 10, 5), 'select');
  assert.equal(keyAction(' ', 2, 10, 5), 'select');
  for (const key of ['a', 'Tab', 'Escape', 'ArrowLeft', 'ArrowRight'])
    assert.equal(keyAction(key, 2, 10, 5), undefined, key);
});
