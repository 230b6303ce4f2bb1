/**
 * The sorted-set methods of Momento's `Scs` service, as catalogue operations
 * (see `method.ts`). `SortedSetFetch` is two operations (by rank, by score),
 * chosen by the request; `SortedSetRemove`'s `all` (drop the set)
 * has no kvolt operation.
 *
 * @module
 */

import { cache_client as pb } from "@gomomento/generated-types/dist/cacheclient.js";
import { ErrorCode, KvoltError } from "../../protocol/errors.ts";
import {
  collectionTtl,
  type GrpcMethodChoice,
  type GrpcMethods,
  lengthResponse,
  method,
  nonEmpty,
  positiveInteger,
} from "./method.ts";

const FetchReq = pb._SortedSetFetchRequest;
const Fetch = pb._SortedSetFetchResponse;
const Scores = pb._SortedSetGetScoreResponse;
const Rank = pb._SortedSetGetRankResponse;
const Length = pb._SortedSetLengthResponse;
const LengthByScore = pb._SortedSetLengthByScoreResponse;
const AGGREGATE = ["SUM", "MIN", "MAX"] as const;

function invalid(message: string): KvoltError {
  return new KvoltError(
    ErrorCode.INVALID_ARGUMENT,
    `Invalid argument: ${message}`,
  );
}

function order(o: number): "ASC" | "DESC" {
  return o === FetchReq.Order.DESCENDING ? "DESC" : "ASC";
}

/** Scored elements as Momento answers a fetch (always with scores). */
function fetched(
  res: { type: "Miss" } | {
    type: "Hit";
    elements: { value: Uint8Array; score: number }[];
  },
) {
  if (res.type === "Miss") return new Fetch({ missing: new Fetch._Missing() });
  return new Fetch({
    found: new Fetch._Found({
      values_with_scores: new Fetch._Found._ValuesWithScores({
        elements: res.elements.map((e) =>
          new pb._SortedSetElement({ value: e.value, score: e.score })
        ),
      }),
    }),
  });
}

const byRank = method({
  op: "sortedSetFetchByRank",
  args: (r: pb._SortedSetFetchRequest) => {
    const i = r.by_index;
    return {
      key: r.set_name,
      order: order(r.order),
      ...(i.has_inclusive_start_index
        ? { startRank: i.inclusive_start_index }
        : {}),
      ...(i.has_exclusive_end_index ? { endRank: i.exclusive_end_index } : {}),
    };
  },
  response: fetched,
});

const byScore = method({
  op: "sortedSetFetchByScore",
  args: (r: pb._SortedSetFetchRequest) => {
    const s = r.by_score;
    if (s.offset < 0) throw invalid("offset must not be negative");
    return {
      key: r.set_name,
      order: order(r.order),
      ...(s.has_min_score
        ? { minScore: s.min_score.score, minExclusive: s.min_score.exclusive }
        : {}),
      ...(s.has_max_score
        ? { maxScore: s.max_score.score, maxExclusive: s.max_score.exclusive }
        : {}),
      ...(s.offset > 0 ? { offset: s.offset } : {}),
      // Momento reserves a negative count for "all"; 0 is refused
      ...(s.count >= 0 ? { count: s.count } : {}),
    };
  },
  response: fetched,
});

/**
 * `SortedSetFetch`: by rank or by score, as the request's `range` says. Both
 * operations' results have the same shape.
 */
const fetch: GrpcMethodChoice = {
  choose: (request: pb._SortedSetFetchRequest) => {
    if (request.has_by_index) return byRank;
    if (request.has_by_score) return byScore;
    throw invalid("SortedSetFetch needs by_index or by_score");
  },
};

