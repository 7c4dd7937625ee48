import { DEMO_RELAY_CLIENT_ID } from '../../../emulator/entra/clients.js';
import type { Emulators } from '../../../emulator/index.js';
import type { CertificateAndKey } from '../../../emulator/shared/tls.js';
import type { RelayOptions } from '../../../relay/src/relay.js';

/** A relay's options for the local cloud: its Entra ID, its SignalR Service, one encryption certificate. */
export function localRelayOptions(cloud: Emulators, certificate: CertificateAndKey, clientState: string, certificateId = 'cert'): RelayOptions {
  return {
    clientId: DEMO_RELAY_CLIENT_ID,
    issuers: [cloud.entra.issuer],
    jwksUri: `${cloud.entra.authority}/discovery/v2.0/keys`,
    tlsCa: cloud.entra.tlsCertificate,
    signalrConnectionString: cloud.signalr.connectionString,
    clientState,
    encryptionKeys: [{ id: certificateId, privateKey: certificate.privateKey }],
  };
}
