/**
 * The reference model, part 4: sorted sets (order, ranks with negatives,
 * score ranges with offset and count, increments, removal).
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { b, fixture, str, throwsKvolt } from "./_memory_test_utils.ts";
import type { ScoredValue } from "./operations.ts";

const TTL = 60_000;
const key = b("z");

/** Momento's integration-test set: foo 1 ... jalapeno 1e6. */
function momentoSet() {
  const f = fixture();
  const scores: [string, number][] = [
    ["bam", 1000],
    ["foo", 1],
    ["taco", 90210],
    ["bar", 2],
    ["burrito", 9000],
    ["baz", 42],
    ["habanero", 68],
    ["jalapeno", 1_000_000],
  ];
  f.run("sortedSetPutElements", {
    key,
    elements: scores.map(([v, score]) => ({ value: b(v), score })),
    ttlMs: TTL,
  });
  return f;
}

const names = (
  r: { type: "Hit"; elements: ScoredValue[] } | { type: "Miss" },
) => r.type === "Hit" ? r.elements.map((e) => str(e.value)) : undefined;

Deno.test("sortedSetFetchByRank: Momento's cases, negatives, DESC", () => {
  const { run } = momentoSet();
  const byRank = (
    startRank?: number,
    endRank?: number,
    order?: "ASC" | "DESC",
  ) => names(run("sortedSetFetchByRank", { key, startRank, endRank, order }));
  const asc = [
    "foo",
    "bar",
    "baz",
    "habanero",
    "bam",
    "burrito",
    "taco",
    "jalapeno",
  ];
  assert.deepEqual(byRank(), asc);
  assert.deepEqual(byRank(1, 5), ["bar", "baz", "habanero", "bam"]);
  assert.deepEqual(byRank(-5), asc.slice(-5));
  assert.deepEqual(byRank(undefined, -2), asc.slice(0, -2));
  assert.deepEqual(byRank(-5, -2), ["habanero", "bam", "burrito"]);
  assert.deepEqual(byRank(undefined, undefined, "DESC"), [...asc].reverse());
  assert.deepEqual(byRank(5, undefined, "DESC"), ["baz", "bar", "foo"]);
  assert.deepEqual(byRank(undefined, 3, "DESC"), [
    "jalapeno",
    "taco",
    "burrito",
  ]);
  assert.deepEqual(byRank(3, 5, "DESC"), ["bam", "habanero"]);
  assert.deepEqual(byRank(-100, 100), asc);
  assert.deepEqual(byRank(8), []);
  assert.deepEqual(byRank(5, 3), [], "empty range: a Hit with no elements");
  const hit = run("sortedSetFetchByRank", { key, startRank: 0, endRank: 1 });
  assert.deepEqual(hit, {
    type: "Hit",
    elements: [{ value: b("foo"), score: 1 }],
  });
  assert.deepEqual(run("sortedSetFetchByRank", { key: b("none") }), {
    type: "Miss",
  });
});

Deno.test("sorted-set order: ties by unsigned value bytes, DESC is the exact reverse", () => {
  const { run } = fixture();
  run("sortedSetPutElements", {
    key,
    elements: [
      { value: Uint8Array.of(0xff), score: 1 },
      { value: Uint8Array.of(0x01, 0x00), score: 1 },
      { value: Uint8Array.of(0x01), score: 1 },
      { value: new Uint8Array(0), score: 1 },
      { value: Uint8Array.of(0x7f), score: -0 },
      { value: Uint8Array.of(0x00), score: -1.5 },
    ],
    ttlMs: TTL,
  });
  const order = (o?: "ASC" | "DESC") =>
    (run("sortedSetFetchByRank", { key, order: o }) as {
      elements: ScoredValue[];
    }).elements.map((e) => [...e.value].join("."));
  const asc = ["0", "127", "", "1", "1.0", "255"];
  assert.deepEqual(order(), asc);
  assert.deepEqual(order("DESC"), [...asc].reverse());
  const rank = (value: Uint8Array, o?: "ASC" | "DESC") =>
    run("sortedSetGetRank", { key, value, order: o });
  assert.deepEqual(rank(Uint8Array.of(0x01)), { type: "Hit", rank: 3 });
  assert.deepEqual(rank(Uint8Array.of(0x01), "DESC"), { type: "Hit", rank: 2 });
  assert.deepEqual(rank(Uint8Array.of(0x00), "DESC"), { type: "Hit", rank: 5 });
  assert.deepEqual(rank(Uint8Array.of(0x02)), { type: "Miss" });
  assert.deepEqual(run("sortedSetGetRank", { key: b("none"), value: b("x") }), {
    type: "Miss",
  });
  // -0 is stored as 0
  const s = run("sortedSetGetScores", { key, values: [Uint8Array.of(0x7f)] });
  assert.ok(
    Object.is((s as { results: { score: number }[] }).results[0]!.score, 0),
  );
});

