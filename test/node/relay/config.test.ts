// The relay's settings from environment variables: every missing one named at once, wrong values refused clearly.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { makeCertificate } from '../../../emulator/shared/tls.js';
import { settingsFromEnv } from '../../../relay/src/config.js';

let dir: string;
let env: NodeJS.ProcessEnv;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'relay-config-'));
  const [certificate, previous] = await Promise.all([
    makeCertificate('relay-config'),
    makeCertificate('relay-config-previous'),
  ]);
  writeFileSync(join(dir, 'cert.pem'), certificate.cert);
  writeFileSync(join(dir, 'key.pem'), certificate.key);
  writeFileSync(join(dir, 'previous-cert.pem'), previous.cert);
  writeFileSync(join(dir, 'previous-key.pem'), previous.key);
  env = {
    RELAY_TENANT_ID: 'contoso',
    RELAY_CLIENT_ID: 'relay-app',
    RELAY_CLIENT_SECRET: 'secret',
    AZURE_SIGNALR_CONNECTION_STRING: 'Endpoint=https://example.service.signalr.net;AccessKey=a2V5;Version=1.0;',
    RELAY_PUBLIC_URL: 'https://relay.example.com/',
    RELAY_CERTIFICATE_PATH: join(dir, 'cert.pem'),
    RELAY_PRIVATE_KEY_PATH: join(dir, 'key.pem'),
  };
});

after(() => rmSync(dir, { recursive: true, force: true }));

test('every missing variable is named in one message', () => {
  assert.throws(
    () => settingsFromEnv({ RELAY_TENANT_ID: 'contoso' }),
    /RELAY_CLIENT_ID, RELAY_CLIENT_SECRET, AZURE_SIGNALR_CONNECTION_STRING, RELAY_PUBLIC_URL, RELAY_CERTIFICATE_PATH, RELAY_PRIVATE_KEY_PATH/,
  );
});

test('defaults, and the public URL without its trailing slash', () => {
  const settings = settingsFromEnv(env);
  assert.equal(settings.publicUrl, 'https://relay.example.com');
  assert.equal(settings.port, 7071);
  assert.equal(settings.authority, 'https://login.microsoftonline.com/contoso');
  assert.equal(settings.decryptWorkers, undefined, 'one per core unless told');
  assert.equal(settings.clientState, undefined, 'none unless given: the store keeps one, made once');
  assert.equal(settings.notificationUrl, 'https://relay.example.com/api/notifications');
  assert.equal(settings.lifecycleNotificationUrl, 'https://relay.example.com/api/lifecycle');
});

test('a configured clientState is used, and one longer than Graph accepts is refused', () => {
  assert.equal(settingsFromEnv({ ...env, RELAY_CLIENT_STATE: 'shared-secret' }).clientState, 'shared-secret');
  assert.throws(() => settingsFromEnv({ ...env, RELAY_CLIENT_STATE: 'x'.repeat(129) }), /RELAY_CLIENT_STATE/);
});

test('with an Event Hub named, Graph is told to deliver there, in its EventHub: form', () => {
  const hubUrl = 'EventHub:https://contoso-graph.servicebus.windows.net/eventhubname/presence?tenantId=contoso';
  const named = settingsFromEnv({
    ...env,
    GRAPH_EVENT_HUB_NAME: 'presence',
    GRAPH_EVENT_HUB_NAMESPACE: 'contoso-graph',
  });
  assert.equal(named.notificationUrl, hubUrl);
  assert.equal(named.lifecycleNotificationUrl, hubUrl, 'lifecycle notifications to the same hub');
  assert.equal(
    settingsFromEnv({
      ...env,
      GRAPH_EVENT_HUB_NAME: 'presence',
      GRAPH_EVENT_HUB_NAMESPACE: 'contoso-graph.servicebus.windows.net',
    }).notificationUrl,
    hubUrl,
  );
  // The namespace the Functions trigger's connection already names.
  const connection =
    'Endpoint=sb://contoso-graph.servicebus.windows.net/;SharedAccessKeyName=listen;SharedAccessKey=a2V5';
  assert.equal(
    settingsFromEnv({ ...env, GRAPH_EVENT_HUB_NAME: 'presence', GRAPH_EVENT_HUB_CONNECTION: connection })
      .notificationUrl,
    hubUrl,
  );
  assert.equal(
    settingsFromEnv({
      ...env,
      GRAPH_EVENT_HUB_NAME: 'presence',
      GRAPH_EVENT_HUB_CONNECTION__fullyQualifiedNamespace: 'contoso-graph.servicebus.windows.net',
    }).notificationUrl,
    hubUrl,
  );
  assert.throws(() => settingsFromEnv({ ...env, GRAPH_EVENT_HUB_NAME: 'presence' }), /GRAPH_EVENT_HUB_NAMESPACE/);
  assert.throws(
    () => settingsFromEnv({ ...env, GRAPH_EVENT_HUB_NAME: 'presence', GRAPH_EVENT_HUB_NAMESPACE: 'not a namespace' }),
    /GRAPH_EVENT_HUB_NAMESPACE/,
  );
});

