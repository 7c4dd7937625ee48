// Removes the build output (and build/, what the build notes for `npm run size`).
import { rmSync } from 'node:fs';

rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });
rmSync(new URL('../build', import.meta.url), { recursive: true, force: true });