Deno.test("sortedSetFetchByScore: bounds, exclusivity, order, offset, count", () => {
  const { run } = momentoSet();
  type Opts = {
    minScore?: number;
    maxScore?: number;
    minExclusive?: boolean;
    maxExclusive?: boolean;
    order?: "ASC" | "DESC";
    offset?: number;
    count?: number;
  };
  const byScore = (o: Opts) =>
    names(run("sortedSetFetchByScore", { key, ...o }));
  assert.equal(byScore({})!.length, 8);
  assert.deepEqual(byScore({ minScore: 2, maxScore: 68 }), [
    "bar",
    "baz",
    "habanero",
  ]);
  assert.deepEqual(
    byScore({
      minScore: 2,
      maxScore: 68,
      minExclusive: true,
      maxExclusive: true,
    }),
    ["baz"],
  );
  assert.deepEqual(byScore({ minScore: 9000 }), [
    "burrito",
    "taco",
    "jalapeno",
  ]);
  assert.deepEqual(byScore({ maxScore: 1.5 }), ["foo"]);
  assert.deepEqual(byScore({ minScore: 5, maxScore: 6 }), []);
  assert.deepEqual(byScore({ minScore: 70, maxScore: 10 }), [], "inverted");
  assert.deepEqual(byScore({ order: "DESC", maxScore: 1000 }), [
    "bam",
    "habanero",
    "baz",
    "bar",
    "foo",
  ]);
  // offset and count apply after the filter, in the requested order
  assert.deepEqual(byScore({ minScore: 2, offset: 1, count: 2 }), [
    "baz",
    "habanero",
  ]);
  assert.deepEqual(byScore({ order: "DESC", offset: 2, count: 2 }), [
    "burrito",
    "bam",
  ]);
  assert.deepEqual(byScore({ offset: 7 }), ["jalapeno"]);
  assert.deepEqual(byScore({ offset: 8 }), []);
  assert.deepEqual(byScore({ count: 100 })!.length, 8);
  assert.deepEqual(byScore({ count: 0 }), []);
  assert.deepEqual(run("sortedSetFetchByScore", { key: b("none") }), {
    type: "Miss",
  });
  // lengthByScore uses the same ranges
  const lengthByScore = (o: Opts) =>
    run("sortedSetLengthByScore", { key, ...o });
  assert.deepEqual(lengthByScore({ minScore: 2, maxScore: 68 }), {
    type: "Hit",
    length: 3,
  });
  assert.deepEqual(lengthByScore({ minScore: 2, minExclusive: true }), {
    type: "Hit",
    length: 6,
  });
  assert.deepEqual(lengthByScore({ minScore: 5, maxScore: 6 }), {
    type: "Hit",
    length: 0,
  });
  assert.deepEqual(run("sortedSetLengthByScore", { key: b("none") }), {
    type: "Miss",
  });
  assert.deepEqual(run("sortedSetLength", { key }), { type: "Hit", length: 8 });
});

