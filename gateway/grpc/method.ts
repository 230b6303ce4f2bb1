/**
 * One gRPC method of Momento's `cache_client.Scs` service as kvolt runs it:
 * the catalogue operation it is, how its request message becomes that
 * operation's arguments, and how the operation's result becomes the response
 * message. Permission checks, limits, rate limits and the store call are not
 * here: the front end runs the operation through the same steps as the JSON
 * API (`json_api_run.ts`), so a method is only a translation.
 *
 * @module
 */

import { ErrorCode, KvoltError } from "../../protocol/errors.ts";
import type { OpArgs, OpName, OpResult } from "../../protocol/operations.ts";

/** A generated protobuf message (google-protobuf, `serialize()`). */
export interface Message {
  serialize(): Uint8Array;
}

/** One method: request to arguments, result to response. */
export interface GrpcMethod<K extends OpName> {
  /** The catalogue operation. */
  op: K;
  /** The operation's arguments; throws INVALID_ARGUMENT for a bad request. */
  // deno-lint-ignore no-explicit-any
  args(request: any): OpArgs<K>;
  /**
   * The response message for the operation's result; for a server-streaming
   * method (`GetBatch`, `SetBatch`), the messages of the stream.
   */
  response(result: OpResult<K>, args: OpArgs<K>): Message | Message[];
}

/** A method that is one of several operations, chosen by its request. */
export interface GrpcMethodChoice {
  // deno-lint-ignore no-explicit-any
  choose(request: any): GrpcMethod<OpName>;
}

/** Methods by their name in the service definition (`DictionaryGet`, ...). */
export type GrpcMethods = Record<string, GrpcMethod<OpName> | GrpcMethodChoice>;

/**
 * The method that serves a request.
 *
 * @param entry a method table's entry
 * @param request the decoded request
 * @returns the method (its operation and translations)
 */
export function methodFor(
  entry: GrpcMethod<OpName> | GrpcMethodChoice,
  request: unknown,
): GrpcMethod<OpName> {
  return "choose" in entry ? entry.choose(request) : entry;
}

/**
 * Declares a method with its operation's types checked.
 *
 * @param method the translation
 * @returns it, typed for a method table
 */
export function method<K extends OpName>(
  method: GrpcMethod<K>,
): GrpcMethod<OpName> {
  return method as unknown as GrpcMethod<OpName>;
}

/**
 * A collection write's TTL: Momento's SDKs always send one
 * (`ttl_milliseconds`, the client's default when the call gave none) and
 * `refresh_ttl`, which kvolt's arguments carry as they are.
 */
export function collectionTtl(
  request: { ttl_milliseconds: number; refresh_ttl: boolean },
): { ttlMs: number; refreshTtl: boolean } {
  return {
    ttlMs: positiveInteger(request.ttl_milliseconds, "ttl_milliseconds"),
    refreshTtl: request.refresh_ttl,
  };
}

/**
 * A positive integer field, or INVALID_ARGUMENT naming it.
 *
 * @param value the field's value (proto3 sends 0 for an unset field)
 * @param name the field's name, for the message
 */
export function positiveInteger(value: number, name: string): number {
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new KvoltError(
      ErrorCode.INVALID_ARGUMENT,
      `Invalid argument: ${name} must be a positive integer: received ${value}`,
    );
  }
  return value;
}

/**
 * A non-empty list of byte strings, or INVALID_ARGUMENT naming it (Momento
 * refuses an empty list of fields or elements).
 */
export function nonEmpty(values: Uint8Array[], name: string): Uint8Array[] {
  if (values.length === 0) {
    throw new KvoltError(
      ErrorCode.INVALID_ARGUMENT,
      `Invalid argument: ${name} must not be empty`,
    );
  }
  return values;
}

/** A generated `*LengthResponse` class: `found { length }` or `missing`. */
export interface LengthResponse {
  // each class types its own oneof; the builder below sets one case of it
  // deno-lint-ignore no-explicit-any
  new (data: any): Message;
  _Found: new (data: { length: number }) => object;
  _Missing: new () => object;
}

/**
 * The response of a length read: Momento's `found { length }`, or `missing`
 * for a Miss.
 *
 * @param response the method's response class
 * @param result the operation's result
 * @returns the response message
 */
export function lengthResponse(
  response: LengthResponse,
  result: { type: "Miss" } | { type: "Hit"; length: number },
): Message {
  return result.type === "Miss"
    ? new response({ missing: new response._Missing() })
    : new response({ found: new response._Found({ length: result.length }) });
}
