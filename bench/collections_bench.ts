/**
 * `deno task bench:collections`: the collection operations of the Wasm core,
 * through `ShardHost.execute` (the path the gateway uses), against plain JS
 * structures doing the same work in the same run (`_collection_sides.ts`):
 * dictionaries (10 fields each) vs `Map<string, Map<string, Uint8Array>>`,
 * lists vs an array used as a deque with a head index, sets vs
 * `Map<string, Set<string>>`, one sorted set vs a sorted array with
 * binary-search insertion and a Map of scores.
 *
 * Each operation's figure is the best of `--rounds` rounds; ratios are core /
 * JS. Memory per element: the core's `usedBytes` growth over the elements
 * stored (and its live item bytes alone, without the dead copies a growing
 * collection leaves in the ring); the JS side's heap growth (`heapUsed + external`, after `gc()`, run
 * with `--v8-flags=--expose-gc`) over the same elements. Then `getRank` on
 * sorted sets of 1k, 10k and 100k members (O(log n): should stay roughly
 * flat). Both sides must return the same digest of every phase's results, or
 * the run fails.
 *
 * Flags: `--elements N` (per collection type, 100000), `--queries N` (per read
 * phase, 50000; incrementScore runs a tenth of them), `--rounds N` (3), `--scaling 1000,10000,100000`.
 *
 * Prints tables, then one JSON line (the last line) with the figures.
 *
 * @module
 */
import { ShardHost } from "../store-wasm/shard_host.ts";
import {
  coreSides,
  JsDictionary,
  JsList,
  JsSet,
  JsSortedSet,
} from "./_collection_sides.ts";
import {
  type Data,
  dictionaryPhases,
  listPhases,
  makeData,
  type Phase,
  setPhases,
  type Sizes,
  sortedSetPhases,
} from "./_collection_workloads.ts";

/** The collection types, in the order they run. */
export const TYPES = ["dictionary", "list", "set", "sortedSet"] as const;
/** A collection type. */
export type CollectionType = typeof TYPES[number];

/** One side's run of one collection type. */
export interface SideRun {
  /** Phase names, in order. */
  names: string[];
  /** Operations per phase. */
  ops: number[];
  /** Operations per second, per phase. */
  rates: number[];
  /** Each phase's digest of its results. */
  digests: number[];
  /** Memory growth per element after the first phase. */
  bytesPerElement: number;
  /** Core only: live item bytes per element then (no dead copies). */
  liveBytesPerElement?: number;
}

function gc(): void {
  (globalThis as { gc?: () => void }).gc?.();
}
function heap(): number {
  const m = Deno.memoryUsage();
  return m.heapUsed + m.external;
}
function usedBytes(host: ShardHost, live = false): number {
  return host.stats().reduce(
    (sum, s) => sum + (live ? s.itemBytes : s.usedBytes),
    0,
  );
}

/** A host with room for every element of a run (nothing may be evicted). */
function createHost(elements: number): Promise<ShardHost> {
  const bytesPerShard = Math.min(2 ** 30, Math.max(64 << 20, elements * 512));
  return ShardHost.create({ shards: 4, bytesPerShard, sweepEveryMs: 0 });
}

function phasesOf(
  type: CollectionType,
  sides: ReturnType<typeof coreSides>,
  data: Data,
): Phase[] {
  switch (type) {
    case "dictionary":
      return dictionaryPhases(sides.dictionary, data);
    case "list":
      return listPhases(sides.list, data);
    case "set":
      return setPhases(sides.set, data);
    case "sortedSet":
      return sortedSetPhases(sides.sortedSet, data);
  }
}

function jsSides(): ReturnType<typeof coreSides> {
  return {
    dictionary: new JsDictionary(),
    list: new JsList(),
    set: new JsSet(),
    sortedSet: new JsSortedSet(),
  };
}

