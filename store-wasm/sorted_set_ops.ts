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
import { Flag, Op, Status } from "./_abi.ts";
import {
  begin,
  call,
  type Handlers,
  MISS,
  missed,
  run,
  type ShardAccess,
  spec,
  SUCCESS,
  withTtl,
} from "./_op_context.ts";
import type { CollCall } from "./_core_request.ts";
import { byteKey } from "../protocol/bytes.ts";
import {
  decodeScored,
  lastWins,
  RAW,
  SCORED,
  VALUES,
} from "./collection_codec.ts";
import { collectionError } from "./core_errors.ts";

/** A finite score (-0 as 0), or INVALID_ARGUMENT_ERROR. */
function finite(op: OpName, score: number): number {
  if (Number.isFinite(score)) return score + 0;
  throw new KvoltError(
    ErrorCode.INVALID_ARGUMENT,
    `Cannot run ${op}: scores and weights must be finite numbers: received ${score}`,
  );
}

const desc = (order: string | undefined) => order === "DESC" ? Flag.FRONT : 0;

const Z = "SORTED_SET";
const BY_RANK = spec("sortedSetFetchByRank", Z, Op.ZSET_BY_RANK);
const BY_SCORE = spec("sortedSetFetchByScore", Z, Op.ZSET_BY_SCORE);
const RANK = spec("sortedSetGetRank", Z, Op.ZSET_RANK);
const SCORES = spec("sortedSetGetScores", Z, Op.ZSET_SCORES);
const INCREMENT = spec("sortedSetIncrementScore", Z, Op.ZSET_INCREMENT);
const REMOVE = spec("sortedSetRemoveElements", Z, Op.ZSET_REMOVE);
const LENGTH = spec("sortedSetLength", Z, Op.LENGTH);
const LENGTH_BY_SCORE = spec(
  "sortedSetLengthByScore",
  Z,
  Op.ZSET_COUNT_BY_SCORE,
);

/** Sets the request fields of a score range on a started call. */
function range(cc: CollCall, r: ScoreRange, flags: number): void {
  cc.x = r.minScore ?? -Infinity;
  cc.y = r.maxScore ?? Infinity;
  cc.flags = flags | (r.minExclusive ? Flag.MIN_EXCLUSIVE : 0) |
    (r.maxExclusive ? Flag.MAX_EXCLUSIVE : 0);
}

function fetchAll(
  s: ShardAccess,
  cacheId: number,
  key: Uint8Array,
  op: OpName,
): ScoredValue[] | undefined {
  const res = call(s, cacheId, spec(op, Z, Op.ZSET_BY_RANK), key);
  return missed(res) ? undefined : decodeScored(res.copy());
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
    const cc = begin(s, cacheId, key);
    cc.a = 4;
    run(s, cc, spec(op, Z, Op.LENGTH));
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
  // every score is checked (which may call the store) before the call starts
  const elements = lastWins(args.elements, (e) => e.value).map((e) => ({
    value: e.value,
    score: finiteAfterTypeCheck(s, cacheId, op, args.key, e.score),
  }));
  const cc = begin(s, cacheId, args.key, SCORED, elements);
  withTtl(cc, args);
  run(s, cc, spec(op, Z, Op.ZSET_PUT));
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
    const cc = begin(s, cacheId, args.key);
    cc.x = args.startRank ?? NaN;
    cc.y = args.endRank ?? NaN;
    cc.flags = desc(args.order);
    const res = run(s, cc, BY_RANK);
    return missed(res)
      ? MISS
      : { type: "Hit", elements: decodeScored(res.copy()) };
  },
  sortedSetFetchByScore(s, cacheId, args) {
    const offset = Math.max(0, Math.trunc(args.offset ?? 0) || 0);
    const count = args.count === undefined
      ? -1
      : Math.max(0, Math.trunc(args.count) || 0);
    const cc = begin(s, cacheId, args.key);
    range(cc, args, desc(args.order));
    cc.a = Math.min(offset, 0xffff_ffff);
    cc.b = Math.min(count, 0x7fff_ffff);
    const res = run(s, cc, BY_SCORE);
    return missed(res)
      ? MISS
      : { type: "Hit", elements: decodeScored(res.copy()) };
  },
  sortedSetGetRank(s, cacheId, { key, value, order }) {
    const cc = begin(s, cacheId, key, RAW, value);
    cc.flags = desc(order);
    const res = run(s, cc, RANK);
    return missed(res) ? MISS : { type: "Hit", rank: res.count() };
  },
  sortedSetGetScores(s, cacheId, { key, values }) {
    const res = call(s, cacheId, SCORES, key, VALUES, values);
    if (missed(res)) return MISS;
    return {
      type: "Hit",
      results: res.scores().map((score) =>
        score === undefined ? MISS : { type: "Hit" as const, score }
      ),
    };
  },
  sortedSetIncrementScore(s, cacheId, args) {
    const { key, amount } = args;
    // may call the store: before the call starts
    const x = finiteAfterTypeCheck(s, cacheId, INCREMENT.op, key, amount);
    const cc = begin(s, cacheId, key, RAW, args.value);
    withTtl(cc, args);
    cc.x = x;
    const res = run(s, cc, INCREMENT);
    return { type: "Success", score: res.float() + 0 };
  },
  sortedSetRemoveElements(s, cacheId, { key, values }) {
    call(s, cacheId, REMOVE, key, VALUES, values);
    return SUCCESS;
  },
  sortedSetLength(s, cacheId, { key }) {
    const cc = begin(s, cacheId, key);
    cc.a = 4;
    const res = run(s, cc, LENGTH);
    return missed(res) ? MISS : { type: "Hit", length: res.count() };
  },
  sortedSetLengthByScore(s, cacheId, args) {
    const cc = begin(s, cacheId, args.key);
    range(cc, args, 0);
    const res = run(s, cc, LENGTH_BY_SCORE);
    return missed(res) ? MISS : { type: "Hit", length: res.count() };
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
    const { maxItemBytes, maxCollectionLength } = s.limits;
    const fail = (status: number) =>
      collectionError(status, {
        op,
        wanted: Z,
        found: 4,
        maxItemBytes,
        maxCollectionLength,
      });
    let size = 0;
    for (const e of union.values()) {
      if (!Number.isFinite(e.score)) throw fail(Status.NOT_FINITE);
      e.score += 0;
      size += logicalSize.sortedSet(e.value);
    }
    if (union.size > maxCollectionLength) throw fail(Status.LIMIT_COUNT);
    if (args.key.length + size > maxItemBytes) throw fail(Status.LIMIT_SIZE);
    s.shard(cacheId, args.key).delete(args.key, cacheId);
    // the result is a new item: it always gets ttlMs (Momento's rule)
    put(s, cacheId, op, {
      key: args.key,
      elements: [...union.values()],
      ttlMs: args.ttlMs,
    });
    return { type: "Success", length: union.size };
  },
};
