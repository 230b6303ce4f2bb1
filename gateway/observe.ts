/**
 * The step of the gateway's fetch (`fetch.ts`) that watches every request: times it, counts it in
 * `RequestStats` (for `/metrics`) and writes its access-log line when the
 * mode asks for one. It costs two clock reads, a label from the URL and a few
 * counter updates per request.
 *
 * @module
 */

import { accessLogLine, type AccessLogMode, shouldLog } from "./access_log.ts";
import { type RequestStats, routeOf } from "./request_stats.ts";

/** What the observation step needs. */
export interface Observation {
  /** Counters by route and status. */
  stats: RequestStats;
  /** Which requests are logged. */
  accessLog: AccessLogMode;
  /** Where log lines go; default `console.log`. */
  log?: (line: string) => void;
}

/**
 * What to do once a request is answered: count it by route and status, and
 * log it when the access log's mode asks.
 *
 * @param observation the counters and the access log's mode
 * @returns `done(request, info, response, start)`, which returns the response
 */
export function observer(
  observation: Observation,
): (request: Request, info: unknown, res: Response, start: number) => Response {
  const { stats, accessLog } = observation;
  const log = observation.log ?? ((line: string) => console.log(line));
  return (request, info, res, start) => {
    const ms = performance.now() - start;
    const label = routeOf(request.url, request.method);
    stats.record(label, res.status, ms / 1000);
    if (shouldLog(accessLog, res.status)) {
      log(accessLogLine(request, label, res.status, ms, remoteOf(info)));
    }
    return res;
  };
}

function remoteOf(info: unknown): string | undefined {
  const addr = (info as { remoteAddr?: { hostname?: unknown } } | undefined)
    ?.remoteAddr;
  return typeof addr?.hostname === "string" ? addr.hostname : undefined;
}
