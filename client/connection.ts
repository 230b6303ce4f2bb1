/**
 * Where requests go and which `fetch` sends them: the endpoint from the
 * credential (the token's `c` / `cp` claims, `https://` unless the credential
 * says the endpoint is not secure), an explicit base URL override, and how to
 * trust kvolt's dev CA in each runtime:
 *
 * - Deno: pass `caCertificate` (the PEM of `.kvolt/tls/ca.pem`); the client
 *   builds `Deno.createHttpClient({ caCerts: [pem] })` and hands it to fetch.
 * - Node: start Node with `NODE_EXTRA_CA_CERTS=.kvolt/tls/ca.pem`, or pass a
 *   `fetch` of your own (e.g. undici's with a custom dispatcher).
 * - Browsers: trust the CA in the OS or browser certificate store; pages
 *   cannot choose a CA.
 *
 * @module
 */

import type { CredentialProvider } from "./_sdk_core.ts";
import type { Configuration } from "./configuration.ts";
import { type FetchFunction, HttpTransport } from "./transport.ts";

/** How the client reaches kvolt (kvolt's additions to Momento's props). */
export interface ConnectionOptions {
  /**
   * Base URL of every request, overriding the credential's endpoints, e.g.
   * `http://127.0.0.1:8080` for a plaintext loopback `serve --http`.
   */
  baseUrl?: string;
  /** PEM of a CA to trust, e.g. kvolt's dev CA (Deno only; see the module doc). */
  caCertificate?: string;
  /** The fetch to use instead of the global one. */
  fetch?: FetchFunction;
}

/** The fetch to use, and how to release what it holds. */
export interface ClientFetch {
  fetch: FetchFunction;
  close(): void;
}

interface DenoHttpApi {
  createHttpClient(options: { caCerts: string[] }): { close(): void };
}

/**
 * The fetch for `options`: the caller's, one trusting `caCertificate`, or the
 * global fetch.
 *
 * @param options the connection options
 * @throws TypeError when a CA is given in a runtime that cannot take one
 */
export function clientFetch(options: ConnectionOptions): ClientFetch {
  if (options.fetch) return { fetch: options.fetch, close() {} };
  if (options.caCertificate === undefined) {
    return { fetch: (input, init) => fetch(input, init), close() {} };
  }
  const deno = (globalThis as { Deno?: Partial<DenoHttpApi> }).Deno;
  if (typeof deno?.createHttpClient !== "function") {
    throw new TypeError(
      "Cannot trust a CA certificate in this runtime: in Node start with NODE_EXTRA_CA_CERTS=<ca.pem> or pass a fetch, in a browser trust the CA in the OS store",
    );
  }
  const client = deno.createHttpClient({ caCerts: [options.caCertificate] });
  return {
    fetch: (input, init) =>
      fetch(input, { ...init, client } as RequestInit & { client: unknown }),
    close: () => client.close(),
  };
}

/** Which endpoint of the credential a client talks to. */
export type EndpointKind = "cache" | "control" | "token";

/**
 * The base URL for one kind of endpoint.
 *
 * @param credentials the credential provider
 * @param kind data (`cache`), `control` or `token` endpoint
 * @param override an explicit base URL, which wins
 */
export function endpointUrl(
  credentials: CredentialProvider,
  kind: EndpointKind,
  override?: string,
): string {
  if (override !== undefined) return override.replace(/\/+$/, "");
  const [sdkHost, secure] = kind === "cache"
    ? [credentials.getCacheEndpoint(), credentials.isCacheEndpointSecure()]
    : kind === "control"
    ? [credentials.getControlEndpoint(), credentials.isControlEndpointSecure()]
    : [credentials.getTokenEndpoint(), credentials.isTokenEndpointSecure()];
  // A kvolt token names its server in its own claims; sdk-core's endpoints
  // for a wrapped disposable token (`{endpoint, api_key}`) carry Momento's
  // `cache.` / `control.` / `token.` prefixes, which kvolt has no use for.
  const claims = tokenEndpoints(credentials.getAuthToken());
  // `h` names the HTTP API; `c`/`cp` name it only in keys from before kvolt
  // served gRPC (now they name the gRPC port, for Momento's own SDKs).
  const host = claims.h ??
    (kind === "cache" ? claims.c : claims.cp ?? claims.c) ?? sdkHost;
  if (/^https?:\/\//.test(host)) return host.replace(/\/+$/, "");
  return `${secure ? "https" : "http"}://${host}`;
}

/**
 * A client's transport to one kind of endpoint: the credential's token, the
 * configuration's deadline and retries.
 *
 * @param props the credential and the base URL override, if any
 * @param configuration timeouts and retries
 * @param fetch from {@linkcode clientFetch}
 * @param kind which endpoint of the credential
 */
export function clientTransport(
  props: { credentialProvider: CredentialProvider; baseUrl?: string },
  configuration: Configuration,
  fetch: FetchFunction,
  kind: EndpointKind,
): HttpTransport {
  return new HttpTransport({
    baseUrl: endpointUrl(props.credentialProvider, kind, props.baseUrl),
    authToken: props.credentialProvider.getAuthToken(),
    fetch,
    timeoutMillis: configuration.getClientTimeoutMillis(),
    retryStrategy: configuration.getRetryStrategy(),
    readConcern: configuration.getReadConcern(),
  });
}

/** The `c` (data), `cp` (control) and `h` (HTTP API) endpoint claims of a kvolt JWT. */
export interface TokenEndpoints {
  c?: string;
  cp?: string;
  h?: string;
}

/**
 * Reads the endpoint claims of a JWT without verifying it (the server does
 * that); anything that is not a JWT with string claims gives `{}`.
 *
 * @param token a kvolt key or disposable token
 *
 * @example
 * ```ts
 * import { tokenEndpoints } from "./connection.ts";
 * const claims = btoa(JSON.stringify({ c: "h:1", cp: "h:2" }));
 * const found = tokenEndpoints(`e30.${claims}.sig`);
 * if (found.c !== "h:1" || found.cp !== "h:2") throw new Error();
 * ```
 */
export function tokenEndpoints(token: string): TokenEndpoints {
  const payload = token.split(".")[1];
  if (payload === undefined) return {};
  try {
    const base64 = payload.replaceAll("-", "+").replaceAll("_", "/");
    const padded = base64 + "=".repeat((4 - base64.length % 4) % 4);
    const json: unknown = JSON.parse(atob(padded));
    if (typeof json !== "object" || json === null) return {};
    const claims = json as Record<string, unknown>;
    const found: TokenEndpoints = {};
    for (const name of ["c", "cp", "h"] as const) {
      const value = claims[name];
      if (typeof value === "string" && value !== "") found[name] = value;
    }
    return found;
  } catch {
    return {};
  }
}
