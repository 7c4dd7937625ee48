// Talking to the bench's child processes over IPC: waiting for a reply of one type.
import type { ChildProcess } from 'node:child_process';

/**
 * The first message of `type` the child sends; fails if the child exits first. A large last message may still be
 * on its way when the exit is seen, so the failure waits a moment for it.
 */
export function replyOf<R extends { type: string }, T extends R['type']>(
  child: ChildProcess,
  type: T,
  what: string,
): Promise<Extract<R, { type: T }>> {
  return new Promise((resolve, reject) => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const onMessage = (message: R) => {
      if (message.type !== type) return;
      child.off('message', onMessage);
      child.off('exit', onExit);
      clearTimeout(timer);
      resolve(message as Extract<R, { type: T }>);
    };
    const onExit = (code: number | null) =>
      (timer = setTimeout(() => reject(new Error(`${what} exited (code ${code}) before sending ${type}`)), 2_000));
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}
