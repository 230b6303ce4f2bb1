/**
 * TEST-ONLY helpers for the reference model's tests: a store on a fake clock,
 * a typed `run`, text/bytes conversion and KvoltError assertions.
 *
 * @module
 */
import assert from "node:assert/strict";
import type { StoreLimits } from "./data_store.ts";
import { KvoltError } from "./errors.ts";
import { MemoryStore } from "./memory_store.ts";
import type { OpArgs, OpName, OpResult } from "./operations.ts";

/** A fixed start time for the fake clock. */
export const T0 = 1_700_000_000_000;

/** UTF-8 bytes of a string. */
export const b = (s: string): Uint8Array => new TextEncoder().encode(s);
/** The string of UTF-8 bytes. */
export const str = (u: Uint8Array): string => new TextDecoder().decode(u);

/** mulberry32: a seeded PRNG in [0, 1). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A model on a fake clock, and a typed shortcut for cache 1. */
export interface Fixture {
  store: MemoryStore;
  /** Moves the fake clock forward. */
  advance(ms: number): void;
  /** Runs an operation on cache 1. */
  run<K extends OpName>(op: K, args: OpArgs<K>): OpResult<K>;
}

/** A fresh model (seeded randomness, clock at {@linkcode T0}). */
export function fixture(limits: Partial<StoreLimits> = {}): Fixture {
  let now = T0;
  const store = new MemoryStore({ now: () => now, limits, random: rng(7) });
  return {
    store,
    advance(ms) {
      now += ms;
    },
    run: (op, args) => store.execute(1, op, args),
  };
}

/** Asserts that `fn` throws a KvoltError with this code (and cause). */
export function throwsKvolt(
  fn: () => unknown,
  code: string,
  limit?: string,
): KvoltError {
  let caught: unknown;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  assert.ok(caught instanceof KvoltError, `expected a KvoltError: ${caught}`);
  assert.equal(caught.code, code, caught.message);
  if (limit !== undefined) assert.equal(caught.limit, limit);
  return caught;
}

/** The strings of a Hit's byte array, or undefined for a Miss. */
export function strings(
  result: { type: string },
  field: string,
): string[] | undefined {
  if (result.type !== "Hit") return undefined;
  return ((result as Record<string, unknown>)[field] as Uint8Array[]).map(str);
}
