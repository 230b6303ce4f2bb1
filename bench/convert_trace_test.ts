import assert from "node:assert/strict";
import { convertTrace } from "./convert_trace.ts";
import { parseTrace } from "./replay.ts";

Deno.test("convert trace: big-endian int32 keys, renumbered by first appearance", () => {
  const bytes = new Uint8Array(16);
  const view = new DataView(bytes.buffer);
  [70000, -5, 70000, 3].forEach((k, i) => view.setInt32(i * 4, k));
  const out = convertTrace("int32be", bytes, 64);
  assert.equal(out.text, "0 64\n1 64\n0 64\n2 64\n");
  assert.deepEqual([out.requests, out.keys], [4, 3]);
  const trace = parseTrace(out.text);
  assert.equal(trace.footprint, 3 * (1 + 64));
});

Deno.test("convert trace: big-endian int64 keys beyond 2^53 stay distinct", () => {
  const bytes = new Uint8Array(24);
  const view = new DataView(bytes.buffer);
  view.setBigInt64(0, 2n ** 60n);
  view.setBigInt64(8, 2n ** 60n + 1n);
  view.setBigInt64(16, 2n ** 60n);
  assert.equal(convertTrace("int64be", bytes).text, "0 100\n1 100\n0 100\n");
});

Deno.test("convert trace: LIRS lines skip '*' and blank lines", () => {
  const text = "5\n*\n7\n\n5\n 9 \n";
  const out = convertTrace("lines", new TextEncoder().encode(text), 10);
  assert.equal(out.text, "0 10\n1 10\n0 10\n2 10\n");
});

Deno.test("convert trace: a binary trace cut mid-key is refused", () => {
  assert.throws(
    () => convertTrace("int64be", new Uint8Array(12)),
    /12 bytes is not a whole number of 8-byte keys/,
  );
});
