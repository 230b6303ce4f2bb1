/**
 * `deno task bench:hits`: kvolt's hit ratio against an exact LRU with no
 * per-item overhead, at 5%, 10% and 25% of each trace's footprint, on every
 * trace in `/work/shared/traces/` (or `--traces DIR`) and on synthetic traces
 * generated here from a seeded PRNG (same seed, same trace):
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
 * Replay as in `replay.ts` (whose functions this reuses): each request is a
 * get, a miss is followed by a set. Prints a table (rows where kvolt is below
 * LRU are marked `<< below LRU`), then one JSON line.
 *
 * ```sh
 * deno task bench:hits
 * deno task bench:hits --only web07,uniform --requests 500000 --seed 7
 * deno task bench:hits --wasm /tmp/candidate.wasm   # another build of the core
 * ```
 *
 * @module
 */
import {
  kvoltHits,
  lruReplay,
  parseBudget,
  readTrace,
  type Trace,
  traceFromIds,
  traceLength,
} from "./replay.ts";

/** Budgets, in percent of a trace's footprint. */
export const BUDGETS = [5, 10, 25] as const;

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

/** One line of the table. */
export interface HitRow {
  trace: string;
  requests: number;
  budgetPct: number;
  budget: number;
  kvolt: number;
  lru: number;
  /**
   * 1 - distinct keys / requests: no cache of any size or policy hits more
   * (each key's first request misses). When LRU reaches it, LRU is optimal.
   */
  ceiling: number;
  /** kvolt's items at the end over LRU's. */
  itemsRatio: number;
  seconds: number;
}

/** Replays one trace at each budget through kvolt and the LRU. */
export async function compare(
  name: string,
  trace: Trace,
  budgets: readonly number[] = BUDGETS,
  module?: WebAssembly.Module,
): Promise<HitRow[]> {
  const rows: HitRow[] = [];
  const n = traceLength(trace);
  const ceiling = 1 - new Set(trace.ids).size / n;
  for (const pct of budgets) {
    const budget = parseBudget(`${pct}%`, trace.footprint);
    const run = await kvoltHits(trace, budget, { module });
    const lru = lruReplay(trace, budget);
    rows.push({
      trace: name,
      requests: n,
      budgetPct: pct,
      budget,
      kvolt: run.hits / n,
      lru: lru.hits / n,
      ceiling,
      itemsRatio: lru.items === 0 ? 0 : run.items / lru.items,
      seconds: run.seconds,
    });
  }
  return rows;
}

const HEAD = [
  "trace",
  "requests",
  "budget",
  "bytes",
  "kvolt",
  "LRU",
  "diff",
  "ceiling",
  "items k/LRU",
  "",
];

/** The table's cells for a row. */
function cells(r: HitRow): string[] {
  const diff = r.kvolt - r.lru;
  return [
    r.trace,
    String(r.requests),
    `${r.budgetPct}%`,
    String(r.budget),
    r.kvolt.toFixed(4),
    r.lru.toFixed(4),
    (diff >= 0 ? "+" : "") + diff.toFixed(4),
    r.ceiling.toFixed(4),
    r.itemsRatio.toFixed(3),
    r.kvolt >= r.lru
      ? ""
      : lruAtCeiling(r)
      ? "<< below LRU (LRU at the ceiling)"
      : "<< below LRU",
  ];
}

/**
 * True when LRU misses only first requests (to 4 decimals): it is then
 * optimal, and matching it takes holding every live key in a budget that may
 * be no larger than their key and value bytes.
 */
export function lruAtCeiling(r: HitRow): boolean {
  return r.ceiling - r.lru < 0.00005;
}

/** The rows as an aligned text table. */
export function formatTable(rows: readonly HitRow[]): string {
  const all = [HEAD, ...rows.map(cells)];
  const widths = HEAD.map((_, c) =>
    Math.max(...all.map((line) => line[c]!.length))
  );
  return all.map((line) =>
    line.map((cell, c) =>
      c === 0 || c === line.length - 1
        ? cell.padEnd(widths[c]!)
        : cell.padStart(widths[c]!)
    ).join("  ").trimEnd()
  ).join("\n");
}

