/**
 * The reference model, part 2: dictionaries and sets, with
 * CollectionTtl, removal of emptied collections and collection limits.
 */
import assert from "node:assert/strict";
import { b, fixture, str, strings, throwsKvolt } from "./_memory_test_utils.ts";

const TTL = 60_000;
const LIMIT = "LIMIT_EXCEEDED_ERROR";
const ITEM_SIZE = "item_size_limit_exceeded";

Deno.test("dictionary: set, get, fetch, length, remove", () => {
  const { run } = fixture();
  const key = b("d");
  assert.deepEqual(run("dictionaryGetField", { key, field: b("a") }), {
    type: "Miss",
  });
  assert.deepEqual(run("dictionaryGetFields", { key, fields: [b("a")] }), {
    type: "Miss",
  });
  assert.deepEqual(run("dictionaryFetch", { key }), { type: "Miss" });
  assert.deepEqual(run("dictionaryLength", { key }), { type: "Miss" });
  run("dictionarySetField", { key, field: b("a"), value: b("1"), ttlMs: TTL });
  run("dictionarySetFields", {
    key,
    fields: [
      { field: b("b"), value: b("2") },
      { field: b("a"), value: b("overwritten") },
      { field: b("a"), value: b("last wins") },
    ],
    ttlMs: TTL,
  });
  assert.deepEqual(run("dictionaryGetField", { key, field: b("a") }), {
    type: "Hit",
    value: b("last wins"),
  });
  assert.deepEqual(
    run("dictionaryGetFields", { key, fields: [b("b"), b("zz"), b("a")] }),
    {
      type: "Hit",
      results: [
        { type: "Hit", value: b("2") },
        { type: "Miss" },
        { type: "Hit", value: b("last wins") },
      ],
    },
  );
  const fetched = run("dictionaryFetch", { key });
  assert.equal(fetched.type, "Hit");
  const pairs =
    (fetched as { fields: { field: Uint8Array; value: Uint8Array }[] })
      .fields.map((f) => `${str(f.field)}=${str(f.value)}`).sort();
  assert.deepEqual(pairs, ["a=last wins", "b=2"]);
  assert.deepEqual(run("dictionaryLength", { key }), {
    type: "Hit",
    length: 2,
  });
  // removing missing fields is fine; removing the last field removes the item
  run("dictionaryRemoveFields", { key, fields: [b("a"), b("nope")] });
  assert.deepEqual(run("dictionaryLength", { key }), {
    type: "Hit",
    length: 1,
  });
  run("dictionaryRemoveFields", { key, fields: [b("b")] });
  assert.deepEqual(run("itemGetType", { key }), { type: "Miss" });
  assert.deepEqual(
    run("dictionaryRemoveFields", { key: b("none"), fields: [b("x")] }),
    { type: "Success" },
  );
  // an empty write creates nothing
  run("dictionarySetFields", { key, fields: [], ttlMs: TTL });
  assert.deepEqual(run("keyExists", { key }), {
    type: "Success",
    exists: false,
  });
});

Deno.test("dictionaryIncrement: per field int64, errors change nothing", () => {
  const { run } = fixture();
  const key = b("d");
  const inc = (field: string, amount: number) =>
    run("dictionaryIncrement", { key, field: b(field), amount, ttlMs: TTL });
  assert.deepEqual(inc("n", 3), { type: "Success", value: 3 });
  assert.deepEqual(inc("n", -10), { type: "Success", value: -7 });
  assert.deepEqual(run("dictionaryGetField", { key, field: b("n") }), {
    type: "Hit",
    value: b("-7"),
  });
  run("dictionarySetField", { key, field: b("t"), value: b("x"), ttlMs: TTL });
  throwsKvolt(() => inc("t", 1), "FAILED_PRECONDITION_ERROR");
  run("dictionarySetField", {
    key,
    field: b("t"),
    value: b("9223372036854775807"),
    ttlMs: TTL,
  });
  throwsKvolt(() => inc("t", 1), "FAILED_PRECONDITION_ERROR");
  assert.deepEqual(run("dictionaryLength", { key }), {
    type: "Hit",
    length: 2,
  });
  run("listPushBack", { key: b("l"), value: b("1"), ttlMs: TTL });
  throwsKvolt(
    () =>
      run("dictionaryIncrement", {
        key: b("l"),
        field: b("f"),
        amount: 1,
        ttlMs: TTL,
      }),
    "FAILED_PRECONDITION_ERROR",
  );
});

Deno.test("CollectionTtl: refreshTtl true resets, false keeps, reads never touch", () => {
  const { run, advance } = fixture();
  const ttlOf = (key: string) =>
    (run("itemGetTtl", { key: b(key) }) as { remainingTtlMs?: number })
      .remainingTtlMs;
  run("setAddElements", { key: b("s"), elements: [b("1")], ttlMs: 1000 });
  run("setAddElements", {
    key: b("k"),
    elements: [b("1")],
    ttlMs: 1000,
    refreshTtl: false,
  });
  advance(600);
  run("setFetch", { key: b("s") });
  assert.equal(ttlOf("s"), 400);
  run("setAddElements", { key: b("s"), elements: [b("2")], ttlMs: 1000 });
  run("setAddElements", {
    key: b("k"),
    elements: [b("2")],
    ttlMs: 5000,
    refreshTtl: false,
  });
  assert.equal(ttlOf("s"), 1000);
  assert.equal(ttlOf("k"), 400);
  // a write of an element already present still refreshes
  advance(500);
  run("setAddElements", { key: b("s"), elements: [b("2")], ttlMs: 1000 });
  assert.equal(ttlOf("s"), 1000);
  // removals keep the TTL
  run("setRemoveElements", { key: b("s"), elements: [b("1")] });
  assert.equal(ttlOf("s"), 1000);
  // the collection expires as a whole; refreshTtl false creates with ttlMs
  advance(1000);
  assert.deepEqual(run("setLength", { key: b("s") }), { type: "Miss" });
  run("dictionarySetField", {
    key: b("d"),
    field: b("f"),
    value: b("v"),
    ttlMs: 300,
    refreshTtl: false,
  });
  assert.equal(ttlOf("d"), 300);
});

