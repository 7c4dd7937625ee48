// The relay's Azure Functions (v4 programming model) handlers, over the same core as the Node server.
import type { FunctionOutput, HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import type { Relay } from '../../src/relay.js';
import type { SubscriptionKeeper } from '../../src/subscriptions.js';
import { corsHeaders } from '../../src/cors.js';
import { BodyTooLarge, DEFAULT_HTTP_LIMITS } from '../../src/http-limits.js';
import { readCollection } from '../../src/notifications.js';
import { notificationRouteReply, plainReply } from '../../src/validation-handshake.js';

const VALIDATION_PROBE = /^Validation: Testing client application reachability/i;

function cors(req: HttpRequest, allowed: readonly string[], reply: HttpResponseInit): HttpResponseInit {
  const headers = corsHeaders(req.headers.get('origin'), allowed, req.method === 'OPTIONS');
  return { ...reply, headers: { ...(reply.headers as Record<string, string> | undefined), ...headers } };
}

/** A request's body as text, or `BodyTooLarge` past `limit` bytes (the Functions host reads it whole first). */
async function bodyText(req: HttpRequest, limit: number): Promise<string> {
  const declared = Number(req.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > limit) throw new BodyTooLarge(limit);
  const text = await req.text();
  if (Buffer.byteLength(text) > limit) throw new BodyTooLarge(limit);
  return text;
}

const tooLarge = (error: unknown): HttpResponseInit | undefined =>
  error instanceof BodyTooLarge ? { status: 413, jsonBody: { error: error.message } } : undefined;

export interface RelayHandlers {
  negotiate(req: HttpRequest, context?: InvocationContext): Promise<HttpResponseInit>;
  watch(req: HttpRequest, context?: InvocationContext): Promise<HttpResponseInit>;
  notifications(req: HttpRequest, context?: InvocationContext): Promise<HttpResponseInit>;
  lifecycle(req: HttpRequest, context?: InvocationContext): Promise<HttpResponseInit>;
  renew(timer?: unknown, context?: InvocationContext): Promise<void>;
  eventHub(messages: unknown, context?: InvocationContext): Promise<void>;
  /** A queued collection (from the webhooks, with `queue`): verified, decrypted and fanned out after the answer. */
  queued(message: unknown, context?: InvocationContext): Promise<void>;
}

export interface HandlerOptions {
  /**
   * A Storage queue output: the webhooks answer Graph at once and put what it sent there, for `queued` (a queue
   * trigger) to process after the answer. Without it, they process before answering.
   */
  queue?: FunctionOutput;
}

/** Storage queue messages are at most 64 KB, base64 included: collections are cut below that. */
const QUEUE_MESSAGE_CHARS = 45_000;

interface QueuedCollection {
  kind: 'notifications' | 'lifecycle';
  payload: Record<string, unknown> & { value: unknown[] };
}

/** One message for the collection, or several (each with the collection's validation tokens) when it is large. */
export function queueMessages(
  kind: QueuedCollection['kind'],
  payload: QueuedCollection['payload'],
  limit = QUEUE_MESSAGE_CHARS,
): string[] {
  const whole = JSON.stringify({ kind, payload });
  if (whole.length <= limit) return [whole];
  const { value, ...rest } = payload;
  const overhead = JSON.stringify({ kind, payload: { ...rest, value: [] } }).length;
  const messages: string[] = [];
  let chunk: string[] = [];
  let size = overhead;
  const flush = () => {
    if (chunk.length)
      messages.push(JSON.stringify({ kind, payload: { ...rest, value: chunk.map((n) => JSON.parse(n)) } }));
    chunk = [];
    size = overhead;
  };
  for (const notification of value) {
    const text = JSON.stringify(notification);
    if (chunk.length && size + text.length + 1 > limit) flush();
    chunk.push(text);
    size += text.length + 1;
  }
  flush();
  return messages;
}

export function createHandlers(relay: Relay, keeper?: SubscriptionKeeper, options: HandlerOptions = {}): RelayHandlers {
  const ready = relay.init();
  const handshake = (req: HttpRequest): HttpResponseInit | undefined =>
    notificationRouteReply(req.method, req.query.get('validationToken'));
  const accept = async (
    kind: QueuedCollection['kind'],
    req: HttpRequest,
    context?: InvocationContext,
  ): Promise<HttpResponseInit> => {
    await ready;
    let text: string;
    try {
      text = await bodyText(req, DEFAULT_HTTP_LIMITS.notificationBodyBytes);
    } catch (error) {
      return tooLarge(error) ?? { status: 400 };
    }
    const collection = readCollection(text);
    if ('refused' in collection) return plainReply(400, collection.refused);
    const { payload } = collection;
    if (options.queue && context) {
      // Only what carries the relay's clientState is queued; the rest is refused here, and nothing forged is stored.
      const screened = await relay.screen(payload);
      if (screened.value.length) context.extraOutputs.set(options.queue, queueMessages(kind, screened));
      return { status: 202 };
    }
    try {
      await (kind === 'lifecycle' ? relay.lifecycleEvents(payload) : relay.process(payload));
    } catch {
      return { status: 400 };
    }
    return { status: 202 };
  };
  return {
    async negotiate(req) {
      if (req.method === 'OPTIONS') return cors(req, relay.allowedOrigins, { status: 204 });
      await ready;
      const reply = await relay.negotiateFor(req.headers.get('authorization'));
      return cors(req, relay.allowedOrigins, { status: reply.status, jsonBody: reply.body });
    },
    async watch(req) {
      if (req.method === 'OPTIONS') return cors(req, relay.allowedOrigins, { status: 204 });
      await ready;
      let text: string;
      try {
        text = await bodyText(req, DEFAULT_HTTP_LIMITS.watchBodyBytes);
      } catch (error) {
        return cors(req, relay.allowedOrigins, tooLarge(error) ?? { status: 400 });
      }
      const reply = await relay.watchFor(req.headers.get('authorization'), text);
      return cors(req, relay.allowedOrigins, { status: reply.status, jsonBody: reply.body });
    },
    // With a queue, Graph is answered at once (within its 3 seconds whatever SignalR Service's latency) and the work
    // is done by `queued`, after the answer: a function's work may be frozen once it has answered, so it cannot
    // simply go on in the background. Without a queue, the work is done before the answer: verifying, decrypting
    // and one REST call per watcher fit well inside the 3 seconds while SignalR Service answers promptly.
    async notifications(req, context) {
      const reply = handshake(req);
      if (reply) return reply;
      return accept('notifications', req, context);
    },
    async lifecycle(req, context) {
      const reply = handshake(req);
      if (reply) return reply;
      return accept('lifecycle', req, context);
    },
    async queued(message, context) {
      await ready;
      let item: Partial<QueuedCollection> | undefined;
      try {
        item = (typeof message === 'string' ? JSON.parse(message) : message) as Partial<QueuedCollection>;
      } catch {
        item = undefined;
      }
      if (
        !item ||
        (item.kind !== 'notifications' && item.kind !== 'lifecycle') ||
        !item.payload ||
        typeof item.payload !== 'object'
      ) {
        // Not ours (nor retried: a queue would only move it to the poison queue after five tries).
        context?.warn?.('A queued message is not a notification collection; skipped.');
        return;
      }
      if (item.kind === 'lifecycle') await relay.lifecycleEvents(item.payload);
      else await relay.process(item.payload);
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
        const value = all.filter(
          (n) => typeof n?.lifecycleEvent !== 'string' && !VALIDATION_PROBE.test(String(n?.changeType ?? '')),
        );
        if (lifecycle.length) await relay.lifecycleEvents({ value: lifecycle });
        if (value.length) await relay.process({ ...payload, value }, { via: 'event-hubs' });
      }
    },
  };
}
