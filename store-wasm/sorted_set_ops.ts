/**
 * The sorted-set operations of `ShardHost.execute`: one call each into the
 * core's skiplists (collection_codec.ts has the byte formats), except
 * `sortedSetUnionStore`, computed here from fetched sources and written with
 * one put.
 *
 * @module
 */
import type { SortedSetOp } from "../protocol/operations.ts";
import { ErrorCode, KvoltError } from "../protocol/errors.ts";
import { logicalSize } from "../protocol/data_store.ts";
import type {
  OpName,
  ScoredValue,
  ScoreRange,
} from "../protocol/operations.ts";
import { Flag, Op } from "./_abi.ts";
import {
  call,
  type Handlers,
  MISS,
  missed,
  type ShardAccess,
  SUCCESS,
  ttlOf,
} from "./_op_context.ts";
import {
  byteKey,
  decodeScored,
  decodeScores,
  encodeScored,
  encodeValues,
  lastWins,
} from "./collection_codec.ts";
import { collectionError } from "./core_errors.ts";
import { Status } from "./_abi.ts";

/** A finite score (-0 as 0), or INVALID_ARGUMENT_ERROR. */
function finite(op: OpName, score: number): number {
  if (Number.isFinite(score)) return score + 0;
  throw new KvoltError(
    ErrorCode.INVALID_ARGUMENT,
    `Cannot run ${op}: scores and weights must be finite numbers: received ${score}`,
  );
}

const desc = (order: string | undefined) => order === "DESC" ? Flag.FRONT : 0;

/** The request fields of a score range. */
function range(r: ScoreRange, flags: number) {
  return {
    x: r.minScore ?? -Infinity,
    y: r.maxScore ?? Infinity,
    flags: flags | (r.minExclusive ? Flag.MIN_EXCLUSIVE : 0) |
      (r.maxExclusive ? Flag.MAX_EXCLUSIVE : 0),
  };
}

function fetchAll(
  s: ShardAccess,
  cacheId: number,
  key: Uint8Array,
  op: OpName,
): ScoredValue[] | undefined {
  const res = call(s, cacheId, {
    op,
    type: "SORTED_SET",
    core: Op.ZSET_BY_RANK,
    key,
  });
  return missed(res) ? undefined : decodeScored(res.data);
}

/** Throws the wrong-type error first, as the reference model does, then the score's. */
function finiteAfterTypeCheck(
  s: ShardAccess,
  cacheId: number,
  op: OpName,
  key: Uint8Array,
  score: number,
): number {
  if (!Number.isFinite(score)) {
    call(s, cacheId, {
      op,
      type: "SORTED_SET",
      core: Op.LENGTH,
      key,
      req: { a: 4 },
    });
  }
  return finite(op, score);
}

function put(
  s: ShardAccess,
  cacheId: number,
  op: OpName,
  args: {
    key: Uint8Array;
    elements: ScoredValue[];
    ttlMs: number;
    refreshTtl?: boolean;
  },
): void {
  const elements = lastWins(args.elements, (e) => e.value).map((e) => ({
    value: e.value,
    score: finiteAfterTypeCheck(s, cacheId, op, args.key, e.score),
  }));
  call(s, cacheId, {
    op,
    type: "SORTED_SET",
    core: Op.ZSET_PUT,
    key: args.key,
    payload: encodeScored(elements),
    req: ttlOf(args),
  });
}

function combine(aggregate: string, prior: number, next: number): number {
  if (aggregate === "MIN") return Math.min(prior, next);
  if (aggregate === "MAX") return Math.max(prior, next);
  return prior + next;
}

