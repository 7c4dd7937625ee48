import { expect } from '@open-wc/testing';
import { clientFromAttributes, type ClientFromAttributes } from '../../../src/client/from-attributes.js';
import { SignalRTransport, type PresenceClient } from '../../../src/index.js';

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

  it('signalr with a negotiate URL: a client pushed by the relay', () => {
    const client = made(
      clientFromAttributes({
        clientId: crypto.randomUUID(),
        transport: 'signalr',
        negotiateUrl: 'http://127.0.0.1:1/api',
        relayScope: 'api://relay/access_as_user',
      }),
    );
    expect(client.transport).to.be.instanceOf(SignalRTransport);
  });
});
