// Whether the page is shown, and when it is hidden, shown again or put away: what an app's presence session follows.

/** The page's visibility and lifecycle, as an app's presence session follows them (replaceable in tests). */
export interface PageLifecycle {
  /** Whether the page is hidden now (another tab, a minimised window). */
  hidden(): boolean;
  /**
   * Calls `changed` when the page is hidden or shown again (`visibilitychange`, `pageshow`) and `leaving` when it is
   * put away (`pagehide`: closed, navigated from, or into the back/forward cache). Returns the function that stops.
   */
  listen(changed: () => void, leaving: () => void): () => void;
}

/** The page's own document and window; a page that is always shown where there is none (a server). */
export const browserPage: PageLifecycle = {
  hidden: () => typeof document !== 'undefined' && document.visibilityState === 'hidden',
  listen(changed, leaving) {
    if (typeof window === 'undefined' || typeof document === 'undefined') return () => undefined;
    document.addEventListener('visibilitychange', changed);
    window.addEventListener('pageshow', changed);
    window.addEventListener('pagehide', leaving);
    return () => {
      document.removeEventListener('visibilitychange', changed);
      window.removeEventListener('pageshow', changed);
      window.removeEventListener('pagehide', leaving);
    };
  },
};
