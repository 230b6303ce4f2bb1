/**
 * Helpers shared by the core's tests: a seeded PRNG, seeded bytes, byte
 * comparison with readable failures, KvoltError assertions, a clocked shard.
 *
 * @module
 */
import assert from "node:assert/strict";
import { KvoltError } from "../protocol/errors.ts";
import { WasmShard } from "./shard.ts";
import { rng, T0 } from "../protocol/_memory_test_utils.ts";

// the seeded PRNG and the fixed start time are the reference model's
export { rng, T0 };

/** One mebibyte. */
export const MiB = 1 << 20;

/** n pseudo-random bytes determined by the seed. */
export function bytes(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  let x = Math.imul(2 * seed + 1, 0x9e3779b1) >>> 0; // odd: never 0, distinct per seed
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

export function hex(b: Uint8Array | undefined): string {
  if (b === undefined) return "undefined";
  const h = [...b.subarray(0, 12)].map((x) => x.toString(16).padStart(2, "0"));
  return `${b.length}B[${h.join("")}${b.length > 12 ? "…" : ""}]`;
}

export function same(
  a: Uint8Array | undefined,
  b: Uint8Array | undefined,
): boolean {
  if (a === undefined || b === undefined) return a === b;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function assertBytes(
  actual: Uint8Array | undefined,
  expected: Uint8Array | undefined,
  what: string,
): void {
  if (!same(actual, expected)) {
    assert.fail(`${what}: got ${hex(actual)}, expected ${hex(expected)}`);
  }
}

/** UTF-8 bytes of a string. */
export const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

/** A shard whose clock is `clock.now`, starting at T0. */
export async function clocked(
  budget: number,
): Promise<{ shard: WasmShard; clock: { now: number } }> {
  const clock = { now: T0 };
  const shard = await WasmShard.create({ budget, now: () => clock.now });
  return { shard, clock };
}

/** Asserts that fn throws a KvoltError with this code and limit. */
export function assertKvoltError(
  fn: () => unknown,
  code: string,
  limit?: string,
): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof KvoltError, `a KvoltError: ${err}`);
    assert.equal(err.code, code);
    assert.equal(err.limit, limit);
    return true;
  });
}
