// The window events a transport follows: the page put away, back from the back/forward cache or shown again, and the
// browser losing or finding its network.

export interface WindowHandlers {
  pagehide?: () => void;
  pageshow?: (event: PageTransitionEvent) => void;
  /** The browser lost its network (`navigator.onLine` turned false). */
  offline?: () => void;
  /** The browser has its network again. */
  online?: () => void;
  /** The page is shown again (`visibilitychange` to visible). */
  shown?: () => void;
}

/** Listens to the window's events for `handlers` (nothing outside a browser); returns the function that stops. */
export function followWindow(handlers: WindowHandlers): () => void {
  if (typeof window === 'undefined') return () => undefined;
  const { shown, ...own } = handlers;
  const entries = Object.entries(own).filter(([, handler]) => handler) as Array<[string, EventListener]>;
  for (const [type, handler] of entries) window.addEventListener(type, handler);
  const visibility = () => {
    if (document.visibilityState === 'visible') shown?.();
  };
  if (shown) document.addEventListener('visibilitychange', visibility);
  return () => {
    for (const [type, handler] of entries) window.removeEventListener(type, handler);
    document.removeEventListener('visibilitychange', visibility);
  };
}
