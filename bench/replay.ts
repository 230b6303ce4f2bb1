/**
 * `deno task replay <trace> --budget <bytes|N%>`: replays a cache trace through
 * one Wasm shard and, in the same run, through an exact LRU, and prints their
 * hit ratios.
 *
 * A trace is text, optionally gzip, one request a line: `key size`. Each request
 * is a get; a miss is followed by a set of a `size`-byte value. The shard pays
 * for everything it keeps (item headers, index, ghost) inside the budget; the
 * LRU counts key text + value bytes only, with no overhead. `--budget 10%` means
 * 10% of the trace's footprint (key text + value bytes of every distinct key).
 *
 * Shows progress on a TTY; the last line printed is one JSON object.
 *
 * The pieces (`readTrace`, `traceFromIds`, `kvoltHits`, `lruReplay`,
 * `parseBudget`) are exported for `hits_bench.ts`.
 *
 * @module
 */
import { WasmShard } from "../store-wasm/shard.ts";
import { KvoltError } from "../protocol/errors.ts";

/**
 * A trace with its keys interned: request i asks for key `ids[i]`, whose text
 * is `names[ids[i]]`, and sets `sizes[i]` value bytes on a miss.
 */
export interface Trace {
  /** Distinct key texts, by id. */
  names: string[];
  /** The key id of each request. */
  ids: Uint32Array;
  /** The value size of each request. */
  sizes: Uint32Array;
  /** Key text + value bytes of every distinct key (its last size). */
  footprint: number;
}

/** Number of requests in a trace. */
export function traceLength(trace: Trace): number {
  return trace.ids.length;
}

/**
 * A trace from key ids and sizes; key id `k`'s text is `names[k]`
 * (default: the decimal id, as in the real traces).
 */
export function traceFromIds(
  ids: Uint32Array,
  sizes: Uint32Array,
  names?: string[],
): Trace {
  if (ids.length !== sizes.length) {
    throw new RangeError(
      `Cannot build trace: ${ids.length} ids but ${sizes.length} sizes`,
    );
  }
  let max = -1;
  for (let i = 0; i < ids.length; i++) if (ids[i]! > max) max = ids[i]!;
  const keyNames = names ?? Array.from({ length: max + 1 }, (_, k) => `${k}`);
  if (keyNames.length <= max) {
    throw new RangeError(
      `Cannot build trace: key id ${max} has no name (${keyNames.length} names)`,
    );
  }
  const last = new Float64Array(keyNames.length).fill(-1);
  for (let i = 0; i < ids.length; i++) last[ids[i]!] = sizes[i]!;
  let footprint = 0;
  for (let k = 0; k < last.length; k++) {
    if (last[k]! >= 0) footprint += keyNames[k]!.length + last[k]!;
  }
  return { names: keyNames, ids, sizes, footprint };
}

/** Parses trace text (`key size` a line) into a {@linkcode Trace}. */
export function parseTrace(text: string): Trace {
  const names: string[] = [];
  const byName = new Map<string, number>();
  const ids: number[] = [];
  const sizes: number[] = [];
  for (const line of text.split("\n")) {
    if (line === "") continue;
    const sp = line.indexOf(" ");
    const key = sp < 0 ? line : line.slice(0, sp);
    const size = sp < 0 ? NaN : Number(line.slice(sp + 1));
    if (!Number.isInteger(size) || size < 0) {
      throw new TypeError(
        `Cannot read trace: bad line ${ids.length + 1}: ${line}`,
      );
    }
    let id = byName.get(key);
    if (id === undefined) {
      id = names.length;
      byName.set(key, id);
      names.push(key);
    }
    ids.push(id);
    sizes.push(size);
  }
  return traceFromIds(Uint32Array.from(ids), Uint32Array.from(sizes), names);
}

/** The gunzipped bytes of a gzip stream. */
export function gunzip(
  stream: ReadableStream<Uint8Array>,
): ReadableStream<Uint8Array> {
  // Deno's lib types DecompressionStream's writable side as BufferSource
  return stream.pipeThrough(
    new DecompressionStream("gzip") as unknown as TransformStream<
      Uint8Array,
      Uint8Array
    >,
  );
}

