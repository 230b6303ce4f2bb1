/**
 * `deno task bench:grpc`: GET throughput and latency through gRPC, against
 * its floor, from one load generator (this process: grpc-js clients for gRPC,
 * fetch for HTTP, the same number of calls in flight).
 *
 * Rows, in the same run:
 * - `grpc-floor`: a bare grpc-js server in Deno answering a fixed 100-byte
 *   value (`grpc_hello_server.ts`), the protocol's floor here;
 * - `kvolt-grpc`: `kvolt serve --http --grpc-port P`, GET of a 100-byte item
 *   (through the relay process and the relay channel);
 * - `kvolt-http`: the same item through kvolt's HTTP/1.1 GET.
 *
 * Prints a table, then one JSON line with the ratios to the floor.
 *
 * Usage: `deno task bench:grpc [--seconds N] [--inflight N]`
 *
 * @module
 */

import * as grpc from "@grpc/grpc-js";
import { cache_client } from "@gomomento/generated-types/dist/cacheclient.js";
import { parseArgs } from "node:util";
import { join } from "node:path";
import { freePort, ProcessGroup } from "./_procs.ts";
import { startKvolt } from "./_servers.ts";
import { GRPC_HELLO_READY_PREFIX } from "./grpc_hello_server.ts";

const ROOT = new URL("..", import.meta.url).pathname;
const CACHE = "bench";
const KEY = "k";

/** One row of the table. */
interface Row {
  target: string;
  rps: number;
  p50Us: number;
  p99Us: number;
  errors: number;
}

/** Runs `call` with `inflight` calls in flight for `seconds`. */
async function drive(
  target: string,
  seconds: number,
  inflight: number,
  call: () => Promise<void>,
): Promise<Row> {
  const latencies: number[] = [];
  let errors = 0;
  // warm-up: connections, JIT
  const warmEnd = performance.now() + 500;
  const end = warmEnd + seconds * 1000;
  let started = 0;
  const worker = async () => {
    while (performance.now() < end) {
      const t = performance.now();
      try {
        await call();
        if (t >= warmEnd) latencies.push(performance.now() - t);
      } catch {
        errors++;
      }
      if (started === 0 && t >= warmEnd) started = t;
    }
  };
  await Promise.all(Array.from({ length: inflight }, worker));
  latencies.sort((a, b) => a - b);
  const at = (q: number) =>
    Math.round((latencies[Math.floor(q * (latencies.length - 1))] ?? 0) * 1000);
  return {
    target,
    rps: Math.round(latencies.length / seconds),
    p50Us: at(0.5),
    p99Us: at(0.99),
    errors,
  };
}

/** A grpc-js client's Get as a promise; checks the answer is a 100-byte hit. */
function grpcGet(port: number, apiKey: string): {
  get: () => Promise<void>;
  close: () => void;
} {
  const Client = grpc.makeGenericClientConstructor(
    cache_client.UnimplementedScsService.definition,
    "Scs",
  );
  const client = new Client(
    `127.0.0.1:${port}`,
    grpc.credentials.createInsecure(),
  );
  const metadata = new grpc.Metadata();
  metadata.set("authorization", apiKey);
  metadata.set("cache", CACHE);
  const request = new cache_client._GetRequest({
    cache_key: new TextEncoder().encode(KEY),
  });
  const get = () =>
    new Promise<void>((resolve, reject) => {
      // deno-lint-ignore no-explicit-any
      (client as any).Get(
        request,
        metadata,
        (err: Error | null, res?: cache_client._GetResponse) => {
          if (err) return reject(err);
          if (res?.cache_body.byteLength !== 100) {
            return reject(new Error("not a 100-byte hit"));
          }
          resolve();
        },
      );
    });
  return { get, close: () => client.close() };
}

async function main(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      seconds: { type: "string", default: "5" },
      inflight: { type: "string", default: "32" },
    },
  });
  const seconds = Number(values.seconds);
  const inflight = Number(values.inflight);
  const group = new ProcessGroup();
  const rows: Row[] = [];
  const dataDir = await Deno.makeTempDir({ prefix: "kvolt-bench-grpc-" });
  try {
    const floor = await group.start({
      command: Deno.execPath(),
      args: ["run", "-A", join(ROOT, "bench", "grpc_hello_server.ts")],
      ready: (line) => line.startsWith(GRPC_HELLO_READY_PREFIX),
      timeoutMs: 30_000,
    });
    const floorPort = Number(
      floor.lines.find((l) => l.startsWith(GRPC_HELLO_READY_PREFIX))!
        .slice(GRPC_HELLO_READY_PREFIX.length),
    );
    const floorClient = grpcGet(floorPort, "none");
    rows.push(await drive("grpc-floor", seconds, inflight, floorClient.get));
    floorClient.close();
    await floor.stop();

    const grpcPort = freePort();
    const kvolt = await startKvolt(group, dataDir, false, [
      "--grpc-port",
      String(grpcPort),
    ]);
    const auth = { authorization: kvolt.apiKey };
    // high rate limits: the bench measures the path, not the limiter
    const limits = { opsPerSecond: 1e15, bytesPerSecond: 1e15 };
    const created = await fetch(`${kvolt.url}/v1/caches/${CACHE}`, {
      method: "PUT",
      headers: auth,
      body: JSON.stringify({ limits }),
    });
    await created.body?.cancel();
    const put = await fetch(
      `${kvolt.url}/cache/${CACHE}?key=${KEY}&ttl_seconds=86400`,
      { method: "PUT", headers: auth, body: new Uint8Array(100).fill(120) },
    );
    await put.body?.cancel();
    if (created.status >= 300 || put.status !== 204) {
      throw new Error(
        `Cannot seed kvolt: create ${created.status}, PUT ${put.status}`,
      );
    }
    const c = grpcGet(grpcPort, kvolt.apiKey);
    rows.push(await drive("kvolt-grpc", seconds, inflight, c.get));
    c.close();
    rows.push(
      await drive("kvolt-http", seconds, inflight, async () => {
        const r = await fetch(`${kvolt.url}/cache/${CACHE}?key=${KEY}`, {
          headers: auth,
        });
        const body = await r.arrayBuffer();
        if (r.status !== 200 || body.byteLength !== 100) {
          throw new Error(`GET answered ${r.status}`);
        }
      }),
    );
    await kvolt.stop();
  } finally {
    await group.stopAll();
    await Deno.remove(dataDir, { recursive: true }).catch(() => {});
  }
  const base = rows[0]!.rps;
  console.log("target        rps      p50 us  p99 us  errors  x floor");
  for (const r of rows) {
    console.log(
      `${r.target.padEnd(12)} ${String(r.rps).padStart(7)} ${
        String(r.p50Us).padStart(8)
      } ${String(r.p99Us).padStart(7)} ${String(r.errors).padStart(7)}  ${
        (r.rps / base).toFixed(2)
      }`,
    );
  }
  console.log(JSON.stringify({
    seconds,
    inflight,
    rows,
    ratios: Object.fromEntries(
      rows.map((r) => [r.target, Number((r.rps / base).toFixed(3))]),
    ),
  }));
}

if (import.meta.main) await main(Deno.args);
