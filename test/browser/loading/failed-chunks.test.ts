// Parts of the client whose code loads on first use, with a loader that fails once (a network blip, a deploy that
// replaced the hashed chunk files): the failure is said clearly, and the next use loads the code again instead of
// failing for good.
import { expect } from '@open-wc/testing';
import type { PresenceTransport, TransportSink } from '../../../src/index.js';
import { deferredMsal } from '../../../src/auth/deferred-msal.js';
import type { AlertsHost } from '../../../src/client/availability-alert.js';
import { AvailabilityAlerts } from '../../../src/client/availability-alerts.js';
import { OwnPresence } from '../../../src/client/own-presence.js';
import type { OwnPresenceHost } from '../../../src/client/own-presence-types.js';
import type { Scheduler } from '../../../src/client/scheduler.js';
import type { MsalTokenProvider } from '../../../src/auth/msal.js';
import { DemoSource } from '../../../src/sources/demo.js';
import { DeferredDemoSource } from '../../../src/sources/deferred-demo.js';
import { DeferredTransport } from '../../../src/transports/deferred-transport.js';

/** A loader whose first `failures` calls fail as a chunk that could not be fetched does, then give `value`. */
function failingFirst<T>(value: T, failures = 1): { load: () => Promise<T>; calls: () => number } {
  let calls = 0;
  return {
    load: () =>
      ++calls <= failures
        ? Promise.reject(new TypeError('Failed to fetch dynamically imported module: https://cdn.example/chunk.js'))
        : Promise.resolve(value),
    calls: () => calls,
  };
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('it did not reject');
}

describe('code that failed to load', () => {
  it('the demo source rejects with what failed to load, then loads on the next read', async () => {
    const loader = failingFirst({ DemoSource });
    const source = new DeferredDemoSource(loader.load);
    const error = await rejection(source.presences(['adele@contoso.example']));
    expect(error.message).to.match(/demo.*could not be loaded.*Failed to fetch dynamically imported module/i);
    const presences = await source.presences(['adele@contoso.example']);
    expect(presences).to.have.length(1);
    expect(loader.calls()).to.equal(2);
  });

  it('the MSAL token provider rejects with what failed to load, then loads on the next call', async () => {
    const token = { getToken: async () => 'token', account: async () => null } as unknown as MsalTokenProvider;
    const loader = failingFirst({ msalTokenProvider: () => token });
    const provider = deferredMsal({ clientId: 'c1' }, loader.load);
    const error = await rejection(provider.getToken(['User.Read']));
    expect(error.message).to.match(/sign-in.*could not be loaded/i);
    expect(await provider.getToken(['User.Read'])).to.equal('token');
    expect(loader.calls()).to.equal(2);
  });

  it('a transport whose code failed to load says so, and starts once a later try loads it', async () => {
    const calls: string[] = [];
    const inner: PresenceTransport = {
      start: () => void calls.push('start'),
      watch: (ids) => void calls.push(`watch ${[...ids].join(',')}`),
      stop: () => void calls.push('stop'),
    };
    const loader = failingFirst(inner);
    const errors: Error[] = [];
    const states: string[] = [];
    const sink: TransportSink = {
      update: () => {},
      state: (state) => void states.push(state),
      error: (e) => void errors.push(e),
    };
    const transport = new DeferredTransport(loader.load, 'The SignalR transport');
    transport.start(sink);
    transport.watch(new Set(['a']), ['a'], []);
    await new Promise((resolve) => setTimeout(resolve));
    expect(errors.map((e) => e.message)).to.have.length(1);
    expect(errors[0]!.message).to.match(/SignalR transport could not be loaded/);
    expect(calls).to.deep.equal([]);
    // The browser says it is back online: the code is loaded again, and the transport starts with what is watched.
    window.dispatchEvent(new Event('online'));
    await transport.loaded();
    await new Promise((resolve) => setTimeout(resolve));
    expect(calls).to.deep.equal(['start', 'watch a']);
    expect(loader.calls()).to.equal(2);
    transport.stop();
  });

  it("the user's own presence rejects with what failed to load, then loads on the next call", async () => {
    const presence = { availability: 'Busy', activity: 'InACall' };
    class Calls {
      async read() {
        return presence;
      }
    }
    const loader = failingFirst({ OwnPresenceCalls: Calls } as never);
    const own = new OwnPresence({} as OwnPresenceHost, {} as Scheduler, loader.load);
    const error = await rejection(own.read());
    expect(error.message).to.match(/own presence could not be loaded/i);
    expect(await own.read()).to.equal(presence);
    expect(loader.calls()).to.equal(2);
  });

  it('"notify me" keeps what was asked while its code failed to load, and hands it over once a try loads it', async () => {
    const added: string[] = [];
    class Waits {
      add(key: string) {
        added.push(key);
      }
    }
    const loader = failingFirst({ WaitingList: Waits } as never);
    const alerts = new AvailabilityAlerts({} as AlertsHost, loader.load);
    alerts.add('adele@contoso.example');
    await new Promise((resolve) => setTimeout(resolve));
    expect(added).to.deep.equal([]);
    // Back online: the code is loaded again, and what was asked is done, in order.
    window.dispatchEvent(new Event('online'));
    await new Promise((resolve) => setTimeout(resolve));
    expect(added).to.deep.equal(['adele@contoso.example']);
    expect(loader.calls()).to.equal(2);
  });
});
