// What the Chromium tests in Node share: the local cloud, a static server for the pages, and one headless Chromium,
// started before a file's tests and stopped after them. A file's own parts (a relay, say) start in `setUp`, once the
// cloud is up, and stop in `tearDown`, before it goes down.
import type { Server } from 'node:http';
import { after, before } from 'node:test';
import { chromium, type Browser } from 'playwright-core';
import { startEmulators, type EmulatorOptions, type Emulators } from '../../emulator/index.js';
// @ts-expect-error: plain ES module scripts without declarations
import { chromiumArgs, findChromium } from '../../scripts/find-chromium.mjs';
// @ts-expect-error: plain ES module scripts without declarations
import { createStaticServer, listenOnFreePort } from '../../scripts/static-server.mjs';
import { requireBuild, root } from './support.js';

/** Chromium's path, or undefined on a machine without it. */
export const chromiumPath: string | undefined = findChromium();
/** The reason a Chromium test is skipped, or false when it runs. */
export const noChromium: string | false = !chromiumPath && 'Chromium not found (set CHROME_PATH)';

export interface Stage {
  /** The emulators; only when `emulators` options were given. */
  cloud: Emulators;
  /** Where the static server serves `site`, e.g. `http://localhost:41234`. */
  origin: string;
  browser: Browser;
}

export interface StageOptions {
  /** Starts the local cloud with these options. */
  emulators?: EmulatorOptions;
  /** The folder served (default: the package root), or a function that builds one once the cloud is up. */
  site?: string | ((stage: Stage) => Promise<string>);
  /** The host name in `origin` (default `localhost`). */
  host?: string;
  /** Lets the browser accept the emulators' self-signed HTTPS certificate (Entra ID). */
  acceptCertificates?: boolean;
  /** Blocks popups not opened by a click, as browsers do (Playwright's Chromium allows them by default). */
  blockPopups?: boolean;
  /** Files of the package that must be built first (default the script-tag build). */
  requires?: string[];
  setUp?: (stage: Stage) => Promise<void>;
  tearDown?: (stage: Stage) => Promise<void>;
}

/** Registers the `before` and `after` hooks of a Chromium test file; the stage is filled in by `before`. */
export function chromiumStage(options: StageOptions = {}): Stage {
  const stage = {} as Stage;
  let server: Server | undefined;
  let started = false;
  before(async () => {
    if (!chromiumPath) return;
    for (const file of options.requires ?? ['dist/cdn/presence-elements.js']) requireBuild(file);
    started = true;
    if (options.emulators) stage.cloud = await startEmulators(options.emulators);
    const site = typeof options.site === 'function' ? await options.site(stage) : (options.site ?? root);
    server = createStaticServer(site) as Server;
    stage.origin = `http://${options.host ?? 'localhost'}:${await listenOnFreePort(server, 0)}`;
    await options.setUp?.(stage);
    const args: string[] = [...chromiumArgs, ...(options.acceptCertificates ? ['--ignore-certificate-errors'] : [])];
    stage.browser = await chromium.launch({
      executablePath: chromiumPath,
      args,
      ...(options.blockPopups ? { ignoreDefaultArgs: ['--disable-popup-blocking'] } : {}),
    });
  });
  after(async () => {
    if (!started) return;
    await stage.browser?.close();
    server?.close();
    await options.tearDown?.(stage);
    await stage.cloud?.stop();
  });
  return stage;
}
