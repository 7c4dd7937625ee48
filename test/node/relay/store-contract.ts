// What every RelayStore must do, whatever keeps the state: run on the memory, file and table stores by
// store-contract.test.ts. `open` gives another handle on the same state (a restarted relay, another instance).
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import type { KeptSubscription, RelayStore } from '../../../relay/src/store.js';

export interface StoreUnderTest {
  name: string;
  /** A handle on a fresh, empty state; `open` on the same state again. */
  fresh(): Promise<{ store: RelayStore; open(): RelayStore }>;
}

const guids = (n: number) => Array.from({ length: n }, () => randomUUID());

export function storeContract(kind: StoreUnderTest): void {
  test(`${kind.name}: a fresh store holds nothing`, async () => {
    const { store } = await kind.fresh();
    const state = await store.load();
    assert.deepEqual(state.owners, {});
    assert.deepEqual(state.subscriptions, []);
    assert.deepEqual(state.sessions ?? {}, {});
    assert.deepEqual(await store.loadSequences(), {});
  });

  test(`${kind.name}: sessions, subscriptions and owners are written one by one and read back whole`, async () => {
    const { store, open } = await kind.fresh();
    const shard = guids(650);
    const sub: KeptSubscription = {
      id: 'sub-1',
      ownerId: 'owner-a',
      ids: shard,
      expiresAt: 1_800_000_000_000,
      certificateId: 'cert',
    };
    await store.writeOwner('owner-a', 'refresh-a');
    await store.writeOwner('owner-b', 'refresh-b');
    await store.writeSubscription(sub.id, sub);
    const many = guids(10_000);
    assert.equal(
      await store.writeSession('user-1', 'tab-1', { ids: many, expiresAt: 1_800_000_100_000, updatedAt: 1 }),
      true,
    );
    assert.equal(
      await store.writeSession('user-1', '', { ids: ['x'], expiresAt: 1_800_000_200_000, updatedAt: 2 }),
      true,
    );
    const state = await open().load();
    assert.deepEqual(state.owners, {
      'owner-a': { refreshToken: 'refresh-a' },
      'owner-b': { refreshToken: 'refresh-b' },
    });
    assert.deepEqual(state.subscriptions, [sub], "a shard's 650 ids, in order");
    assert.deepEqual(state.sessions, {
      'user-1': {
        'tab-1': { ids: many, expiresAt: 1_800_000_100_000, updatedAt: 1 },
        '': { ids: ['x'], expiresAt: 1_800_000_200_000, updatedAt: 2 },
      },
    });
    // Renewed, then gone; one owner gone.
    await store.writeSubscription(sub.id, { ...sub, expiresAt: 1_800_000_500_000 });
    assert.equal((await open().load()).subscriptions[0]?.expiresAt, 1_800_000_500_000);
    await store.writeSubscription(sub.id, undefined);
    await store.writeOwner('owner-b', undefined);
    const after = await open().load();
    assert.deepEqual(after.subscriptions, []);
    assert.deepEqual(after.owners, { 'owner-a': { refreshToken: 'refresh-a' } });
  });

  test(`${kind.name}: of two writes of one session, the later request wins whatever their order; an empty list ends it`, async () => {
    const { store, open } = await kind.fresh();
    assert.equal(await store.writeSession('u', 's', { ids: ['new'], expiresAt: 2e12, updatedAt: 20 }), true);
    assert.equal(
      await open().writeSession('u', 's', { ids: ['old'], expiresAt: 1.9e12, updatedAt: 10 }),
      false,
      'the older request is not written over the newer one',
    );
    assert.deepEqual((await open().load()).sessions?.u?.s?.ids, ['new']);
    assert.equal(await store.writeSession('u', 's', { ids: [], expiresAt: 2e12, updatedAt: 30 }), true);
    assert.equal((await open().load()).sessions?.u?.s, undefined, 'ended');
  });

  test(`${kind.name}: the clientState is set once; every later proposal gets the first`, async () => {
    const { store, open } = await kind.fresh();
    assert.equal(await store.clientState('first'), 'first');
    assert.equal(await open().clientState('second'), 'first');
    assert.equal(await store.clientState('third'), 'first');
  });

  test(`${kind.name}: a sequence number advances only when newer, and says who advanced it`, async () => {
    const { store, open } = await kind.fresh();
    assert.equal(await store.advanceSequence('p', '0005'), true);
    assert.equal(await store.advanceSequence('p', '0005'), false, 'the same number: a replay');
    assert.equal(await open().advanceSequence('p', '0004'), false, 'an older number');
    assert.equal(await open().advanceSequence('p', '0007'), true);
    await store.saveSequences({ p: '0006', q: '0001' });
    assert.deepEqual(await open().loadSequences(), { p: '0007', q: '0001' }, 'a batch never moves one back');
    // Numbers read back from Graph are ordered among reads only.
    assert.equal(await store.advanceSequence('p', '0003', 'read'), true);
    assert.equal(await store.advanceSequence('p', '0003', 'read'), false);
    assert.equal(await store.advanceSequence('p', '0004', 'read'), true);
    assert.deepEqual(await store.loadSequences(), { p: '0007', q: '0001' }, 'reads are not among the numbers sent');
  });
}