/** Reads a trace file (gzip when its name ends in `.gz`). */
export async function readTrace(path: string | URL): Promise<Trace> {
  const file = await Deno.open(path);
  const stream = String(path).endsWith(".gz")
    ? gunzip(file.readable)
    : file.readable;
  return parseTrace(await new Response(stream).text());
}

/** What {@linkcode lruReplay} reports. */
export interface LruReplay {
  hits: number;
  /** Keys held at the end. */
  items: number;
  /** Bytes held at the end: key text + value, plus the overhead an item. */
  usedBytes: number;
}

/**
 * An exact LRU over key text + value bytes, plus `overhead` bytes an item
 * (default none): a doubly linked list over key ids (O(1) a request). A key
 * larger than the whole budget is never stored.
 */
export function lruReplay(
  trace: Trace,
  budget: number,
  overhead = 0,
): LruReplay {
  const n = trace.names.length;
  const keyLen = Uint32Array.from(trace.names, (k) => k.length);
  // node n is the list's sentinel: next[n] = most recent, prev[n] = oldest
  const next = new Int32Array(n + 1).fill(-1);
  const prev = new Int32Array(n + 1).fill(-1);
  const held = new Float64Array(n); // bytes the key holds
  const cached = new Uint8Array(n);
  next[n] = n;
  prev[n] = n;
  let used = 0;
  let items = 0;
  let hits = 0;
  const { ids, sizes } = trace;
  for (let i = 0; i < ids.length; i++) {
    const k = ids[i]!;
    if (cached[k] === 1) {
      hits++;
      // unlink, then push at the front
      next[prev[k]!] = next[k]!;
      prev[next[k]!] = prev[k]!;
    } else {
      const size = keyLen[k]! + sizes[i]! + overhead;
      if (size > budget) continue;
      held[k] = size;
      cached[k] = 1;
      used += size;
      items++;
      while (used > budget) {
        const old: number = prev[n]!;
        next[prev[old]!] = n;
        prev[n] = prev[old]!;
        used -= held[old]!;
        cached[old] = 0;
        items--;
      }
    }
    next[k] = next[n]!;
    prev[k] = n;
    prev[next[n]!] = k;
    next[n] = k;
  }
  return { hits, items, usedBytes: used };
}

/** Hits of {@linkcode lruReplay}. */
export function lruHits(trace: Trace, budget: number): number {
  return lruReplay(trace, budget).hits;
}

/** What {@linkcode kvoltHits} reports. */
export interface KvoltReplay {
  hits: number;
  items: number;
  usedBytes: number;
  evictions: number;
  /** Sets the shard refused (item larger than the shard can ever hold). */
  tooLarge: number;
  seconds: number;
}

/** Options of {@linkcode kvoltHits}. */
export interface KvoltReplayOptions {
  /** Called every 16384 requests. */
  progress?: (done: number, hits: number) => void;
  /** Another compiled core to measure (default: store-wasm/build's). */
  module?: WebAssembly.Module;
}

/**
 * Replays the trace through one Wasm shard of `budget` bytes (a get per
 * request, a set of `size` zero bytes after each miss).
 */
export async function kvoltHits(
  trace: Trace,
  budget: number,
  options: KvoltReplayOptions = {},
): Promise<KvoltReplay> {
  const { progress, module } = options;
  const shard = module === undefined
    ? await WasmShard.create({ budget, now: () => 0 })
    : new WasmShard(module, { budget, now: () => 0 });
  const { ids, sizes } = trace;
  const maxSize = sizes.reduce((a, b) => Math.max(a, b), 0);
  const value = new Uint8Array(maxSize);
  const keys = encodeKeys(trace.names);
  const started = performance.now();
  let hits = 0;
  let tooLarge = 0;
  for (let i = 0; i < ids.length; i++) {
    const key = keys[ids[i]!]!;
    if (shard.getView(key) !== undefined) hits++;
    else {
      try {
        shard.set(key, value.subarray(0, sizes[i]!));
      } catch (err) {
        if (!(err instanceof KvoltError)) throw err;
        tooLarge++;
      }
    }
    if (progress && (i & 0x3fff) === 0) progress(i, hits);
  }
  const seconds = (performance.now() - started) / 1000;
  const stats = shard.stats();
  return {
    hits,
    items: stats.items,
    usedBytes: stats.usedBytes,
    evictions: stats.evictions,
    tooLarge,
    seconds,
  };
}

