// While the transport says the browser is offline, nothing can tell the page of a change: what is shown stays
// marked as possibly out of date, even when a read sent before the network went lands afterwards. Back online, the
// next read clears the marks.
import { expect, waitUntil } from '@open-wc/testing';
import { createPresenceClient, type PersonSnapshot, type PresenceTransport } from '../../../src/index.js';
import type { GraphPresence } from '../../../src/presence/types.js';
import type { TransportSink } from '../../../src/transports/transport.js';

const ID = '00000000-0000-4000-8000-000000000051';

/** A source whose reads wait until the test answers them, and a transport whose sink the test drives. */
function stage() {
  const reads: Array<(presences: GraphPresence[]) => void> = [];
  let sink: TransportSink | undefined;
  const transport: PresenceTransport = {
    start: (given) => void (sink = given),
    watch: () => {},
    stop: () => {},
  };
  const client = createPresenceClient({
    source: { presences: () => new Promise((resolve) => reads.push(resolve)) },
    transport,
  });
  let last: PersonSnapshot | undefined;
  client.watch(ID, (snapshot) => (last = snapshot), { profile: false, photo: false });
  const answer = async (availability: string, sequenceNumber: string) => {
    const resolve = reads.shift();
    if (!resolve) throw new Error('no read waits');
    resolve([{ id: ID, availability, activity: availability, sequenceNumber }]);
    await new Promise((r) => setTimeout(r));
  };
  return { client, sink: () => sink!, answer, snapshot: () => last!, reads };
}

describe('the browser offline', () => {
  it('a read sent before it went offline and answered after confirms nothing: the presence stays marked', async () => {
    const { client, sink, answer, snapshot, reads } = stage();
    try {
      await new Promise((r) => setTimeout(r));
      await answer('Busy', '0001');
      expect(snapshot().stale).to.equal(false);
      void client.refresh();
      expect(reads).to.have.length(1, 'a read in flight');
      sink().state('offline', 'The browser is offline.');
      sink().error(new Error('The browser is offline.'), [ID]);
      expect(snapshot().stale).to.equal(true);
      await answer('Busy', '0001');
      expect(snapshot().stale, 'the same presence, read before the network went').to.equal(true);
      void client.refresh();
      await answer('Away', '0002');
      expect(snapshot().presence?.availability).to.equal('Away');
      expect(snapshot().stale, 'a newer presence, still while offline').to.equal(true);

      sink().state('connected');
      void client.refresh();
      await answer('Away', '0002');
      expect(snapshot().stale, 'read again once back').to.equal(false);
    } finally {
      client.dispose();
    }
  });

  it('pushes while the connection looks up but the browser is offline leave the mark; once back they clear it', async () => {
    const { client, sink, answer, snapshot } = stage();
    try {
      await new Promise((r) => setTimeout(r));
      await answer('Busy', '0001');
      sink().state('offline');
      sink().error(new Error('The browser is offline.'), [ID]);
      sink().update([{ id: ID, availability: 'Away', activity: 'Away', sequenceNumber: '0002' } as GraphPresence]);
      expect(snapshot().presence?.availability).to.equal('Away');
      expect(snapshot().stale).to.equal(true);
      sink().state('connected');
      sink().update([{ id: ID, availability: 'Busy', activity: 'Busy', sequenceNumber: '0003' } as GraphPresence]);
      expect(snapshot().stale).to.equal(false);
    } finally {
      client.dispose();
    }
  });

  it('polling: offline marks what is shown; back online, the poll made at once clears the marks', async () => {
    let availability = 'Busy';
    let sequence = 1;
    const client = createPresenceClient({
      source: {
        presences: async (ids) =>
          ids.map((id) => ({ id, availability, activity: availability, sequenceNumber: String(sequence) })),
      },
      pollingIntervalMs: 60_000,
      shareAcrossTabs: false,
    });
    let last: PersonSnapshot | undefined;
    client.watch(ID, (snapshot) => (last = snapshot), { profile: false, photo: false });
    try {
      await waitUntil(() => last?.presence?.availability === 'Busy', 'the first read');
      dispatchEvent(new Event('offline'));
      expect(client.connectionState).to.equal('offline');
      expect(last!.stale).to.equal(true);
      availability = 'Away';
      sequence = 2;
      dispatchEvent(new Event('online'));
      await waitUntil(() => last?.presence?.availability === 'Away', 'the poll made at once');
      expect(last!.stale).to.equal(false);
      expect(client.connectionState).to.equal('connected');
    } finally {
      client.dispose();
    }
  });
});