Deno.test("sortedSetPutElements, getScores, incrementScore, removeElements", () => {
  const { run } = fixture();
  assert.deepEqual(run("sortedSetGetScores", { key, values: [b("a")] }), {
    type: "Miss",
  });
  run("sortedSetPutElements", {
    key,
    elements: [
      { value: b("a"), score: 1 },
      { value: b("b"), score: 2 },
      { value: b("a"), score: 5 },
    ],
    ttlMs: TTL,
  });
  assert.deepEqual(
    run("sortedSetGetScores", { key, values: [b("a"), b("x"), b("b")] }),
    {
      type: "Hit",
      results: [{ type: "Hit", score: 5 }, { type: "Miss" }, {
        type: "Hit",
        score: 2,
      }],
    },
  );
  const inc = (value: string, amount: number) =>
    run("sortedSetIncrementScore", {
      key,
      value: b(value),
      amount,
      ttlMs: TTL,
    });
  assert.deepEqual(inc("a", 0.5), { type: "Success", score: 5.5 });
  assert.deepEqual(
    inc("new", -3),
    { type: "Success", score: -3 },
    "starts at 0",
  );
  assert.deepEqual(run("sortedSetGetRank", { key, value: b("new") }), {
    type: "Hit",
    rank: 0,
  });
  inc("other", 1);
  // scores stay finite: an overflowing increment is refused, nothing changed
  run("sortedSetPutElements", {
    key,
    elements: [{ value: b("max"), score: Number.MAX_VALUE }],
    ttlMs: TTL,
  });
  throwsKvolt(() => inc("max", Number.MAX_VALUE), "FAILED_PRECONDITION_ERROR");
  throwsKvolt(() => inc("a", Number.NaN), "INVALID_ARGUMENT_ERROR");
  throwsKvolt(
    () =>
      run("sortedSetPutElements", {
        key,
        elements: [{ value: b("c"), score: 1 }, {
          value: b("inf"),
          score: Infinity,
        }],
        ttlMs: TTL,
      }),
    "INVALID_ARGUMENT_ERROR",
  );
  assert.deepEqual(run("sortedSetLength", { key }), { type: "Hit", length: 5 });
  run("sortedSetRemoveElements", {
    key,
    values: [b("a"), b("nope"), b("max")],
  });
  assert.deepEqual(names(run("sortedSetFetchByRank", { key })), [
    "new",
    "other",
    "b",
  ]);
  run("sortedSetRemoveElements", { key, values: ["new", "other", "b"].map(b) });
  assert.deepEqual(run("itemGetType", { key }), { type: "Miss" });
  assert.deepEqual(run("sortedSetRemoveElements", { key, values: [b("x")] }), {
    type: "Success",
  });
  run("listPushBack", { key: b("l"), value: b("x"), ttlMs: TTL });
  throwsKvolt(
    () => run("sortedSetGetRank", { key: b("l"), value: b("x") }),
    "FAILED_PRECONDITION_ERROR",
  );
});

Deno.test("sorted sets, property: ranks and fetches agree with a sorted copy", () => {
  const member = fc.record({
    value: fc.uint8Array({ maxLength: 3 }),
    score: fc.integer({ min: -3, max: 3 }),
  });
  fc.assert(
    fc.property(
      fc.array(member, { maxLength: 12 }),
      fc.integer({ min: -14, max: 14 }),
      fc.integer({ min: -14, max: 14 }),
      fc.constantFrom("ASC" as const, "DESC" as const),
      (elements, start, end, order) => {
        const { run } = fixture();
        run("sortedSetPutElements", { key, elements, ttlMs: TTL });
        // independent expectation: last score per value, sorted by (score, hex)
        const last = new Map<string, ScoredValue>();
        for (const e of elements) last.set([...e.value].join(","), e);
        const hex = (v: Uint8Array) =>
          [...v].map((x) => x.toString(16).padStart(2, "0")).join("");
        const sorted = [...last.values()].sort((x, y) =>
          x.score - y.score || (hex(x.value) < hex(y.value) ? -1 : 1)
        );
        if (order === "DESC") sorted.reverse();
        const got = run("sortedSetFetchByRank", {
          key,
          order,
          startRank: start,
          endRank: end,
        });
        if (sorted.length === 0) return assert.equal(got.type, "Miss");
        const want = sorted.slice(start, end).map((e) =>
          `${hex(e.value)}:${e.score}`
        );
        assert.deepEqual(
          (got as { elements: ScoredValue[] }).elements.map((e) =>
            `${hex(e.value)}:${e.score}`
          ),
          want,
        );
        for (const [rank, e] of sorted.entries()) {
          assert.deepEqual(
            run("sortedSetGetRank", { key, value: e.value, order }),
            { type: "Hit", rank },
          );
        }
      },
    ),
    { seed: 7, numRuns: 200 },
  );
});
