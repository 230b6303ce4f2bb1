import assert from "node:assert/strict";
import fc from "fast-check";
import { isPlainJsonText, JsonOut } from "./json_out.ts";
import { encodeWireBytes } from "../protocol/wire_bytes.ts";

const decode = (b: Uint8Array) => new TextDecoder().decode(b);
const enc = (s: string) => new TextEncoder().encode(s);

Deno.test("JsonOut.hit writes JSON.stringify's bytes of a Hit, for any bytes", () => {
  const special = fc.constantFrom(
    enc('say "hi"'),
    enc("back\\slash"),
    enc("tab\t nul\0 us\u001f del\u007f"),
    enc("héllo ☃ 😀"),
    Uint8Array.of(0xef, 0xbb, 0xbf, 0x41), // BOM
    Uint8Array.of(0xff, 0x00),
    Uint8Array.of(0xed, 0xa0, 0x80), // encoded surrogate
    Uint8Array.of(0xc0, 0x80), // overlong
    new Uint8Array(0),
    enc("x".repeat(100_000)),
  );
  const bytes = fc.oneof(
    special,
    fc.uint8Array({ maxLength: 40 }),
    fc.uint8Array({ min: 0x1e, max: 0x7f, maxLength: 40 }),
    fc.string({ unit: "binary", maxLength: 20 }).map(enc),
  );
  fc.assert(
    fc.property(fc.array(bytes, { maxLength: 5 }), (values) => {
      const out = new JsonOut();
      out.text("[");
      values.forEach((v, i) => {
        if (i > 0) out.text(",");
        out.hit(v);
      });
      out.text("]");
      const want = JSON.stringify(
        values.map((v) => ({ type: "Hit", value: encodeWireBytes(v) })),
      );
      assert.equal(decode(out.bytes()), want);
    }),
    { seed: 5_17, numRuns: 2000 },
  );
});

Deno.test("JsonOut.text and value write UTF-8, non-ASCII and lone surrogates included", () => {
  fc.assert(
    fc.property(fc.string({ unit: "binary", maxLength: 30 }), (s) => {
      const out = new JsonOut();
      out.value({ s });
      out.text(JSON.stringify(s));
      assert.deepEqual(
        out.bytes(),
        enc(JSON.stringify({ s }) + JSON.stringify(s)),
      );
    }),
    { seed: 5_18, numRuns: 2000 },
  );
  const out = new JsonOut();
  out.value(undefined);
  assert.equal(decode(out.bytes()), "null");
});

Deno.test("isPlainJsonText: printable ASCII but quote and backslash", () => {
  for (let b = 0; b < 256; b++) {
    const plain = b >= 0x20 && b <= 0x7e && b !== 0x22 && b !== 0x5c;
    assert.equal(isPlainJsonText(Uint8Array.of(65, b)), plain, `byte ${b}`);
  }
  assert.equal(isPlainJsonText(new Uint8Array(0)), true);
});

Deno.test("a new JsonOut starts empty; a large document grows the buffer", () => {
  const big = new JsonOut();
  big.hit(new Uint8Array(200_000).fill(0x61));
  assert.equal(
    big.bytes().length,
    200_000 + '{"type":"Hit","value":""}'.length,
  );
  const next = new JsonOut();
  next.text("{}");
  assert.equal(decode(next.bytes()), "{}");
});
