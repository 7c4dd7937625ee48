// A relay's file store writing its state over and over, as fast as it can, until it is killed (file-store-kill.test.ts).
// It carries on from what is stored: each write's number is one more than the last one stored.
import { randomUUID } from 'node:crypto';
import { FileStore } from '../../../relay/src/store.js';

const path = process.argv[2]!;
const store = new FileStore(path, () => undefined);
const state = await store.load();
let n = state.sessions?.user?.tab?.updatedAt ?? 0;
const ids = Array.from({ length: 2_000 }, () => randomUUID());
process.stdout.write('ready\n');
for (;;) {
  n++;
  await store.writeSession('user', 'tab', { ids, expiresAt: 2e12 + n, updatedAt: n });
  await store.writeOwner(`owner-${n % 7}`, `token-${n}`);
}
