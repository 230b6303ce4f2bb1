/**
 * TEST-ONLY: fast-check arbitraries for random operations of every family of
 * the catalogue (scalars, TTL ops, dictionaries, lists, sets, sorted sets)
 * over a few keys, so that types collide, collections grow and shrink, and
 * TTLs run out; plus clock advances. Used by the store contract test.
 *
 * @module
 */
import fc from "fast-check";
import type { OpArgs, OpName } from "../protocol/operations.ts";

/** One step: an operation, or the clock moving forward. */
export type Command =
  | { [K in OpName]: { op: K; args: OpArgs<K> } }[OpName]
  | { op: "advance"; ms: number };

const text = (s: string) => new TextEncoder().encode(s);
const key = fc.constantFrom("a", "b", "c", "list", "zs").map(text);
const bytes = fc.oneof(
  fc.constantFrom("", "x", "y", "zz", "10", "-3", "9223372036854775807").map(
    text,
  ),
  fc.uint8Array({ maxLength: 6 }),
);
const big = fc.uint8Array({ minLength: 20, maxLength: 120 });
const value = fc.oneof({ weight: 6, arbitrary: bytes }, {
  weight: 1,
  arbitrary: big,
});
const opt = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });
const ttlMs = fc.integer({ min: 1, max: 5000 });
const collTtl = fc.record({
  ttlMs,
  refreshTtl: opt(fc.boolean()),
}, {
  requiredKeys: ["ttlMs"],
});
/** Collection arguments with the collection TTL fields added. */
const withTtl = <T extends object>(a: fc.Arbitrary<T>) =>
  fc.tuple(a, collTtl).map(([x, t]) => ({ ...x, ...t }));
