/**
 * Momento's cache data plane (`cache_client.Scs`) as grpc-js handlers: each
 * call is authenticated from its `authorization` metadata, addressed by its
 * `cache` metadata, translated to a catalogue operation (`scalars.ts`,
 * `dictionary.ts`, `list.ts`, `set.ts`, `sorted_set.ts`), and run through the
 * same steps as the JSON API (limits, permission, cache, rate limits:
 * `admitOp`, then the store), so both front ends answer alike.
 *
 * @module
 */

import type { Metadata } from "@grpc/grpc-js";
import { cache_client as pb } from "@gomomento/generated-types/dist/cacheclient.js";
import { ErrorCode, KvoltError } from "../../protocol/errors.ts";
import type { TokenClaims } from "../../protocol/claims.ts";
import { claimsOf } from "../auth.ts";
import { admitOp, opElements, type OpRunContext } from "../json_api_run.ts";
import type { TokenVerifier } from "../token_verifier.ts";
import { DICTIONARY_METHODS } from "./dictionary.ts";
import { LIST_METHODS } from "./list.ts";
import { type GrpcMethods, type Message, methodFor } from "./method.ts";
import { requestBytes } from "./request_bytes.ts";
import { SCALAR_METHODS } from "./scalars.ts";
import { SET_METHODS } from "./set.ts";
import { SORTED_SET_METHODS } from "./sorted_set.ts";
import { type GrpcError, grpcError } from "./status.ts";

/** Every `Scs` method kvolt serves, by name. */
export const SCS_METHODS: GrpcMethods = {
  ...SCALAR_METHODS,
  ...DICTIONARY_METHODS,
  ...LIST_METHODS,
  ...SET_METHODS,
  ...SORTED_SET_METHODS,
};

/** What the handlers need: the JSON API's context and the token verifier. */
export interface ScsContext extends OpRunContext {
  verifier: TokenVerifier;
}

/** The part of a grpc-js call the handlers read and write. */
interface Call {
  request: Message;
  metadata: Metadata;
  write(message: Message): unknown;
  end(): void;
  emit(event: "error", err: GrpcError): unknown;
}

type Callback = (err: GrpcError | null, value?: Message) => void;

/** One metadata value, or the error a missing one is. */
function metadataText(metadata: Metadata, name: string): string {
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
 * Runs one call: its messages (one, or a stream's), or the error thrown.
 *
 * @param ctx store, registry, limits, limiter and verifier
 * @param name the method's name
 * @param call the call
 * @returns the response message(s)
 */
export async function runScsCall(
  ctx: ScsContext,
  name: string,
  call: Pick<Call, "request" | "metadata">,
): Promise<Message | Message[]> {
  const entry = SCS_METHODS[name];
  if (entry === undefined) {
    throw new KvoltError(ErrorCode.BAD_REQUEST, `Unknown method: ${name}`);
  }
  const claims: TokenClaims = await claimsOf(
    ctx.verifier,
    metadataText(call.metadata, "authorization"),
  );
  const cacheName = metadataText(call.metadata, "cache");
  const method = methodFor(entry, call.request);
  const args = method.args(call.request);
  const cacheId = admitOp(ctx, claims, cacheName, method.op, args);
  ctx.limiter?.take(
    cacheName,
    opElements(method.op, args),
    requestBytes(call.request),
  );
  const result = await ctx.store.execute(cacheId, method.op, args);
  return method.response(result, args);
}

/**
 * The grpc-js handlers of every `Scs` method kvolt serves (methods left out
 * answer UNIMPLEMENTED, as grpc-js does for any method without a handler).
 *
 * @param ctx store, registry, limits, limiter and verifier
 * @returns handlers by method name, for `server.addService`
 */
export function scsHandlers(
  ctx: ScsContext,
): Record<string, (call: Call, callback?: Callback) => void> {
  const definition = pb.UnimplementedScsService.definition as Record<
    string,
    { responseStream: boolean }
  >;
  const handlers: Record<string, (call: Call, callback?: Callback) => void> =
    {};
  for (const name of Object.keys(SCS_METHODS)) {
    if (definition[name]?.responseStream) {
      handlers[name] = (call) => {
        runScsCall(ctx, name, call).then((out) => {
          for (const m of Array.isArray(out) ? out : [out]) call.write(m);
          call.end();
        }, (err) => call.emit("error", grpcError(err)));
      };
    } else {
      handlers[name] = (call, callback) => {
        runScsCall(ctx, name, call).then(
          (out) => callback!(null, Array.isArray(out) ? out[0] : out),
          (err) => callback!(grpcError(err)),
        );
      };
    }
  }
  return handlers;
}
