/**
 * The one place where kvolt error codes become HTTP statuses, and where every
 * error response is built (`{"error":{"code","message","cause"?}}`).
 *
 * @module
 */

import {
  errorBody,
  ErrorCode,
  KvoltError,
  LimitCause,
} from "../protocol/errors.ts";

const STATUS: Record<ErrorCode, number> = {
  INVALID_ARGUMENT_ERROR: 400,
  BAD_REQUEST_ERROR: 400,
  AUTHENTICATION_ERROR: 401,
  PERMISSION_ERROR: 403,
  NOT_FOUND_ERROR: 404,
  ALREADY_EXISTS_ERROR: 409,
  FAILED_PRECONDITION_ERROR: 412,
  LIMIT_EXCEEDED_ERROR: 429,
  CANCELLED_ERROR: 499,
  INTERNAL_SERVER_ERROR: 500,
  UNKNOWN_ERROR: 500,
  SERVER_UNAVAILABLE: 503,
  TIMEOUT_ERROR: 504,
};

/**
 * The HTTP status for an error: by code, except that size limits
 * (request_size, item_size, element_size) answer 413 rather than 429.
 *
 * @param err the error to answer
 * @returns an HTTP status code
 */
export function httpStatus(err: KvoltError): number {
  if (
    err.limit === LimitCause.REQUEST_SIZE ||
    err.limit === LimitCause.ITEM_SIZE ||
    err.limit === LimitCause.ELEMENT_SIZE
  ) {
    return 413;
  }
  return STATUS[err.code] ?? 500;
}

/**
 * The headers of every JSON answer. Response copies them, so one shared
 * object is safe (and saves an allocation per response).
 */
export const JSON_HEADERS = { "content-type": "application/json" };

/**
 * The JSON error response for a kvolt error.
 *
 * @param err the error to answer
 * @returns a response with the mapped status and the JSON error body
 */
export function errorResponse(err: KvoltError): Response {
  return new Response(JSON.stringify(errorBody(err)), {
    status: httpStatus(err),
    headers: JSON_HEADERS,
  });
}

/**
 * The 405 response for a known path asked with a method it does not serve.
 * There is no Momento code for this; it carries BAD_REQUEST_ERROR, status 405
 * and an `Allow` header.
 *
 * @param method the method that was asked
 * @param path the request path
 * @param allow the methods the path serves
 * @returns a JSON error response with status 405
 */
export function methodNotAllowed(
  method: string,
  path: string,
  allow: readonly string[],
): Response {
  const err = new KvoltError(
    ErrorCode.BAD_REQUEST,
    `Method not allowed: ${method} ${path}: allowed ${allow.join(", ")}`,
  );
  return new Response(JSON.stringify(errorBody(err)), {
    status: 405,
    headers: { ...JSON_HEADERS, allow: allow.join(", ") },
  });
}

/**
 * The response for any thrown value: a `KvoltError` is mapped; anything else
 * is logged and answered as a 500 INTERNAL_SERVER_ERROR without details.
 *
 * @param err whatever was thrown
 * @returns a JSON error response
 */
export function responseForThrown(err: unknown): Response {
  return errorResponse(kvoltErrorOf(err));
}

/**
 * A thrown value as the error to answer: a `KvoltError` as it is; anything
 * else is logged and becomes a bare INTERNAL_SERVER_ERROR.
 *
 * @param err whatever was thrown
 * @param where where it was thrown, for the log (e.g. `" in a pipeline"`)
 * @returns the error to answer
 */
export function kvoltErrorOf(err: unknown, where = ""): KvoltError {
  if (err instanceof KvoltError) return err;
  console.error(`kvolt gateway: unexpected error${where}:`, err);
  return new KvoltError(ErrorCode.INTERNAL_SERVER, "Internal server error");
}