const index = opt(fc.integer({ min: -7, max: 7 }));
const score = fc.oneof(
  { weight: 5, arbitrary: fc.integer({ min: -4, max: 4 }) },
  { weight: 2, arbitrary: fc.double({ min: -10, max: 10, noNaN: true }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(-0, Number.NaN, Infinity, 1e308),
  },
);
const order = opt(fc.constantFrom("ASC" as const, "DESC" as const));
const small = fc.integer({ min: 0, max: 6 });
const many = <T>(a: fc.Arbitrary<T>) => fc.array(a, { maxLength: 6 });

function cmd<K extends OpName>(
  op: K,
  args: fc.Arbitrary<OpArgs<K>>,
): fc.Arbitrary<Command> {
  return args.map((a) => ({ op, args: a }) as Command);
}

const rec = fc.record;
const keyValueTtl = rec({ key, value, ttlMs });

const scalars = [
  cmd("get", rec({ key })),
  cmd("getWithHash", rec({ key })),
  cmd("set", keyValueTtl),
  cmd("setWithHash", keyValueTtl),
  cmd("delete", rec({ key })),
  cmd("getAndDelete", rec({ key })),
  cmd("setIfAbsent", keyValueTtl),
  cmd("setIfPresent", keyValueTtl),
  cmd("setIfEqual", rec({ key, value, equal: bytes, ttlMs })),
  cmd("setIfNotEqual", rec({ key, value, notEqual: bytes, ttlMs })),
  cmd("setIfPresentAndNotEqual", rec({ key, value, notEqual: bytes, ttlMs })),
  cmd("setIfAbsentOrEqual", rec({ key, value, equal: bytes, ttlMs })),
  cmd(
    "increment",
    rec({ key, amount: fc.integer({ min: -5, max: 5 }), ttlMs }),
  ),
  cmd("keyExists", rec({ key })),
  cmd("keysExist", rec({ keys: many(key) })),
  cmd("updateTtl", rec({ key, ttlMs })),
  cmd("increaseTtl", rec({ key, ttlMs })),
  cmd("decreaseTtl", rec({ key, ttlMs })),
  cmd("itemGetTtl", rec({ key })),
  cmd("itemGetType", rec({ key })),
  cmd("getBatch", rec({ keys: many(key) })),
  cmd("setBatch", rec({ items: many(keyValueTtl) })),
];

const field = bytes;
const dictionaries = [
  cmd("dictionarySetField", withTtl(rec({ key, field, value }))),
  cmd(
    "dictionarySetFields",
    withTtl(rec({ key, fields: many(rec({ field, value })) })),
  ),
  cmd("dictionaryGetField", rec({ key, field })),
  cmd("dictionaryGetFields", rec({ key, fields: many(field) })),
  cmd("dictionaryFetch", rec({ key })),
  cmd(
    "dictionaryIncrement",
    withTtl(rec({ key, field, amount: fc.integer({ min: -3, max: 3 }) })),
  ),
  cmd("dictionaryRemoveFields", rec({ key, fields: many(field) })),
  cmd("dictionaryLength", rec({ key })),
];

const lists = [
  cmd(
    "listPushFront",
    withTtl(
      rec({ key, value, truncateBackToSize: opt(small) }, {
        requiredKeys: ["key", "value"],
      }),
    ),
  ),
  cmd(
    "listPushBack",
    withTtl(
      rec({ key, value, truncateFrontToSize: opt(small) }, {
        requiredKeys: ["key", "value"],
      }),
    ),
  ),
  cmd(
    "listConcatenateFront",
    withTtl(
      rec({ key, values: many(value), truncateBackToSize: opt(small) }, {
        requiredKeys: ["key", "values"],
      }),
    ),
  ),
  cmd(
    "listConcatenateBack",
    withTtl(
      rec({ key, values: many(value), truncateFrontToSize: opt(small) }, {
        requiredKeys: ["key", "values"],
      }),
    ),
  ),
  cmd("listPopFront", rec({ key })),
  cmd("listPopBack", rec({ key })),
  cmd(
    "listFetch",
    rec({ key, startIndex: index, endIndex: index }, { requiredKeys: ["key"] }),
  ),
  cmd(
    "listRetain",
    rec({ key, startIndex: index, endIndex: index, ttlMs: opt(ttlMs) }, {
      requiredKeys: ["key"],
    }),
  ),
  cmd("listRemoveValue", rec({ key, value: bytes })),
  cmd("listLength", rec({ key })),
];

const sets = [
  cmd("setAddElements", withTtl(rec({ key, elements: many(value) }))),
  cmd("setRemoveElements", rec({ key, elements: many(bytes) })),
  cmd("setContainsElements", rec({ key, elements: many(bytes) })),
  cmd("setFetch", rec({ key })),
  cmd("setSample", rec({ key, limit: small })),
  cmd("setPop", rec({ key, count: small })),
  cmd("setLength", rec({ key })),
];

const range = {
  minScore: opt(fc.integer({ min: -5, max: 5 })),
  maxScore: opt(fc.integer({ min: -5, max: 5 })),
  minExclusive: opt(fc.boolean()),
  maxExclusive: opt(fc.boolean()),
};
const sortedSets = [
  cmd(
    "sortedSetPutElements",
    withTtl(rec({ key, elements: many(rec({ value: bytes, score })) })),
  ),
  cmd(
    "sortedSetFetchByRank",
    rec({ key, order, startRank: index, endRank: index }, {
      requiredKeys: ["key"],
    }),
  ),
  cmd(
    "sortedSetFetchByScore",
    rec({ key, order, offset: opt(small), count: opt(small), ...range }, {
      requiredKeys: ["key"],
    }),
  ),
  cmd(
    "sortedSetGetRank",
    rec({ key, value: bytes, order }, { requiredKeys: ["key", "value"] }),
  ),
  cmd("sortedSetGetScores", rec({ key, values: many(bytes) })),
  cmd(
    "sortedSetIncrementScore",
    withTtl(rec({ key, value: bytes, amount: score })),
  ),
  cmd("sortedSetRemoveElements", rec({ key, values: many(bytes) })),
  cmd("sortedSetLength", rec({ key })),
  cmd(
    "sortedSetLengthByScore",
    rec({ key, ...range }, { requiredKeys: ["key"] }),
  ),
  cmd(
    "sortedSetUnionStore",
    rec({
      key,
      sources: many(rec({ key, weight: fc.constantFrom(1, 2, -1, 0.5) })),
      aggregate: opt(
        fc.constantFrom("SUM" as const, "MIN" as const, "MAX" as const),
      ),
      ttlMs,
    }, { requiredKeys: ["key", "sources", "ttlMs"] }),
  ),
];

/** A random command of any family, or a clock advance. */
export const command: fc.Arbitrary<Command> = fc.oneof(
  { weight: 3, arbitrary: fc.oneof(...scalars) },
  { weight: 3, arbitrary: fc.oneof(...dictionaries) },
  { weight: 3, arbitrary: fc.oneof(...lists) },
  { weight: 3, arbitrary: fc.oneof(...sets) },
  { weight: 4, arbitrary: fc.oneof(...sortedSets) },
  {
    weight: 1,
    arbitrary: fc.integer({ min: 1, max: 2500 }).map((ms) => ({
      op: "advance" as const,
      ms,
    })),
  },
);
