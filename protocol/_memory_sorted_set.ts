/**
 * The reference model's sorted-set operations. Private to `memory_store.ts`.
 * Members live in a Map by value bytes; reads that need order sort a copy
 * (O(n log n)), which is fine for a model.
 *
 * Order: ascending score, ties by value bytes (unsigned lexicographic); DESC
 * is the exact reverse (ties by value bytes descending).
 *
 * @module
 */
import type { SortedSetOp } from "./operations.ts";
import {
  type Handlers,
  type MemoryItems,
  MISS,
  sliceBounds,
  type SortedSetEntry,
  SUCCESS,
} from "./_memory_items.ts";
import { byteKey, compareBytes } from "./bytes.ts";
import { logicalSize } from "./data_store.ts";
import { ErrorCode, KvoltError } from "./errors.ts";
import { addToUnion } from "./sorted_set_union.ts";
import type {
  OpName,
  ScoredValue,
  ScoreRange,
  SortOrder,
} from "./operations.ts";

const byScore = (a: ScoredValue, b: ScoredValue) =>
  a.score - b.score || compareBytes(a.value, b.value);

/** The members in `order` (shared objects: copy before returning). */
function ordered(set: SortedSetEntry, order?: SortOrder): ScoredValue[] {
  const all = [...set.members.values()].sort(byScore);
  return order === "DESC" ? all.reverse() : all;
}

const copy = (e: ScoredValue): ScoredValue => ({
  value: e.value.slice(),
  score: e.score,
});

/** True when the score is inside the range (missing bounds are unbounded). */
function inRange(score: number, r: ScoreRange): boolean {
  if (r.minScore !== undefined) {
    if (score < r.minScore || (r.minExclusive && score === r.minScore)) {
      return false;
    }
  }
  if (r.maxScore !== undefined) {
    if (score > r.maxScore || (r.maxExclusive && score === r.maxScore)) {
      return false;
    }
  }
  return true;
}

/** A finite score (-0 as 0), or the error for a non-finite one. */
function finite(op: OpName, score: number, code: "arg" | "result"): number {
  if (Number.isFinite(score)) return score + 0;
  throw code === "arg"
    ? new KvoltError(
      ErrorCode.INVALID_ARGUMENT,
      `Cannot run ${op}: scores and weights must be finite numbers: received ${score}`,
    )
    : new KvoltError(
      ErrorCode.FAILED_PRECONDITION,
      `Cannot run ${op}: the resulting score is not a finite float64`,
    );
}

/**
 * Sets the scores of members after checking the limits (nothing is created
 * for an empty list); a value given twice: the last score wins.
 */
function putScores(
  items: MemoryItems,
  cacheId: number,
  op: OpName,
  args: { key: Uint8Array; elements: ScoredValue[]; ttlMs: number },
  refreshTtl: boolean | undefined,
): void {
  const { key } = args;
  const existing = items.collection(cacheId, key, "SORTED_SET", op);
  const updates = new Map<string, ScoredValue>();
  for (const e of args.elements) {
    updates.set(byteKey(e.value), { value: e.value, score: e.score });
  }
  let size = existing?.size ?? 0;
  let length = existing?.members.size ?? 0;
  for (const [id, e] of updates) {
    e.score = finite(op, e.score, "arg");
    if (existing?.members.has(id) !== true) {
      size += logicalSize.sortedSet(e.value);
      length++;
    }
  }
  items.checkCollection(op, key, size, length);
  if (length === 0) return;
  const entry: SortedSetEntry = existing ??
    { type: "SORTED_SET", members: new Map(), size: 0, expiresAt: 0 };
  for (const [id, e] of updates) entry.members.set(id, copy(e));
  entry.size = size;
  entry.expiresAt = items.expiry(existing, { ttlMs: args.ttlMs, refreshTtl });
  if (existing === undefined) items.put(cacheId, key, entry);
}