/** Each key's UTF-8 bytes, as views of one buffer (one allocation). */
function encodeKeys(names: readonly string[]): Uint8Array[] {
  const te = new TextEncoder();
  let total = 0;
  for (const k of names) total += k.length * 3;
  const buf = new Uint8Array(total);
  const out: Uint8Array[] = new Array(names.length);
  let o = 0;
  for (let i = 0; i < names.length; i++) {
    const { written } = te.encodeInto(names[i]!, buf.subarray(o));
    out[i] = buf.subarray(o, o + written);
    o += written;
  }
  return out;
}

/** `--budget`: bytes, or `N%` of the footprint; at least 4096 bytes. */
export function parseBudget(
  text: string | undefined,
  footprint: number,
): number {
  if (text === undefined) {
    throw new TypeError(
      "Cannot replay: --budget is required (bytes, or N% of the footprint)",
    );
  }
  const pct = /^(\d+(?:\.\d+)?)%$/.exec(text);
  const n = pct ? Math.floor(footprint * Number(pct[1]) / 100) : Number(text);
  if (!Number.isInteger(n) || n < 4096) {
    throw new RangeError(
      `Cannot replay: budget must be at least 4096 bytes: received ${text}`,
    );
  }
  return n;
}

async function main(args: string[]): Promise<void> {
  const path = args.find((a, i) =>
    !a.startsWith("--") && args[i - 1] !== "--budget"
  );
  if (path === undefined) {
    throw new TypeError("a trace file is required");
  }
  const trace = await readTrace(path);
  const budget = parseBudget(
    args[args.indexOf("--budget") + 1],
    trace.footprint,
  );
  const te = new TextEncoder();
  const tty = Deno.stderr.isTerminal();
  const n = traceLength(trace);
  const run = await kvoltHits(trace, budget, {
    progress: tty
      ? (i, hits) =>
        Deno.stderr.writeSync(
          te.encode(
            `\r  ${i} / ${n} requests, hit ratio ${
              (hits / (i + 1)).toFixed(4)
            }`,
          ),
        )
      : undefined,
  });
  if (tty) {
    Deno.stderr.writeSync(
      te.encode("\r  computing the LRU reference...          "),
    );
  }
  const lru = lruHits(trace, budget);
  if (tty) Deno.stderr.writeSync(te.encode("\r\x1b[K"));
  console.log(JSON.stringify({
    trace: path.split("/").pop(),
    requests: n,
    hits: run.hits,
    hit_ratio: +(run.hits / n).toFixed(4),
    lru_hit_ratio: +(lru / n).toFixed(4),
    budget,
    footprint: trace.footprint,
    items: run.items,
    used_bytes: run.usedBytes,
    evictions: run.evictions,
    too_large: run.tooLarge,
    requests_per_s: Math.round(n / run.seconds),
  }));
}

const USAGE = `Usage: deno task replay <trace> --budget <bytes|N%>

Replays a cache trace (one request a line: "key size", gzip or plain) through
one shard and an exact LRU; N% is a share of the trace's footprint. The last
line is JSON with hit_ratio and lru_hit_ratio.`;

if (import.meta.main) {
  // Usage mistakes (no trace, a bad budget) print the usage, not a stack trace.
  try {
    if (Deno.args.length === 0 || Deno.args.includes("--help")) {
      console.log(USAGE);
      Deno.exit(Deno.args.length === 0 ? 2 : 0);
    }
    await main(Deno.args);
  } catch (err) {
    if (!(err instanceof TypeError || err instanceof RangeError)) throw err;
    console.error(`replay: ${err.message}\n\n${USAGE}`);
    Deno.exit(2);
  }
}
