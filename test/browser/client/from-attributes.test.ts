import { expect } from '@open-wc/testing';
import { clientFromAttributes, type ClientFromAttributes } from '../../../src/client/from-attributes.js';
import { DemoSource, SignalRTransport, type PersonSnapshot, type PresenceClient } from '../../../src/index.js';
import { DeferredTransport } from '../../../src/transports/deferred-transport.js';

/** The client made, disposed at once: these tests only look at what was made. */
function made(result: ClientFromAttributes): PresenceClient {
  expect(result, 'a client, not an error').to.have.property('client');
  const { client } = result as { client: PresenceClient };
  client.dispose();
  return client;
}

describe('clientFromAttributes', () => {
  it('without a client id: a config error naming the attribute, not a throw', () => {
    for (const clientId of [undefined, null, '']) {
      const result = clientFromAttributes({ clientId, tenant: 'contoso.example' });
      expect(result).to.have.property('error');
      const { error } = result as { error: { kind: string; message: string } };
      expect(error.kind).to.equal('config');
      expect(error.message).to.match(/`client-id`/);
    }
  });

  it('signalr without a negotiate URL: a config error naming the attribute', () => {
    const result = clientFromAttributes({ clientId: crypto.randomUUID(), transport: 'signalr' });
    expect(result).to.deep.equal({
      error: {
        kind: 'config',
        message: '<presence-provider transport="signalr"> needs a `negotiate-url` attribute: the relay\'s API root.',
      },
    });
  });

  it('demo, or transport demo: the simulated tenant, with no account needed', () => {
    expect(made(clientFromAttributes({ demo: true })).auth).to.equal(undefined);
    expect(made(clientFromAttributes({ transport: 'demo' })).auth).to.equal(undefined);
  });

  it('a client id: Microsoft Graph with a token provider that can sign in and out', () => {
    const client = made(
      clientFromAttributes({ clientId: crypto.randomUUID(), tenant: 'contoso.example', intervalSeconds: 60 }),
    );
    const auth = client.auth!;
    expect(typeof auth.getToken).to.equal('function');
    expect([typeof auth.signIn, typeof auth.account, typeof auth.signOut]).to.deep.equal([
      'function',
      'function',
      'function',
    ]);
    expect(auth.tabKey).to.include('contoso.example');
  });

  it('signalr with a negotiate URL: a client pushed by the relay, its code loaded when the client uses it', async () => {
    const client = made(
      clientFromAttributes({
        clientId: crypto.randomUUID(),
        transport: 'signalr',
        negotiateUrl: 'http://127.0.0.1:1/api',
        relayScope: 'api://relay/access_as_user',
      }),
    );
    expect(client.transport).to.be.instanceOf(DeferredTransport);
    expect(await (client.transport as DeferredTransport).loaded()).to.be.instanceOf(SignalRTransport);
  });

  it('demo: the demo tenant, loaded on the first read, answers as DemoSource does', async () => {
    const result = clientFromAttributes({ demo: true });
    const { client } = result as { client: PresenceClient };
    const source = new DemoSource();
    const person = await new Promise<PersonSnapshot>((resolve) => {
      client.watch('demo-person-3', (snapshot) => {
        if (snapshot.presence && snapshot.profile) resolve(snapshot);
      });
    });
    client.dispose();
    const [expected] = await source.profiles(['demo-person-3']);
    expect(person.profile?.displayName).to.equal(expected!.displayName);
    expect(person.presence?.availability).to.be.a('string');
  });
});
