import assert from "node:assert/strict";
import { formatByteSize, parseByteSize } from "./byte_size.ts";

Deno.test("parseByteSize reads IEC and SI units, any case", () => {
  assert.equal(parseByteSize("256MiB"), 256 * 2 ** 20);
  assert.equal(parseByteSize("1gib"), 2 ** 30);
  assert.equal(parseByteSize("1.5KiB"), 1536);
  assert.equal(parseByteSize("500MB"), 500_000_000);
  assert.equal(parseByteSize("1048576"), 1048576);
  assert.equal(parseByteSize("64 B"), 64);
});

Deno.test("parseByteSize refuses what is not a size", () => {
  for (const text of ["", "MiB", "-1MiB", "12XB", "1e9", "1,000"]) {
    assert.throws(() => parseByteSize(text), RangeError, text);
  }
});

Deno.test("formatByteSize picks the largest exact unit", () => {
  assert.equal(formatByteSize(64 * 2 ** 20), "64MiB");
  assert.equal(formatByteSize(3072), "3KiB");
  assert.equal(formatByteSize(2 ** 30), "1GiB");
  assert.equal(formatByteSize(1000), "1000B");
});
