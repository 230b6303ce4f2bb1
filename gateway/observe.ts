/**
 * The one wrapper that watches every request: times it, counts it in
 * `RequestStats` (for `/metrics`) and writes its access-log line when the
 * mode asks for one. It costs two clock reads, a label from the URL and a few
 * counter updates per request.
 *
 * @module
 */

import { accessLogLine, type AccessLogMode, shouldLog } from "./access_log.ts";
import { type RequestStats, routeOf } from "./request_stats.ts";

type Fetch = (
  request: Request,
  info?: unknown,
  ...rest: never[]
) => Response | Promise<Response>;

/** What {@linkcode withObservation} records into. */
export interface Observation {
  stats: RequestStats;
  accessLog: AccessLogMode;
  /** Where log lines go; default `console.log`. */
  log?: (line: string) => void;
}

/**
 * Wraps `fetch` so every answered request is counted and, per the access log
 * mode, logged.
 *
 * @param fetch the gateway's fetch
 * @param observation the counters and the log
 */
export function withObservation<F extends Fetch>(
  fetch: F,
  observation: Observation,
): F {
  const { stats, accessLog } = observation;
  const log = observation.log ?? ((line: string) => console.log(line));
  const done = (
    request: Request,
    info: unknown,
    res: Response,
    start: number,
  ): Response => {
    const ms = performance.now() - start;
    const label = routeOf(request.url, request.method);
    stats.record(label, res.status, ms / 1000);
    if (shouldLog(accessLog, res.status)) {
      log(accessLogLine(request, label, res.status, ms, remoteOf(info)));
    }
    return res;
  };
  const observed = (request: Request, info?: unknown, ...rest: never[]) => {
    const start = performance.now();
    const res = fetch(request, info, ...rest);
    return res instanceof Promise
      ? res.then((r) => done(request, info, r, start))
      : done(request, info, res, start);
  };
  return observed as F;
}

function remoteOf(info: unknown): string | undefined {
  const addr = (info as { remoteAddr?: { hostname?: unknown } } | undefined)
    ?.remoteAddr;
  return typeof addr?.hostname === "string" ? addr.hostname : undefined;
}