function timed(phases: Phase[], afterFirst: () => void): SideRun {
  const run: SideRun = {
    names: phases.map((p) => p.name),
    ops: phases.map((p) => p.ops),
    rates: [],
    digests: [],
    bytesPerElement: 0,
  };
  phases.forEach((phase, i) => {
    const t = performance.now();
    run.digests.push(phase.run());
    const s = (performance.now() - t) / 1000;
    run.rates.push(Math.round(phase.ops / Math.max(s, 1e-6)));
    if (i === 0) afterFirst();
  });
  return run;
}

/** Runs one collection type on the core, through `ShardHost.execute`. */
export async function runCore(
  type: CollectionType,
  data: Data,
): Promise<SideRun> {
  const host = await createHost(data.sizes.elements);
  try {
    const before = usedBytes(host);
    let grown = 0;
    let live = 0;
    const run = timed(phasesOf(type, coreSides(host), data), () => {
      grown = usedBytes(host) - before;
      live = usedBytes(host, true);
    });
    const evicted = host.stats().reduce((sum, s) => sum + s.evictions, 0);
    if (evicted > 0) {
      throw new Error(`Cannot measure ${type}: the core evicted ${evicted}`);
    }
    run.bytesPerElement = grown / data.sizes.elements;
    run.liveBytesPerElement = live / data.sizes.elements;
    return run;
  } finally {
    host.close();
  }
}

/** Runs one collection type on its plain JS baseline. */
export function runJs(type: CollectionType, data: Data): SideRun {
  gc();
  const before = heap();
  const sides = jsSides();
  let grown = 0;
  const run = timed(phasesOf(type, sides, data), () => {
    gc();
    grown = heap() - before;
  });
  run.bytesPerElement = grown / data.sizes.elements;
  return run;
}

/** Throws unless both sides returned the same digest in every phase. */
export function checkSame(type: string, core: SideRun, js: SideRun): void {
  core.names.forEach((name, i) => {
    if (core.digests[i] !== js.digests[i]) {
      throw new Error(
        `Cannot trust ${type}.${name}: the core and the JS baseline disagree: ${
          core.digests[i]
        } vs ${js.digests[i]}`,
      );
    }
  });
}

/** getRank ops/s on one sorted set of `members` members (filled in batches). */
export async function rankRate(
  members: number,
  queries: number,
): Promise<number> {
  const data = makeData({ elements: members, queries }, 7);
  const host = await createHost(members);
  try {
    const key = data.zsetKey;
    for (let i = 0; i < members; i += 1000) {
      const elements = [];
      for (let j = i; j < Math.min(members, i + 1000); j++) {
        elements.push({ value: data.members[j]!, score: data.scores[j]! });
      }
      host.execute(1, "sortedSetPutElements", { key, elements, ttlMs: 3.6e6 });
    }
    let misses = 0;
    const t = performance.now();
    for (let j = 0; j < queries; j++) {
      const value = data.members[Math.floor(data.draws[j]! * members)]!;
      const r = host.execute(1, "sortedSetGetRank", { key, value });
      if (r.type !== "Hit" || r.rank >= members) misses++;
    }
    const s = (performance.now() - t) / 1000;
    if (misses > 0) throw new Error(`Cannot rank: ${misses} bad answers`);
    return Math.round(queries / Math.max(s, 1e-6));
  } finally {
    host.close();
  }
}

/** Everything a run measured, as the JSON line prints it. */
export interface Report {
  elements: number;
  queries: number;
  rounds: number;
  /** "type.op" -> core and JS ops/s (best round) and core / JS. */
  ops_per_s: Record<string, { core: number; js: number; ratio: number }>;
  /**
   * type -> bytes per element: core (`usedBytes`, with the dead copies that
   * growing collections leave in the ring until eviction reclaims them),
   * core_live (live items only), JS (smallest round), and core / JS.
   */
  bytes_per_element: Record<
    string,
    { core: number; core_live: number; js: number; ratio: number }
  >;
  /** Sorted-set size -> core getRank ops/s (best round). */
  sorted_set_get_rank_ops_per_s: Record<string, number>;
  /** getRank ops/s at the largest size / at the smallest (1: flat). */
  get_rank_largest_vs_smallest: number;
}

