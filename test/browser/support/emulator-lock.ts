import { executeServerCommand } from '@web/test-runner-commands';

// The emulator's sign-in, consent and clock settings are global: test files that change them, move the clock or sign
// in with the real MSAL take turns (see emulator-plugin.mjs). Mocha runs root hooks in the order they are declared,
// so a file calls `holdEmulator()` before its own hooks and `releaseEmulator()` after them.

/** Waits for the emulator before this file's own `before` hooks run. */
export function holdEmulator(): void {
  before(async function () {
    this.timeout(150_000);
    await executeServerCommand('emulator-lock');
  });
}

/** Lets the next file have the emulator once this file's own `after` hooks have put its settings back. */
export function releaseEmulator(): void {
  after(async () => {
    await executeServerCommand('emulator-unlock');
  });
}
