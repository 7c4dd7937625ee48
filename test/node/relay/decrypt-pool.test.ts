// Rich notifications are decrypted on worker threads: the same results as in place, in order, with tampered ones
// refused one by one, and nothing lost when a worker dies.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { after, before, test } from 'node:test';
import { encryptResource, type EncryptedContent } from '../../../common/notification-crypto.js';
import { makeCertificate, type CertificateAndKey } from '../../../emulator/shared/tls.js';
import { DecryptPool, decryptInPlace, type DecryptJob } from '../../../relay/src/decrypt-pool.js';

let certificate: CertificateAndKey;
let other: CertificateAndKey;
const pools: DecryptPool[] = [];

before(async () => {
  certificate = await makeCertificate('pool-a');
  other = await makeCertificate('pool-b');
});

after(async () => {
  await Promise.all(pools.map((p) => p.close()));
});

function jobs(count: number, from = certificate, keyId = 'a'): DecryptJob[] {
  const x509 = new X509Certificate(Buffer.from(from.certBase64, 'base64'));
  return Array.from({ length: count }, (_, i) => ({
    keyId,
    key: from.privateKey,
    content: encryptResource({ id: `user-${i}`, availability: 'Busy', sequenceNumber: String(i) }, x509, keyId),
  }));
}

test('a pool decrypts like the main thread does, in order, across workers and keys', async () => {
  const pool = new DecryptPool(2);
  pools.push(pool);
  const batch = [...jobs(60), ...jobs(5, other, 'b')];
  const outcomes = await pool.decrypt(batch);
  assert.deepEqual(outcomes, decryptInPlace(batch));
  assert.deepEqual(
    outcomes.map((o) => (o.value as { id: string }).id),
    [...Array.from({ length: 60 }, (_, i) => `user-${i}`), ...Array.from({ length: 5 }, (_, i) => `user-${i}`)],
  );
});

test('a tampered payload is refused on its own; the others in its collection are decrypted', async () => {
  const pool = new DecryptPool(2);
  pools.push(pool);
  const batch = jobs(40);
  const bytes = Buffer.from(batch[7]!.content.data, 'base64');
  bytes[0]! ^= 1;
  batch[7] = {
    ...batch[7]!,
    content: { ...batch[7]!.content, data: bytes.toString('base64') } satisfies EncryptedContent,
  };
  batch[21] = { ...batch[21]!, key: other.privateKey, keyId: 'b' };
  const outcomes = await pool.decrypt(batch);
  assert.match(outcomes[7]!.error ?? '', /tampered/);
  assert.ok(outcomes[21]!.error, 'the wrong key cannot decrypt it');
  assert.equal(outcomes.filter((o) => o.error === undefined).length, 38);
});

test('when a worker dies, what it held is decrypted in place and later work goes on', async () => {
  const pool = new DecryptPool(2);
  pools.push(pool);
  pool.warm();
  const slots = (pool as unknown as { slots: Array<{ worker: { terminate(): Promise<number> } }> }).slots;
  assert.equal(slots.length, 2);
  const pending = pool.decrypt(jobs(64));
  await slots[0]!.worker.terminate();
  const outcomes = await pending;
  assert.equal(outcomes.filter((o) => o.error === undefined).length, 64);
  const later = await pool.decrypt(jobs(10));
  assert.equal(later.filter((o) => o.error === undefined).length, 10);
});

test('no workers: everything is decrypted in place', async () => {
  const pool = new DecryptPool(0);
  const outcomes = await pool.decrypt(jobs(3));
  assert.deepEqual(
    outcomes.map((o) => (o.value as { id: string }).id),
    ['user-0', 'user-1', 'user-2'],
  );
});

test('idle workers never keep a process alive (a Functions host or a script can exit)', () => {
  const pool = new URL('../../../relay/src/decrypt-pool.ts', import.meta.url).href;
  const script = `import(${JSON.stringify(pool)}).then(({ DecryptPool }) => { new DecryptPool(2).warm(); console.log('warm'); });`;
  const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    encoding: 'utf8',
    timeout: 30_000,
  });
  assert.equal(run.stdout.trim(), 'warm');
  assert.equal(run.signal, null, 'the process ended by itself');
  assert.equal(run.status, 0);
});
