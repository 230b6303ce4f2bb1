import assert from "node:assert/strict";
import fc from "fast-check";
import { ARENA_KEY_BYTES, arenaKey, requestKey } from "./key_arena.ts";
import { itemKey, type QueryParams } from "./query.ts";

function outcome(f: () => Uint8Array): { bytes: number[] } | { error: string } {
  try {
    return { bytes: [...f()] };
  } catch (err) {
    return { error: `${(err as Error).name}: ${(err as Error).message}` };
  }
}

Deno.test("requestKey gives the bytes and errors of itemKey", () => {
  const text = fc.oneof(
    fc.string({ maxLength: 20 }),
    fc.string({ unit: "grapheme", maxLength: 8 }),
    fc.constantFrom("", "a".repeat(ARENA_KEY_BYTES), "b".repeat(1025)),
  );
  const params = fc.record(
    { key: text, keyBase64: fc.constantFrom("aw==", "!!", "") },
    { requiredKeys: [] },
  );
  fc.assert(
    fc.property(params, (p: QueryParams) => {
      assert.deepEqual(outcome(() => requestKey(p)), outcome(() => itemKey(p)));
    }),
    { seed: 7_2026, numRuns: 3000 },
  );
});

Deno.test("arena keys share chunks and are never rewritten", () => {
  const keys: Uint8Array[] = [];
  const texts: string[] = [];
  for (let i = 0; i < 5000; i++) {
    const text = `key:${i}:${"x".repeat(i % 50)}`;
    texts.push(text);
    keys.push(arenaKey(text)!);
  }
  // many keys per chunk, and several chunks: every key still holds its bytes
  assert.ok(new Set(keys.map((k) => k.buffer)).size < 100);
  assert.ok(new Set(keys.map((k) => k.buffer)).size > 1);
  keys.forEach((key, i) =>
    assert.equal(new TextDecoder().decode(key), texts[i])
  );
  assert.equal(arenaKey(""), undefined);
  assert.equal(arenaKey("é"), undefined);
  assert.equal(arenaKey("k".repeat(ARENA_KEY_BYTES + 1)), undefined);
});
