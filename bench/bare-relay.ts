// A relay with no subscription keeper, for the benches that post notifications to it themselves: it trusts the
// local cloud's Entra ID and pushes through its SignalR Service, with one encryption certificate.
import { createPrivateKey } from 'node:crypto';
import type { Emulators } from '../emulator/index.js';
import { DEMO_RELAY_CLIENT_ID } from '../emulator/entra/clients.js';
import type { CertificateAndKey } from '../emulator/shared/tls.js';
import { Relay, type RelayOptions } from '../relay/src/relay.js';

/** What a bare relay needs of the local cloud, as plain JSON: a relay in another process is built from it. */
export interface BareRelaySettings {
  issuers: string[];
  jwksUri: string;
  tlsCa: string;
  signalrConnectionString: string;
  /** The notification encryption certificate's private key (PEM). */
  privateKeyPem: string;
}

export function bareRelaySettings(cloud: Emulators, certificate: CertificateAndKey): BareRelaySettings {
  return {
    issuers: cloud.entra.issuers,
    jwksUri: `${cloud.entra.authority}/discovery/v2.0/keys`,
    tlsCa: cloud.entra.tlsCertificate,
    signalrConnectionString: cloud.signalr.connectionString,
    privateKeyPem: certificate.key,
  };
}

export function bareRelayFrom(settings: BareRelaySettings, extra: Partial<RelayOptions> = {}): Relay {
  return new Relay({
    clientId: DEMO_RELAY_CLIENT_ID,
    issuers: settings.issuers,
    jwksUri: settings.jwksUri,
    tlsCa: settings.tlsCa,
    signalrConnectionString: settings.signalrConnectionString,
    clientState: 'bench',
    encryptionKeys: [{ id: 'bench', privateKey: createPrivateKey(settings.privateKeyPem) }],
    ...extra,
  });
}

export function bareRelay(cloud: Emulators, certificate: CertificateAndKey, extra: Partial<RelayOptions> = {}): Relay {
  return bareRelayFrom(bareRelaySettings(cloud, certificate), extra);
}
