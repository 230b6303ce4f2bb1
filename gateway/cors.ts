/**
 * CORS, so that browser apps on allowed origins can call the API with a
 * token. A step of the gateway's one fetch (`fetch.ts`) instead of Hono
 * middleware: a request without an `Origin` header (curl, SDKs, servers)
 * costs one header lookup and nothing else.
 *
 * - Preflight (`OPTIONS` with `Origin` and `Access-Control-Request-Method`):
 *   204 with the allowed methods and headers (`Authorization`,
 *   `Content-Type`) for an allowed origin; 403 PERMISSION_ERROR otherwise.
 * - Other requests from an allowed origin get `Access-Control-Allow-Origin`
 *   (the origin itself) and `Vary: Origin`; nothing is exposed beyond the
 *   CORS-safelisted response headers, and credentials (cookies) are not
 *   allowed: the token travels in `Authorization`.
 * - Requests from other origins are answered without CORS headers, so the
 *   browser withholds the answer.
 *
 * @example Allow localhost origins
 * ```ts
 * import { isAllowedOrigin } from "./cors.ts";
 * if (!isAllowedOrigin("http://localhost:5173", "localhost")) throw new Error("denied");
 * if (isAllowedOrigin("https://evil.example", "localhost")) throw new Error("allowed");
 * ```
 *
 * @module
 */

import { ErrorCode, KvoltError } from "../protocol/errors.ts";
import { errorResponse } from "./http_errors.ts";

/** Allowed origins: exact origins, or `"localhost"` for any loopback origin. */
export type CorsOrigins = readonly string[] | "localhost";

const LOOPBACK_ORIGIN =
  /^https?:\/\/(localhost|127\.0\.0\.1|\[::1\])(:[0-9]{1,5})?$/;

const ALLOW_METHODS = "GET, PUT, POST, DELETE";
// grpc-web (Momento's browser SDK) also sends its protocol's headers (the
// call's deadline as Grpc-Timeout on every call) and the cache's name as
// metadata
const ALLOW_HEADERS =
  "Authorization, Content-Type, Read-Concern, Cache, X-Grpc-Web, X-User-Agent, Grpc-Timeout, Agent, Runtime-Version";
/** How long a browser may cache a preflight answer, in seconds. */
const MAX_AGE = "600";

/**
 * True when `origin` is allowed.
 *
 * @param origin the request's `Origin` header
 * @param allowed the deployment's origins
 * @returns whether the origin may call the API
 */
export function isAllowedOrigin(origin: string, allowed: CorsOrigins): boolean {
  if (allowed === "localhost") return LOOPBACK_ORIGIN.test(origin);
  return allowed.includes(origin);
}

/**
 * The answer to a CORS preflight (`OPTIONS` with
 * `Access-Control-Request-Method`), or undefined for any other request.
 *
 * @param request the request
 * @param origin its `Origin` header
 * @param allowed the allowed origins
 * @returns 204 with the allowed methods and headers, 403 for an origin not
 * allowed, or undefined
 */
export function preflightAnswer(
  request: Request,
  origin: string,
  allowed: CorsOrigins,
): Response | undefined {
  if (
    request.method !== "OPTIONS" ||
    !request.headers.has("access-control-request-method")
  ) {
    return undefined;
  }
  return isAllowedOrigin(origin, allowed) ? preflight(origin) : denied(origin);
}

function preflight(origin: string): Response {
  return new Response(null, {
    status: 204,
    headers: {
      "access-control-allow-origin": origin,
      "access-control-allow-methods": ALLOW_METHODS,
      "access-control-allow-headers": ALLOW_HEADERS,
      "access-control-max-age": MAX_AGE,
      "vary": "Origin",
    },
  });
}

function denied(origin: string): Response {
  const res = errorResponse(
    new KvoltError(
      ErrorCode.PERMISSION,
      `Origin not allowed: ${origin.slice(0, 200)}`,
    ),
  );
  res.headers.set("vary", "Origin");
  return res;
}

/**
 * Marks a response as readable by `origin` (an allowed one).
 *
 * @param res the response
 * @param origin the request's origin
 * @returns the response, or a copy when its headers are immutable
 */
export function allowOrigin(res: Response, origin: string): Response {
  try {
    res.headers.set("access-control-allow-origin", origin);
    res.headers.append("vary", "Origin");
    return res;
  } catch {
    // Immutable headers (a response we did not build): copy it.
    const copy = new Response(res.body, res);
    copy.headers.set("access-control-allow-origin", origin);
    copy.headers.append("vary", "Origin");
    return copy;
  }
}