test('decryption workers: a whole number from 0 to 64', () => {
  assert.equal(settingsFromEnv({ ...env, RELAY_DECRYPT_WORKERS: '0' }).decryptWorkers, 0);
  assert.equal(settingsFromEnv({ ...env, RELAY_DECRYPT_WORKERS: '3' }).decryptWorkers, 3);
  for (const bad of ['-1', '2.5', 'many', '65'])
    assert.throws(() => settingsFromEnv({ ...env, RELAY_DECRYPT_WORKERS: bad }), /RELAY_DECRYPT_WORKERS/);
});

test('watch lease: whole seconds from 10 to a week; 30 minutes unless told', () => {
  assert.equal(settingsFromEnv(env).watchLeaseSeconds, undefined);
  assert.equal(settingsFromEnv({ ...env, RELAY_WATCH_LEASE_SECONDS: '600' }).watchLeaseSeconds, 600);
  for (const bad of ['5', '90.5', 'long', '604801'])
    assert.throws(() => settingsFromEnv({ ...env, RELAY_WATCH_LEASE_SECONDS: bad }), /RELAY_WATCH_LEASE_SECONDS/);
});

test('checks against Graph: whole seconds from 1 to an hour; every minute unless told', () => {
  assert.equal(settingsFromEnv(env).checkSeconds, undefined);
  assert.equal(settingsFromEnv({ ...env, RELAY_CHECK_SECONDS: '5' }).checkSeconds, 5);
  for (const bad of ['0', '1.5', 'often', '3601'])
    assert.throws(() => settingsFromEnv({ ...env, RELAY_CHECK_SECONDS: bad }), /RELAY_CHECK_SECONDS/);
});

test("heartbeat: whole seconds from 0 (none) to an hour; 15 s (the relay's default) unless told", () => {
  assert.equal(settingsFromEnv(env).heartbeatSeconds, undefined);
  assert.equal(settingsFromEnv({ ...env, RELAY_HEARTBEAT_SECONDS: '1' }).heartbeatSeconds, 1);
  assert.equal(settingsFromEnv({ ...env, RELAY_HEARTBEAT_SECONDS: '0' }).heartbeatSeconds, 0);
  for (const bad of ['-1', '1.5', 'often', '3601']) {
    assert.throws(() => settingsFromEnv({ ...env, RELAY_HEARTBEAT_SECONDS: bad }), /RELAY_HEARTBEAT_SECONDS/);
  }
});

test('watch quotas: whole numbers per user and per tenant, defaults unless told', () => {
  assert.equal(settingsFromEnv(env).quotas, undefined);
  assert.deepEqual(
    settingsFromEnv({ ...env, RELAY_MAX_IDS_PER_USER: '800', RELAY_MAX_IDS_PER_TENANT: '20000' }).quotas,
    { idsPerUser: 800, idsPerTenant: 20_000 },
  );
  for (const bad of ['0', '1.5', 'many'])
    assert.throws(() => settingsFromEnv({ ...env, RELAY_MAX_IDS_PER_USER: bad }), /RELAY_MAX_IDS_PER_USER/);
});

test('the user check: off unless RELAY_CHECK_USERS is true', () => {
  assert.equal(settingsFromEnv(env).checkUsers, undefined);
  assert.equal(settingsFromEnv({ ...env, RELAY_CHECK_USERS: 'true' }).checkUsers, true);
  assert.equal(settingsFromEnv({ ...env, RELAY_CHECK_USERS: 'false' }).checkUsers, undefined);
  assert.throws(() => settingsFromEnv({ ...env, RELAY_CHECK_USERS: 'yes please' }), /RELAY_CHECK_USERS/);
});

test('fan-out through groups: off unless RELAY_FANOUT_GROUPS is true', () => {
  assert.equal(settingsFromEnv(env).fanoutGroups, undefined);
  assert.equal(settingsFromEnv({ ...env, RELAY_FANOUT_GROUPS: 'true' }).fanoutGroups, true);
  assert.equal(settingsFromEnv({ ...env, RELAY_FANOUT_GROUPS: '0' }).fanoutGroups, undefined);
  assert.throws(() => settingsFromEnv({ ...env, RELAY_FANOUT_GROUPS: 'sometimes' }), /RELAY_FANOUT_GROUPS/);
});

