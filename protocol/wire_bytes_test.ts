import assert from "node:assert/strict";
import fc from "fast-check";
import { decodeWireBytes, encodeWireBytes, toWire } from "./wire_bytes.ts";

const SEED = 20_260_503;

Deno.test("any bytes survive encode, JSON and decode", () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
      const json = JSON.parse(JSON.stringify(encodeWireBytes(bytes)));
      assert.deepEqual(decodeWireBytes(json), bytes);
    }),
    { seed: SEED, numRuns: 2000 },
  );
});

Deno.test("any well-formed string survives decode, encode and JSON", () => {
  fc.assert(
    fc.property(fc.string({ unit: "binary", maxLength: 100 }), (text) => {
      const bytes = decodeWireBytes(text)!;
      assert.equal(JSON.parse(JSON.stringify(encodeWireBytes(bytes))), text);
    }),
    { seed: SEED, numRuns: 2000 },
  );
});

Deno.test("valid UTF-8 is written as text, BOM included; other bytes as padded base64", () => {
  assert.equal(
    encodeWireBytes(Uint8Array.of(0xef, 0xbb, 0xbf, 0x41)),
    "\ufeffA",
  );
  assert.equal(encodeWireBytes(new Uint8Array(0)), "");
  assert.deepEqual(encodeWireBytes(Uint8Array.of(0xff)), { base64: "/w==" });
  const long = new Uint8Array(100).fill(0x41);
  long[99] = 0x80;
  assert.deepEqual(encodeWireBytes(long), { base64: long.toBase64() });
});

Deno.test("decode takes URL-safe base64 and no padding; refuses the rest", () => {
  assert.deepEqual(
    decodeWireBytes({ base64: "-_8" }),
    Uint8Array.of(0xfb, 0xff),
  );
  assert.deepEqual(
    decodeWireBytes({ base64: "+/8=" }),
    Uint8Array.of(0xfb, 0xff),
  );
  for (
    const bad of [
      { base64: "a" },
      { base64: "a$==" },
      { base64: "AA", x: 1 },
      { base64: 5 },
      {},
      5,
      null,
      ["a"],
      "\udc00",
    ]
  ) {
    assert.equal(decodeWireBytes(bad), undefined, JSON.stringify(bad));
  }
});

Deno.test("toWire converts nested bytes and leaves the input alone", () => {
  const input = {
    type: "Hit",
    elements: [{ value: Uint8Array.of(0x61), score: 1 }, {
      value: Uint8Array.of(0xff),
      score: 2,
    }],
  };
  assert.deepEqual(toWire(input), {
    type: "Hit",
    elements: [{ value: "a", score: 1 }, {
      value: { base64: "/w==" },
      score: 2,
    }],
  });
  assert.ok(input.elements[0]!.value instanceof Uint8Array);
});
