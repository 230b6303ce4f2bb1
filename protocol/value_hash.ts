/**
 * The hash `getWithHash` returns and the hash-conditional sets compare: 8
 * bytes, two independent 32-bit multiply-xorshift lanes over the value. It is
 * for optimistic concurrency (detecting that a value changed), not for
 * security. Every store computes it with this one function.
 *
 * @example
 * ```ts
 * import { valueHash } from "./value_hash.ts";
 * const a = valueHash(new TextEncoder().encode("v1"));
 * const b = valueHash(new TextEncoder().encode("v2"));
 * if (a.length !== 8 || a.every((x, i) => x === b[i])) throw new Error("bad hash");
 * ```
 *
 * @module
 */

/** 8-byte hash of a value. */
export function valueHash(value: Uint8Array): Uint8Array {
  let h1 = 0x9e3779b9 ^ value.length;
  let h2 = 0x85ebca6b ^ Math.imul(value.length, 0xc2b2ae35);
  for (let i = 0; i < value.length; i++) {
    const b = value[i]!;
    h1 = Math.imul(h1 ^ b, 0x01000193);
    h2 = Math.imul((h2 ^ b) + (h2 >>> 13), 0x5bd1e995);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 0x85ebca6b);
  h1 = Math.imul(h1 ^ (h1 >>> 13), 0xc2b2ae35) ^ h2;
  h2 = Math.imul(h2 ^ (h2 >>> 15), 0x2c1b3c6d) ^ h1;
  const out = new Uint8Array(8);
  const view = new DataView(out.buffer);
  view.setUint32(0, h1 >>> 0, true);
  view.setUint32(4, (h2 ^ (h2 >>> 16)) >>> 0, true);
  return out;
}
