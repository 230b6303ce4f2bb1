/**
 * The access log: one JSON line per request, written after the answer. It
 * names the route, the operation and the cache, never a token (the query
 * string, where `token=` may be, is left out whole) and never a key or a
 * value.
 *
 * Modes: `errors` (the default: 5xx answers only, so that clients cannot fill
 * the log with their own mistakes), `all`, or `off`.
 *
 * @module
 */

import type { RouteLabel } from "./request_stats.ts";

/** Which requests are logged. */
export type AccessLogMode = "off" | "errors" | "all";

/** The access log modes, for flag parsing. */
export const ACCESS_LOG_MODES: readonly AccessLogMode[] = [
  "off",
  "errors",
  "all",
];

/** One logged request. */
export interface AccessLogEntry {
  /** ISO time of the answer. */
  time: string;
  method: string;
  route: string;
  op: string;
  /** The cache named in the path, if any. */
  cache?: string;
  status: number;
  /** Milliseconds from the head to the answer. */
  ms: number;
  /** The client's address, when known. */
  remote?: string;
}

/**
 * True when `mode` logs an answer of `status`.
 *
 * @param mode the log mode
 * @param status the HTTP status
 */
export function shouldLog(mode: AccessLogMode, status: number): boolean {
  return mode === "all" || (mode === "errors" && status >= 500);
}

/**
 * The log line for one request.
 *
 * @param request the request (only its method and path are read)
 * @param label its route and operation
 * @param status the answer's status
 * @param ms time to answer
 * @param remote the client's address, if known
 *
 * @example No query string, no token
 * ```ts
 * import { accessLogLine } from "./access_log.ts";
 * const line = accessLogLine(
 *   new Request("http://h/cache/orders?key=k&token=secret"),
 *   { route: "cache_item", op: "get" }, 404, 0.2,
 * );
 * if (line.includes("secret") || !line.includes('"cache":"orders"')) throw new Error(line);
 * ```
 */
export function accessLogLine(
  request: Request,
  label: RouteLabel,
  status: number,
  ms: number,
  remote?: string,
): string {
  const entry: AccessLogEntry = {
    time: new Date().toISOString(),
    method: request.method,
    route: label.route,
    op: label.op,
    status,
    ms: Math.round(ms * 1000) / 1000,
  };
  const cache = cacheOf(request.url);
  if (cache !== undefined) entry.cache = cache;
  if (remote !== undefined) entry.remote = remote;
  return JSON.stringify(entry);
}

function cacheOf(url: string): string | undefined {
  const start = url.indexOf("/", url.indexOf(":") + 3);
  if (start < 0) return undefined;
  let end = url.indexOf("?", start);
  if (end < 0) end = url.length;
  const parts = url.slice(start, end).split("/");
  // /cache/{cache} and /v1/cache/{cache}/{op} and /v1/caches/{cache}
  const at = parts[1] === "cache"
    ? 2
    : parts[1] === "v1" && (parts[2] === "cache" || parts[2] === "caches")
    ? 3
    : -1;
  const name = at > 0 ? parts[at] : undefined;
  if (name === undefined || name === "") return undefined;
  try {
    return decodeURIComponent(name).slice(0, 255);
  } catch {
    return undefined;
  }
}
