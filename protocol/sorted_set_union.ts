/**
 * `sortedSetUnionStore` beyond one store: the arithmetic of a union, shared by
 * the reference model and the router so both combine scores exactly alike,
 * and the router's union of sources that live on other stores than the
 * destination.
 *
 * @module
 */

import { ErrorCode, KvoltError } from "./errors.ts";
import { byteKey } from "./bytes.ts";
import type { OpArgs, OpResult } from "./operations.ts";
import type { Aggregate, ScoredValue } from "./operation_types.ts";
import type { MaybePromise, Store } from "./store.ts";

/**
 * Adds one weighted element to a union being built.
 *
 * @param union the union so far, by element identity
 * @param id the element's identity (its bytes as a string)
 * @param value the element's bytes, kept when it is new
 * @param weighted its score times its source's weight
 * @param aggregate how scores of one element combine
 *
 * @example
 * ```ts
 * import { addToUnion } from "./sorted_set_union.ts";
 * const union = new Map();
 * addToUnion(union, "a", Uint8Array.of(97), 2, "SUM");
 * addToUnion(union, "a", Uint8Array.of(97), 3, "SUM");
 * if (union.get("a").score !== 5) throw new Error();
 * ```
 */
export function addToUnion(
  union: Map<string, ScoredValue>,
  id: string,
  value: Uint8Array,
  weighted: number,
  aggregate: Aggregate,
): void {
  const prior = union.get(id);
  const score = prior === undefined
    ? weighted
    : aggregate === "MIN"
    ? Math.min(prior.score, weighted)
    : aggregate === "MAX"
    ? Math.max(prior.score, weighted)
    : prior.score + weighted;
  union.set(id, { value: prior?.value ?? value, score });
}

/**
 * `sortedSetUnionStore` when its keys may live on different stores
 * (`storeOf`): on one store it is that store's one atomic operation;
 * otherwise the sources are read from their stores, the union computed here
 * and the destination replaced on its store in two steps (delete, then put),
 * so readers may see it missing in between, and a union over the store's
 * limits leaves it deleted.
 */
export async function unionAcrossStores(
  storeOf: (key: Uint8Array) => Store,
  cacheId: number,
  args: OpArgs<"sortedSetUnionStore">,
): Promise<OpResult<"sortedSetUnionStore">> {
  const { key, sources } = args;
  const dest = storeOf(key);
  if (sources.every((s) => storeOf(s.key) === dest)) {
    return await dest.execute(cacheId, "sortedSetUnionStore", args);
  }
  const op = "sortedSetUnionStore";
  const union = new Map<string, ScoredValue>();
  const aggregate = args.aggregate ?? "SUM";
  await renamed(op, dest.execute(cacheId, "sortedSetLength", { key }));
  for (const source of sources) {
    const fetched = await renamed(
      op,
      storeOf(source.key).execute(cacheId, "sortedSetFetchByRank", {
        key: source.key,
      }),
    );
    if (fetched.type !== "Hit") continue;
    for (const e of fetched.elements) {
      const weighted = e.score * source.weight;
      addToUnion(union, byteKey(e.value), e.value.slice(), weighted, aggregate);
    }
  }
  for (const e of union.values()) {
    if (!Number.isFinite(e.score)) {
      throw new KvoltError(
        ErrorCode.FAILED_PRECONDITION,
        `Cannot run ${op}: a score of the result is not a finite number`,
      );
    }
  }
  await dest.execute(cacheId, "delete", { key });
  if (union.size === 0) return { type: "Success", length: 0 };
  await dest.execute(cacheId, "sortedSetPutElements", {
    key,
    elements: [...union.values()],
    ttlMs: args.ttlMs,
    refreshTtl: true,
  });
  return { type: "Success", length: union.size };
}

/** A store's type error for a step of a split union, told as the union's. */
async function renamed<T>(op: string, answer: MaybePromise<T>): Promise<T> {
  try {
    return await answer;
  } catch (err) {
    if (
      err instanceof KvoltError && err.code === ErrorCode.FAILED_PRECONDITION
    ) {
      throw new KvoltError(
        err.code,
        err.message.replace(/^Cannot run \w+/, `Cannot run ${op}`),
      );
    }
    throw err;
  }
}
