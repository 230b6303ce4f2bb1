/**
 * `deno task bench:policies`: could any well-known policy meet `bench:hits`'s
 * bar if it paid bytes an item? Replays each trace of `bench:hits` (same
 * `--traces`, `--only`, `--requests`, `--seed`) at 5%, 10% and 25% of its
 * footprint through the bar itself, an exact LRU paying nothing an item, and
 * through LRU, S3-FIFO, ARC and W-TinyLFU (`policies.ts`; the best of its
 * `--windows`, in percent of the budget) charged each `--overhead` bytes an
 * item (default `9,18`: kvolt's 9-byte item header alone, the least
 * any store holding lengths and an expiry pays; and about what kvolt pays
 * with its index and ghost). A row where the best of the four stays below
 * the bar is marked `<< none reaches LRU+0`: there, a store paying that much
 * an item is below the bar whatever of these policies it runs.
 *
 * ```sh
 * deno task bench:policies
 * deno task bench:policies --traces DIR --only lirs-sprite --overhead 0,5,9
 * deno task bench:policies --windows 1,10,30,60,99
 * ```
 *
 * The last line is JSON (`unreachable` lists trace@budget+overhead).
 *
 * @module
 */
import { parseArgs } from "node:util";
import { alignTable } from "./_table.ts";
import { BUDGETS, traceSet, traceSetOf } from "./hits_bench.ts";
import { lruReplay, parseBudget, type Trace, traceLength } from "./replay.ts";
import { arcReplay, s3fifoReplay, wtinylfuReplay } from "./policies.ts";

/** One trace at one budget and one overhead. */
export interface PolicyRow {
  trace: string;
  budgetPct: number;
  overhead: number;
  /** The bar: LRU paying nothing an item. */
  bar: number;
  lru: number;
  s3fifo: number;
  arc: number;
  /** W-TinyLFU with its best window. */
  wtinylfu: number;
  /** That window, in percent of the budget. */
  window: number;
}

/** Replays one trace at each budget and overhead. */
export function comparePolicies(
  name: string,
  trace: Trace,
  overheads: readonly number[],
  windows: readonly number[] = WINDOWS,
  budgets: readonly number[] = BUDGETS,
): PolicyRow[] {
  const n = traceLength(trace);
  const rows: PolicyRow[] = [];
  for (const pct of budgets) {
    const budget = parseBudget(`${pct}%`, trace.footprint);
    const bar = lruReplay(trace, budget).hits / n;
    for (const o of overheads) {
      let wtinylfu = -1;
      let window = 0;
      for (const w of windows) {
        const h = wtinylfuReplay(trace, budget, o, w).hits / n;
        if (h > wtinylfu) [wtinylfu, window] = [h, w];
      }
      rows.push({
        trace: name,
        budgetPct: pct,
        overhead: o,
        bar,
        lru: lruReplay(trace, budget, o).hits / n,
        s3fifo: s3fifoReplay(trace, budget, o).hits / n,
        arc: arcReplay(trace, budget, o).hits / n,
        wtinylfu,
        window,
      });
    }
  }
  return rows;
}

/** W-TinyLFU's windows unless `--windows` says otherwise. */
export const WINDOWS: readonly number[] = [1, 20, 50, 80, 99];

/** The best of the four policies on a row. */
export function best(r: PolicyRow): number {
  return Math.max(r.lru, r.s3fifo, r.arc, r.wtinylfu);
}

/** The rows as an aligned text table. */
export function formatPolicies(rows: readonly PolicyRow[]): string {
  const head = [
    "trace",
    "budget",
    "LRU+0",
    "+bytes",
    "LRU",
    "S3-FIFO",
    "ARC",
    "W-TinyLFU",
    "window",
  ];
  const lines = rows.map((r) => [
    r.trace,
    `${r.budgetPct}%`,
    r.bar.toFixed(4),
    `+${r.overhead}`,
    r.lru.toFixed(4),
    r.s3fifo.toFixed(4),
    r.arc.toFixed(4),
    r.wtinylfu.toFixed(4),
    `${r.window}%`,
    best(r) < r.bar ? "<< none reaches LRU+0" : "",
  ]);
  return alignTable([[...head, ""], ...lines]);
}

/**
 * A comma list of whole numbers from `min` to `max` (`--overhead` in bytes,
 * `--windows` in percent).
 */
export function parseList(
  flag: string,
  text: string,
  min: number,
  max: number,
): number[] {
  const parts = text.split(",");
  const list = parts.map(Number);
  if (
    parts.some((p) => !/^\d+$/.test(p)) ||
    list.some((o) => o < min || o > max)
  ) {
    throw new RangeError(
      `${flag} must be whole numbers from ${min} to ${max}, comma-separated: received ${text}`,
    );
  }
  return list;
}

async function main(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      traces: { type: "string" },
      only: { type: "string" },
      requests: { type: "string" },
      seed: { type: "string" },
      overhead: { type: "string", default: "9,18" },
      windows: { type: "string", default: WINDOWS.join(",") },
    },
  });
  const set = traceSetOf(values);
  const overheads = parseList("--overhead", values.overhead, 0, 4096);
  const windows = parseList("--windows", values.windows, 1, 99);
  const started = performance.now();
  const rows: PolicyRow[] = [];
  for await (const { name, trace } of traceSet(set)) {
    rows.push(...comparePolicies(name, trace, overheads, windows));
  }
  console.log(formatPolicies(rows));
  console.log(JSON.stringify({
    seed: set.seed,
    synthetic_requests: set.requests,
    overheads,
    windows,
    seconds: Math.round((performance.now() - started) / 100) / 10,
    unreachable: rows.filter((r) => best(r) < r.bar).map((r) =>
      `${r.trace}@${r.budgetPct}%+${r.overhead}`
    ),
    rows: rows.map((r) => ({
      trace: r.trace,
      budget_pct: r.budgetPct,
      overhead: r.overhead,
      bar: +r.bar.toFixed(4),
      lru: +r.lru.toFixed(4),
      s3fifo: +r.s3fifo.toFixed(4),
      arc: +r.arc.toFixed(4),
      wtinylfu: +r.wtinylfu.toFixed(4),
      window_pct: r.window,
    })),
  }));
}

if (import.meta.main) await main(Deno.args);
