import { executeServerCommand } from '@web/test-runner-commands';

/** What the test plugin's `emulator` command says of the local cloud (emulator-plugin.mjs, `describe()`). */
export interface Cloud {
  entra: { authority: string; signInAs: string | null; clients: Array<{ clientId: string; type: string }> };
  graph: { url: string };
  control: { url: string };
  tenant: {
    teams: Array<{ id: string; members: number }>;
    demoUsers: Array<{ id: string; displayName: string; userPrincipalName: string }>;
  };
}

let described: Promise<Cloud> | undefined;

/** The local cloud the browser tests run against, started by the test plugin on first use. */
export function emulator(): Promise<Cloud> {
  return (described ??= executeServerCommand<Cloud, undefined>('emulator'));
}

/** Calls the emulators' control API (see the README's control API table); the JSON answer, or null for a 204. */
export async function control(method: string, path: string, body?: unknown): Promise<any> {
  const cloud = await emulator();
  const res = await fetch(`${cloud.control.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return res.status === 204 ? null : res.json();
}
