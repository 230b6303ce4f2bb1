/**
 * `deno task bench:hits`: kvolt's hit ratio against an exact LRU with no
 * per-item overhead, at 5%, 10% and 25% of each trace's footprint, on every
 * trace in `/work/shared/traces/` (or `--traces DIR`) and on the synthetic
 * traces of `synthetic_traces.ts` (seeded: same seed, same trace).
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
import { alignTable } from "./_table.ts";
import {
  kvoltHits,
  lruReplay,
  parseBudget,
  readTrace,
  type Trace,
  traceLength,
} from "./replay.ts";
import { DEFAULT_REQUESTS, SYNTHETIC } from "./synthetic_traces.ts";

/** Budgets, in percent of a trace's footprint. */
export const BUDGETS = [5, 10, 25] as const;

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
  return alignTable([HEAD, ...rows.map(cells)]);
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

/** Which traces a run replays: `--traces`, `--only`, `--requests`, `--seed`. */
export interface TraceSet {
  /** Directory of trace files (default `../shared/traces/`). */
  dir?: string;
  /** Names to keep (default all). */
  only?: readonly string[];
  /** Requests of each synthetic trace. */
  requests: number;
  seed: number;
}

/**
 * The trace set named by the flags' texts (`--traces`, `--only`,
 * `--requests`, `--seed`; absent ones take their defaults).
 *
 * @throws RangeError when `--requests` or `--seed` is not a fit integer
 */
export function traceSetOf(flags: {
  traces?: string;
  only?: string;
  requests?: string;
  seed?: string;
}): TraceSet {
  const requests = Number(flags.requests ?? DEFAULT_REQUESTS);
  const seed = Number(flags.seed ?? 1);
  if (!Number.isInteger(requests) || requests < 1000) {
    throw new RangeError(`--requests must be an integer >= 1000`);
  }
  if (!Number.isInteger(seed)) {
    throw new RangeError(`--seed must be an integer`);
  }
  return { dir: flags.traces, only: flags.only?.split(","), requests, seed };
}

/**
 * The trace files of `set.dir` in name order, then the synthetic traces, each
 * read or built only when it is wanted; `status` hears what is under way.
 */
export async function* traceSet(
  set: TraceSet,
  status: (text: string) => void = () => {},
): AsyncGenerator<{ name: string; trace: Trace }> {
  const dir = set.dir === undefined
    ? new URL("../../shared/traces/", import.meta.url)
    : new URL(
      set.dir.endsWith("/") ? set.dir : set.dir + "/",
      `file://${Deno.cwd()}/`,
    );
  const wanted = (name: string) =>
    set.only === undefined || set.only.includes(name);
  const files = await traceFiles(dir).catch((err) => {
    if (!(err instanceof Deno.errors.NotFound)) throw err;
    console.error(`no trace directory ${dir.pathname}`);
    return [];
  });
  for (const f of files) {
    if (!wanted(f.name)) continue;
    status(`${f.name}: reading`);
    yield { name: f.name, trace: await readTrace(f.url) };
  }
  for (const [name, make] of Object.entries(SYNTHETIC)) {
    if (!wanted(name)) continue;
    status(`${name}: generating`);
    yield { name, trace: make(set.requests, set.seed) };
  }
}

async function main(args: string[]): Promise<void> {
  const set = traceSetOf({
    traces: flag(args, "--traces"),
    only: flag(args, "--only"),
    requests: flag(args, "--requests"),
    seed: flag(args, "--seed"),
  });
  const wasm = flag(args, "--wasm");
  const module = wasm === undefined
    ? undefined
    : await WebAssembly.compile(await Deno.readFile(wasm));
  const tty = Deno.stderr.isTerminal();
  const te = new TextEncoder();
  const status = (text: string) => {
    if (tty) Deno.stderr.writeSync(te.encode(`\r\x1b[K  ${text}`));
  };
  const started = performance.now();
  const rows: HitRow[] = [];
  for await (const { name, trace } of traceSet(set, status)) {
    status(`${name}: replaying ${traceLength(trace)} requests`);
    rows.push(...await compare(name, trace, BUDGETS, module));
  }
  status("");
  if (tty) Deno.stderr.writeSync(te.encode("\r\x1b[K"));
  console.log(formatTable(rows));
  const below = rows.filter((r) => r.kvolt < r.lru);
  console.log(JSON.stringify({
    seed: set.seed,
    synthetic_requests: set.requests,
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
