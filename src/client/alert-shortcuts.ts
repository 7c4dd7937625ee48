// The short forms of "notify me when available" that `PresenceClient` carries, beside `client.alerts`.
import { AvailabilityAlerts, type AlertsHost, type AvailabilityAlert } from './availability-alerts.js';

/**
 * What `PresenceClient` takes from here (it extends this): `alerts`, and short forms of its methods.
 */
export abstract class WithAlerts {
  /** "Notify me when available" (`AvailabilityAlerts`), for this client: the client is its host. */
  readonly alerts: AvailabilityAlerts = new AvailabilityAlerts(this as unknown as AlertsHost);

  /** `alerts.add(key)`: tell me once when this person (object id, userPrincipalName or `me`) becomes Available. */
  notifyWhenAvailable(key: string): void {
    this.alerts.add(key);
  }

  /** `alerts.remove(key)`: not any more. */
  stopNotifyWhenAvailable(key: string): void {
    this.alerts.remove(key);
  }

  /** `alerts.list()`: the object ids waited for, oldest first. */
  waitingFor(): string[] {
    return this.alerts.list();
  }

  /** `alerts.onAlert(listener)`: told each alert; returns the function that stops listening. */
  onAvailabilityAlert(listener: (alert: AvailabilityAlert) => void): () => void {
    return this.alerts.onAlert(listener);
  }

  /** `alerts.onChange(listener)`: told the ids waited for after each change; returns the function that stops. */
  onWaitingChange(listener: (ids: string[]) => void): () => void {
    return this.alerts.onChange(listener);
  }
}
