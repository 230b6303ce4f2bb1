/**
 * The one error vocabulary of kvolt, from the Wasm core to the SDK.
 *
 * Codes are Momento's SDK error codes; `LimitCause` names which limit was hit
 * (Momento's `LimitExceededMessageWrapper` causes). The HTTP status for each
 * code is decided in one place only: `gateway/http_errors.ts`.
 *
 * @module
 */

/** Momento's error codes, as they appear in `{"error":{"code"}}`. */
export const ErrorCode = {
  INVALID_ARGUMENT: "INVALID_ARGUMENT_ERROR",
  BAD_REQUEST: "BAD_REQUEST_ERROR",
  NOT_FOUND: "NOT_FOUND_ERROR",
  ALREADY_EXISTS: "ALREADY_EXISTS_ERROR",
  PERMISSION: "PERMISSION_ERROR",
  AUTHENTICATION: "AUTHENTICATION_ERROR",
  LIMIT_EXCEEDED: "LIMIT_EXCEEDED_ERROR",
  TIMEOUT: "TIMEOUT_ERROR",
  CANCELLED: "CANCELLED_ERROR",
  SERVER_UNAVAILABLE: "SERVER_UNAVAILABLE",
  INTERNAL_SERVER: "INTERNAL_SERVER_ERROR",
  FAILED_PRECONDITION: "FAILED_PRECONDITION_ERROR",
  UNKNOWN: "UNKNOWN_ERROR",
} as const;

/** One of {@linkcode ErrorCode}'s values. */
export type ErrorCode = typeof ErrorCode[keyof typeof ErrorCode];

/** Why a LIMIT_EXCEEDED_ERROR was raised (Momento's cause names). */
export const LimitCause = {
  OPERATIONS_RATE: "operations_rate_limit_exceeded",
  THROUGHPUT_RATE: "throughput_rate_limit_exceeded",
  REQUEST_SIZE: "request_size_limit_exceeded",
  ITEM_SIZE: "item_size_limit_exceeded",
  ELEMENT_SIZE: "element_size_limit_exceeded",
} as const;

/** One of {@linkcode LimitCause}'s values. */
export type LimitCause = typeof LimitCause[keyof typeof LimitCause];

/**
 * An error the caller is expected to handle: carries a Momento error code and,
 * for limits, the cause.
 *
 * @example Raise and inspect
 * ```ts
 * import { ErrorCode, KvoltError } from "./errors.ts";
 * const err = new KvoltError(ErrorCode.NOT_FOUND, "Cache not found: orders");
 * if (err.code !== "NOT_FOUND_ERROR") throw new Error("unexpected code");
 * ```
 */
export class KvoltError extends Error {
  /** Momento error code. */
  readonly code: ErrorCode;
  /** For LIMIT_EXCEEDED_ERROR: which limit. */
  readonly limit?: LimitCause;
  /** For other codes: a machine-readable cause, e.g. `EROFS /data/caches.json`. */
  readonly detail?: string;

  /**
   * @param code Momento error code
   * @param message sentence case, no final period, details after a colon
   * @param limit which limit was exceeded, for LIMIT_EXCEEDED_ERROR
   * @param detail the cause of another failure (answered as `cause`)
   */
  constructor(
    code: ErrorCode,
    message: string,
    limit?: LimitCause,
    detail?: string,
  ) {
    super(message);
    this.name = "KvoltError";
    this.code = code;
    if (limit !== undefined) this.limit = limit;
    if (detail !== undefined) this.detail = detail;
  }
}

/** The JSON body of every error response. */
export interface ErrorBody {
  error: { code: ErrorCode; message: string; cause?: LimitCause | string };
}

/** Builds the JSON error body for an error code. */
export function errorBody(err: KvoltError): ErrorBody {
  const body: ErrorBody = { error: { code: err.code, message: err.message } };
  const cause = err.limit ?? err.detail;
  if (cause !== undefined) body.error.cause = cause;
  return body;
}
