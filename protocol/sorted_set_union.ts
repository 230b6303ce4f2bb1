/**
 * The arithmetic of `sortedSetUnionStore`, shared by the reference model and
 * the router's split union, so both combine scores exactly alike.
 *
 * @module
 */

import type { Aggregate, ScoredValue } from "./operation_types.ts";

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
