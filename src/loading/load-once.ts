/**
 * Code loaded with `import()` on first use, kept once it is here. A failed load (a network blip, a deploy that
 * replaced the hashed chunk files, a CDN error) is not kept: the promise rejects with an error saying what could not
 * be loaded, and the next call loads again. Browsers that follow the HTML standard's current module map (whatwg/html
 * pull request 10327; Chromium does) fetch a failed module again on the next `import()` of its URL.
 */
export function loadOnce<T>(what: string, load: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | undefined;
  return () =>
    (pending ??= load().catch((cause: unknown) => {
      pending = undefined;
      throw loadError(what, cause);
    }));
}

/** An error saying that `what` could not be loaded, and why (the browser's own error). */
export function loadError(what: string, cause: unknown): Error {
  return new Error(`${what} could not be loaded (${String(cause)}).`);
}
