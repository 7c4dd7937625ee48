// What the Azure Functions host does with a Storage queue, for the relay's queue functions, against a real queue
// service (Azurite): the HTTP function's queue output is sent as messages, and the queue trigger's messages are
// received, handed to the function, deleted when it succeeds, made visible again when it fails, and moved to the
// poison queue after the last try.
//
// As the host does it (https://learn.microsoft.com/azure/azure-functions/functions-bindings-storage-queue#host-json,
// https://learn.microsoft.com/azure/azure-functions/functions-bindings-storage-queue-trigger#poison-messages):
// - messages are base64-encoded text (`messageEncoding`: `base64` by default), both ways;
// - a message whose function fails is tried again (visibilityTimeout 0 by default) until it has been dequeued
//   `maxDequeueCount` times (5 by default), then it goes to the queue `<name>-poison`;
// - a JavaScript function receives a JSON message parsed, any other text as a string.
import { QueueServiceClient, type QueueClient } from '@azure/storage-queue';

export const MAX_DEQUEUE_COUNT = 5;

export interface QueueHost {
  readonly queue: QueueClient;
  readonly poison: QueueClient;
  /** Sends what an HTTP function put in its queue output (one message or a list), as the host sends it. */
  enqueue(output: unknown): Promise<void>;
  /**
   * Runs the trigger until the queue is empty: each message handed to `handler`, then deleted, retried or moved to
   * the poison queue. Says how many invocations succeeded and failed.
   */
  drain(handler: (message: unknown) => Promise<void>): Promise<{ succeeded: number; failed: number }>;
  /** The texts in a queue (decoded), without taking them. */
  peek(queue: QueueClient): Promise<string[]>;
}

const encode = (text: string) => Buffer.from(text, 'utf8').toString('base64');
const decode = (text: string) => Buffer.from(text, 'base64').toString('utf8');

/** What a JavaScript queue function receives: the message parsed when it is JSON, else its text. */
function triggerValue(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export async function queueHost(connectionString: string, queueName: string): Promise<QueueHost> {
  const service = QueueServiceClient.fromConnectionString(connectionString);
  const queue = service.getQueueClient(queueName);
  const poison = service.getQueueClient(`${queueName}-poison`);
  await queue.createIfNotExists();
  return {
    queue,
    poison,
    async enqueue(output) {
      const messages = output === undefined ? [] : Array.isArray(output) ? output : [output];
      for (const message of messages)
        await queue.sendMessage(encode(typeof message === 'string' ? message : JSON.stringify(message)));
    },
    async drain(handler) {
      const counts = { succeeded: 0, failed: 0 };
      for (;;) {
        const { receivedMessageItems: items } = await queue.receiveMessages({
          numberOfMessages: 16,
          visibilityTimeout: 30,
        });
        if (!items.length) return counts;
        for (const item of items) {
          try {
            await handler(triggerValue(decode(item.messageText)));
            counts.succeeded++;
            await queue.deleteMessage(item.messageId, item.popReceipt);
          } catch {
            counts.failed++;
            if (item.dequeueCount >= MAX_DEQUEUE_COUNT) {
              await poison.createIfNotExists();
              await poison.sendMessage(item.messageText);
              await queue.deleteMessage(item.messageId, item.popReceipt);
            } else {
              // Visible again at once: the host's default visibilityTimeout between tries is 0.
              await queue.updateMessage(item.messageId, item.popReceipt, undefined, 0);
            }
          }
        }
      }
    },
    async peek(target) {
      if (!(await target.exists())) return [];
      const { peekedMessageItems } = await target.peekMessages({ numberOfMessages: 32 });
      return peekedMessageItems.map((m) => decode(m.messageText));
    },
  };
}
