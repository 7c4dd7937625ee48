import { expect, waitUntil } from '@open-wc/testing';
import {
  PresenceClient,
  type GraphPresence,
  type PersonSnapshot,
  type PresenceSource,
  type PresenceTransport,
  type TransportSink,
} from '../../../src/index.js';
import { mergePresence } from '../../../src/presence/merge.js';

const ID = '00000000-0000-4000-8000-000000000042';

const full: GraphPresence = {
  id: ID,
  availability: 'Available',
  activity: 'Available',
  statusMessage: { message: { content: 'On the train', contentType: 'text' } },
  outOfOfficeSettings: { isOutOfOffice: true, message: 'Back on Monday' },
  sequenceNumber: 'C0005',
  workLocation: { workLocationType: 'remote' },
};

class OneSource implements PresenceSource {
  async presences() {
    return [full];
  }
  async profiles(keys: string[]) {
    return keys.map((key) => ({ key, id: key, displayName: 'Adele Vance' }));
  }
  async photos(ids: string[]) {
    return new Map(ids.map((i) => [i, null]));
  }
}

class Pushes implements PresenceTransport {
  sink: TransportSink | undefined;
  start(sink: TransportSink) {
    this.sink = sink;
  }
  watch() {}
  stop() {}
}

async function watched() {
  const transport = new Pushes();
  const client = new PresenceClient({ source: new OneSource(), transport });
  let last: PersonSnapshot | undefined;
  client.watch(ID, (s) => (last = s));
  await waitUntil(() => last?.presence?.sequenceNumber === 'C0005');
  return { client, transport, now: () => last! };
}

describe('partial presence updates (pushes with availability and activity only)', () => {
  it('keep the status message, out-of-office and work location through 100 pushes', async () => {
    const { transport, now } = await watched();
    const cycle = ['Busy', 'Away', 'DoNotDisturb', 'Available'];
    for (let i = 0; i < 100; i++) {
      transport.sink!.update([{ id: ID, availability: cycle[i % 4], activity: cycle[i % 4] }]);
      expect(now().presence?.availability).to.equal(cycle[i % 4]);
      expect(now().presence?.statusMessage).to.equal('On the train');
      expect(now().presence?.isOutOfOffice).to.equal(true);
      expect(now().presence?.outOfOfficeMessage).to.equal('Back on Monday');
      expect(now().presence?.workLocation).to.equal('remote');
    }
  });

  it('clear what they send as null', async () => {
    const { transport, now } = await watched();
    transport.sink!.update([
      {
        id: ID,
        availability: 'Busy',
        activity: 'InACall',
        statusMessage: null,
        outOfOfficeSettings: { isOutOfOffice: false, message: null },
      },
    ]);
    expect(now().presence?.statusMessage).to.equal(undefined);
    expect(now().presence?.isOutOfOffice).to.equal(false);
    expect(now().presence?.outOfOfficeMessage).to.equal(undefined);
    expect(now().presence?.availability).to.equal('Busy');
  });

  it('do not inherit the sequence number, so the next full read (even one numbered as before) is applied', async () => {
    const { transport, now } = await watched();
    transport.sink!.update([{ id: ID, availability: 'Busy', activity: 'InACall' }]);
    expect(now().presence?.sequenceNumber).to.equal(undefined);
    transport.sink!.update([{ ...full, availability: 'Away', activity: 'Away', sequenceNumber: 'C0006' }]);
    expect(now().presence?.availability).to.equal('Away');
    expect(now().presence?.sequenceNumber).to.equal('C0006');
    // An older full presence arriving after it is still dropped.
    transport.sink!.update([{ ...full, sequenceNumber: 'C0005' }]);
    expect(now().presence?.availability).to.equal('Away');
  });

  it('of the wrong shape change nothing, never show Offline, and mark what is known possibly out of date', async () => {
    const { transport, now } = await watched();
    const before = now().presence?.availability;
    transport.sink!.update([
      { id: ID, availability: 42, activity: null, statusMessage: undefined } as unknown as GraphPresence,
    ]);
    expect(now().presence?.availability).to.equal(before);
    expect(now().presence?.statusMessage).to.equal('On the train');
    expect(now().stale).to.equal(true);
  });
});

describe('mergePresence', () => {
  it('lays what an update sends over what is known, keeping only the presence fields of what was known', () => {
    const merged = mergePresence(
      { ...full, extra: 'dropped' },
      { id: ID, availability: 'Busy', activity: 'InACall', other: 1 },
    ) as Record<string, unknown>;
    expect(merged.availability).to.equal('Busy');
    expect(merged.statusMessage).to.deep.equal(full.statusMessage);
    expect(merged.extra).to.equal(undefined);
    expect(merged.other).to.equal(1);
    expect(merged.sequenceNumber).to.equal(undefined);
  });

  it('drops the flattened out-of-office fields when an update sends the settings', () => {
    const merged = mergePresence(
      { availability: 'Away', isOutOfOffice: true, outOfOfficeMessage: 'old' },
      { outOfOfficeSettings: { isOutOfOffice: false } },
    ) as Record<string, unknown>;
    expect(merged.isOutOfOffice).to.equal(undefined);
    expect(merged.outOfOfficeMessage).to.equal(undefined);
  });

  it('returns anything that is not an object as it is', () => {
    expect(mergePresence(full, 'Busy')).to.equal('Busy');
    expect(mergePresence(null, { availability: 'Busy' })).to.deep.equal({ availability: 'Busy' });
  });
});
