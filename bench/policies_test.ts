import assert from "node:assert/strict";
import { arcReplay, s3fifoReplay, wtinylfuReplay } from "./policies.ts";
import {
  best,
  comparePolicies,
  formatPolicies,
  parseList,
} from "./policies_bench.ts";
import { lruReplay, parseTrace, type Trace } from "./replay.ts";
import { SYNTHETIC } from "./synthetic_traces.ts";

/** `keys` requested in order, each with a 9-byte value (10 bytes an item). */
function trace(keys: string[]): Trace {
  return parseTrace(keys.map((k) => `${k} 9\n`).join(""));
}

const SCAN = Array.from({ length: 20 }, (_, i) => `s${i}`);

Deno.test("policies: LRU charges the overhead on every item", () => {
  const t = trace(["a", "b", "a", "c", "b", "a", "c"]);
  // 10 + 5 bytes an item: two fit in 30, as with no overhead
  assert.equal(lruReplay(t, 30, 5).hits, 1);
  assert.deepEqual(lruReplay(t, 30, 5), { hits: 1, items: 2, usedBytes: 30 });
  // 16 bytes an item: one fits, and every request misses
  assert.equal(lruReplay(t, 30, 6).hits, 0);
});

Deno.test("policies: S3-FIFO, ARC and W-TinyLFU keep a key read twice through a scan LRU flushes", () => {
  // h is read twice, then 20 keys read once each, then h again; 5 items fit
  const t = trace(["h", "h", ...SCAN, "h"]);
  assert.equal(lruReplay(t, 50).hits, 1);
  assert.equal(s3fifoReplay(t, 50).hits, 2);
  assert.equal(arcReplay(t, 50).hits, 2);
  assert.equal(wtinylfuReplay(t, 50).hits, 2);
  // with 6 bytes an item only three fit; the scan still cannot flush h
  assert.equal(s3fifoReplay(t, 50, 6).hits, 2);
  assert.equal(arcReplay(t, 50, 6).hits, 2);
  assert.equal(wtinylfuReplay(t, 50, 6).hits, 2);
  // a window as large as the budget is an LRU: the scan flushes h
  assert.equal(wtinylfuReplay(t, 50, 0, 99).hits, 1);
});

Deno.test("policies: W-TinyLFU admits a key asked for more often than main's victim", () => {
  // main is full of a, b, c, d (once each); x is asked for twice before it
  // leaves the window, so it displaces one of them; y, asked for once, not
  const t = trace(["a", "b", "c", "d", "x", "x", "y", "x", "a", "b", "c", "d"]);
  // 5 items of 10 bytes fit; a window of 20% holds one
  const r = wtinylfuReplay(t, 50, 0, 20);
  // hits: x (in the window), x (in main), then three of a, b, c, d
  assert.equal(r.hits, 5);
  assert.equal(r.items, 5);
});

Deno.test("policies: S3-FIFO's ghost sends a returning key to main, where a scan cannot reach it", () => {
  // g leaves small unread (its id goes to the ghost), comes back within the
  // ghost's reach and enters main; the scan that follows passes through small
  const back = trace(["g", "a", "b", "c", "d", "e", "f", "g", ...SCAN, "g"]);
  assert.equal(s3fifoReplay(back, 50).hits, 1);
  // without the second request g never reaches main: the scan flushes it
  const once = trace(["g", "a", "b", "c", "d", "e", "f", ...SCAN, "g"]);
  assert.equal(s3fifoReplay(once, 50).hits, 0);
});

Deno.test("policies: with room for everything each policy misses only first requests", () => {
  const t = SYNTHETIC["zipf0.9-small"]!(20_000, 3);
  const distinct = new Set(t.ids).size;
  const ceiling = t.ids.length - distinct;
  for (const overhead of [0, 9]) {
    const budget = t.footprint + overhead * distinct;
    assert.equal(lruReplay(t, budget, overhead).hits, ceiling);
    assert.equal(s3fifoReplay(t, budget, overhead).hits, ceiling);
    assert.equal(arcReplay(t, budget, overhead).hits, ceiling);
    assert.equal(wtinylfuReplay(t, budget, overhead).hits, ceiling);
    // with half the room, some come back after they left
    const half = Math.floor(budget / 2);
    assert.ok(lruReplay(t, half, overhead).hits < ceiling);
    assert.ok(s3fifoReplay(t, half, overhead).hits < ceiling);
    assert.ok(arcReplay(t, half, overhead).hits < ceiling);
    assert.ok(wtinylfuReplay(t, half, overhead, 20).hits < ceiling);
  }
});

Deno.test("policies: each policy fills its budget and never holds more", () => {
  // 40 one-letter keys of 1 + 9 bytes (+ 6 of overhead): 12 fit in 200
  const keys = Array.from(
    { length: 2000 },
    (_, i) => String.fromCharCode(65 + (i * 7919) % 40),
  );
  const t = trace(keys);
  assert.equal(lruReplay(t, 200, 6).items, 12);
  assert.equal(s3fifoReplay(t, 200, 6).items, 12);
  assert.equal(arcReplay(t, 200, 6).items, 12);
  assert.equal(wtinylfuReplay(t, 200, 6, 20).items, 12);
});

Deno.test("policies bench: rows mark where no policy reaches the bar; bad overheads are refused", () => {
  const t = SYNTHETIC["uniform"]!(20_000, 1);
  const rows = comparePolicies("uniform", t, [0, 9], [1, 50], [25]);
  assert.equal(rows.length, 2);
  const [free, paid] = rows as [typeof rows[0], typeof rows[0]];
  assert.equal(free.lru, free.bar);
  // uniform requests: no policy helps, so 9 bytes an item costs every one
  assert.ok(best(paid) < paid.bar);
  const table = formatPolicies(rows);
  assert.ok(paid.window === 1 || paid.window === 50);
  assert.match(table, /^trace\s+budget\s+LRU\+0\s+\+bytes/);
  assert.match(
    table,
    /\+9(\s+\d\.\d{4}){4}\s+(1|50)%\s+<< none reaches LRU\+0$/,
  );
  assert.doesNotMatch(table.split("\n")[1]!, /none reaches/);
  assert.deepEqual(parseList("--overhead", "0,9,18", 0, 4096), [0, 9, 18]);
  for (const bad of ["", "9,x", "-1", "1.5", "5000", "9,"]) {
    assert.throws(() => parseList("--overhead", bad, 0, 4096), RangeError);
  }
  assert.throws(
    () => parseList("--windows", "0,50", 1, 99),
    /--windows must be whole numbers from 1 to 99/,
  );
});
