// Starts the local cloud (emulator/) inside the Web Test Runner process, so browser tests can run the real Graph,
// MSAL and SignalR clients against it. Tests ask for its URLs with the `emulator` command.
export function emulatorPlugin() {
  let cloud;
  let starting;
  // The emulator's sign-in, consent and clock settings are global: test files that change them or sign in with the
  // real MSAL hold this lock for their run, so two such files never run side by side. A holder that never lets go
  // (a file that crashed) loses the lock after two minutes.
  let held = Promise.resolve();
  let release;
  let releaseTimer;
  const lock = () => {
    const previous = held;
    let unlock;
    held = new Promise((resolve) => (unlock = resolve));
    return previous.then(() => {
      release = unlock;
      releaseTimer = setTimeout(() => unlock(), 120_000);
    });
  };
  const unlock = () => {
    clearTimeout(releaseTimer);
    release?.();
    release = undefined;
  };
  const start = async () => {
    const { tsImport } = await import('tsx/esm/api');
    const { startEmulators } = await tsImport('../../../emulator/index.ts', import.meta.url);
    cloud = await startEmulators({
      simulatorRate: 0,
      tenant: { seed: 'browser-tests', userCount: 2_000, teamSizes: [5, 50, 650, 2_000] },
    });
    return cloud;
  };
  return {
    name: 'presence-emulator',
    async serverStop() {
      await cloud?.stop();
    },
    async executeCommand({ command, payload }) {
      if (!command.startsWith('emulator')) return undefined;
      if (command === 'emulator-lock') return lock().then(() => true);
      if (command === 'emulator-unlock') return (unlock(), true);
      await (starting ??= start());
      if (command === 'emulator') return cloud.describe();
      if (command === 'emulator-requests') {
        // Graph requests made by one application (tests use an app id each, so files can run side by side).
        return cloud.graph.log
          .filter((entry) => entry.appId === payload.appId)
          .map(({ method, path, status, batchItem, closed }) => ({
            method,
            path,
            status,
            batchItem: !!batchItem,
            closed: !!closed,
          }));
      }
      return undefined;
    },
  };
}
