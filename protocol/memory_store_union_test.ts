/**
 * The reference model, part 5: sortedSetUnionStore and sorted-set limits.
 */
import assert from "node:assert/strict";
import { b, fixture, str, throwsKvolt } from "./_memory_test_utils.ts";
import type { ScoredValue } from "./operations.ts";

const TTL = 60_000;
const key = b("z");

Deno.test("sortedSetUnionStore: weights, aggregates, missing sources, the destination", () => {
  const { run, advance } = fixture();
  const put = (name: string, pairs: [string, number][]) =>
    run("sortedSetPutElements", {
      key: b(name),
      elements: pairs.map(([v, score]) => ({ value: b(v), score })),
      ttlMs: TTL,
    });
  put("s1", [["a", 1], ["b", 2]]);
  put("s2", [["b", 10], ["c", 3]]);
  put("dest", [["old", 99]]);
  const union = (aggregate?: "SUM" | "MIN" | "MAX", w2 = 1) =>
    run("sortedSetUnionStore", {
      key: b("dest"),
      sources: [{ key: b("s1"), weight: 2 }, { key: b("s2"), weight: w2 }, {
        key: b("missing"),
        weight: 5,
      }],
      aggregate,
      ttlMs: 1000,
    });
  const scores = () =>
    (run("sortedSetFetchByRank", { key: b("dest") }) as {
      elements: ScoredValue[];
    })
      .elements.map((e) => `${str(e.value)}:${e.score}`);
  assert.deepEqual(union(), { type: "Success", length: 3 });
  assert.deepEqual(scores(), ["a:2", "c:3", "b:14"], "dest is not a source");
  union("MIN");
  assert.deepEqual(scores(), ["a:2", "c:3", "b:4"]);
  union("MAX", -1);
  assert.deepEqual(scores(), ["c:-3", "a:2", "b:4"]);
  // the destination may be named as a source explicitly
  run("sortedSetUnionStore", {
    key: b("dest"),
    sources: [{ key: b("dest"), weight: 1 }, { key: b("s1"), weight: 1 }],
    ttlMs: 1000,
  });
  assert.deepEqual(scores(), ["c:-3", "a:3", "b:6"]);
  // the result always gets ttlMs, whatever refreshTtl
  advance(500);
  run("sortedSetUnionStore", {
    key: b("dest"),
    sources: [{ key: b("s1"), weight: 1 }],
    ttlMs: 2000,
    refreshTtl: false,
  });
  assert.deepEqual(run("itemGetTtl", { key: b("dest") }), {
    type: "Hit",
    remainingTtlMs: 2000,
  });
  // sources are unchanged; an empty union removes the destination
  assert.deepEqual(run("sortedSetLength", { key: b("s1") }), {
    type: "Hit",
    length: 2,
  });
  assert.deepEqual(
    run("sortedSetUnionStore", {
      key: b("dest"),
      sources: [{ key: b("missing"), weight: 1 }],
      ttlMs: TTL,
    }),
    { type: "Success", length: 0 },
  );
  assert.deepEqual(run("itemGetType", { key: b("dest") }), { type: "Miss" });
  // a source or destination of another type is refused, nothing changed
  run("set", { key: b("scalar"), value: b("v"), ttlMs: TTL });
  for (const [dest, source] of [["dest", "scalar"], ["scalar", "s1"]]) {
    throwsKvolt(
      () =>
        run("sortedSetUnionStore", {
          key: b(dest!),
          sources: [{ key: b(source!), weight: 1 }],
          ttlMs: TTL,
        }),
      "FAILED_PRECONDITION_ERROR",
    );
  }
  assert.deepEqual(run("itemGetType", { key: b("dest") }), { type: "Miss" });
  assert.deepEqual(run("itemGetType", { key: b("scalar") }), {
    type: "Hit",
    itemType: "SCALAR",
  });
});

Deno.test("sorted-set limits: value bytes + 8 per element, element count", () => {
  const { run } = fixture({ maxItemBytes: 1 + 2 * 9, maxCollectionLength: 3 });
  run("sortedSetPutElements", {
    key,
    elements: [{ value: b("a"), score: 1 }, { value: b("b"), score: 2 }],
    ttlMs: TTL,
  });
  // a new score for an existing value does not grow the set
  run("sortedSetIncrementScore", { key, value: b("a"), amount: 1, ttlMs: TTL });
  throwsKvolt(
    () =>
      run("sortedSetIncrementScore", {
        key,
        value: b("c"),
        amount: 1,
        ttlMs: TTL,
      }),
    "LIMIT_EXCEEDED_ERROR",
    "item_size_limit_exceeded",
  );
  assert.deepEqual(run("sortedSetLength", { key }), { type: "Hit", length: 2 });
  run("sortedSetPutElements", {
    key: b("u"),
    elements: [{ value: b(""), score: 1 }, { value: b("x"), score: 1 }],
    ttlMs: TTL,
  });
  // the union would be a, b, "", x: 4 elements
  throwsKvolt(
    () =>
      run("sortedSetUnionStore", {
        key: b("dest"),
        sources: [{ key, weight: 1 }, { key: b("u"), weight: 1 }],
        ttlMs: TTL,
      }),
    "LIMIT_EXCEEDED_ERROR",
  );
  assert.deepEqual(run("keyExists", { key: b("dest") }), {
    type: "Success",
    exists: false,
  });
});
