// System notifications for <presence-alerts>: asked for only from the user's click, used only once granted.
// https://developer.mozilla.org/docs/Web/API/Notification/requestPermission_static: browsers ignore (or penalise)
// permission requests made without a user gesture, so the request is made from the button's click only.

export type DesktopPermission = 'unsupported' | NotificationPermission;

function api(): typeof Notification | undefined {
  return typeof Notification === 'function' ? Notification : undefined;
}

/** Whether the browser may show system notifications from this page, may be asked, or refuses. */
export function desktopPermission(): DesktopPermission {
  const permission = api()?.permission;
  return permission === 'granted' || permission === 'denied' || permission === 'default' ? permission : 'unsupported';
}

/** Asks the browser's permission; call it from a click. */
export async function askDesktopPermission(): Promise<DesktopPermission> {
  const notification = api();
  if (!notification?.requestPermission) return 'unsupported';
  try {
    await notification.requestPermission();
  } catch {
    // Refused to ask (an insecure page, say): the permission read below says how things stand.
  }
  return desktopPermission();
}

/**
 * Shows a system notification when permission is granted, and only then. `tag` names the person, so that a
 * second alert for them replaces the first rather than stacking. Returns whether one was shown.
 */
export function notifyDesktop(title: string, options: NotificationOptions & { tag: string }): boolean {
  const notification = api();
  if (!notification || desktopPermission() !== 'granted') return false;
  try {
    new notification(title, options);
    return true;
  } catch {
    // Some browsers (Chrome on Android) allow notifications from service workers only.
    return false;
  }
}
