/**
 * The gateway's one fetch: every request passes the same steps, in one
 * function, in this order:
 *
 * 1. clock start (for `/metrics` and the access log, `observe.ts`);
 * 2. CORS preflight, answered here when origins are configured (`cors.ts`);
 * 3. the pre-router for `GET`/`DELETE /cache/{cache}` (`fast_path.ts`), else
 *    Hono's router;
 * 4. error mapping: anything thrown or rejected becomes its JSON error
 *    (`http_errors.ts`);
 * 5. drain: a refusal waits until the unread request body is drained
 *    (`drain.ts`: HTTP/2 clients would otherwise see a reset);
 * 6. CORS headers for an allowed origin;
 * 7. counting and the access-log line.
 *
 * A step that gets a synchronous Response stays synchronous: a hit served
 * from a local store costs no Promise.
 *
 * @module
 */

import { allowOrigin, type CorsOrigins, isAllowedOrigin } from "./cors.ts";
import { preflightAnswer } from "./cors.ts";
import type { DataHandlers } from "./data_routes.ts";
import { afterDrain } from "./drain.ts";
import { fastRoute } from "./fast_path.ts";
import { responseForThrown } from "./http_errors.ts";
import { type Observation, observer } from "./observe.ts";
import { requestHeader } from "./serve_request.ts";
import { isGrpcWeb } from "./grpc/web_frames.ts";

/** A fetch handler, as `Deno.serve` calls it. */
export type GatewayFetch = (
  request: Request,
  info?: unknown,
) => Response | Promise<Response>;

/** What {@linkcode composeFetch} composes. */
export interface FetchParts {
  /** Hono's own fetch (its router, `notFound` and `onError`). */
  route: (request: Request, env?: unknown) => Response | Promise<Response>;
  /** The GET and DELETE handlers of the pre-router. */
  data: DataHandlers;
  /** Largest unread body drained before a refusal is sent. */
  drainLimit: number;
  /** Allowed browser origins; none turns CORS off. */
  corsOrigins: CorsOrigins;
  /** Counters and the access log. */
  observation: Observation;
  /** Answers grpc-web requests (`gateway/grpc/web.ts`); without it they are routed like any other. */
  grpcWeb?: ((request: Request) => Promise<Response>) | undefined;
}

/**
 * Composes the gateway's fetch (see the module doc).
 *
 * @param parts the router, handlers and settings
 * @returns the fetch to serve
 */
export function composeFetch(parts: FetchParts): GatewayFetch {
  const { route, data, drainLimit, corsOrigins, grpcWeb } = parts;
  const cors = corsOrigins === "localhost" || corsOrigins.length > 0;
  const done = observer(parts.observation);

  const answer = (
    request: Request,
    info: unknown,
  ): Response | Promise<Response> => {
    let res: Response | Promise<Response>;
    if (grpcWeb !== undefined && request.method === "POST") {
      const type = requestHeader(request, "content-type");
      if (type !== null && isGrpcWeb(type)) {
        return grpcWeb(request).catch(responseForThrown);
      }
    }
    try {
      res = fastRoute(request, data) ?? route(request, info);
    } catch (err) {
      return afterDrain(request, responseForThrown(err), drainLimit);
    }
    if (res instanceof Promise) {
      return res.catch(responseForThrown).then((r) =>
        afterDrain(request, r, drainLimit)
      );
    }
    return afterDrain(request, res, drainLimit);
  };

  return (request, info) => {
    const start = performance.now();
    let res: Response | Promise<Response>;
    const origin = cors ? requestHeader(request, "origin") : null;
    if (origin === null) {
      res = answer(request, info);
    } else {
      const preflight = preflightAnswer(request, origin, corsOrigins);
      if (preflight !== undefined) {
        res = preflight;
      } else {
        res = answer(request, info);
        if (isAllowedOrigin(origin, corsOrigins)) {
          res = res instanceof Promise
            ? res.then((r) => allowOrigin(r, origin))
            : allowOrigin(res, origin);
        }
      }
    }
    return res instanceof Promise
      ? res.then((r) => done(request, info, r, start))
      : done(request, info, res, start);
  };
}