/** The sorted-set operations. */
export const SORTED_SET_OPS: Handlers<SortedSetOp> = {
  sortedSetPutElements(items, cacheId, args) {
    putScores(items, cacheId, "sortedSetPutElements", args, args.refreshTtl);
    return SUCCESS;
  },
  sortedSetFetchByRank(items, cacheId, args) {
    const { key, order, startRank, endRank } = args;
    const set = items.collection(
      cacheId,
      key,
      "SORTED_SET",
      "sortedSetFetchByRank",
    );
    if (set === undefined) return MISS;
    const all = ordered(set, order);
    const [from, to] = sliceBounds(all.length, startRank, endRank);
    return { type: "Hit", elements: all.slice(from, to).map(copy) };
  },
  sortedSetFetchByScore(items, cacheId, args) {
    const op = "sortedSetFetchByScore";
    const set = items.collection(cacheId, args.key, "SORTED_SET", op);
    if (set === undefined) return MISS;
    const matching = ordered(set, args.order).filter((e) =>
      inRange(e.score, args)
    );
    const offset = Math.max(0, Math.trunc(args.offset ?? 0) || 0);
    const count = args.count === undefined
      ? matching.length
      : Math.max(0, Math.trunc(args.count) || 0);
    return {
      type: "Hit",
      elements: matching.slice(offset, offset + count).map(copy),
    };
  },
  sortedSetGetRank(items, cacheId, { key, value, order }) {
    const op = "sortedSetGetRank";
    const set = items.collection(cacheId, key, "SORTED_SET", op);
    const member = set?.members.get(byteKey(value));
    if (set === undefined || member === undefined) return MISS;
    let below = 0;
    for (const e of set.members.values()) if (byScore(e, member) < 0) below++;
    const rank = order === "DESC" ? set.members.size - 1 - below : below;
    return { type: "Hit", rank };
  },
  sortedSetGetScores(items, cacheId, { key, values }) {
    const op = "sortedSetGetScores";
    const set = items.collection(cacheId, key, "SORTED_SET", op);
    if (set === undefined) return MISS;
    return {
      type: "Hit",
      results: values.map((value) => {
        const member = set.members.get(byteKey(value));
        return member === undefined
          ? MISS
          : { type: "Hit", score: member.score };
      }),
    };
  },
  sortedSetIncrementScore(items, cacheId, args) {
    const op = "sortedSetIncrementScore";
    const set = items.collection(cacheId, args.key, "SORTED_SET", op);
    const old = set?.members.get(byteKey(args.value))?.score ?? 0;
    const score = finite(op, old + finite(op, args.amount, "arg"), "result");
    putScores(items, cacheId, op, {
      key: args.key,
      elements: [{ value: args.value, score }],
      ttlMs: args.ttlMs,
    }, args.refreshTtl);
    return { type: "Success", score };
  },
  sortedSetRemoveElements(items, cacheId, { key, values }) {
    const op = "sortedSetRemoveElements";
    const set = items.collection(cacheId, key, "SORTED_SET", op);
    if (set === undefined) return SUCCESS;
    for (const value of values) {
      if (set.members.delete(byteKey(value))) {
        set.size -= logicalSize.sortedSet(value);
      }
    }
    if (set.members.size === 0) items.remove(cacheId, key);
    return SUCCESS;
  },
  sortedSetLength(items, cacheId, { key }) {
    const set = items.collection(cacheId, key, "SORTED_SET", "sortedSetLength");
    return set === undefined ? MISS : { type: "Hit", length: set.members.size };
  },
  sortedSetLengthByScore(items, cacheId, args) {
    const op = "sortedSetLengthByScore";
    const set = items.collection(cacheId, args.key, "SORTED_SET", op);
    if (set === undefined) return MISS;
    let length = 0;
    for (const e of set.members.values()) if (inRange(e.score, args)) length++;
    return { type: "Hit", length };
  },
  sortedSetUnionStore(items, cacheId, args) {
    const op = "sortedSetUnionStore";
    const { key, sources } = args;
    const aggregate = args.aggregate ?? "SUM";
    items.collection(cacheId, key, "SORTED_SET", op); // type check only
    const union = new Map<string, ScoredValue>();
    for (const source of sources) {
      const weight = finite(op, source.weight, "arg");
      const set = items.collection(cacheId, source.key, "SORTED_SET", op);
      for (const [id, e] of set?.members ?? []) {
        addToUnion(union, id, e.value, e.score * weight, aggregate);
      }
    }
    let size = 0;
    for (const e of union.values()) {
      e.score = finite(op, e.score, "result");
      size += logicalSize.sortedSet(e.value);
    }
    items.checkCollection(op, key, size, union.size);
    if (union.size === 0) {
      items.remove(cacheId, key);
      return { type: "Success", length: 0 };
    }
    const members = new Map<string, ScoredValue>();
    for (const [id, e] of union) members.set(id, copy(e));
    items.put(cacheId, key, {
      type: "SORTED_SET",
      members,
      size,
      // The result is a new item: it always gets ttlMs (Momento's rule).
      expiresAt: items.now() + args.ttlMs,
    });
    return { type: "Success", length: members.size };
  },
};
