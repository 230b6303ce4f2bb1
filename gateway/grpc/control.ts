/**
 * Momento's control service (`control_client.ScsControl`): CreateCache,
 * DeleteCache, ListCaches and FlushCache, with the same rules as the HTTP
 * control routes (`control_routes.ts`): super-user keys only, the registry
 * validates names, deleting or flushing a cache drops its items through the
 * store. Its other methods (indexes, signing keys) answer UNIMPLEMENTED.
 *
 * @module
 */

import { control_client as pb } from "@gomomento/generated-types/dist/controlclient.js";
import type { CacheInfo, CacheRegistry, Store } from "../../protocol/store.ts";
import type { OpLimits } from "../../protocol/op_limits.ts";
import { requireSuperUser } from "../auth.ts";
import { existingCache } from "../control_routes.ts";
import type { TokenVerifier } from "../token_verifier.ts";
import { type Answer, callClaims, type Handler, handler } from "./handler.ts";
import type { Message } from "./method.ts";

/** What the control handlers need. */
export interface ControlContext {
  store: Pick<Store, "flush">;
  caches: CacheRegistry;
  verifier: TokenVerifier;
  limits: OpLimits;
}

/** A cache as ListCaches lists it; a limit kvolt does not set is 0. */
function cacheMessage(info: CacheInfo, limits: OpLimits): pb._Cache {
  return new pb._Cache({
    cache_name: info.name,
    cache_limits: new pb._CacheLimits({
      max_traffic_rate: info.limits?.opsPerSecond ?? 0,
      max_throughput_kbps: Math.floor(
        (info.limits?.bytesPerSecond ?? 0) / 1024,
      ),
      max_item_size_kb: Math.floor(limits.maxItemBytes / 1024),
      max_ttl_seconds: Math.floor(limits.maxTtlMs / 1000),
    }),
    // kvolt serves no topics
    topic_limits: new pb._TopicLimits({}),
  });
}

/**
 * The control handlers, by method name.
 *
 * @param ctx store, registry, verifier and limits
 * @returns handlers for `server.addService`
 */
export function controlHandlers(ctx: ControlContext): Record<string, Handler> {
  const { caches, store } = ctx;
  const superUser = (run: (request: never) => Promise<Message>): Handler => {
    const answer: Answer = async (call) => {
      requireSuperUser(await callClaims(ctx.verifier, call.metadata));
      return await run(call.request as never);
    };
    return handler(answer, false);
  };
  return {
    CreateCache: superUser(async (req: pb._CreateCacheRequest) => {
      await caches.create(req.cache_name);
      return new pb._CreateCacheResponse();
    }),
    DeleteCache: superUser(async (req: pb._DeleteCacheRequest) => {
      const info = await caches.delete(req.cache_name);
      await store.flush(info.id);
      return new pb._DeleteCacheResponse();
    }),
    // every cache in one page: kvolt has no more than a registry holds
    ListCaches: superUser(() =>
      Promise.resolve(
        new pb._ListCachesResponse({
          cache: caches.list().map((info) => cacheMessage(info, ctx.limits)),
          next_token: "",
        }),
      )
    ),
    FlushCache: superUser(async (req: pb._FlushCacheRequest) => {
      await store.flush(existingCache(caches, req.cache_name).id);
      return new pb._FlushCacheResponse();
    }),
  };
}
