// The relay's loggers: the memory one keeps only the most recent lines (the keeper's old list grew without bound),
// and the console one prints from its level up, each line with its prefix.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { consoleLogger, MemoryLogger } from '../../../relay/src/logger.js';

test('a memory logger keeps the last lines of every level, and no more than its limit', () => {
  const logger = new MemoryLogger(3);
  logger.info('created a');
  logger.warn('renewal of a failed: 503');
  logger.error('processing notifications failed: boom');
  logger.info('renewed a');
  assert.deepEqual(logger.lines, ['renewal of a failed: 503', 'processing notifications failed: boom', 'renewed a']);
  for (let i = 0; i < 10_000; i++) logger.info(`line ${i}`);
  assert.deepEqual(logger.lines, ['line 9997', 'line 9998', 'line 9999']);
});

test('a console logger prints from its level up, prefixed', (t) => {
  const printed: string[] = [];
  for (const method of ['log', 'warn', 'error'] as const)
    t.mock.method(console, method, (...args: unknown[]) => void printed.push(`${method} ${args.join(' ')}`));
  const quiet = consoleLogger({ level: 'error' });
  quiet.info('created a');
  quiet.warn('renewal of a failed');
  quiet.error('processing failed');
  const all = consoleLogger({ prefix: 'keeper' });
  all.info('created b');
  all.warn('renewal of b failed');
  consoleLogger({ level: 'silent' }).error('never said');
  assert.deepEqual(printed, [
    'error [relay] processing failed',
    'log [keeper] created b',
    'warn [keeper] renewal of b failed',
  ]);
});
