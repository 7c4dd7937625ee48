// Starts the local cloud (emulator/) inside the Web Test Runner process, so browser tests can run the real Graph,
// MSAL and SignalR clients against it. Tests ask for its URLs with the `emulator` command.
export function emulatorPlugin() {
  let cloud;
  let starting;
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
