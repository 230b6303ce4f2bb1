/**
 * The synthetic traces of `bench:hits`, built from a seeded PRNG (same seed,
 * same trace):
 *
 * - `zipf0.9-small`: Zipf 0.9 over 100k keys, values of 10-100 bytes (the
 *   shard's per-item overhead weighs most)
 * - `zipf1.1-large`: Zipf 1.1 over 20k keys, values of 1-64 KiB
 * - `scan-mix`: a loop over 50k keys, every other request from a Zipf 0.9 hot
 *   set of 10k keys (LRU is poor)
 * - `uniform`: uniform over 50k keys, values of 100-1000 bytes (no policy
 *   helps: only bytes per item count)
 * - `shifting`: Zipf 0.9 over a hot set of 10k keys that moves to fresh keys
 *   every 150k requests
 *
 * @module
 */
import { type Trace, traceFromIds } from "./replay.ts";

/** Requests of each synthetic trace unless `--requests` says otherwise. */
export const DEFAULT_REQUESTS = 1_500_000;

/** A PRNG (sfc32, seeded through splitmix32): floats in [0, 1). */
export function prng(seed: number): () => number {
  let s = seed >>> 0;
  const split = (): number => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = split();
  let b = split();
  let c = split();
  let d = split();
  return () => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
}

/** Draws ranks 0..n-1 with P(r) proportional to 1 / (r + 1)^alpha. */
export function zipf(
  n: number,
  alpha: number,
  rand: () => number,
): () => number {
  const cdf = new Float64Array(n);
  let sum = 0;
  for (let r = 0; r < n; r++) {
    sum += 1 / Math.pow(r + 1, alpha);
    cdf[r] = sum;
  }
  return () => {
    const u = rand() * sum;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cdf[mid]! < u) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

/** A random permutation of 0..n-1 (ranks to key ids, so hot keys are spread). */
function permutation(n: number, rand: () => number): Uint32Array {
  const p = new Uint32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    const t = p[i]!;
    p[i] = p[j]!;
    p[j] = t;
  }
  return p;
}

/** One fixed value size per key, uniform in [min, max]. */
function keySizes(
  n: number,
  min: number,
  max: number,
  rand: () => number,
): Uint32Array {
  const s = new Uint32Array(n);
  for (let i = 0; i < n; i++) s[i] = min + Math.floor(rand() * (max - min + 1));
  return s;
}

/** Builds a trace of `requests` from a key-id source and per-key sizes. */
function build(
  requests: number,
  next: () => number,
  sizeOf: Uint32Array,
): Trace {
  const ids = new Uint32Array(requests);
  const sizes = new Uint32Array(requests);
  for (let i = 0; i < requests; i++) {
    const k = next();
    ids[i] = k;
    sizes[i] = sizeOf[k]!;
  }
  return traceFromIds(ids, sizes);
}

/** Zipf `alpha` over `keys` keys, each with a fixed size in [min, max]. */
export function zipfTrace(
  requests: number,
  seed: number,
  keys: number,
  alpha: number,
  min: number,
  max: number,
): Trace {
  const rand = prng(seed);
  const perm = permutation(keys, rand);
  const sizeOf = keySizes(keys, min, max, rand);
  const draw = zipf(keys, alpha, rand);
  return build(requests, () => perm[draw()]!, sizeOf);
}

/**
 * Every other request is the next key of a loop over `scanKeys` keys, the
 * others Zipf 0.9 over `hotKeys` other keys; values of 64-512 bytes.
 */
export function scanMixTrace(
  requests: number,
  seed: number,
  scanKeys = 50_000,
  hotKeys = 10_000,
): Trace {
  const rand = prng(seed);
  const perm = permutation(scanKeys + hotKeys, rand);
  const sizeOf = keySizes(scanKeys + hotKeys, 64, 512, rand);
  const draw = zipf(hotKeys, 0.9, rand);
  let i = 0;
  let scan = 0;
  return build(requests, () => {
    if ((i++ & 1) === 0) {
      const k = scan;
      scan = (scan + 1) % scanKeys;
      return perm[k]!;
    }
    return perm[scanKeys + draw()]!;
  }, sizeOf);
}

/** Uniform over `keys` keys, values of 100-1000 bytes. */
export function uniformTrace(
  requests: number,
  seed: number,
  keys = 50_000,
): Trace {
  const rand = prng(seed);
  const sizeOf = keySizes(keys, 100, 1000, rand);
  return build(requests, () => Math.floor(rand() * keys), sizeOf);
}

/**
 * Zipf 0.9 over a hot set of `hotKeys` keys that moves to `hotKeys` fresh
 * keys every `phase` requests; values of 64-512 bytes.
 */
export function shiftingTrace(
  requests: number,
  seed: number,
  hotKeys = 10_000,
  phase = 150_000,
): Trace {
  const rand = prng(seed);
  const phases = Math.max(1, Math.ceil(requests / phase));
  const keys = hotKeys * phases;
  const perm = permutation(keys, rand);
  const sizeOf = keySizes(keys, 64, 512, rand);
  const draw = zipf(hotKeys, 0.9, rand);
  let i = 0;
  return build(requests, () => {
    const base = Math.floor(i++ / phase) * hotKeys;
    return perm[base + draw()]!;
  }, sizeOf);
}

/** The synthetic traces, by name: each a function of (requests, seed). */
export const SYNTHETIC: Record<
  string,
  (requests: number, seed: number) => Trace
> = {
  "zipf0.9-small": (r, s) => zipfTrace(r, s, 100_000, 0.9, 10, 100),
  "zipf1.1-large": (r, s) =>
    zipfTrace(Math.ceil(r * 2 / 3), s, 20_000, 1.1, 1024, 65536),
  "scan-mix": (r, s) => scanMixTrace(r, s),
  "uniform": (r, s) => uniformTrace(r, s),
  "shifting": (r, s) => shiftingTrace(r, s),
};
