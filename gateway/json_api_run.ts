/**
 * One operation of the JSON API, from its JSON arguments to its JSON result:
 * the steps the single-operation route and each entry of a pipeline share.
 *
 * Order: operation known (404), arguments' shape (400), limits (400/413),
 * permission (403), cache (404), rate limits (429), store. A missing key is
 * never an error: it is the operation's Miss result.
 *
 * @module
 */

import type { TokenClaims } from "../protocol/claims.ts";
import { ErrorCode, KvoltError } from "../protocol/errors.ts";
import {
  type OpArgs,
  OPERATIONS,
  type OpName,
} from "../protocol/operations.ts";
import type { CacheRegistry, MaybePromise, Store } from "../protocol/store.ts";
import { parseOpArgs } from "./json_api_args.ts";
import { checkOpLimits, type OpLimits } from "../protocol/op_limits.ts";
import { authorizeOp } from "./permissions.ts";
import { toWire } from "../protocol/wire_bytes.ts";

/** Per-cache rate limits (`rate_limits.ts` `RateLimiter` is one). */
export interface OpLimiter {
  /**
   * Takes `ops` operations and `bytes` bytes from the cache's buckets.
   * Throws LIMIT_EXCEEDED_ERROR (429) when either is empty.
   */
  take(cacheName: string, ops: number, bytes: number): void;
  /**
   * Takes both amounts only when the buckets hold them in full; returns
   * whether it did (nothing taken when not). The pipeline uses it to count a
   * run of gets at once, and takes one by one when it refuses.
   */
  takeAll(cacheName: string, ops: number, bytes: number): boolean;
}

/** What running an operation needs. */
export interface OpRunContext {
  store: Store;
  caches: Pick<CacheRegistry, "lookup">;
  limits: OpLimits;
  limiter?: OpLimiter | undefined;
}

/**
 * True when `name` is an operation of the catalogue.
 *
 * @param name a name from a path or a pipeline entry
 * @returns whether it names an operation
 */
export function isOpName(name: string): name is OpName {
  return Object.hasOwn(OPERATIONS, name);
}

/**
 * Runs one operation.
 *
 * @param ctx store, registry, limits and limiter
 * @param claims the caller's verified claims
 * @param cacheName the cache addressed
 * @param opName the operation's name, as given
 * @param json its arguments, as parsed JSON
 * @param bytes the request bytes to count against the throughput limit
 * @returns the result, JSON-ready (bytes as WireBytes), or a Promise of it
 * when the store answered with one
 * @throws {KvoltError} for every expected failure (see the module doc)
 *
 * @example Set, then get, as a super-user
 * ```ts
 * import { MemoryStore } from "../protocol/memory_store.ts";
 * import { DEFAULT_OP_LIMITS } from "../protocol/op_limits.ts";
 * import { runOp } from "./json_api_run.ts";
 * const info = { name: "c", id: 1, createdAt: "" };
 * const ctx = {
 *   store: new MemoryStore(),
 *   caches: { lookup: (n: string) => n === "c" ? info : undefined },
 *   limits: DEFAULT_OP_LIMITS,
 * };
 * const claims = { sub: "admin", p: "superuser" as const };
 * runOp(ctx, claims, "c", "set", { key: "k", value: "v", ttlMs: 1000 }, 40);
 * const got = runOp(ctx, claims, "c", "get", { key: "k" }, 12);
 * if ((got as { value?: string }).value !== "v") throw new Error("not stored");
 * ```
 */
export function runOp(
  ctx: OpRunContext,
  claims: TokenClaims,
  cacheName: string,
  opName: string,
  json: unknown,
  bytes: number,
): MaybePromise<unknown> {
  if (!isOpName(opName)) {
    throw new KvoltError(
      ErrorCode.NOT_FOUND,
      `Unknown operation: ${clip(opName)}`,
    );
  }
  const args = parseOpArgs(opName, json);
  const cacheId = admitOp(ctx, claims, cacheName, opName, args);
  if (ctx.limiter !== undefined) {
    ctx.limiter.take(cacheName, opElements(opName, args), bytes);
  }
  const result = ctx.store.execute(cacheId, opName, args);
  return result instanceof Promise ? result.then(toWire) : toWire(result);
}

/**
 * The steps of {@linkcode runOp} between parsing and the rate limits:
 * limits, permission, cache. The pipeline runs them per entry, then rate
 * limits and reads its `get`s in batches (`pipeline_gets.ts`).
 *
 * @typeParam K the operation
 * @param ctx registry and limits
 * @param claims the caller's verified claims
 * @param cacheName the cache addressed
 * @param op the operation
 * @param args its parsed arguments
 * @returns the cache's id
 * @throws {KvoltError} as {@linkcode runOp}
 */
export function admitOp<K extends OpName>(
  ctx: Pick<OpRunContext, "caches" | "limits">,
  claims: TokenClaims,
  cacheName: string,
  op: K,
  args: OpArgs<K>,
): number {
  checkOpLimits(op, args, ctx.limits);
  authorizeOp(claims, cacheName, op, args);
  const cache = ctx.caches.lookup(cacheName);
  if (cache === undefined) {
    throw new KvoltError(
      ErrorCode.NOT_FOUND,
      `Cache not found: ${clip(cacheName)}`,
    );
  }
  return cache.id;
}

/**
 * What an operation counts against the operations rate limit.
 *
 * @param op the operation
 * @param args its parsed arguments
 * @returns `OPERATIONS[op].elements(args)`
 */
export function opElements<K extends OpName>(op: K, args: OpArgs<K>): number {
  return OPERATIONS[op].elements(args as unknown as Record<string, unknown>);
}

function clip(text: string): string {
  return text.length > 64 ? `${text.slice(0, 64)}...` : text;
}