test("fan-out through groups is refused with the shared store: instances would end each other's memberships", () => {
  const shared = { ...env, RELAY_STORE: 'table', AZURE_STORAGE_CONNECTION_STRING: 'UseDevelopmentStorage=true' };
  assert.equal(settingsFromEnv(shared).fanoutGroups, undefined);
  assert.throws(() => settingsFromEnv({ ...shared, RELAY_FANOUT_GROUPS: 'true' }), /RELAY_FANOUT_GROUPS.*one instance/);
});

test('allowed origins: scheme, host and port only; a wildcard or a path is refused', () => {
  assert.equal(settingsFromEnv(env).allowedOrigins, undefined);
  assert.deepEqual(
    settingsFromEnv({ ...env, RELAY_ALLOWED_ORIGINS: 'https://intranet.contoso.example, http://localhost:8080' })
      .allowedOrigins,
    ['https://intranet.contoso.example', 'http://localhost:8080'],
  );
  for (const bad of ['*', 'https://contoso.example/app', 'contoso.example'])
    assert.throws(() => settingsFromEnv({ ...env, RELAY_ALLOWED_ORIGINS: bad }), /RELAY_ALLOWED_ORIGINS/);
});

test('the required scope: a scope name, access_as_user unless told', () => {
  assert.equal(settingsFromEnv(env).requiredScope, undefined);
  assert.equal(settingsFromEnv({ ...env, RELAY_REQUIRED_SCOPE: 'Presence.Watch' }).requiredScope, 'Presence.Watch');
  assert.throws(
    () => settingsFromEnv({ ...env, RELAY_REQUIRED_SCOPE: 'api://x/access_as_user' }),
    /RELAY_REQUIRED_SCOPE/,
  );
});

test('a bad port or unreadable certificate is refused with the variable named', () => {
  assert.throws(() => settingsFromEnv({ ...env, PORT: '70000' }), /PORT=70000 is not a port/);
  assert.throws(
    () => settingsFromEnv({ ...env, RELAY_CERTIFICATE_PATH: join(dir, 'missing.pem') }),
    /RELAY_CERTIFICATE_PATH/,
  );
});

test('a private key that does not belong to the certificate is refused: no notification could be read', () => {
  assert.throws(
    () => settingsFromEnv({ ...env, RELAY_PRIVATE_KEY_PATH: join(dir, 'previous-key.pem') }),
    /RELAY_PRIVATE_KEY_PATH.*does not belong to the certificate/,
  );
});

describe('rolling the encryption key', () => {
  const rolling = () => ({
    ...env,
    RELAY_PREVIOUS_CERTIFICATE_PATH: join(dir, 'previous-cert.pem'),
    RELAY_PREVIOUS_PRIVATE_KEY_PATH: join(dir, 'previous-key.pem'),
  });

  test('no previous key unless one is given', () => {
    assert.deepEqual(settingsFromEnv(env).previousCertificates, []);
  });

  test('the previous key is kept for decrypting, under the id its certificate had', () => {
    const settings = settingsFromEnv(rolling());
    assert.equal(settings.previousCertificates.length, 1);
    const [previous] = settings.previousCertificates;
    assert.notEqual(previous!.id, settings.certificate.id);
    assert.match(previous!.privateKeyPem, /PRIVATE KEY/);
    // The id each certificate gets unless told: a change of certificate is a change of id.
    const { certificate: was } = settingsFromEnv({
      ...env,
      RELAY_CERTIFICATE_PATH: join(dir, 'previous-cert.pem'),
      RELAY_PRIVATE_KEY_PATH: join(dir, 'previous-key.pem'),
    });
    assert.equal(previous!.id, was.id);
  });

  test('or under the id given, which must differ from the current one', () => {
    const named = {
      ...env,
      RELAY_CERTIFICATE_ID: 'key-2026-11',
      RELAY_PREVIOUS_CERTIFICATE_ID: 'key-2026-05',
      RELAY_PREVIOUS_PRIVATE_KEY_PATH: join(dir, 'previous-key.pem'),
    };
    assert.equal(settingsFromEnv(named).previousCertificates[0]!.id, 'key-2026-05');
    assert.throws(
      () => settingsFromEnv({ ...named, RELAY_PREVIOUS_CERTIFICATE_ID: 'key-2026-11' }),
      /RELAY_PREVIOUS_CERTIFICATE_ID.*same id/,
    );
  });

  test('a previous key without an id (or certificate), or that does not match its certificate, is refused', () => {
    assert.throws(
      () => settingsFromEnv({ ...env, RELAY_PREVIOUS_PRIVATE_KEY_PATH: join(dir, 'previous-key.pem') }),
      /RELAY_PREVIOUS_CERTIFICATE_PATH or RELAY_PREVIOUS_CERTIFICATE_ID/,
    );
    assert.throws(
      () => settingsFromEnv({ ...rolling(), RELAY_PREVIOUS_PRIVATE_KEY_PATH: join(dir, 'key.pem') }),
      /RELAY_PREVIOUS_PRIVATE_KEY_PATH.*does not belong/,
    );
    assert.throws(
      () => settingsFromEnv({ ...rolling(), RELAY_PREVIOUS_PRIVATE_KEY_PATH: join(dir, 'missing.pem') }),
      /RELAY_PREVIOUS_PRIVATE_KEY_PATH/,
    );
  });

  test('an encryption certificate id longer than the 128 characters Graph accepts is refused', () => {
    assert.throws(() => settingsFromEnv({ ...env, RELAY_CERTIFICATE_ID: 'c'.repeat(129) }), /RELAY_CERTIFICATE_ID/);
  });
});

