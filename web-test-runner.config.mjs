import { esbuildPlugin } from '@web/dev-server-esbuild';
import { playwrightLauncher } from '@web/test-runner-playwright';
import { chromiumArgs, requireChromium } from './scripts/find-chromium.mjs';
import { emulatorPlugin } from './test/browser/support/emulator-plugin.mjs';
import { screenshotPlugin } from './test/browser/support/screenshot-plugin.mjs';

const executablePath = requireChromium();

export default {
  files: ['test/browser/**/*.test.ts'],
  nodeResolve: true,
  concurrency: 2,
  testFramework: { config: { timeout: 10000 } },
  plugins: [
    esbuildPlugin({ ts: true, target: 'es2021', tsconfig: './tsconfig.base.json' }),
    screenshotPlugin(),
    emulatorPlugin(),
  ],
  browsers: [
    playwrightLauncher({
      product: 'chromium',
      launchOptions: { executablePath, headless: true, args: chromiumArgs },
      // The Entra ID emulator's HTTPS certificate is made when it starts: tests signing in with MSAL accept it.
      createBrowserContext: ({ browser }) => browser.newContext({ ignoreHTTPSErrors: true }),
    }),
  ],
};
