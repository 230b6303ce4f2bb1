import assert from "node:assert/strict";
import fc from "fast-check";
import { parseJsonSliced, PIECE_CHARS } from "./json_slices.ts";

const bigOf = (value: unknown) => {
  // Padding in an array forces the splitting path even for small values.
  const pad = "x".repeat(PIECE_CHARS);
  return JSON.stringify({ pad, value, list: [pad, value, [value, pad]] });
};

Deno.test("parseJsonSliced equals JSON.parse on any JSON value, small or split", async () => {
  await fc.assert(
    fc.asyncProperty(fc.jsonValue(), async (value) => {
      const small = JSON.stringify(value);
      assert.deepEqual(await parseJsonSliced(small), JSON.parse(small));
      const big = bigOf(value);
      assert.deepEqual(await parseJsonSliced(big), JSON.parse(big));
      const spaced = JSON.stringify(
        { pad: "y".repeat(PIECE_CHARS), value },
        null,
        2,
      );
      assert.deepEqual(await parseJsonSliced(spaced), JSON.parse(spaced));
    }),
    { numRuns: 150, seed: 7 },
  );
});

Deno.test("parseJsonSliced keeps __proto__ an own property, as JSON.parse does", async () => {
  const text = `{"pad":"${
    "p".repeat(PIECE_CHARS)
  }","__proto__":{"polluted":1}}`;
  const parsed = await parseJsonSliced(text) as Record<string, unknown>;
  assert.deepEqual(Object.getPrototypeOf(parsed), Object.prototype);
  assert.deepEqual(parsed["__proto__"], { polluted: 1 });
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
});

Deno.test("parseJsonSliced throws SyntaxError on invalid JSON, split or not", async () => {
  const pad = "z".repeat(PIECE_CHARS);
  for (
    const bad of [
      `{"pad":"${pad}","a":}`,
      `{"pad":"${pad}",}`,
      `["${pad}",1 2]`,
      `["${pad}"`,
      `{"pad":"${pad}"} x`,
      `{"pad":"${pad}","s":"unterminated}`,
      `[${"[".repeat(10)}"${pad}"]`,
      "{",
    ]
  ) {
    await assert.rejects(
      () => parseJsonSliced(bad),
      SyntaxError,
      bad.slice(-30),
    );
  }
});

Deno.test("an unknown top-level field is refused before the rest is built", async () => {
  const parts = ['{"key":"k"'];
  for (let i = 0; i < 200_000; i++) parts.push(`,"f${i}":0`);
  parts.push("}");
  let built = 0;
  const allowed = new Set(["key"]);
  await assert.rejects(
    () =>
      parseJsonSliced(parts.join(""), {
        allowedKeys: allowed,
        unknownKey: (key) => {
          built++;
          return new RangeError(`unknown ${key}`);
        },
      }),
    { name: "RangeError", message: "unknown f0" },
  );
  assert.equal(built, 1);
  assert.deepEqual(
    await parseJsonSliced('{"key":"k"}', { allowedKeys: allowed }),
    { key: "k" },
  );
});
