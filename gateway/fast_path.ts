/**
 * A pre-router for the hottest requests, `GET` and `DELETE /cache/{cache}`:
 * it sends them straight to the data handlers (`data_routes.ts`), skipping
 * Hono's router, `Context` and `HonoRequest`. Every other request, and any
 * cache path it does not recognise exactly (a `%` in it, a trailing slash,
 * another segment), goes to the app as before, so answers are the same with
 * or without it; errors are mapped by the same `responseForThrown`
 * (`fetch.ts` composes the steps).
 *
 * @module
 */

import type { DataHandlers } from "./data_routes.ts";

const PREFIX = "/cache/";

/**
 * The cache name of a URL whose path is exactly `/cache/{name}`, with a name
 * that needs no percent-decoding; undefined for any other URL.
 *
 * @param url an absolute request URL
 * @returns the cache name, or undefined
 *
 * @example
 * ```ts
 * import { fastCacheName } from "./fast_path.ts";
 * if (fastCacheName("http://h:1/cache/orders?key=k") !== "orders") throw new Error();
 * if (fastCacheName("http://h:1/cache/a%20b?key=k") !== undefined) throw new Error();
 * if (fastCacheName("http://h:1/v1/caches") !== undefined) throw new Error();
 * ```
 */
export function fastCacheName(url: string): string | undefined {
  // As Hono: the path starts at the first "/" after the scheme's "://".
  const start = url.indexOf("/", url.indexOf(":") + 3);
  if (start < 0 || !url.startsWith(PREFIX, start)) return undefined;
  const nameStart = start + PREFIX.length;
  let end = url.indexOf("?", nameStart);
  if (end < 0) end = url.length;
  if (end === nameStart) return undefined;
  for (let i = nameStart; i < end; i++) {
    const c = url.charCodeAt(i);
    if (c === 47 || c === 37) return undefined; // "/" or "%"
  }
  return url.slice(nameStart, end);
}

/**
 * The pre-router: the answer of `GET` or `DELETE /cache/{cache}` from the data
 * handlers, or undefined for any other request (Hono routes it).
 *
 * @param request the request
 * @param data the data handlers `addDataRoutes` returned
 * @returns the handler's answer (it may throw or reject), or undefined
 */
export function fastRoute(
  request: Request,
  data: DataHandlers,
): Response | Promise<Response> | undefined {
  const method = request.method;
  if (method !== "GET" && method !== "DELETE") return undefined;
  const name = fastCacheName(request.url);
  if (name === undefined) return undefined;
  return method === "GET"
    ? data.get(request, name)
    : data.delete(request, name);
}
