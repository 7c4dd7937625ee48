// A rich presence change notification as Graph posts it to the relay (one item of a collection's `value`), its
// resource data encrypted with the relay's certificate.
import type { X509Certificate } from 'node:crypto';
import { encryptResource } from '../common/notification-crypto.js';

export interface BenchPresence {
  id: string;
  availability: string;
  activity: string;
  sequenceNumber: string;
}

export function presenceNotification(
  presence: BenchPresence,
  subscription: { id: string; clientState: string },
  certificate: { x509: X509Certificate; id: string },
) {
  return {
    subscriptionId: subscription.id,
    changeType: 'updated',
    clientState: subscription.clientState,
    resource: `communications/presences('${presence.id}')`,
    resourceData: { id: presence.id },
    encryptedContent: encryptResource(presence, certificate.x509, certificate.id),
  };
}