/** The sorted-set operations. */
export const SORTED_SET_OPS: Handlers<SortedSetOp> = {
  sortedSetPutElements(s, cacheId, args) {
    put(s, cacheId, "sortedSetPutElements", args);
    return SUCCESS;
  },
  sortedSetFetchByRank(s, cacheId, args) {
    const res = call(s, cacheId, {
      op: "sortedSetFetchByRank",
      type: "SORTED_SET",
      core: Op.ZSET_BY_RANK,
      key: args.key,
      req: {
        x: args.startRank ?? NaN,
        y: args.endRank ?? NaN,
        flags: desc(args.order),
      },
    });
    return missed(res)
      ? MISS
      : { type: "Hit", elements: decodeScored(res.data) };
  },
  sortedSetFetchByScore(s, cacheId, args) {
    const offset = Math.max(0, Math.trunc(args.offset ?? 0) || 0);
    const count = args.count === undefined
      ? -1
      : Math.max(0, Math.trunc(args.count) || 0);
    const res = call(s, cacheId, {
      op: "sortedSetFetchByScore",
      type: "SORTED_SET",
      core: Op.ZSET_BY_SCORE,
      key: args.key,
      req: {
        ...range(args, desc(args.order)),
        a: Math.min(offset, 0xffff_ffff),
        b: Math.min(count, 0x7fff_ffff),
      },
    });
    return missed(res)
      ? MISS
      : { type: "Hit", elements: decodeScored(res.data) };
  },
  sortedSetGetRank(s, cacheId, { key, value, order }) {
    const res = call(s, cacheId, {
      op: "sortedSetGetRank",
      type: "SORTED_SET",
      core: Op.ZSET_RANK,
      key,
      payload: value,
      req: { flags: desc(order) },
    });
    return missed(res) ? MISS : { type: "Hit", rank: res.count };
  },
  sortedSetGetScores(s, cacheId, { key, values }) {
    const res = call(s, cacheId, {
      op: "sortedSetGetScores",
      type: "SORTED_SET",
      core: Op.ZSET_SCORES,
      key,
      payload: encodeValues(values),
    });
    if (missed(res)) return MISS;
    return {
      type: "Hit",
      results: decodeScores(res.data).map((score) =>
        score === undefined ? MISS : { type: "Hit" as const, score }
      ),
    };
  },
  sortedSetIncrementScore(s, cacheId, args) {
    const op = "sortedSetIncrementScore";
    const res = call(s, cacheId, {
      op,
      type: "SORTED_SET",
      core: Op.ZSET_INCREMENT,
      key: args.key,
      payload: args.value,
      req: {
        ...ttlOf(args),
        x: finiteAfterTypeCheck(s, cacheId, op, args.key, args.amount),
      },
    });
    return { type: "Success", score: res.float + 0 };
  },
  sortedSetRemoveElements(s, cacheId, { key, values }) {
    call(s, cacheId, {
      op: "sortedSetRemoveElements",
      type: "SORTED_SET",
      core: Op.ZSET_REMOVE,
      key,
      payload: encodeValues(values),
    });
    return SUCCESS;
  },
  sortedSetLength(s, cacheId, { key }) {
    const res = call(s, cacheId, {
      op: "sortedSetLength",
      type: "SORTED_SET",
      core: Op.LENGTH,
      key,
      req: { a: 4 },
    });
    return missed(res) ? MISS : { type: "Hit", length: res.count };
  },
  sortedSetLengthByScore(s, cacheId, args) {
    const res = call(s, cacheId, {
      op: "sortedSetLengthByScore",
      type: "SORTED_SET",
      core: Op.ZSET_COUNT_BY_SCORE,
      key: args.key,
      req: range(args, 0),
    });
    return missed(res) ? MISS : { type: "Hit", length: res.count };
  },
  sortedSetUnionStore(s, cacheId, args) {
    const op = "sortedSetUnionStore";
    const aggregate = args.aggregate ?? "SUM";
    fetchAll(s, cacheId, args.key, op); // type check only: the key is not a source
    const union = new Map<string, ScoredValue>();
    for (const source of args.sources) {
      const weight = finite(op, source.weight);
      for (const e of fetchAll(s, cacheId, source.key, op) ?? []) {
        const id = byteKey(e.value);
        const weighted = e.score * weight;
        const prior = union.get(id);
        union.set(id, {
          value: e.value,
          score: prior === undefined
            ? weighted
            : combine(aggregate, prior.score, weighted),
        });
      }
    }
    let size = 0;
    for (const e of union.values()) {
      if (!Number.isFinite(e.score)) {
        throw collectionError(Status.NOT_FINITE, {
          op,
          wanted: "SORTED_SET",
          found: 4,
          maxItemBytes: s.limits.maxItemBytes,
          maxCollectionLength: s.limits.maxCollectionLength,
        });
      }
      e.score += 0;
      size += logicalSize.sortedSet(e.value);
    }
    const { maxItemBytes, maxCollectionLength } = s.limits;
    const status = union.size > maxCollectionLength
      ? Status.LIMIT_COUNT
      : args.key.length + size > maxItemBytes
      ? Status.LIMIT_SIZE
      : 0;
    if (status !== 0) {
      throw collectionError(status, {
        op,
        wanted: "SORTED_SET",
        found: 4,
        maxItemBytes,
        maxCollectionLength,
      });
    }
    s.shard(cacheId, args.key).delete(s.storedKey(cacheId, args.key));
    // the result is a new item: it always gets ttlMs (Momento's rule)
    put(s, cacheId, op, {
      key: args.key,
      elements: [...union.values()],
      ttlMs: args.ttlMs,
    });
    return { type: "Success", length: union.size };
  },
};
