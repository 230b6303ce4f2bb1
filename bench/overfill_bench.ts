/**
 * `deno task bench:overfill`: does memory stay inside the budget? Starts
 * `serve --http --capacity 64MiB`, then 4 clients write 2 GB of values from
 * 1 KB to 5 MB (log-uniform sizes; raw PUTs and JSON API sets) and grow
 * dictionaries, lists, sets and sorted sets, while the server's RSS is
 * sampled from /proc. Prints one JSON line: RSS at start, peak (VmHWM),
 * capacity, peak minus capacity, and where memory sits at the end (the
 * shards' Wasm memory and the JS heap, from /metrics). Target: peak RSS <=
 * capacity + 128 MiB.
 *
 * Flags: `--capacity SIZE` (default 64MiB), `--gigabytes N` (default 2).
 *
 * @module
 */

import { parseArgs } from "node:util";
import { join } from "node:path";
import { READY_PREFIX } from "../cli/banner.ts";
import { parseByteSize } from "../cli/byte_size.ts";
import { ProcessGroup } from "./_procs.ts";

const ROOT = new URL("..", import.meta.url).pathname;
const MiB = 1 << 20;

/** VmRSS and VmHWM of a process, bytes. */
function rssOf(pid: number): { rss: number; hwm: number } {
  const status = Deno.readTextFileSync(`/proc/${pid}/status`);
  const kb = (name: string) =>
    Number(status.match(new RegExp(`^${name}:\\s+(\\d+) kB`, "m"))?.[1] ?? 0) *
    1024;
  return { rss: kb("VmRSS"), hwm: kb("VmHWM") };
}

/** A seeded PRNG (mulberry32), so runs write the same sizes. */
function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      capacity: { type: "string", default: "64MiB" },
      gigabytes: { type: "string", default: "2" },
    },
  });
  const capacity = parseByteSize(values.capacity);
  const total = Number(values.gigabytes) * 1024 * MiB;
  const group = new ProcessGroup();
  const dataDir = await Deno.makeTempDir({ prefix: "kvolt-overfill-" });
  try {
    const started = await group.start({
      command: Deno.execPath(),
      args: [
        "run",
        "-A",
        ...(Deno.env.get("KVOLT_V8_FLAGS")
          ? [`--v8-flags=${Deno.env.get("KVOLT_V8_FLAGS")}`]
          : []),
        join(ROOT, "main.ts"),
        "serve",
        "--http",
        "--port",
        "0",
        "--data",
        dataDir,
        "--capacity",
        values.capacity,
      ],
      ready: (line) => line.startsWith(READY_PREFIX),
      timeoutMs: 60_000,
    });
    const url = started.lines.find((l) => l.startsWith(READY_PREFIX))!
      .slice(READY_PREFIX.length);
    const apiKey = (await Deno.readTextFile(join(dataDir, "api-key"))).trim();
    const headers = { authorization: apiKey };
    const start = rssOf(started.pid);
    let peakRss = start.rss;
    const sampler = setInterval(() => {
      peakRss = Math.max(peakRss, rssOf(started.pid).rss);
    }, 20);

    // One 5 MB block of bytes; values are slices of it.
    const block = new Uint8Array(5 * MiB);
    for (let i = 0; i < block.length; i++) block[i] = (i * 31) & 0xff;
    let written = 0;
    let requests = 0;
    const refused: Record<number, number> = {};
    const client = async (id: number) => {
      const random = prng(id + 1);
      for (let n = 0; written < total; n++) {
        const size = Math.floor(1024 * Math.pow(5 * 1024, random()));
        written += size;
        requests++;
        let res: Response;
        if (n % 5 === 4) {
          // Collections that keep growing, 50-200 elements a call.
          const k = `c${id}-${n % 40}`;
          const count = 50 + Math.floor(random() * 150);
          const els = Array.from(
            { length: count },
            (_, i) => `${n}-${i}-${"e".repeat(100)}`,
          );
          const kinds = [
            ["dictionarySetFields", {
              key: `d${k}`,
              fields: els.map((e) => ({ field: e, value: e })),
            }],
            ["listConcatenateBack", { key: `l${k}`, values: els }],
            ["setAddElements", { key: `s${k}`, elements: els }],
            ["sortedSetPutElements", {
              key: `z${k}`,
              elements: els.map((value, i) => ({ value, score: i })),
            }],
          ] as const;
          const [op, args] = kinds[n % kinds.length]!;
          res = await fetch(`${url}/v1/cache/default/${op}`, {
            method: "POST",
            headers,
            body: JSON.stringify({ ...args, ttlMs: 600_000 }),
          });
          written += JSON.stringify(args).length;
        } else if (n % 5 === 3 && size < 3 * MiB) {
          res = await fetch(`${url}/v1/cache/default/set`, {
            method: "POST",
            headers,
            body: JSON.stringify({
              key: `j${id}-${n}`,
              value: { base64: btoaBytes(block.subarray(0, size)) },
              ttlMs: 600_000,
            }),
          });
        } else {
          res = await fetch(
            `${url}/cache/default?key=v${id}-${n}&ttl_seconds=600`,
            { method: "PUT", headers, body: block.subarray(0, size) },
          );
        }
        await res.body?.cancel();
        if (res.status >= 300) {
          refused[res.status] = (refused[res.status] ?? 0) + 1;
        }
      }
    };
    await Promise.all([0, 1, 2, 3].map(client));
    clearInterval(sampler);
    const end = rssOf(started.pid);
    const metrics = await (await fetch(`${url}/metrics`, { headers })).text();
    const metric = (name: string) =>
      [...metrics.matchAll(
        new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, "gm"),
      )]
        .reduce((sum, m) => sum + Number(m[1]), 0);
    const peak = Math.max(peakRss, end.hwm);
    console.log(JSON.stringify({
      capacity_mib: capacity / MiB,
      written_mib: Math.round(written / MiB),
      requests,
      non_2xx: refused,
      start_rss_mib: round(start.rss / MiB),
      peak_rss_mib: round(peak / MiB),
      end_rss_mib: round(end.rss / MiB),
      peak_over_capacity_mib: round((peak - capacity) / MiB),
      target_met: peak <= capacity + 128 * MiB,
      at_end: {
        shard_memory_mib: round(metric("kvolt_shard_memory_bytes") / MiB),
        js_heap_used_mib: round(metric("nodejs_heap_size_used_bytes") / MiB),
        js_heap_total_mib: round(metric("nodejs_heap_size_total_bytes") / MiB),
        external_mib: round(metric("nodejs_external_memory_bytes") / MiB),
      },
    }));
    await started.stop();
  } finally {
    await group.stopAll();
    await Deno.remove(dataDir, { recursive: true });
  }
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}

function btoaBytes(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(s);
}

if (import.meta.main) await main();