test('a hub name Azure SignalR Service would refuse is refused at start', () => {
  assert.equal(settingsFromEnv(env).hub, 'presence');
  assert.equal(settingsFromEnv({ ...env, RELAY_HUB: 'Presence_v2' }).hub, 'Presence_v2');
  for (const bad of ['presence-hub', '2presence', 'h'.repeat(129)])
    assert.throws(() => settingsFromEnv({ ...env, RELAY_HUB: bad }), /RELAY_HUB/);
});

test('the store: the file unless RELAY_STORE=table, which needs a storage account, named without quoting it', () => {
  assert.deepEqual(settingsFromEnv(env).store, { kind: 'file' });
  const account =
    'DefaultEndpointsProtocol=https;AccountName=relaystate;AccountKey=S2V5LXRoYXQtbXVzdC1ub3QtYmUtc2hvd24=;EndpointSuffix=core.windows.net';
  assert.deepEqual(settingsFromEnv({ ...env, RELAY_STORE: 'table', AZURE_STORAGE_CONNECTION_STRING: account }).store, {
    kind: 'table',
    connectionString: account,
  });
  // On Functions: the app's own storage account, when no other is named.
  assert.deepEqual(
    settingsFromEnv({ ...env, RELAY_STORE: 'table', AzureWebJobsStorage: account, RELAY_TABLE_PREFIX: 'contoso' })
      .store,
    { kind: 'table', connectionString: account, prefix: 'contoso' },
  );
  assert.match(
    (
      settingsFromEnv({ ...env, RELAY_STORE: 'table', AzureWebJobsStorage: 'UseDevelopmentStorage=true' }).store as {
        connectionString: string;
      }
    ).connectionString,
    /AccountName=devstoreaccount1;.*TableEndpoint=http:\/\/127\.0\.0\.1:10002\/devstoreaccount1;/,
  );
  assert.throws(
    () => settingsFromEnv({ ...env, RELAY_STORE: 'table' }),
    /RELAY_STORE=table needs the storage account: set AZURE_STORAGE_CONNECTION_STRING/,
  );
  assert.throws(() => settingsFromEnv({ ...env, RELAY_STORE: 'redis' }), /RELAY_STORE=redis is not "file" or "table"/);
  const broken = 'AccountName=relaystate;AccountKey';
  assert.throws(
    () => settingsFromEnv({ ...env, RELAY_STORE: 'table', AZURE_STORAGE_CONNECTION_STRING: broken }),
    (error: Error) =>
      /AZURE_STORAGE_CONNECTION_STRING is not a storage connection string: it is not a list of name=value pairs/.test(
        error.message,
      ) && !error.message.includes('relaystate'),
  );
  assert.throws(
    () => settingsFromEnv({ ...env, RELAY_STORE: 'table', AZURE_STORAGE_CONNECTION_STRING: 'AccountName=relaystate;' }),
    /it has no AccountKey and no SharedAccessSignature/,
  );
  assert.throws(
    () =>
      settingsFromEnv({
        ...env,
        RELAY_STORE: 'table',
        AZURE_STORAGE_CONNECTION_STRING: account,
        RELAY_TABLE_PREFIX: '9x',
      }),
    /RELAY_TABLE_PREFIX=9x is not 1 to 58 letters and digits/,
  );
});
