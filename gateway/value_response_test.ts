import assert from "node:assert/strict";
import fc from "fast-check";
import {
  asciiText,
  STRING_BODY_MAX_BYTES,
  valueResponse,
} from "./value_response.ts";

async function bodyOf(res: Response): Promise<number[]> {
  return [...new Uint8Array(await res.arrayBuffer())];
}

Deno.test("valueResponse sends exactly the value's bytes as application/octet-stream", async () => {
  // Mostly ASCII (the string path), sometimes any byte, sometimes long.
  const bytes = fc.oneof(
    fc.uint8Array({ max: 0x7f, maxLength: 64 }),
    fc.uint8Array({ maxLength: 64 }),
    fc.uint8Array({
      max: 0x7f,
      minLength: STRING_BODY_MAX_BYTES - 2,
      maxLength: STRING_BODY_MAX_BYTES + 2,
    }),
  );
  await fc.assert(
    fc.asyncProperty(bytes, async (value) => {
      const res = valueResponse(value);
      assert.equal(res.status, 200);
      assert.equal(res.headers.get("content-type"), "application/octet-stream");
      assert.deepEqual(await bodyOf(res), [...value]);
    }),
    { seed: 20261127, numRuns: 300 },
  );
});

Deno.test("asciiText takes only short all-ASCII values", () => {
  assert.equal(asciiText(new Uint8Array([0, 104, 0x7f])), "\u0000h\u007f");
  assert.equal(asciiText(new Uint8Array([104, 0x80])), undefined);
  // A UTF-8 BOM or text is sent as bytes, never decoded.
  assert.equal(asciiText(new Uint8Array([0xef, 0xbb, 0xbf, 104])), undefined);
  assert.equal(
    asciiText(new Uint8Array(STRING_BODY_MAX_BYTES)),
    "\0".repeat(STRING_BODY_MAX_BYTES),
  );
  assert.equal(asciiText(new Uint8Array(STRING_BODY_MAX_BYTES + 1)), undefined);
  assert.equal(asciiText(new Uint8Array(0)), "");
});

Deno.test("valueResponse copies a view: overwriting it afterwards changes nothing", async () => {
  const memory = new Uint8Array([1, 2, 200, 4, 104, 105]);
  const binary = valueResponse(memory.subarray(0, 4));
  const text = valueResponse(memory.subarray(4));
  memory.fill(0);
  assert.deepEqual(await bodyOf(binary), [1, 2, 200, 4]);
  assert.deepEqual(await bodyOf(text), [104, 105]);
});
