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
 * @module
 */
import { WasmShard } from "../store-wasm/shard.ts";
import { KvoltError } from "../protocol/errors.ts";

interface Trace {
  keys: string[];
  sizes: Uint32Array;
  footprint: number;
}

async function readTrace(path: string): Promise<Trace> {
  const file = await Deno.open(path);
  let stream: ReadableStream<Uint8Array> = file.readable;
  if (path.endsWith(".gz")) {
    // Deno's lib types DecompressionStream's writable side as BufferSource
    const gunzip = new DecompressionStream(
      "gzip",
    ) as unknown as TransformStream<
      Uint8Array,
      Uint8Array
    >;
    stream = stream.pipeThrough(gunzip);
  }
  const text = await new Response(stream).text();
  const keys: string[] = [];
  const sizes: number[] = [];
  const last = new Map<string, number>();
  for (const line of text.split("\n")) {
    if (line === "") continue;
    const sp = line.indexOf(" ");
    const key = sp < 0 ? line : line.slice(0, sp);
    const size = sp < 0 ? NaN : Number(line.slice(sp + 1));
    if (!Number.isInteger(size) || size < 0) {
      throw new TypeError(
        `Cannot read trace: bad line ${keys.length + 1}: ${line}`,
      );
    }
    keys.push(key);
    sizes.push(size);
    last.set(key, key.length + size);
  }
  let footprint = 0;
  for (const v of last.values()) footprint += v;
  return { keys, sizes: Uint32Array.from(sizes), footprint };
}

/** Exact LRU over key text + value bytes: a Map kept in recency order. */
function lruHits(trace: Trace, budget: number): number {
  const m = new Map<string, number>();
  let used = 0;
  let hits = 0;
  for (let i = 0; i < trace.keys.length; i++) {
    const k = trace.keys[i]!;
    const v = m.get(k);
    if (v !== undefined) {
      hits++;
      m.delete(k);
      m.set(k, v);
      continue;
    }
    const size = k.length + trace.sizes[i]!;
    if (size > budget) continue;
    m.set(k, size);
    used += size;
    for (const [ok, ov] of m) {
      if (used <= budget) break;
      m.delete(ok);
      used -= ov;
    }
  }
  return hits;
}

function parseBudget(text: string | undefined, footprint: number): number {
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
  const shard = await WasmShard.create({ budget, now: () => 0 });
  const maxSize = trace.sizes.reduce((a, b) => Math.max(a, b), 0);
  const value = new Uint8Array(maxSize);
  const te = new TextEncoder();
  const tty = Deno.stderr.isTerminal();
  const started = performance.now();
  let hits = 0;
  let tooLarge = 0;
  const n = trace.keys.length;
  for (let i = 0; i < n; i++) {
    const key = te.encode(trace.keys[i]!);
    if (shard.getView(key) !== undefined) hits++;
    else {
      try {
        shard.set(key, value.subarray(0, trace.sizes[i]!));
      } catch (err) {
        if (!(err instanceof KvoltError)) throw err;
        tooLarge++;
      }
    }
    if (tty && (i & 0x3fff) === 0) {
      Deno.stderr.writeSync(
        te.encode(
          `\r  ${i} / ${n} requests, hit ratio ${(hits / (i + 1)).toFixed(4)}`,
        ),
      );
    }
  }
  const seconds = (performance.now() - started) / 1000;
  if (tty) {
    Deno.stderr.writeSync(
      te.encode("\r  computing the LRU reference...          "),
    );
  }
  const lru = lruHits(trace, budget);
  if (tty) Deno.stderr.writeSync(te.encode("\r\x1b[K"));
  const stats = shard.stats();
  console.log(JSON.stringify({
    trace: path.split("/").pop(),
    requests: n,
    hits,
    hit_ratio: +(hits / n).toFixed(4),
    lru_hit_ratio: +(lru / n).toFixed(4),
    budget,
    footprint: trace.footprint,
    items: stats.items,
    used_bytes: stats.usedBytes,
    evictions: stats.evictions,
    too_large: tooLarge,
    requests_per_s: Math.round(n / seconds),
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