const round2 = (x: number) => Math.round(x * 100) / 100;

/**
 * Runs every type on both sides, `rounds` times, and the rank scaling.
 *
 * @param sizes elements per collection type and operations per read phase
 * @param rounds how many times to run everything (figures: the best round)
 * @param scaling sorted-set sizes for the getRank scaling
 * @returns the figures, as the JSON line prints them
 *
 * @example A tiny run
 * ```ts
 * import { measure } from "./collections_bench.ts";
 * const report = await measure({ elements: 100, queries: 50 }, 1, [100]);
 * if (!(report.ops_per_s["sortedSet.getRank"]!.core > 0)) throw new Error("no figure");
 * ```
 */
export async function measure(
  sizes: Sizes,
  rounds: number,
  scaling: number[],
): Promise<Report> {
  const data = makeData(sizes);
  const report: Report = {
    elements: sizes.elements,
    queries: sizes.queries,
    rounds,
    ops_per_s: {},
    bytes_per_element: {},
    sorted_set_get_rank_ops_per_s: {},
    get_rank_largest_vs_smallest: 0,
  };
  for (let round = 0; round < rounds; round++) {
    for (const type of TYPES) {
      const js = runJs(type, data);
      const core = await runCore(type, data);
      checkSame(type, core, js);
      core.names.forEach((name, i) => {
        const prior = report.ops_per_s[`${type}.${name}`];
        const c = Math.max(prior?.core ?? 0, core.rates[i]!);
        const j = Math.max(prior?.js ?? 0, js.rates[i]!);
        report.ops_per_s[`${type}.${name}`] = {
          core: c,
          js: j,
          ratio: round2(c / j),
        };
      });
      const prior = report.bytes_per_element[type];
      const c = round2(core.bytesPerElement);
      const j = round2(Math.min(prior?.js ?? Infinity, js.bytesPerElement));
      report.bytes_per_element[type] = {
        core: c,
        core_live: round2(core.liveBytesPerElement ?? 0),
        js: j,
        ratio: round2(c / j),
      };
    }
    for (const n of scaling) {
      const rate = await rankRate(n, sizes.queries);
      const best = report.sorted_set_get_rank_ops_per_s;
      best[n] = Math.max(best[n] ?? 0, rate);
    }
  }
  const ranks = scaling.map((n) => report.sorted_set_get_rank_ops_per_s[n]!);
  if (ranks.length > 0) {
    report.get_rank_largest_vs_smallest = round2(ranks.at(-1)! / ranks[0]!);
  }
  return report;
}

function flag(args: string[], name: string, fallback: string): string {
  const at = args.indexOf(name);
  return at < 0 ? fallback : args[at + 1] ?? "";
}

function count(args: string[], name: string, fallback: number): number {
  const raw = flag(args, name, String(fallback));
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < 1) {
    throw new RangeError(
      `Invalid ${name}: expected a positive whole number: received ${raw}`,
    );
  }
  return n;
}

async function main(args: string[]): Promise<void> {
  const sizes = {
    elements: count(args, "--elements", 100_000),
    queries: count(args, "--queries", 50_000),
  };
  const rounds = count(args, "--rounds", 3);
  const scaling = flag(args, "--scaling", "1000,10000,100000").split(",").map(
    (s) => count(["--scaling", s], "--scaling", 1),
  );
  if (!("gc" in globalThis)) {
    console.error("no gc(): JS memory figures are noisy (--expose-gc)");
  }
  const report = await measure(sizes, rounds, scaling);
  console.table(report.ops_per_s);
  console.table(report.bytes_per_element);
  console.table(report.sorted_set_get_rank_ops_per_s);
  console.log(JSON.stringify(report));
}

if (import.meta.main) await main(Deno.args);
