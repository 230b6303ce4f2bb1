/**
 * The grpc-js handler shapes kvolt's gRPC services share: a call's metadata,
 * a unary handler and a server-streaming handler around a function that
 * answers with messages or throws a KvoltError (answered as its gRPC status,
 * `status.ts`). The grpc-web transport (`web.ts`) calls the same handlers.
 *
 * @module
 */

import type { Metadata } from "@grpc/grpc-js";
import type { TokenClaims } from "../../protocol/claims.ts";
import { ErrorCode, KvoltError } from "../../protocol/errors.ts";
import { claimsOf } from "../auth.ts";
import type { TokenVerifier } from "../token_verifier.ts";
import type { Message } from "./method.ts";
import { type GrpcError, grpcError } from "./status.ts";

/** The part of a grpc-js call the handlers read and write. */
export interface Call {
  request: Message;
  metadata: Metadata;
  /** The request's size on the wire (the throughput limit counts it). */
  requestBytes: number;
  write(message: Message): unknown;
  end(): void;
  emit(event: "error", err: GrpcError): unknown;
}

/** A unary handler's callback. */
export type Callback = (err: GrpcError | null, value?: Message) => void;

/** A grpc-js handler, unary or server-streaming. */
export type Handler = (call: Call, callback?: Callback) => void;

/** What a call is answered with: one message, or a stream's messages. */
export type Answer = (
  call: Pick<Call, "request" | "metadata" | "requestBytes">,
) => Promise<Message | Message[]>;

/**
 * One metadata value, or the error its absence is: AUTHENTICATION for a
 * missing `authorization`, INVALID_ARGUMENT for anything else.
 *
 * @param metadata the call's metadata
 * @param name the key
 * @returns its first value
 */
export function metadataText(metadata: Metadata, name: string): string {
  const value = metadata.get(name)[0];
  if (typeof value === "string" && value !== "") return value;
  throw name === "authorization"
    ? new KvoltError(
      ErrorCode.AUTHENTICATION,
      "Missing token: give it in the authorization metadata",
    )
    : new KvoltError(
      ErrorCode.INVALID_ARGUMENT,
      `Invalid argument: the ${name} metadata is required`,
    );
}

/**
 * The verified claims of a call's `authorization` metadata.
 *
 * @param verifier the gateway's verifier
 * @param metadata the call's metadata
 * @returns the claims, synchronously when the token is known
 * @throws {KvoltError} AUTHENTICATION without a valid token
 */
export function callClaims(
  verifier: TokenVerifier,
  metadata: Metadata,
): TokenClaims | Promise<TokenClaims> {
  return claimsOf(verifier, metadataText(metadata, "authorization"));
}

/**
 * A grpc-js handler for `answer`.
 *
 * @param answer the call's answer
 * @param streaming true for a server-streaming method
 * @returns the handler
 */
export function handler(answer: Answer, streaming: boolean): Handler {
  if (streaming) {
    return (call) => {
      answer(call).then((out) => {
        for (const m of Array.isArray(out) ? out : [out]) call.write(m);
        call.end();
      }, (err) => call.emit("error", grpcError(err)));
    };
  }
  return (call, callback) => {
    answer(call).then(
      (out) => callback!(null, Array.isArray(out) ? out[0] : out),
      (err) => callback!(grpcError(err)),
    );
  };
}
