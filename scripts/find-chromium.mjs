// Finds a Chromium or Chrome executable for tests, screenshots and benchmarks.
import { existsSync } from 'node:fs';

const candidates = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/snap/bin/chromium',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
  'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe',
];

export const installHint = [
  'Chromium was not found. The browser tests, screenshots and benchmarks need it.',
  '  Debian/Ubuntu: sudo apt-get update && sudo apt-get install -y chromium',
  '  macOS:         brew install --cask chromium',
  '  Anywhere:      set CHROME_PATH to a Chrome or Chromium executable.',
  '(.ci/run installs it by itself on Debian-based machines.)',
].join('\n');

/** The executable's path, or undefined. `CHROME_PATH` wins when it points at a file. */
export function findChromium() {
  const fromEnv = process.env.CHROME_PATH;
  if (fromEnv) {
    if (existsSync(fromEnv)) return fromEnv;
    console.warn(`CHROME_PATH=${fromEnv} does not exist; looking in the usual places.`);
  }
  return candidates.find((path) => existsSync(path));
}

/** The executable's path; exits with instructions when there is none. */
export function requireChromium() {
  const path = findChromium();
  if (!path) {
    console.error(installHint);
    process.exit(1);
  }
  return path;
}

/** Flags for headless Chromium on a locked-down machine (root, no network beyond loopback). */
export const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
];