function flag(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i < 0 ? undefined : args[i + 1];
}

async function traceFiles(dir: URL): Promise<{ name: string; url: URL }[]> {
  const out: { name: string; url: URL }[] = [];
  for await (const e of Deno.readDir(dir)) {
    if (e.isFile && /\.txt(\.gz)?$/.test(e.name)) {
      out.push({
        name: e.name.replace(/\.txt(\.gz)?$/, ""),
        url: new URL(e.name, dir),
      });
    }
  }
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

async function main(args: string[]): Promise<void> {
  const dirArg = flag(args, "--traces");
  const dir = dirArg === undefined
    ? new URL("../../shared/traces/", import.meta.url)
    : new URL(
      dirArg.endsWith("/") ? dirArg : dirArg + "/",
      `file://${Deno.cwd()}/`,
    );
  const requests = Number(flag(args, "--requests") ?? DEFAULT_REQUESTS);
  const seed = Number(flag(args, "--seed") ?? 1);
  if (!Number.isInteger(requests) || requests < 1000) {
    throw new RangeError(`--requests must be an integer >= 1000`);
  }
  if (!Number.isInteger(seed)) {
    throw new RangeError(`--seed must be an integer`);
  }
  const only = flag(args, "--only")?.split(",");
  const wasm = flag(args, "--wasm");
  const module = wasm === undefined
    ? undefined
    : await WebAssembly.compile(await Deno.readFile(wasm));
  const wanted = (name: string) => only === undefined || only.includes(name);
  const tty = Deno.stderr.isTerminal();
  const te = new TextEncoder();
  const status = (text: string) => {
    if (tty) Deno.stderr.writeSync(te.encode(`\r\x1b[K  ${text}`));
  };
  const started = performance.now();
  const rows: HitRow[] = [];
  const files = await traceFiles(dir).catch((err) => {
    if (!(err instanceof Deno.errors.NotFound)) throw err;
    console.error(`bench:hits: no trace directory ${dir.pathname}`);
    return [];
  });
  for (const f of files) {
    if (!wanted(f.name)) continue;
    status(`${f.name}: reading`);
    const trace = await readTrace(f.url);
    status(`${f.name}: replaying ${traceLength(trace)} requests`);
    rows.push(...await compare(f.name, trace, BUDGETS, module));
  }
  for (const [name, make] of Object.entries(SYNTHETIC)) {
    if (!wanted(name)) continue;
    status(`${name}: generating`);
    const trace = make(requests, seed);
    status(`${name}: replaying ${traceLength(trace)} requests`);
    rows.push(...await compare(name, trace, BUDGETS, module));
  }
  status("");
  if (tty) Deno.stderr.writeSync(te.encode("\r\x1b[K"));
  console.log(formatTable(rows));
  const below = rows.filter((r) => r.kvolt < r.lru);
  console.log(JSON.stringify({
    seed,
    synthetic_requests: requests,
    wasm: wasm ?? "store-wasm/build/kvolt_core.wasm",
    seconds: Math.round((performance.now() - started) / 100) / 10,
    below_lru: below.map((r) => `${r.trace}@${r.budgetPct}%`),
    below_lru_at_ceiling: below.filter(lruAtCeiling).map((r) =>
      `${r.trace}@${r.budgetPct}%`
    ),
    rows: rows.map((r) => ({
      trace: r.trace,
      requests: r.requests,
      budget_pct: r.budgetPct,
      budget: r.budget,
      kvolt: +r.kvolt.toFixed(4),
      lru: +r.lru.toFixed(4),
      diff: +(r.kvolt - r.lru).toFixed(4),
      ceiling: +r.ceiling.toFixed(4),
      items_ratio: +r.itemsRatio.toFixed(3),
    })),
  }));
}

if (import.meta.main) await main(Deno.args);
