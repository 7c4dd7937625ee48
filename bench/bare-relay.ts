// A relay with no subscription keeper, for the benches that post notifications to it themselves: it trusts the
// local cloud's Entra ID and pushes through its SignalR Service, with one encryption certificate.
import type { Emulators } from '../emulator/index.js';
import { DEMO_RELAY_CLIENT_ID } from '../emulator/entra/clients.js';
import type { CertificateAndKey } from '../emulator/shared/tls.js';
import { Relay, type RelayOptions } from '../relay/src/relay.js';

export function bareRelay(cloud: Emulators, certificate: CertificateAndKey, extra: Partial<RelayOptions> = {}): Relay {
  return new Relay({
    clientId: DEMO_RELAY_CLIENT_ID,
    issuers: cloud.entra.issuers,
    jwksUri: `${cloud.entra.authority}/discovery/v2.0/keys`,
    tlsCa: cloud.entra.tlsCertificate,
    signalrConnectionString: cloud.signalr.connectionString,
    clientState: 'bench',
    encryptionKeys: [{ id: 'bench', privateKey: certificate.privateKey }],
    ...extra,
  });
}
