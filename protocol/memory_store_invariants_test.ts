/**
 * The reference model, part 6 (white box): after any sequence of collection
 * operations, every stored collection is non-empty, within the limits, and
 * its tracked logical size equals the size recomputed from its elements
 * (the limits of both stores depend on that size).
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { DICTIONARY_OPS } from "./_memory_dictionary.ts";
import { type Entry, type Handlers, MemoryItems } from "./_memory_items.ts";
import { LIST_OPS } from "./_memory_list.ts";
import { SET_OPS } from "./_memory_set.ts";
import { SORTED_SET_OPS } from "./_memory_sorted_set.ts";
import { rng } from "./_memory_test_utils.ts";
import { logicalSize } from "./data_store.ts";
import { KvoltError } from "./errors.ts";
import type { OpName } from "./operations.ts";

const OPS = {
  ...DICTIONARY_OPS,
  ...LIST_OPS,
  ...SET_OPS,
  ...SORTED_SET_OPS,
} as Handlers<OpName>;
const KEYS = ["d", "l", "s", "z1", "z2"].map((k) =>
  new TextEncoder().encode(k)
);
const LIMITS = { maxItemBytes: 24, maxCollectionLength: 5 };

function recomputed(entry: Entry): [size: number, length: number] {
  switch (entry.type) {
    case "DICTIONARY": {
      const fields = [...entry.fields.values()];
      const size = fields.reduce(
        (n, f) => n + logicalSize.dictionary(f.field, f.value),
        0,
      );
      return [size, fields.length];
    }
    case "LIST":
      return [
        entry.values.reduce((n, v) => n + logicalSize.list(v), 0),
        entry.values.length,
      ];
    case "SET": {
      const all = [...entry.elements.values()];
      return [all.reduce((n, e) => n + logicalSize.set(e), 0), all.length];
    }
    case "SORTED_SET": {
      const all = [...entry.members.values()];
      return [
        all.reduce((n, e) => n + logicalSize.sortedSet(e.value), 0),
        all.length,
      ];
    }
    default:
      throw new Error("no scalars in this test");
  }
}

const small = fc.uint8Array({ maxLength: 4 });
const few = fc.array(small, { maxLength: 4 });
const count = fc.integer({ min: -1, max: 6 });
const index = fc.option(fc.integer({ min: -6, max: 6 }), { nil: undefined });
const ttl = { ttlMs: 1000 };
const command = fc.oneof(
  fc.record({ field: small, value: small }).map((f) =>
    ["dictionarySetFields", { key: KEYS[0], fields: [f], ...ttl }] as const
  ),
  few.map((fields) =>
    ["dictionaryRemoveFields", { key: KEYS[0], fields }] as const
  ),
  fc.tuple(small, fc.integer({ min: -999, max: 999 })).map(([field, amount]) =>
    ["dictionaryIncrement", { key: KEYS[0], field, amount, ...ttl }] as const
  ),
  fc.tuple(few, fc.option(count, { nil: undefined }), fc.boolean()).map((
    [values, size, front],
  ) =>
    front
      ? ["listConcatenateFront", {
        key: KEYS[1],
        values,
        truncateBackToSize: size,
        ...ttl,
      }] as const
      : ["listConcatenateBack", {
        key: KEYS[1],
        values,
        truncateFrontToSize: size,
        ...ttl,
      }] as const
  ),
  fc.constantFrom("listPopFront", "listPopBack").map((op) =>
    [op, { key: KEYS[1] }] as const
  ),
  fc.tuple(index, index).map(([startIndex, endIndex]) =>
    ["listRetain", { key: KEYS[1], startIndex, endIndex }] as const
  ),
  small.map((value) => ["listRemoveValue", { key: KEYS[1], value }] as const),
  few.map((elements) =>
    ["setAddElements", { key: KEYS[2], elements, ...ttl }] as const
  ),
  few.map((elements) =>
    ["setRemoveElements", { key: KEYS[2], elements }] as const
  ),
  count.map((n) => ["setPop", { key: KEYS[2], count: n }] as const),
  fc.tuple(
    fc.boolean(),
    fc.array(fc.record({ value: small, score: fc.integer() }), {
      maxLength: 4,
    }),
  ).map(([first, elements]) =>
    ["sortedSetPutElements", {
      key: KEYS[first ? 3 : 4],
      elements,
      ...ttl,
    }] as const
  ),
  fc.tuple(small, fc.integer({ min: -5, max: 5 })).map(([value, amount]) =>
    ["sortedSetIncrementScore", {
      key: KEYS[3],
      value,
      amount,
      ...ttl,
    }] as const
  ),
  few.map((values) =>
    ["sortedSetRemoveElements", { key: KEYS[3], values }] as const
  ),
  fc.constantFrom("MIN", "MAX", "SUM").map((aggregate) =>
    ["sortedSetUnionStore", {
      key: KEYS[4],
      sources: [{ key: KEYS[3], weight: 2 }, { key: KEYS[4], weight: 1 }],
      aggregate,
      ...ttl,
    }] as const
  ),
);

Deno.test("invariants: tracked sizes and lengths match the elements, within limits", () => {
  fc.assert(
    fc.property(fc.array(command, { maxLength: 40 }), (commands) => {
      const items = new MemoryItems(() => 0, LIMITS, rng(3));
      for (const [op, args] of commands) {
        try {
          // deno-lint-ignore no-explicit-any
          OPS[op](items, 1, args as any);
        } catch (err) {
          assert.ok(err instanceof KvoltError, String(err));
          // limits, and dictionaryIncrement on a field that is not int64 text
          const expected = [
            "LIMIT_EXCEEDED_ERROR",
            "FAILED_PRECONDITION_ERROR",
          ];
          assert.ok(expected.includes(err.code), err.message);
        }
        for (const key of KEYS) {
          const entry = items.find(1, key);
          if (entry === undefined) continue;
          const [size, length] = recomputed(entry);
          assert.equal(entry.type === "SCALAR" ? -1 : entry.size, size, op);
          assert.ok(length > 0, `${op} left an empty collection`);
          assert.ok(length <= LIMITS.maxCollectionLength, op);
          assert.ok(key.length + size <= LIMITS.maxItemBytes, op);
        }
      }
    }),
    { seed: 11, numRuns: 300 },
  );
});
