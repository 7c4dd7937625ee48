// Decrypts rich notifications off the relay's main thread: the RSA-OAEP step costs about a millisecond each.
import type { KeyObject } from 'node:crypto';
import { parentPort } from 'node:worker_threads';
import { decryptResource } from '../../common/notification-crypto.js';
import type { DecryptOutcome, WorkerMessage } from './decrypt-pool.js';

const keys = new Map<string, KeyObject>();

parentPort?.on('message', (message: WorkerMessage) => {
  if (message.type === 'key') {
    keys.set(message.keyId, message.key);
    return;
  }
  const outcomes = message.jobs.map(({ keyId, content }): DecryptOutcome => {
    const key = keys.get(keyId);
    if (!key) return { error: `no key ${keyId} in the decryption worker` };
    try {
      return { value: decryptResource(content, key) };
    } catch (error) {
      return { error: (error as Error).message };
    }
  });
  parentPort!.postMessage({ id: message.id, outcomes });
});
