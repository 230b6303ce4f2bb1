/**
 * Memory stays near the budget under an overfill (a loose bound: the figure
 * itself is `deno task bench:overfill`'s). `serve --capacity 32MiB` takes
 * 400 MB of 1-5 MB values and growing collections; its peak RSS (VmHWM) must
 * stay within the capacity + 160 MiB.
 */

import assert from "node:assert/strict";
import { serveArgs, startServer } from "./_server.ts";

const MiB = 1 << 20;

function peakRss(pid: number): number {
  const status = Deno.readTextFileSync(`/proc/${pid}/status`);
  return Number(status.match(/^VmHWM:\s+(\d+) kB/m)?.[1] ?? NaN) * 1024;
}

Deno.test({
  name:
    "an overfill of 400 MB keeps serve's peak RSS within capacity + 160 MiB",
  ignore: Deno.build.os !== "linux",
  async fn() {
    const dataDir = await Deno.makeTempDir({ prefix: "kvolt-mem-" });
    const server = await startServer(
      Deno.execPath(),
      serveArgs(dataDir, "--http", "--capacity", "32MiB"),
    );
    try {
      const pid = server.pid;
      const headers = { authorization: server.apiKey };
      const block = new Uint8Array(5 * MiB).fill(7);
      let written = 0;
      const client = async (id: number) => {
        for (let n = 0; written < 400 * MiB; n++) {
          const size = MiB + ((n * 7919 + id * 104729) % (4 * MiB));
          written += size;
          let res: Response;
          if (n % 2 === 1) {
            // Collections that keep growing, 150 elements a call.
            const els = Array.from(
              { length: 150 },
              (_, i) => `${n}-${i}-${"e".repeat(100)}`,
            );
            const k = `${id}-${n % 40}`;
            const [op, args] = [
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
            ][(n >> 1) % 4] as [string, object];
            written -= size;
            written += 40_000;
            res = await fetch(`${server.url}/v1/cache/default/${op}`, {
              method: "POST",
              headers,
              body: JSON.stringify({ ...args, ttlMs: 600_000 }),
            });
          } else {
            res = await fetch(
              `${server.url}/cache/default?key=v${id}-${n}&ttl_seconds=600`,
              { method: "PUT", headers, body: block.subarray(0, size) },
            );
          }
          await res.body?.cancel();
          assert.ok(res.status < 300 || res.status === 429, `${res.status}`);
        }
      };
      await Promise.all([0, 1, 2].map(client));
      console.log(`peak RSS ${(peakRss(pid) / MiB).toFixed(1)} MiB`);
      const peak = peakRss(pid);
      assert.ok(
        peak <= 32 * MiB + 160 * MiB,
        `peak RSS ${(peak / MiB).toFixed(1)} MiB is above 32 + 160 MiB`,
      );
    } finally {
      await server.stop();
      await server.kill();
      await Deno.remove(dataDir, { recursive: true });
    }
  },
});