Deno.test("set: add, contains, fetch, remove, length", () => {
  const { run } = fixture();
  const key = b("s");
  assert.deepEqual(run("setContainsElements", { key, elements: [b("a")] }), {
    type: "Miss",
  });
  run("setAddElements", { key, elements: ["a", "b", "a"].map(b), ttlMs: TTL });
  run("setAddElements", { key, elements: [b("b"), b("c")], ttlMs: TTL });
  assert.deepEqual(run("setLength", { key }), { type: "Hit", length: 3 });
  assert.deepEqual(
    run("setContainsElements", { key, elements: ["c", "z", "a"].map(b) }),
    { type: "Hit", contains: [true, false, true] },
  );
  assert.deepEqual(strings(run("setFetch", { key }), "elements")!.sort(), [
    "a",
    "b",
    "c",
  ]);
  run("setRemoveElements", { key, elements: [b("a"), b("zz")] });
  assert.deepEqual(run("setLength", { key }), { type: "Hit", length: 2 });
  run("setRemoveElements", { key, elements: [b("b"), b("c")] });
  assert.deepEqual(run("setFetch", { key }), { type: "Miss" });
  assert.deepEqual(run("setRemoveElements", { key, elements: [b("x")] }), {
    type: "Success",
  });
  run("setAddElements", { key, elements: [], ttlMs: TTL });
  assert.deepEqual(run("keyExists", { key }), {
    type: "Success",
    exists: false,
  });
});

Deno.test("setSample and setPop: distinct random elements, pop removes", () => {
  const { run } = fixture();
  const key = b("s");
  const all = ["a", "b", "c", "d", "e"];
  assert.deepEqual(run("setSample", { key, limit: 2 }), { type: "Miss" });
  assert.deepEqual(run("setPop", { key, count: 2 }), { type: "Miss" });
  run("setAddElements", { key, elements: all.map(b), ttlMs: TTL });
  for (const limit of [0, 1, 3, 5, 99, -1]) {
    const sample = strings(run("setSample", { key, limit }), "elements")!;
    assert.equal(sample.length, Math.max(0, Math.min(limit, 5)));
    assert.equal(new Set(sample).size, sample.length, "distinct");
    for (const e of sample) assert.ok(all.includes(e));
  }
  assert.deepEqual(run("setLength", { key }), { type: "Hit", length: 5 });
  const popped = strings(run("setPop", { key, count: 2 }), "elements")!;
  assert.equal(popped.length, 2);
  const left = strings(run("setFetch", { key }), "elements")!;
  assert.deepEqual([...popped, ...left].sort(), all);
  assert.deepEqual(strings(run("setPop", { key, count: 0 }), "elements"), []);
  assert.equal(
    strings(run("setPop", { key, count: 10 }), "elements")!.length,
    3,
  );
  assert.deepEqual(run("itemGetType", { key }), { type: "Miss" });
});

Deno.test("collection limits: dictionaries and sets count logical size and elements", () => {
  const { run } = fixture({ maxItemBytes: 1 + 6, maxCollectionLength: 2 });
  const d = b("d");
  run("dictionarySetField", {
    key: d,
    field: b("ab"),
    value: b("cd"),
    ttlMs: TTL,
  });
  // replacing a field counts the new size, not both
  run("dictionarySetField", {
    key: d,
    field: b("ab"),
    value: b("cdef"),
    ttlMs: TTL,
  });
  throwsKvolt(
    () =>
      run("dictionarySetField", {
        key: d,
        field: b("x"),
        value: b(""),
        ttlMs: TTL,
      }),
    LIMIT,
    ITEM_SIZE,
  );
  assert.deepEqual(run("dictionaryLength", { key: d }), {
    type: "Hit",
    length: 1,
  });
  const s = b("s");
  run("setAddElements", { key: s, elements: [b("a"), b("b")], ttlMs: TTL });
  throwsKvolt(
    () => run("setAddElements", { key: s, elements: [b("c")], ttlMs: TTL }),
    LIMIT,
    ITEM_SIZE,
  );
  run("setAddElements", { key: s, elements: [b("a")], ttlMs: TTL }); // no growth
  assert.deepEqual(run("setLength", { key: s }), { type: "Hit", length: 2 });
  throwsKvolt(
    () =>
      run("dictionarySetFields", {
        key: b("new"),
        fields: ["1", "2", "3"].map((f) => ({ field: b(f), value: b("") })),
        ttlMs: TTL,
      }),
    LIMIT,
  );
  assert.deepEqual(run("itemGetType", { key: b("new") }), { type: "Miss" });
});
