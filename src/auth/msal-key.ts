// What names an MSAL sign-in without loading anything: its authority, and the key tabs of one app share a poller by.
import { tabKeyOf } from './token-provider.js';

/** The authority MSAL is made with: the one given, else Entra ID's for the tenant (`organizations` by default). */
export function authorityOf(options: { authority?: string | undefined; tenantId?: string | undefined }): string {
  return options.authority ?? `https://login.microsoftonline.com/${options.tenantId ?? 'organizations'}`;
}

/** Which app and tenant the tokens are for (`TokenProvider.tabKey`). */
export function msalTabKey(clientId: string, authority: string | undefined): string {
  return tabKeyOf([clientId, authority ?? '']);
}
