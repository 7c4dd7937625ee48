// The names Azure SignalR Service's REST API takes, with the patterns and lengths of its swagger
// (docs/swagger/V20220601.json in Azure/azure-signalr; the service's own emulator, src/Microsoft.Azure.SignalR.Emulator,
// checks the same): used by the emulator to refuse what the service refuses, and by the relay to send only what it takes.

/** Hub (and application) names: `^[A-Za-z][A-Za-z0-9_`,.[\]]{0,127}$`. The service treats them case-insensitively. */
export const HUB_NAME = /^[A-Za-z][A-Za-z0-9_`,.[\]]{0,127}$/;

/** The most characters in a group name or a user id (`maxLength: 1024`). */
export const MAX_NAME_LENGTH = 1024;

export function isHubName(name: string): boolean {
  return HUB_NAME.test(name);
}

/**
 * Group names: 1 to 1,024 characters matching `^(?!\s+$).+$`, that is not only white space (and, as `.` in .NET
 * does not match it, no line feed).
 */
export function isGroupName(name: string): boolean {
  return name.length >= 1 && name.length <= MAX_NAME_LENGTH && !/^\s+$/.test(name) && !name.includes('\n');
}

/** User ids: 1 to 1,024 characters (`minLength: 1`, `maxLength: 1024`). */
export function isUserId(name: string): boolean {
  return name.length >= 1 && name.length <= MAX_NAME_LENGTH;
}