/** Sorted-set methods by name. */
export const SORTED_SET_METHODS: GrpcMethods = {
  SortedSetFetch: fetch,
  SortedSetPut: method({
    op: "sortedSetPutElements",
    args: (r: pb._SortedSetPutRequest) => ({
      key: r.set_name,
      elements: r.elements.map((e) => ({ value: e.value, score: e.score })),
      ...collectionTtl(r),
    }),
    response: () => new pb._SortedSetPutResponse(),
  }),
  SortedSetGetScore: method({
    op: "sortedSetGetScores",
    args: (r: pb._SortedSetGetScoreRequest) => ({
      key: r.set_name,
      values: nonEmpty(r.values, "values"),
    }),
    response: (res) =>
      res.type === "Miss"
        ? new Scores({ missing: new Scores._SortedSetMissing() })
        : new Scores({
          found: new Scores._SortedSetFound({
            elements: res.results.map((s) =>
              s.type === "Hit"
                ? new Scores._SortedSetGetScoreResponsePart({
                  result: pb.ECacheResult.Hit,
                  score: s.score,
                })
                : new Scores._SortedSetGetScoreResponsePart({
                  result: pb.ECacheResult.Miss,
                })
            ),
          }),
        }),
  }),
  SortedSetGetRank: method({
    op: "sortedSetGetRank",
    args: (r: pb._SortedSetGetRankRequest) => ({
      key: r.set_name,
      value: r.value,
      order: order(r.order),
    }),
    response: (res) =>
      res.type === "Miss"
        // Momento answers a missing set and a missing element alike
        ? new Rank({
          element_rank: new Rank._RankResponsePart({
            result: pb.ECacheResult.Miss,
          }),
        })
        : new Rank({
          element_rank: new Rank._RankResponsePart({
            result: pb.ECacheResult.Hit,
            rank: res.rank,
          }),
        }),
  }),
  SortedSetIncrement: method({
    op: "sortedSetIncrementScore",
    args: (r: pb._SortedSetIncrementRequest) => ({
      key: r.set_name,
      value: r.value,
      amount: r.amount,
      ...collectionTtl(r),
    }),
    response: (res) => new pb._SortedSetIncrementResponse({ score: res.score }),
  }),
  SortedSetRemove: method({
    op: "sortedSetRemoveElements",
    args: (r: pb._SortedSetRemoveRequest) => {
      if (!r.has_some) throw invalid("SortedSetRemove needs some.values");
      return { key: r.set_name, values: nonEmpty(r.some.values, "values") };
    },
    response: () => new pb._SortedSetRemoveResponse(),
  }),
  SortedSetLength: method({
    op: "sortedSetLength",
    args: (r: pb._SortedSetLengthRequest) => ({ key: r.set_name }),
    response: (res) => lengthResponse(Length, res),
  }),
  SortedSetLengthByScore: method({
    op: "sortedSetLengthByScore",
    args: (r: pb._SortedSetLengthByScoreRequest) => ({
      key: r.set_name,
      ...(r.has_inclusive_min ? { minScore: r.inclusive_min } : {}),
      ...(r.has_exclusive_min
        ? { minScore: r.exclusive_min, minExclusive: true }
        : {}),
      ...(r.has_inclusive_max ? { maxScore: r.inclusive_max } : {}),
      ...(r.has_exclusive_max
        ? { maxScore: r.exclusive_max, maxExclusive: true }
        : {}),
    }),
    response: (res) => lengthResponse(LengthByScore, res),
  }),
  SortedSetUnionStore: method({
    op: "sortedSetUnionStore",
    args: (r: pb._SortedSetUnionStoreRequest) => {
      if (r.sources.length === 0) {
        throw invalid("at least one source is required");
      }
      const aggregate = AGGREGATE[r.aggregate];
      if (aggregate === undefined) throw invalid("unknown aggregate");
      return {
        key: r.set_name,
        sources: r.sources.map((s) => ({ key: s.set_name, weight: s.weight })),
        aggregate,
        ttlMs: positiveInteger(r.ttl_milliseconds, "ttl_milliseconds"),
      };
    },
    response: (res) =>
      new pb._SortedSetUnionStoreResponse({ length: res.length }),
  }),
};
