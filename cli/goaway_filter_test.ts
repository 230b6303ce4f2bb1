import assert from "node:assert/strict";
import fc from "fast-check";
import { concat } from "../gateway/grpc/web_frames.ts";
import { dropGoaway } from "./goaway_filter.ts";

const PREFACE = new TextEncoder().encode("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");

function frame(type: number, payload: Uint8Array, stream = 1): Uint8Array {
  const out = new Uint8Array(9 + payload.byteLength);
  out[0] = payload.byteLength >> 16;
  out[1] = (payload.byteLength >> 8) & 0xff;
  out[2] = payload.byteLength & 0xff;
  out[3] = type;
  new DataView(out.buffer).setUint32(5, stream);
  out.set(payload, 9);
  return out;
}

/** The filter's output for `bytes` cut at `cuts`. */
async function filtered(
  bytes: Uint8Array,
  cuts: number[],
): Promise<Uint8Array> {
  const bounds = [
    ...new Set([0, ...cuts.map((c) => c % (bytes.length + 1)), bytes.length]),
  ]
    .sort((a, b) => a - b);
  const chunks = bounds.slice(1).map((end, i) =>
    bytes.subarray(bounds[i]!, end)
  );
  const out: Uint8Array[] = [];
  await ReadableStream.from(chunks).pipeThrough(dropGoaway()).pipeTo(
    new WritableStream({ write: (c) => void out.push(c.slice()) }),
  );
  return concat(out);
}

Deno.test("dropGoaway: every frame but GOAWAY passes, in order, however the bytes are cut", async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(
        fc.record({
          type: fc.integer({ min: 0, max: 9 }),
          payload: fc.uint8Array({ maxLength: 40 }),
        }),
        { maxLength: 12 },
      ),
      fc.array(fc.nat(), { maxLength: 10 }),
      async (frames, cuts) => {
        const all = frames.map((f) => frame(f.type, f.payload));
        const input = concat([PREFACE, ...all]);
        const expected = concat([
          PREFACE,
          ...all.filter((_, i) => frames[i]!.type !== 7),
        ]);
        assert.deepEqual(await filtered(input, cuts), expected);
      },
    ),
    { numRuns: 300 },
  );
});

Deno.test("dropGoaway: a GOAWAY after data is dropped; bytes that are not HTTP/2 pass as they came", async () => {
  const data = frame(0, new Uint8Array([1, 2, 3]));
  const goaway = frame(7, new Uint8Array(8), 0);
  assert.deepEqual(
    await filtered(concat([PREFACE, data, goaway]), [30, 40]),
    concat([PREFACE, data]),
  );
  const junk = new TextEncoder().encode("GET / HTTP/1.1\r\n\r\n");
  assert.deepEqual(await filtered(junk, [3]), junk);
  // a header cut off at the end still reaches the relay, which refuses it
  const cut = concat([PREFACE, data.subarray(0, 5)]);
  assert.deepEqual(await filtered(cut, [26]), cut);
});
