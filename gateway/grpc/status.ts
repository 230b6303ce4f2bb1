/**
 * kvolt's errors as gRPC statuses, the way Momento's server answers them:
 * Momento's SDKs turn the status code into their error types
 * (`cache-service-error-mapper`), and read a LIMIT_EXCEEDED_ERROR's cause
 * from the `err` metadata. The one table of that mapping.
 *
 * @module
 */

import { Metadata, status } from "@grpc/grpc-js";
import { ErrorCode, KvoltError, LimitCause } from "../../protocol/errors.ts";

/** The gRPC status for each error code. */
export const GRPC_STATUS: Readonly<Record<ErrorCode, status>> = {
  [ErrorCode.INVALID_ARGUMENT]: status.INVALID_ARGUMENT,
  // Momento's SDKs raise BadRequestError for OUT_OF_RANGE
  [ErrorCode.BAD_REQUEST]: status.OUT_OF_RANGE,
  [ErrorCode.NOT_FOUND]: status.NOT_FOUND,
  [ErrorCode.ALREADY_EXISTS]: status.ALREADY_EXISTS,
  [ErrorCode.PERMISSION]: status.PERMISSION_DENIED,
  [ErrorCode.AUTHENTICATION]: status.UNAUTHENTICATED,
  [ErrorCode.LIMIT_EXCEEDED]: status.RESOURCE_EXHAUSTED,
  [ErrorCode.TIMEOUT]: status.DEADLINE_EXCEEDED,
  [ErrorCode.CANCELLED]: status.CANCELLED,
  [ErrorCode.SERVER_UNAVAILABLE]: status.UNAVAILABLE,
  [ErrorCode.INTERNAL_SERVER]: status.INTERNAL,
  [ErrorCode.FAILED_PRECONDITION]: status.FAILED_PRECONDITION,
  [ErrorCode.UNKNOWN]: status.UNKNOWN,
};

/**
 * What a limit's status details start with. Momento's Node SDK (1.118)
 * computes a LimitExceededError's message before it reads the `err`
 * metadata, so it names the limit from these words in the details
 * ("operations", "throughput", "request limit", "item size", "element
 * size"), as Momento's own server words them.
 */
const LIMIT_DETAILS: Readonly<Record<LimitCause, string>> = {
  [LimitCause.OPERATIONS_RATE]: "Too many operations",
  [LimitCause.THROUGHPUT_RATE]: "Throughput limit exceeded",
  [LimitCause.REQUEST_SIZE]: "Request limit exceeded",
  [LimitCause.ITEM_SIZE]: "Item size limit exceeded",
  [LimitCause.ELEMENT_SIZE]: "Element size limit exceeded",
};

/** A gRPC error as grpc-js handlers pass it to their callback. */
export interface GrpcError {
  code: status;
  details: string;
  metadata?: Metadata;
}

/**
 * The gRPC error for anything a handler threw: a KvoltError keeps its code
 * and message (and its limit cause as `err`); anything else is logged and
 * answered INTERNAL without its details.
 *
 * @param err what was thrown
 * @returns the error to answer
 */
export function grpcError(err: unknown): GrpcError {
  if (!(err instanceof KvoltError)) {
    console.error("grpc: unexpected error", err);
    return { code: status.INTERNAL, details: "Internal server error" };
  }
  const out: GrpcError = { code: GRPC_STATUS[err.code], details: err.message };
  if (err.limit !== undefined) {
    out.details = `${LIMIT_DETAILS[err.limit]}: ${err.message}`;
    out.metadata = new Metadata();
    out.metadata.set("err", err.limit);
  }
  return out;
}
