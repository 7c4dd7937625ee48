// The window events a transport follows: the page put away or back from the back/forward cache, and the browser
// losing or finding its network.

export interface WindowHandlers {
  pagehide?: () => void;
  pageshow?: (event: PageTransitionEvent) => void;
  /** The browser lost its network (`navigator.onLine` turned false). */
  offline?: () => void;
  /** The browser has its network again. */
  online?: () => void;
}

/** Listens to the window's events for `handlers` (nothing outside a browser); returns the function that stops. */
export function followWindow(handlers: WindowHandlers): () => void {
  if (typeof window === 'undefined') return () => undefined;
  const entries = Object.entries(handlers).filter(([, handler]) => handler) as Array<[string, EventListener]>;
  for (const [type, handler] of entries) window.addEventListener(type, handler);
  return () => {
    for (const [type, handler] of entries) window.removeEventListener(type, handler);
  };
}
