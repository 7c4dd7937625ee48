/**
 * The redirect-bridge page's script for MSAL Browser v5: it hands the sign-in response back to the page that asked
 * for it (popup, silent iframe) or returns to the app (redirect). Serve it from the `redirectUri` page, on the same
 * origin as the app and without a Cross-Origin-Opener-Policy header.
 */
import { broadcastResponseToMainFrame } from '@azure/msal-browser/redirect-bridge';

void broadcastResponseToMainFrame().catch((error: unknown) => {
  document.body.textContent = `Sign-in could not finish: ${(error as Error).message}`;
});
