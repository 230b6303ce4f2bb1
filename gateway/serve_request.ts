/**
 * Request headers of the hot path, read without making Deno copy every
 * header. In Deno 2.9.6, touching `request.headers` of a `Deno.serve`
 * request marks its headers as exposed: Deno then finishes the response
 * through a Promise (an extra microtask) and copies the whole header list
 * into JS before closing the request: 0.6-1.3 µs of a GET's 12-13 µs of
 * server CPU (`bench/README.md`). `Headers.get` on such a request only asks the
 * request's internal object for the one header
 * (`op_http_get_request_header`); {@linkcode requestHeader} makes that same
 * call directly, so the answer is the same and nothing is exposed.
 *
 * The internal object is found once, by the description of the symbol Deno
 * keys it with (`Symbol("request")`), and used only when it has a `header`
 * method. Anything else (a `new Request(...)` in tests, another runtime, a
 * Deno version that changed its internals) falls back to
 * `request.headers.get`, which is always correct, only slower;
 * `serve_request_test.ts` checks that the fast way is taken under
 * `Deno.serve`, so such a change shows up as a failing test.
 *
 * @module
 */

/** What Deno's internal request object offers (2.9.6). */
interface ServeInner {
  header(name: string): string | null;
}

/**
 * The internal symbol, once found on a request. Not remembered when missing:
 * a `new Request(...)` has none, and must not stop a later `Deno.serve`
 * request from being read the fast way.
 */
let innerKey: symbol | undefined;

function serveInner(request: Request): ServeInner | undefined {
  const key = innerKey ??
    (innerKey = Object.getOwnPropertySymbols(request).find((symbol) =>
      symbol.description === "request"
    ));
  if (key === undefined) return undefined;
  const inner = (request as unknown as Record<symbol, unknown>)[key];
  if (
    typeof inner === "object" && inner !== null &&
    typeof (inner as Partial<ServeInner>).header === "function"
  ) {
    return inner as ServeInner;
  }
  return undefined;
}

/**
 * A request header, as `request.headers.get(name)` gives it (several values
 * joined with `", "`, null when absent), without exposing the headers of a
 * `Deno.serve` request. Call it while the handler runs, as for
 * `request.headers`.
 *
 * @param request the request
 * @param name the header name, in lower case
 * @returns the header's value, or null
 *
 * @example
 * ```ts
 * import { requestHeader } from "./serve_request.ts";
 * const request = new Request("http://h/", { headers: { Origin: "http://a" } });
 * if (requestHeader(request, "origin") !== "http://a") throw new Error();
 * if (requestHeader(request, "authorization") !== null) throw new Error();
 * ```
 */
export function requestHeader(request: Request, name: string): string | null {
  const inner = serveInner(request);
  return inner === undefined ? request.headers.get(name) : inner.header(name);
}

/**
 * Whether {@linkcode requestHeader} reads this request's headers the fast
 * way (a `Deno.serve` request in a Deno whose internals it knows).
 *
 * @param request the request
 * @returns true when headers are read without exposing them
 */
export function readsHeadersDirectly(request: Request): boolean {
  return serveInner(request) !== undefined;
}
