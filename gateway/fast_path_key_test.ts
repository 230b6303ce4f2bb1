import assert from "node:assert/strict";
import fc from "fast-check";
import { TRANSIENT_KEY_BYTES, transientItemKey } from "./fast_path_key.ts";
import { itemKey, type QueryParams } from "./query.ts";

function outcome(f: () => Uint8Array): { bytes: number[] } | { error: string } {
  try {
    return { bytes: [...f()] };
  } catch (err) {
    return { error: `${(err as Error).name}: ${(err as Error).message}` };
  }
}

Deno.test("transientItemKey gives the bytes and errors of itemKey", () => {
  const text = fc.oneof(
    fc.string({ maxLength: 20 }),
    fc.string({ unit: "grapheme", maxLength: 8 }),
    fc.constantFrom("", "a".repeat(TRANSIENT_KEY_BYTES), "b".repeat(1025)),
  );
  const params = fc.record(
    { key: text, keyBase64: fc.constantFrom("aw==", "!!", "") },
    { requiredKeys: [] },
  );
  fc.assert(
    fc.property(params, (p: QueryParams) => {
      assert.deepEqual(
        outcome(() => transientItemKey(p)),
        outcome(() => itemKey(p)),
      );
    }),
    { seed: 7_2026, numRuns: 3000 },
  );
});

Deno.test("transientItemKey reuses one buffer for short ASCII keys", () => {
  const first = transientItemKey({ key: "abc" });
  assert.deepEqual([...first], [97, 98, 99]);
  const second = transientItemKey({ key: "xy" });
  assert.deepEqual([...second], [120, 121]);
  assert.equal(first.buffer, second.buffer);
  assert.deepEqual(
    [...first],
    [120, 121, 99],
    "the first view was overwritten",
  );
  // Non-ASCII and long keys are fresh allocations, as itemKey's.
  assert.notEqual(transientItemKey({ key: "é" }).buffer, second.buffer);
  const long = "k".repeat(TRANSIENT_KEY_BYTES + 1);
  assert.notEqual(transientItemKey({ key: long }).buffer, second.buffer);
});
