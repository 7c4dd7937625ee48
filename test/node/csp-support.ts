// A strict Content Security Policy for the pages of the CSP tests, a server that sends it, and what a page
// reports as broken under it.
import { createServer, type Server } from 'node:http';
import type { Page } from 'playwright-core';
// @ts-expect-error: plain ES module scripts without declarations
import { createStaticServer, listenOnFreePort } from '../../scripts/static-server.mjs';
import { root } from './support.js';

/**
 * Every local service listens on 127.0.0.1 on a port of its own: Graph, the relay and SignalR Service over http,
 * Entra ID over https (MSAL's token requests), SignalR Service's WebSocket over ws.
 */
const LOCAL = ['http://127.0.0.1:*', 'https://127.0.0.1:*', 'ws://127.0.0.1:*'];

/**
 * The policy: nothing inline, nothing evaluated, scripts and styles from the page's origin only, and Trusted Types
 * enforced with Lit's policy as the only one. `extra` adds directives a test needs (sign-in frames, say).
 */
export function strictPolicy(extra: Record<string, string[]> = {}): string {
  const directives: Record<string, string[]> = {
    'default-src': ["'self'"],
    'script-src': ["'self'"],
    'style-src': ["'self'"],
    // blob: for photos (read from Graph, shown as object URLs); data: for the test pages' empty favicon only.
    'img-src': ["'self'", 'blob:', 'data:'],
    'connect-src': ["'self'", ...LOCAL],
    // Not needed by the library; stricter than default-src, as a hardened page would have them.
    'object-src': ["'none'"],
    'base-uri': ["'none'"],
    'require-trusted-types-for': ["'script'"],
    'trusted-types': ['lit-html'],
  };
  for (const [name, values] of Object.entries(extra)) directives[name] = [...(directives[name] ?? []), ...values];
  return Object.entries(directives)
    .map(([name, values]) => `${name} ${values.join(' ')}`)
    .join('; ');
}

/** Serves the package's files with the policy on every response. Resolves with its origin. */
export async function serveWithPolicy(policy: string): Promise<{ origin: string; server: Server }> {
  const files = createStaticServer(root) as Server;
  const server = createServer((req, res) => {
    res.setHeader('content-security-policy', policy);
    files.emit('request', req, res);
  });
  const port = await listenOnFreePort(server, 0);
  return { origin: `http://127.0.0.1:${port}`, server };
}

/**
 * Collects, from the start of every document of the page, the policy's violations (the `securitypolicyviolation`
 * events, read back with `violations()`) and Chromium's console errors and uncaught errors.
 */
export async function watchForViolations(
  page: Page,
): Promise<{ problems: string[]; violations: () => Promise<string[]> }> {
  const problems: string[] = [];
  page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  // A string, not a function: the test runner's compiler would add helpers the page does not have.
  await page.addInitScript(`{
    const seen = (window.cspViolations = []);
    document.addEventListener('securitypolicyviolation', (e) => seen.push((e.effectiveDirective + ': ' + e.blockedURI + ' ' + e.sample).trim()));
  }`);
  return {
    problems,
    violations: async () => {
      const all: string[] = [];
      for (const frame of page.frames()) {
        all.push(...((await frame.evaluate('window.cspViolations ?? []').catch(() => [])) as string[]));
      }
      return all;
    },
  };
}
