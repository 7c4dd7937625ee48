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
      // The Entra ID emulator serves TLS with a certificate of its own (MSAL needs an https authority): tests that
      // sign in with the real MSAL accept it.
      launchOptions: { executablePath, headless: true, args: [...chromiumArgs, '--ignore-certificate-errors'] },
    }),
  ],
};
