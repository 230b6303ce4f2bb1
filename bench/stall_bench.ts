/**
 * `deno task bench:stall`: does one heavy request stall everyone else? A GET
 * loop (one keep-alive client, 100-byte value) runs against `serve --http`
 * twice in the same run: alone, then while heavy requests arrive back to back
 * on other connections:
 *
 * - a 5.9 MB JSON body with 500k unknown fields sent to
 *   `/v1/cache/default/get`;
 * - a 9.9 MB pipeline of 1000 `dictionarySetFields` with 300 fields each.
 *
 * Prints one JSON line: the GET loop's p50, p99 and max (ms) alone and under
 * the heavy load, and what the heavy requests got back. Targets: p99 <= 50 ms
 * and max <= 100 ms under the heavy load.
 *
 * Flags: `--seconds S` per phase (default 8); `--url U --api-key K` to
 * measure a server already running instead of starting one.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { ProcessGroup } from "./_procs.ts";
import { startKvolt } from "./_servers.ts";

interface Latencies {
  n: number;
  p50: number;
  p99: number;
  max: number;
}

function summarize(samples: number[]): Latencies {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) =>
    sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  const round = (ms: number) => Math.round(ms * 100) / 100;
  return {
    n: sorted.length,
    p50: round(at(0.5)),
    p99: round(at(0.99)),
    max: round(sorted.at(-1) ?? 0),
  };
}

/** A 5.9 MB get with 500k unknown fields. */
function unknownFieldsBody(): Uint8Array {
  const parts = ['{"key":"k"'];
  for (let i = 0; i < 500_000; i++) parts.push(`,"f${i}":0`);
  parts.push("}");
  return new TextEncoder().encode(parts.join(""));
}

/** A 9.9 MB pipeline: 1000 dictionarySetFields of 300 fields each. */
function pipelineBody(): Uint8Array {
  const fields = [];
  for (let f = 0; f < 300; f++) {
    fields.push({ field: `f${f}`, value: `v${f}` });
  }
  const ops = [];
  for (let i = 0; i < 1000; i++) {
    ops.push({
      cache: "default",
      op: "dictionarySetFields",
      args: { key: `dict-${i % 50}`, fields, ttlMs: 600_000 },
    });
  }
  return new TextEncoder().encode(JSON.stringify({ ops }));
}

async function getLoop(
  url: string,
  apiKey: string,
  until: number,
): Promise<number[]> {
  const samples: number[] = [];
  while (performance.now() < until) {
    const start = performance.now();
    const res = await fetch(`${url}/cache/default?key=hot`, {
      headers: { authorization: apiKey },
    });
    await res.arrayBuffer();
    samples.push(performance.now() - start);
  }
  return samples;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      seconds: { type: "string", default: "8" },
      url: { type: "string" },
      "api-key": { type: "string" },
    },
  });
  const seconds = Number(values.seconds);
  const group = new ProcessGroup();
  const dataDir = await Deno.makeTempDir({ prefix: "kvolt-stall-" });
  try {
    // --url and --api-key measure a server started elsewhere (e.g. with
    // --cpu-prof); otherwise the bench starts its own.
    const kvolt = values.url !== undefined && values["api-key"] !== undefined
      ? { url: values.url, apiKey: values["api-key"], stop: async () => {} }
      : await startKvolt(group, dataDir, false);
    const headers = { authorization: kvolt.apiKey };
    await (await fetch(`${kvolt.url}/cache/default?key=hot&ttl_seconds=3600`, {
      method: "PUT",
      headers,
      body: "x".repeat(100),
    })).arrayBuffer();
    const heavy = [
      { path: "/v1/cache/default/get", body: unknownFieldsBody() },
      { path: "/v1/pipeline", body: pipelineBody() },
    ];

    // Warm up, then the GET loop alone.
    await getLoop(kvolt.url, kvolt.apiKey, performance.now() + 1000);
    const alone = await getLoop(
      kvolt.url,
      kvolt.apiKey,
      performance.now() + seconds * 1000,
    );

    // The GET loop again while heavy requests arrive back to back.
    const until = performance.now() + seconds * 1000;
    const statuses: Record<string, number> = {};
    let heavySent = 0;
    const sender = (async () => {
      while (performance.now() < until) {
        const { path, body } = heavy[heavySent++ % heavy.length]!;
        const res = await fetch(`${kvolt.url}${path}`, {
          method: "POST",
          headers: { ...headers, "content-type": "application/json" },
          body: body as Uint8Array<ArrayBuffer>,
        });
        await res.arrayBuffer();
        const key = `${path} ${res.status}`;
        statuses[key] = (statuses[key] ?? 0) + 1;
      }
    })();
    const loaded = await getLoop(kvolt.url, kvolt.apiKey, until);
    await sender;

    const withHeavy = summarize(loaded);
    console.log(JSON.stringify({
      get_alone_ms: summarize(alone),
      get_with_heavy_ms: withHeavy,
      heavy_requests: statuses,
      heavy_bytes: heavy.map((h) => h.body.length),
      target_met: withHeavy.p99 <= 50 && withHeavy.max <= 100,
    }));
    await kvolt.stop();
  } finally {
    await group.stopAll();
    await Deno.remove(dataDir, { recursive: true });
  }
}

if (import.meta.main) await main();
