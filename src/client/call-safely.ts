/**
 * Calls a callback the page gave the client (a watcher, an error listener) as the DOM calls an event listener: what
 * it throws is reported as the page's uncaught error (`reportError`), and the client goes on telling the others.
 */
export function callSafely<T>(callback: (value: T) => void, value: T): void {
  try {
    callback(value);
  } catch (error) {
    reportError(error);
  }
}
