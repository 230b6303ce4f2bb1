/**
 * The reference model, part 3: lists (push, concatenate, truncation, slices,
 * retain, pop, remove) and their limits.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { b, fixture, strings, throwsKvolt } from "./_memory_test_utils.ts";

const TTL = 60_000;
const LIMIT = "LIMIT_EXCEEDED_ERROR";
const ITEM_SIZE = "item_size_limit_exceeded";

Deno.test("list: push, concatenate, pop, length", () => {
  const { run } = fixture();
  const key = b("l");
  const all = () => strings(run("listFetch", { key }), "values");
  assert.deepEqual(run("listPushBack", { key, value: b("b"), ttlMs: TTL }), {
    type: "Success",
    length: 1,
  });
  assert.deepEqual(run("listPushFront", { key, value: b("a"), ttlMs: TTL }), {
    type: "Success",
    length: 2,
  });
  run("listConcatenateBack", { key, values: [b("c"), b("d")], ttlMs: TTL });
  assert.deepEqual(
    run("listConcatenateFront", { key, values: [b("x"), b("y")], ttlMs: TTL }),
    { type: "Success", length: 6 },
  );
  assert.deepEqual(all(), ["x", "y", "a", "b", "c", "d"]);
  assert.deepEqual(run("listPopFront", { key }), {
    type: "Hit",
    value: b("x"),
  });
  assert.deepEqual(run("listPopBack", { key }), { type: "Hit", value: b("d") });
  assert.deepEqual(run("listLength", { key }), { type: "Hit", length: 4 });
  // duplicates are kept; removeValue removes every occurrence
  run("listConcatenateBack", { key, values: [b("a"), b("a")], ttlMs: TTL });
  run("listRemoveValue", { key, value: b("a") });
  assert.deepEqual(all(), ["y", "b", "c"]);
  run("listRemoveValue", { key: b("none"), value: b("a") });
  // popping the last value removes the list
  const k2 = b("single");
  run("listPushBack", { key: k2, value: b("only"), ttlMs: TTL });
  assert.deepEqual(run("listPopBack", { key: k2 }), {
    type: "Hit",
    value: b("only"),
  });
  assert.deepEqual(run("listPopFront", { key: k2 }), { type: "Miss" });
  assert.deepEqual(run("itemGetType", { key: k2 }), { type: "Miss" });
  run("listConcatenateBack", { key: k2, values: [b("a"), b("a")], ttlMs: TTL });
  run("listRemoveValue", { key: k2, value: b("a") });
  assert.deepEqual(run("listLength", { key: k2 }), { type: "Miss" });
});

Deno.test("list truncation: the other end, after the push, as Momento documents", () => {
  const { run } = fixture();
  const key = b("l");
  const all = () => strings(run("listFetch", { key }), "values");
  run("listConcatenateBack", {
    key,
    values: ["1", "2", "3"].map(b),
    ttlMs: TTL,
  });
  assert.deepEqual(
    run("listConcatenateBack", {
      key,
      values: ["4", "5", "6"].map(b),
      truncateFrontToSize: 5,
      ttlMs: TTL,
    }),
    { type: "Success", length: 5 },
  );
  assert.deepEqual(all(), ["2", "3", "4", "5", "6"]);
  run("listConcatenateBack", {
    key,
    values: [b("7")],
    truncateFrontToSize: 10,
    ttlMs: TTL,
  });
  assert.deepEqual(all(), ["2", "3", "4", "5", "6", "7"]);
  run("listPushFront", {
    key,
    value: b("1"),
    truncateBackToSize: 3,
    ttlMs: TTL,
  });
  assert.deepEqual(all(), ["1", "2", "3"]);
  run("listConcatenateFront", {
    key,
    values: ["a", "b", "c", "d"].map(b),
    truncateBackToSize: 2,
    ttlMs: TTL,
  });
  assert.deepEqual(all(), ["a", "b"], "new values can be truncated too");
  run("listPushBack", {
    key,
    value: b("z"),
    truncateFrontToSize: 1,
    ttlMs: TTL,
  });
  assert.deepEqual(all(), ["z"]);
  // truncating to 0 leaves nothing: the list is removed
  assert.deepEqual(
    run("listPushBack", {
      key,
      value: b("q"),
      truncateFrontToSize: 0,
      ttlMs: TTL,
    }),
    { type: "Success", length: 0 },
  );
  assert.deepEqual(run("itemGetType", { key }), { type: "Miss" });
});

Deno.test("listFetch and listRetain: Python-style slices", () => {
  const { run, advance } = fixture();
  const key = b("l");
  const values = ["a", "b", "c", "1", "2", "3"];
  run("listConcatenateBack", { key, values: values.map(b), ttlMs: TTL });
  const fetch = (startIndex?: number, endIndex?: number) =>
    strings(run("listFetch", { key, startIndex, endIndex }), "values");
  assert.deepEqual(fetch(2, 4), ["c", "1"]);
  assert.deepEqual(fetch(), values);
  assert.deepEqual(fetch(4), ["2", "3"]);
  assert.deepEqual(fetch(undefined, 2), ["a", "b"]);
  assert.deepEqual(fetch(-2), ["2", "3"]);
  assert.deepEqual(fetch(undefined, -4), ["a", "b"]);
  assert.deepEqual(fetch(-4, -2), ["c", "1"]);
  assert.deepEqual(fetch(1, -1), ["b", "c", "1", "2"]);
  assert.deepEqual(fetch(-100, 100), values, "clamped to the list");
  assert.deepEqual(fetch(4, 2), [], "an empty range is a Hit");
  assert.deepEqual(fetch(6), []);
  assert.deepEqual(fetch(-1, -3), []);
  assert.deepEqual(run("listFetch", { key: b("none") }), { type: "Miss" });
  // property: the same as Array.prototype.slice for integers
  fc.assert(
    fc.property(
      fc.integer({ min: -8, max: 8 }),
      fc.integer({ min: -8, max: 8 }),
      fc.boolean(),
      fc.boolean(),
      (start, end, hasStart, hasEnd) => {
        const s = hasStart ? start : undefined;
        const e = hasEnd ? end : undefined;
        assert.deepEqual(fetch(s, e), values.slice(s, e));
      },
    ),
    { seed: 42, numRuns: 300 },
  );
  // retain keeps the same range; the TTL changes only when one is given
  advance(1000);
  run("listRetain", { key, startIndex: 1, endIndex: -1 });
  assert.deepEqual(fetch(), ["b", "c", "1", "2"]);
  assert.deepEqual(run("itemGetTtl", { key }), {
    type: "Hit",
    remainingTtlMs: TTL - 1000,
  });
  run("listRetain", { key, startIndex: 1, ttlMs: 500 });
  assert.deepEqual(fetch(), ["c", "1", "2"]);
  assert.deepEqual(run("itemGetTtl", { key }), {
    type: "Hit",
    remainingTtlMs: 500,
  });
  run("listRetain", { key, endIndex: 2, ttlMs: 9000, refreshTtl: false });
  assert.deepEqual(fetch(), ["c", "1"]);
  assert.deepEqual(run("itemGetTtl", { key }), {
    type: "Hit",
    remainingTtlMs: 500,
  });
  assert.deepEqual(run("listRetain", { key: b("none"), startIndex: 1 }), {
    type: "Success",
  });
  assert.deepEqual(run("keyExists", { key: b("none") }), {
    type: "Success",
    exists: false,
  });
  // retaining nothing removes the list
  run("listRetain", { key, startIndex: 5 });
  assert.deepEqual(run("itemGetType", { key }), { type: "Miss" });
});

Deno.test("list limits: length and size after truncation, nothing changed on refusal", () => {
  const { run } = fixture({ maxCollectionLength: 3, maxItemBytes: 1 + 10 });
  const key = b("l");
  run("listConcatenateBack", {
    key,
    values: ["a", "b", "c"].map(b),
    ttlMs: TTL,
  });
  const err = throwsKvolt(
    () => run("listPushBack", { key, value: b("d"), ttlMs: TTL }),
    LIMIT,
    ITEM_SIZE,
  );
  assert.match(err.message, /more than 3 elements: 4$/);
  // with truncation the result fits
  run("listPushBack", {
    key,
    value: b("d"),
    truncateFrontToSize: 3,
    ttlMs: TTL,
  });
  assert.deepEqual(strings(run("listFetch", { key }), "values"), [
    "b",
    "c",
    "d",
  ]);
  // size: key (1) + values; 1 + 3 + 7 = 11 fits, 12 does not
  run("listPushBack", {
    key,
    value: b("1234567"),
    truncateFrontToSize: 3,
    ttlMs: TTL,
  });
  throwsKvolt(
    () =>
      run("listPushBack", {
        key,
        value: b("xxx"), // [d, 1234567, xxx]: 1 + 11 bytes
        truncateFrontToSize: 3,
        ttlMs: TTL,
      }),
    LIMIT,
    ITEM_SIZE,
  );
  assert.deepEqual(strings(run("listFetch", { key }), "values"), [
    "c",
    "d",
    "1234567",
  ]);
  throwsKvolt(
    () =>
      run("listPushBack", {
        key: b("new"),
        value: b("12345678901"),
        ttlMs: TTL,
      }),
    LIMIT,
  );
  assert.deepEqual(run("keyExists", { key: b("new") }), {
    type: "Success",
    exists: false,
  });
});
