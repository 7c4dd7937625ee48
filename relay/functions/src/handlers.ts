// The relay's Azure Functions (v4 programming model) handlers, over the same core as the Node server.
import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import type { Relay } from '../../src/relay.js';
import type { SubscriptionKeeper } from '../../src/subscriptions.js';

const VALIDATION_PROBE = /^Validation: Testing client application reachability/i;

function cors(req: HttpRequest, reply: HttpResponseInit): HttpResponseInit {
  const origin = req.headers.get('origin');
  if (!origin) return reply;
  return {
    ...reply,
    headers: {
      ...(reply.headers as Record<string, string> | undefined),
      'access-control-allow-origin': origin,
      'access-control-allow-credentials': 'true',
      'access-control-allow-methods': 'POST, OPTIONS',
      'access-control-allow-headers': 'authorization, content-type, x-requested-with, x-signalr-user-agent',
      vary: 'Origin',
    },
  };
}

export interface RelayHandlers {
  negotiate(req: HttpRequest, context?: InvocationContext): Promise<HttpResponseInit>;
  watch(req: HttpRequest, context?: InvocationContext): Promise<HttpResponseInit>;
  notifications(req: HttpRequest, context?: InvocationContext): Promise<HttpResponseInit>;
  lifecycle(req: HttpRequest, context?: InvocationContext): Promise<HttpResponseInit>;
  renew(timer?: unknown, context?: InvocationContext): Promise<void>;
  eventHub(messages: unknown, context?: InvocationContext): Promise<void>;
}

export function createHandlers(relay: Relay, keeper?: SubscriptionKeeper): RelayHandlers {
  const ready = relay.init();
  const handshake = (req: HttpRequest): HttpResponseInit | undefined => {
    const token = req.query.get('validationToken');
    return token === null ? undefined : { status: 200, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: token };
  };
  const readJson = async (req: HttpRequest): Promise<unknown> => JSON.parse((await req.text()) || 'null');
  return {
    async negotiate(req) {
      if (req.method === 'OPTIONS') return cors(req, { status: 204 });
      await ready;
      const reply = await relay.negotiateFor(req.headers.get('authorization'));
      return cors(req, { status: reply.status, jsonBody: reply.body });
    },
    async watch(req) {
      if (req.method === 'OPTIONS') return cors(req, { status: 204 });
      await ready;
      const reply = await relay.watchFor(req.headers.get('authorization'), await req.text());
      return cors(req, { status: reply.status, jsonBody: reply.body });
    },
    // A function's work may be frozen once it has answered, so the notifications are processed before the answer:
    // verifying, decrypting and one REST call per watcher fit well inside Graph's 3 seconds.
    async notifications(req) {
      const reply = handshake(req);
      if (reply) return reply;
      await ready;
      try {
        await relay.process(await readJson(req));
      } catch {
        return { status: 400 };
      }
      return { status: 202 };
    },
    async lifecycle(req) {
      const reply = handshake(req);
      if (reply) return reply;
      await ready;
      try {
        await relay.lifecycleEvents(await readJson(req));
      } catch {
        return { status: 400 };
      }
      return { status: 202 };
    },
    async renew() {
      await ready;
      // Watch sessions whose pages went away without saying so end here, and their subscriptions with them.
      await relay.expireLeases();
      await keeper?.tick();
    },
    // Event Hubs delivery: each event is one notification collection; Graph's reachability probes are ignored, and
    // lifecycle notifications (subscriptions delivered to a hub send those to it too) go to the keeper.
    async eventHub(messages, context) {
      await ready;
      for (const message of Array.isArray(messages) ? messages : [messages]) {
        let payload: { value?: Array<{ changeType?: string; lifecycleEvent?: string }> };
        try {
          payload = typeof message === 'string' ? JSON.parse(message) : (message as typeof payload);
        } catch {
          context?.warn?.('An Event Hubs message is not JSON; skipped.');
          continue;
        }
        const all = Array.isArray(payload?.value) ? payload.value : [];
        const lifecycle = all.filter((n) => typeof n?.lifecycleEvent === 'string');
        const value = all.filter((n) => typeof n?.lifecycleEvent !== 'string' && !VALIDATION_PROBE.test(String(n?.changeType ?? '')));
        if (lifecycle.length) await relay.lifecycleEvents({ value: lifecycle });
        if (value.length) await relay.process({ ...payload, value });
      }
    },
  };
}
