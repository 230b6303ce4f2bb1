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

import { cache_client as pb } from "@gomomento/generated-types/dist/cacheclient.js";
import { ErrorCode, KvoltError } from "../../protocol/errors.ts";
import type { TokenClaims } from "../../protocol/claims.ts";
import type { Store } from "../../protocol/store.ts";
import { admitOp, opElements, type OpRunContext } from "../json_api_run.ts";
import type { TokenVerifier } from "../token_verifier.ts";
import { DICTIONARY_METHODS } from "./dictionary.ts";
import { LIST_METHODS } from "./list.ts";
import { type GrpcMethods, type Message, methodFor } from "./method.ts";
import { SCALAR_METHODS } from "./scalars.ts";
import { SET_METHODS } from "./set.ts";
import { SORTED_SET_METHODS } from "./sorted_set.ts";
import {
  type Answer,
  callClaims,
  type Handler,
  handler,
  metadataText,
} from "./handler.ts";

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
  /**
   * On a cluster node, the store for calls whose `read-concern` metadata is
   * `consistent` (reads from the slot's primary); `store` serves the rest
   * (Momento's BALANCED, the nearest owner).
   */
  consistentStore?: Store | undefined;
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
  call: Parameters<Answer>[0],
): Promise<Message | Message[]> {
  const entry = SCS_METHODS[name];
  if (entry === undefined) {
    throw new KvoltError(ErrorCode.BAD_REQUEST, `Unknown method: ${name}`);
  }
  const claims: TokenClaims = await callClaims(ctx.verifier, call.metadata);
  const cacheName = metadataText(call.metadata, "cache");
  const method = methodFor(entry, call.request);
  const args = method.args(call.request);
  const cacheId = admitOp(ctx, claims, cacheName, method.op, args);
  ctx.limiter?.take(
    cacheName,
    opElements(method.op, args),
    call.requestBytes,
  );
  const store = ctx.consistentStore !== undefined &&
      String(call.metadata.get("read-concern")[0]).toLowerCase() ===
        "consistent"
    ? ctx.consistentStore
    : ctx.store;
  const result = await store.execute(cacheId, method.op, args);
  return method.response(result, args);
}

/**
 * The grpc-js handlers of every `Scs` method kvolt serves (methods left out
 * answer UNIMPLEMENTED, as grpc-js does for any method without a handler).
 *
 * @param ctx store, registry, limits, limiter and verifier
 * @returns handlers by method name, for `server.addService`
 */
export function scsHandlers(ctx: ScsContext): Record<string, Handler> {
  const definition = pb.UnimplementedScsService.definition as Record<
    string,
    { responseStream: boolean }
  >;
  return Object.fromEntries(
    Object.keys(SCS_METHODS).map((name) => [
      name,
      handler(
        (call) => runScsCall(ctx, name, call),
        definition[name]?.responseStream === true,
      ),
    ]),
  );
}
