/** A UTF-16 surrogate without its other half: text no URL, JSON encoder or directory can take. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Why a key given to `watch` (an object id, a userPrincipalName or `me`) cannot be looked up, or undefined when it
 * can. A key that is not well-formed text makes `encodeURIComponent` throw: sent with others, it would sink the
 * whole batch, so it is refused on its own.
 */
export function invalidKey(key: string): string | undefined {
  if (LONE_SURROGATE.test(key))
    return `The user id ${JSON.stringify(key)} is not valid text (it holds a lone surrogate): it cannot be looked up.`;
  return undefined;
}
