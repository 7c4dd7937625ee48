// The shapes a Graph request and its answer take inside the emulator.

/** The claims of a verified access token that Graph looks at. */
export interface GraphClaims {
  oid?: string;
  tid?: string;
  scp?: string;
  roles?: string[];
  appid?: string;
  azp?: string;
  exp?: number;
  [claim: string]: unknown;
}

/** Verifies a bearer token for Graph (signature, issuer, audience, expiry); throws with a message when it is bad. */
export type TokenVerifier = (token: string) => GraphClaims;

export interface GraphContext {
  method: string;
  url: URL;
  params: Record<string, string>;
  headers: Record<string, string | string[] | undefined>;
  claims: GraphClaims;
  rawBody: Buffer;
  /** The base URL of the emulator, for nextLinks and `@odata.context`. */
  base: string;
}

export interface GraphResult {
  status: number;
  headers?: Record<string, string>;
  /** JSON (object) or bytes (Buffer); absent for no content. */
  body?: unknown;
}

export type GraphHandler = (ctx: GraphContext) => GraphResult | Promise<GraphResult>;
