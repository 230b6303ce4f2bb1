/**
 * From kvolt's error responses (`{"error":{"code","message","cause"?}}`, the
 * vocabulary of `protocol/errors.ts`) to sdk-core's `SdkError` classes, and
 * the one switch between returning an `Error` response and throwing
 * (`throwOnErrors`).
 *
 * @module
 */

import {
  AuthenticationError,
  BadRequestError,
  CacheAlreadyExistsError,
  CacheNotFoundError,
  CancelledError,
  FailedPreconditionError,
  InternalServerError,
  InvalidArgumentError,
  LimitExceededError,
  PermissionError,
  SdkError,
  ServerUnavailableError,
  TimeoutError,
  UnknownError,
  UnknownServiceError,
} from "./_sdk_core.ts";

type ErrorClass = new (message: string) => SdkError;

const BY_CODE: Record<string, ErrorClass> = {
  INVALID_ARGUMENT_ERROR: InvalidArgumentError,
  BAD_REQUEST_ERROR: BadRequestError,
  NOT_FOUND_ERROR: CacheNotFoundError,
  ALREADY_EXISTS_ERROR: CacheAlreadyExistsError,
  PERMISSION_ERROR: PermissionError,
  AUTHENTICATION_ERROR: AuthenticationError,
  TIMEOUT_ERROR: TimeoutError,
  CANCELLED_ERROR: CancelledError,
  SERVER_UNAVAILABLE: ServerUnavailableError,
  INTERNAL_SERVER_ERROR: InternalServerError,
  FAILED_PRECONDITION_ERROR: FailedPreconditionError,
  UNKNOWN_ERROR: UnknownError,
};

/** The error part of a kvolt error body. */
export interface WireError {
  code?: unknown;
  message?: unknown;
  cause?: unknown;
}

/**
 * The SdkError for a kvolt error body (or for a bare HTTP status when the
 * body is not kvolt's).
 *
 * @param error the `error` object of the body, if any
 * @param status the HTTP status (0 inside a pipeline result)
 * @returns the matching SdkError subclass
 */
export function sdkErrorFromWire(
  error: WireError | undefined,
  status: number,
): SdkError {
  const message = typeof error?.message === "string"
    ? error.message
    : `Unexpected response: HTTP ${status}`;
  const code = typeof error?.code === "string" ? error.code : undefined;
  if (code === "LIMIT_EXCEEDED_ERROR") {
    const cause = typeof error?.cause === "string" ? error.cause : undefined;
    const err = new LimitExceededError(
      message,
      undefined,
      { httpStatus: status },
      undefined,
      cause,
    );
    // sdk-core picks the wrapper ("Item size limit exceeded for this
    // account", ...) before it stores the cause, so the wrapper is always the
    // generic one; pick it again now that the cause is set, with sdk-core's
    // own mapping.
    const picked = err as unknown as { determineMessageWrapper(): string };
    (err as unknown as { _messageWrapper: string })._messageWrapper = picked
      .determineMessageWrapper();
    return err;
  }
  const Class = code !== undefined ? BY_CODE[code] : undefined;
  if (Class) return new Class(message);
  if (status === 502 || status === 503 || status === 504) {
    return new ServerUnavailableError(message);
  }
  return new UnknownServiceError(message);
}

/** Any thrown value as an SdkError (non-SdkErrors become UnknownError). */
export function asSdkError(err: unknown): SdkError {
  if (err instanceof SdkError) return err;
  return new UnknownError(err instanceof Error ? err.message : String(err));
}

/**
 * Returns error responses, or throws them when `throwOnErrors` is set
 * (sdk-core's `ICacheServiceErrorMapper.returnOrThrowError`, without gRPC).
 */
export class ErrorMapper {
  readonly #throwOnErrors: boolean;

  /** @param throwOnErrors throw SdkErrors instead of returning Error responses */
  constructor(throwOnErrors: boolean) {
    this.#throwOnErrors = throwOnErrors;
  }

  /**
   * The Error response for `err`, or throws the SdkError.
   *
   * @param err whatever was thrown
   * @param factory builds the operation's Error response
   */
  returnOrThrowError<T>(err: unknown, factory: (err: SdkError) => T): T {
    const sdkError = asSdkError(err);
    if (this.#throwOnErrors) throw sdkError;
    return factory(sdkError);
  }
}
